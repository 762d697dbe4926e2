// Bearer tokens to principals; see principals.h.
#include "server/principals.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "rectify/v1/principals.pb.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

// Collects the text-format parser's errors with their line numbers.
class ErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first_error_.empty()) {
      first_error_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
    }
  }
  const std::string& first_error() const { return first_error_; }

 private:
  std::string first_error_;
};

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<PrincipalRegistry> PrincipalRegistry::Parse(absl::string_view text) {
  v1::PrincipalsFile file;
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &file)) {
    return absl::InvalidArgumentError(absl::StrCat("principals file: ", errors.first_error()));
  }
  PrincipalRegistry registry;
  absl::flat_hash_set<std::string> ids;
  for (int i = 0; i < file.principals_size(); ++i) {
    const v1::PrincipalEntry& entry = file.principals(i);
    const v1::Principal& principal = entry.principal();
    const std::string where = absl::StrCat("principals file: principals[", i, "] (",
                                           principal.principal_id(), ")");
    if (principal.principal_id().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": principal.principal_id is required"));
    }
    if (principal.role() == v1::ROLE_UNSPECIFIED || principal.role() == v1::ROLE_SYSTEM) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": principal.role must be a caller's role, not ",
                       v1::Role_Name(principal.role())));
    }
    if (principal.jurisdiction().empty() ||
        !std::all_of(principal.jurisdiction().begin(), principal.jurisdiction().end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": principal.jurisdiction must be a region code prefix of digits"));
    }
    // It must name a region (base/regions.h).
    if (absl::Status named = workflow::CheckRegionPrefixCode(
            absl::StrCat(where, ": principal.jurisdiction"), principal.jurisdiction());
        !named.ok()) {
      return named;
    }
    if (entry.token_sha256().size() != 64 || !IsLowerHex(entry.token_sha256())) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": token_sha256 must be 64 lowercase hex digits"));
    }
    if (!ids.insert(principal.principal_id()).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate principal_id"));
    }
    if (!registry.by_token_hash_.emplace(entry.token_sha256(), principal).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate token_sha256"));
    }
    registry.by_id_.emplace(principal.principal_id(), principal);
  }
  return registry;
}

std::optional<v1::Principal> PrincipalRegistry::FindPrincipal(
    absl::string_view principal_id) const {
  auto found = by_id_.find(principal_id);
  if (found == by_id_.end()) return std::nullopt;
  return found->second;
}

absl::StatusOr<v1::Principal> PrincipalRegistry::FindByToken(absl::string_view token) const {
  auto found = by_token_hash_.find(HexEncode(Sha256(token)));
  if (token.empty() || found == by_token_hash_.end()) {
    return absl::UnauthenticatedError("the bearer token is not known to this server");
  }
  return found->second;
}

absl::StatusOr<v1::Principal> PrincipalRegistry::Authenticate(
    const grpc::ServerContextBase& context) const {
  absl::StatusOr<absl::string_view> token = BearerToken(context);
  if (!token.ok()) return token.status();
  return FindByToken(*token);
}

std::vector<v1::Principal> PrincipalRegistry::Principals() const {
  std::vector<v1::Principal> all;
  all.reserve(by_id_.size());
  for (const auto& [id, principal] : by_id_) all.push_back(principal);
  std::sort(all.begin(), all.end(), [](const v1::Principal& a, const v1::Principal& b) {
    return a.principal_id() < b.principal_id();
  });
  return all;
}

}  // namespace rectify::server
