// A budget of bytes held by requests in flight; see byte_budget.h.
#include "server/byte_budget.h"

#include "absl/strings/str_cat.h"
#include "base/user_message.h"

namespace rectify::server {

absl::Status ByteBudget::Acquire(int64_t bytes, absl::string_view what, absl::string_view flag) {
  absl::MutexLock lock(&mutex_);
  if (bytes < 0 || bytes > limit_ - in_use_) {
    return Refuse(absl::StatusCode::kResourceExhausted,
                  absl::StrCat(what, " in flight hold ", in_use_, " of the ", limit_,
                               " bytes the server buffers (", flag, "); ", bytes,
                               " more do not fit: retry later"),
                  "服务器正忙（同时上传的文件过多），请稍后再试");
  }
  in_use_ += bytes;
  return absl::OkStatus();
}

void ByteBudget::Release(int64_t bytes) {
  absl::MutexLock lock(&mutex_);
  in_use_ -= bytes;
}

int64_t ByteBudget::in_use() const {
  absl::MutexLock lock(&mutex_);
  return in_use_;
}

}  // namespace rectify::server
