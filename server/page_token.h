// Opaque page tokens for the paged reads (ListCases, GetCaseHistory): a
// v1::PageToken (where the next page starts + a fingerprint of the query it
// was made for), serialized and base64-encoded (web-safe). A token is only
// good for the query that made it: one passed with another filter, case or
// caller is refused, so a client cannot splice two queries together.
//
//   const uint64_t query = QueryFingerprint({"ListCases", caller_id, filter_bytes});
//   ASSIGN_OR_RETURN(std::string resume_key, DecodePageToken(request.page_token(), query));
//   response.set_next_page_token(EncodePageToken(last_key, query));
#ifndef RECTIFY_SERVER_PAGE_TOKEN_H_
#define RECTIFY_SERVER_PAGE_TOKEN_H_

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::server {

// The first 8 bytes of SHA-256 over `parts` (each length-prefixed, so that
// parts cannot run into one another).
uint64_t QueryFingerprint(std::initializer_list<absl::string_view> parts);

// The token for a page that resumes after `resume_key`.
std::string EncodePageToken(absl::string_view resume_key, uint64_t query_fingerprint);

// The resume key of `token`, "" for an empty token (the first page).
// INVALID_ARGUMENT naming page_token when it is malformed or was made for
// another query.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, uint64_t query_fingerprint);

// The page size a list RPC uses: `default_size` for 0, at most `max_size`;
// INVALID_ARGUMENT naming page_size (in Chinese too) when negative.
absl::StatusOr<int> PageSizeOf(int32_t asked, int default_size, int max_size);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PAGE_TOKEN_H_
