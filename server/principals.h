// Identity: bearer tokens mapped to principals (id, role, unit,
// jurisdiction) from the principals file (proto/rectify/v1/principals.proto,
// text format). The file holds only SHA-256 hashes of the tokens, so a copy
// of it lets nobody call the server.
//
//   ASSIGN_OR_RETURN(PrincipalRegistry registry, PrincipalRegistry::Parse(text));
//   ASSIGN_OR_RETURN(v1::Principal caller, registry.Authenticate(context));
#ifndef RECTIFY_SERVER_PRINCIPALS_H_
#define RECTIFY_SERVER_PRINCIPALS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "rectify/v1/common.pb.h"
#include "server/authenticator.h"

namespace rectify::server {

class PrincipalRegistry final : public Authenticator {
 public:
  // Parses the text-format principals file. INVALID_ARGUMENT (naming the
  // entry) for a syntax error, a missing id, role or jurisdiction, a token
  // hash that is not 64 hex digits, or a duplicate id or hash. The SYSTEM
  // role cannot be given to a caller.
  static absl::StatusOr<PrincipalRegistry> Parse(absl::string_view text);

  // The principal whose token is `token`; UNAUTHENTICATED when none is.
  absl::StatusOr<v1::Principal> FindByToken(absl::string_view token) const;

  // The caller of an RPC, from its `authorization: Bearer <token>` metadata.
  // UNAUTHENTICATED when the header is missing, malformed or unknown.
  absl::StatusOr<v1::Principal> Authenticate(
      const grpc::ServerContextBase& context) const override;

  // True when the file names a principal with this id.
  bool HasPrincipal(absl::string_view principal_id) const {
    return by_id_.contains(principal_id);
  }

  // The principal with `principal_id`, or nullopt when the file has none.
  std::optional<v1::Principal> FindPrincipal(absl::string_view principal_id) const override;

  size_t size() const { return by_token_hash_.size(); }

  // Every principal of the file, in principal id order.
  std::vector<v1::Principal> Principals() const;

 private:
  // Lowercase hex SHA-256 of the token -> principal.
  absl::flat_hash_map<std::string, v1::Principal> by_token_hash_;
  // Principal id -> principal.
  absl::flat_hash_map<std::string, v1::Principal> by_id_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PRINCIPALS_H_
