// A server-wide budget of bytes held in memory by requests in flight, e.g.
// evidence uploads buffered until their SHA-256 is checked. A request takes
// its share before it buffers anything and gives it back when done; past the
// limit the request is refused (RESOURCE_EXHAUSTED) instead of the server
// growing without bound (issue 11: 100 uploads of 60 MiB at once reached
// 3.8 GB RSS).
//
//   ByteBudget budget(256 << 20);
//   if (absl::Status taken = budget.Acquire(size, "evidence uploads"); !taken.ok()) return taken;
//   ...
//   budget.Release(size);
#ifndef RECTIFY_SERVER_BYTE_BUDGET_H_
#define RECTIFY_SERVER_BYTE_BUDGET_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace rectify::server {

class ByteBudget {
 public:
  // `limit` bytes may be held at once. Thread-safe.
  explicit ByteBudget(int64_t limit) : limit_(limit) {}

  // Takes `bytes` of the budget: OK, or RESOURCE_EXHAUSTED (nothing taken)
  // when they do not fit beside what is held; the message says how much is
  // held, the limit, and names `what` and `flag` (the setting to raise).
  absl::Status Acquire(int64_t bytes, absl::string_view what, absl::string_view flag);
  // Gives back `bytes` taken by Acquire.
  void Release(int64_t bytes);

  // Bytes held now.
  int64_t in_use() const;
  int64_t limit() const { return limit_; }

 private:
  const int64_t limit_;
  mutable absl::Mutex mutex_;
  int64_t in_use_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_BYTE_BUDGET_H_
