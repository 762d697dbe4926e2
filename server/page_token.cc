// Opaque page tokens; see page_token.h.
#include "server/page_token.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/user_message.h"
#include "rectify/v1/case_service.pb.h"
#include "workflow/validation.h"

namespace rectify::server {

uint64_t QueryFingerprint(std::initializer_list<absl::string_view> parts) {
  std::string bytes;
  for (absl::string_view part : parts) {
    absl::StrAppend(&bytes, part.size(), ":", part);
  }
  const std::string digest = Sha256(bytes);
  uint64_t fingerprint = 0;
  for (int i = 0; i < 8; ++i) fingerprint = (fingerprint << 8) | static_cast<unsigned char>(digest[i]);
  return fingerprint;
}

std::string EncodePageToken(absl::string_view resume_key, uint64_t query_fingerprint) {
  v1::PageToken token;
  token.set_resume_key(std::string(resume_key));
  token.set_query_fingerprint(query_fingerprint);
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, uint64_t query_fingerprint) {
  if (token.empty()) return std::string();
  std::string bytes;
  v1::PageToken decoded;
  if (!absl::WebSafeBase64Unescape(token, &bytes) || !decoded.ParseFromString(bytes) ||
      decoded.resume_key().empty()) {
    return Refuse(absl::StatusCode::kInvalidArgument,
                  "page_token is not a token this server made; pass next_page_token unchanged",
                  "页码标记无效，请从第一页重新查询");
  }
  if (decoded.query_fingerprint() != query_fingerprint) {
    return Refuse(absl::StatusCode::kInvalidArgument,
                  "page_token was made for another query; pass it with the same request it came from",
                  "查询条件已改变，请从第一页重新查询");
  }
  return decoded.resume_key();
}

absl::StatusOr<int> PageSizeOf(int32_t asked, int default_size, int max_size) {
  if (asked < 0) return workflow::InvalidField("page_size", "must not be negative", "不能为负数");
  return asked == 0 ? default_size : std::min<int>(asked, max_size);
}

}  // namespace rectify::server
