// Fuzzes page token decoding (server/page_token.h) with what a client can
// send: any page_token string. Input: the token, then (after the separator)
// the bytes the query fingerprint is made of.
//
// Properties: decoding never crashes; a token that decodes gives a non-empty
// key that re-encodes to a token decoding to the same key; no token decodes
// for a second, different query; and any key encodes to a token that decodes
// back to it only for its own query.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "server/page_token.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rectify::fuzz::Parts parts(data, size);
  const absl::string_view token = parts.Next();
  const absl::string_view query = parts.Next();
  const uint64_t fingerprint = rectify::server::QueryFingerprint({"fuzz", query});
  const uint64_t other = rectify::server::QueryFingerprint({"fuzz-other", query});

  const absl::StatusOr<std::string> key = rectify::server::DecodePageToken(token, fingerprint);
  if (key.ok()) {
    FUZZ_CHECK(token.empty() == key->empty(), "only the empty token gives the first page");
    if (!token.empty()) {
      const std::string again = rectify::server::EncodePageToken(*key, fingerprint);
      const absl::StatusOr<std::string> decoded = rectify::server::DecodePageToken(again, fingerprint);
      FUZZ_CHECK(decoded.ok() && *decoded == *key, "a token that decodes re-encodes");
      FUZZ_CHECK(!rectify::server::DecodePageToken(token, other).ok(),
                 "a token is refused for another query");
    }
  } else {
    FUZZ_CHECK(key.status().code() == absl::StatusCode::kInvalidArgument,
               "a bad token is INVALID_ARGUMENT");
    FUZZ_CHECK(key.status().message().find("page_token") != absl::string_view::npos,
               "the refusal names page_token");
  }

  // The token for the raw input bytes as a resume key.
  if (!token.empty()) {
    const std::string made = rectify::server::EncodePageToken(token, fingerprint);
    const absl::StatusOr<std::string> back = rectify::server::DecodePageToken(made, fingerprint);
    FUZZ_CHECK(back.ok() && *back == token, "an encoded key decodes to itself");
    FUZZ_CHECK(!rectify::server::DecodePageToken(made, other).ok(),
               "an encoded key is refused for another query");
  }
  return 0;
}
