// Request ids; see request_id.h.
#include "base/request_id.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"

namespace rectify {

bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdBytes) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string MakeRequestId() {
  // One generator per thread: absl::BitGen is not thread-safe, and ids need
  // to be unique, not secret.
  thread_local absl::BitGen generator;
  const uint64_t high = absl::Uniform<uint64_t>(generator);
  const uint64_t low = absl::Uniform<uint64_t>(generator);
  return absl::StrCat(absl::Hex(high, absl::kZeroPad16), absl::Hex(low, absl::kZeroPad16));
}

std::string AcceptOrMakeRequestId(absl::string_view sent) {
  return IsAcceptableRequestId(sent) ? std::string(sent) : MakeRequestId();
}

}  // namespace rectify
