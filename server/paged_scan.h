// The paged reads of the list and history RPCs of the penalty, complaint,
// unit and admin services, written once: a list walks an index in chunks
// from the key its page token names, and a history reads a stream a page at
// a time from the version its page token names. The callers keep what is
// theirs: the query fingerprint, the projection each index key names and
// the filters (a list), the opening of sealed events (a history).
//
//   ASSIGN_OR_RETURN(std::string next, ScanIndexPage(store_, prefix, request->page_token(),
//       query, kMaxExamined, [&] { return response->units_size() >= page_size; },
//       [&](const std::string& key) -> absl::Status { ...add a unit...; }));
//   response->set_next_page_token(next);
#ifndef RECTIFY_SERVER_PAGED_SCAN_H_
#define RECTIFY_SERVER_PAGED_SCAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/event.pb.h"
#include "storage/event_store.h"

namespace rectify::server {

// How many index keys one ScanIndex call of ScanIndexPage reads.
inline constexpr int kIndexScanChunk = 200;

// Walks the keys of the index `prefix` after the key `page_token` resumes
// from (the first key for an empty token), calling `visit` for each until
// `page_full()` or `max_examined` keys were visited. Answers the token of
// the next page (resuming after the last key visited), or "" when no key
// follows. The token is decoded and made for `query` (see page_token.h);
// INVALID_ARGUMENT naming page_token for one made for another query.
absl::StatusOr<std::string> ScanIndexPage(
    storage::EventStore& store, absl::string_view prefix, absl::string_view page_token,
    uint64_t query, int max_examined, absl::FunctionRef<bool()> page_full,
    absl::FunctionRef<absl::Status(const std::string& key)> visit);

// One page of a stream's history.
struct StreamPage {
  std::vector<v1::Event> events;  // at most page_size, in version order
  std::string next_page_token;    // "" on the last page
};

// Up to `page_size` events of `stream_id` from the version `page_token`
// resumes from (version 1 for an empty token). INVALID_ARGUMENT naming
// page_token for a token made for another query or not naming a version.
absl::StatusOr<StreamPage> ReadStreamPage(storage::EventStore& store, absl::string_view stream_id,
                                          absl::string_view page_token, uint64_t query,
                                          int page_size);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PAGED_SCAN_H_
