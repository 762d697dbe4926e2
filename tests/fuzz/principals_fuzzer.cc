// Fuzzes the principals file parser (server/principals.h) and token lookup.
// Input: the file's text, then (after the separator) a bearer token.
//
// Properties: parsing never crashes; a file that parses has exactly one
// principal per entry, each with an id, a caller's role (never SYSTEM) and a
// jurisdiction of digits; a token is known exactly when the SHA-256 of it is
// one of the file's token_sha256 values (checked against protobuf's own
// parse of the file), and then it gives that entry's principal; the empty
// token is never known.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "base/sha256.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "rectify/v1/principals.pb.h"
#include "server/principals.h"
#include "tests/fuzz/fuzz_check.h"

using rectify::server::PrincipalRegistry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rectify::fuzz::Parts parts(data, size);
  const absl::string_view text = parts.Next();
  const absl::string_view token = parts.Next();

  const absl::StatusOr<PrincipalRegistry> registry = PrincipalRegistry::Parse(text);
  if (!registry.ok()) {
    FUZZ_CHECK(registry.status().code() == absl::StatusCode::kInvalidArgument,
               "a bad principals file is INVALID_ARGUMENT");
    FUZZ_CHECK(registry.status().message().find("principals file") != absl::string_view::npos,
               "the refusal says it is about the principals file");
    return 0;
  }

  // The same text as protobuf itself reads it, silently.
  rectify::v1::PrincipalsFile file;
  google::protobuf::TextFormat::Parser parser;
  parser.AllowPartialMessage(true);
  FUZZ_CHECK(parser.ParseFromString(std::string(text), &file),
             "a file the registry accepts is valid text format");
  FUZZ_CHECK(registry->size() == static_cast<size_t>(file.principals_size()),
             "one principal per entry");

  const std::string hash = rectify::HexEncode(rectify::Sha256(token));
  const rectify::v1::PrincipalEntry* expected = nullptr;
  for (const rectify::v1::PrincipalEntry& entry : file.principals()) {
    const rectify::v1::Principal& principal = entry.principal();
    FUZZ_CHECK(!principal.principal_id().empty(), "every principal has an id");
    FUZZ_CHECK(principal.role() != rectify::v1::ROLE_UNSPECIFIED &&
                   principal.role() != rectify::v1::ROLE_SYSTEM,
               "every principal has a caller's role");
    FUZZ_CHECK(!principal.jurisdiction().empty() &&
                   principal.jurisdiction().find_first_not_of("0123456789") == std::string::npos,
               "every jurisdiction is a prefix of digits");
    if (entry.token_sha256() == hash) expected = &entry;
  }

  const absl::StatusOr<rectify::v1::Principal> found = registry->FindByToken(token);
  if (token.empty() || expected == nullptr) {
    FUZZ_CHECK(!found.ok() && found.status().code() == absl::StatusCode::kUnauthenticated,
               "an unknown token is UNAUTHENTICATED");
  } else {
    FUZZ_CHECK(found.ok() && google::protobuf::util::MessageDifferencer::Equals(
                                 *found, expected->principal()),
               "a known token gives its entry's principal");
  }
  FUZZ_CHECK(!registry->FindByToken("").ok(), "the empty token is never known");
  return 0;
}
