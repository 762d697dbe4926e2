// The writer thread's cache of recent case states (DESIGN.md, "The command
// path": "loads the case state (cache, else the cases projection)"). The
// pipeline puts a case here only as a successful commit left it (or as it
// read it from the store), and it is the one writer of case projections
// while the server runs, so an entry is never stale. Bounded: the least
// recently used case leaves when a new one would pass `capacity`. Not
// thread-safe: only the writer thread touches it.
//
//   CaseCache cache(10000);
//   if (const v1::Case* state = cache.Find(case_id)) ...;
//   cache.Put(case_id, std::move(state_after_commit), std::move(its_keys));
#ifndef RECTIFY_SERVER_CASE_CACHE_H_
#define RECTIFY_SERVER_CASE_CACHE_H_

#include <cstddef>
#include <list>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "projection/projector.h"
#include "rectify/v1/case.pb.h"

namespace rectify::server {

class CaseCache {
 public:
  // `capacity` cases at most; 0 caches nothing.
  explicit CaseCache(size_t capacity) : capacity_(capacity) {}

  // The cached state of `case_id` (made the most recently used), or nullptr.
  // Valid until the next Put or Clear.
  const v1::Case* Find(absl::string_view case_id);
  // A case's state with the index and timer keys it calls for
  // (projection::ProjectKeys of it), which the writer needs as the keys
  // before its next command.
  struct Cached {
    v1::Case state;
    projection::ProjectedKeys keys;
  };
  // Removes `case_id`'s entry and returns it (no copy), or nullopt.
  std::optional<Cached> Take(absl::string_view case_id);
  // Caches `state`, whose keys are `keys`, as the case's state, replacing
  // any entry of it.
  void Put(const std::string& case_id, v1::Case state, projection::ProjectedKeys keys);
  void Clear();
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Cached cached;
    // The case's place in `order_`.
    std::list<std::string>::iterator at;
  };
  const size_t capacity_;
  // Case ids, the most recently used first.
  std::list<std::string> order_;
  absl::flat_hash_map<std::string, Entry> entries_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_CASE_CACHE_H_
