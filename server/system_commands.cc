// The server's own principal and command ids; see system_commands.h.
#include "server/system_commands.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "workflow/validation.h"

namespace rectify::server {

v1::Principal SystemPrincipal(absl::string_view principal_id, absl::string_view display_name) {
  v1::Principal principal;
  principal.set_principal_id(std::string(principal_id));
  principal.set_display_name(std::string(display_name));
  principal.set_role(v1::ROLE_SYSTEM);
  return principal;
}

std::string FitCommandId(absl::string_view prefix, std::string id) {
  if (id.size() <= static_cast<size_t>(workflow::kMaxIdBytes)) return id;
  return absl::StrCat(prefix, HexEncode(Sha256(id)));
}

}  // namespace rectify::server
