// The account decider and its Evolve; see accounts.h.
#include "workflow/accounts.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why, absl::string_view why_zh) {
  return InvalidField(field, why, why_zh);
}

// A jurisdiction is a region: 2 (province), 4, 6, 9 or 12 (village) digits
// that name a region.
absl::Status CheckJurisdiction(absl::string_view field, absl::string_view jurisdiction) {
  if (jurisdiction.size() < 2 || jurisdiction.size() > 12) {
    return Invalid(field, "must be a region code prefix of 2 to 12 digits, e.g. \"620722\"",
                   "须为 2 至 12 位的行政区划代码，如“620722”");
  }
  for (char c : jurisdiction) {
    if (c < '0' || c > '9') {
      return Invalid(field, "must hold digits only, e.g. \"620722\"", "只能是数字，如“620722”");
    }
  }
  // And it must name a region (2, 4, 6, 9 or 12 digits, base/regions.h).
  return CheckRegionPrefixCode(field, jurisdiction);
}

absl::Status CheckRole(absl::string_view field, v1::Role role) {
  if (role == v1::ROLE_UNSPECIFIED || role == v1::ROLE_SYSTEM || !v1::Role_IsValid(role)) {
    return Invalid(field, "must be a caller's role (INSPECTOR, SUPERVISOR, RECTIFIER, "
                          "BUREAU_HEAD, POLICE, PROCURATOR, AUDITOR or ADMIN)",
                   "请从列表中选择");
  }
  return absl::OkStatus();
}

// A RECTIFIER and the POLICE act for a unit: they need one.
absl::Status CheckUnitForRole(absl::string_view field, v1::Role role, absl::string_view unit) {
  if (unit.empty() && (role == v1::ROLE_RECTIFIER || role == v1::ROLE_POLICE)) {
    return Invalid(field, absl::StrCat("is required for the role ", v1::Role_Name(role)),
                   absl::StrCat("角色为", RoleWords(role), "时必填"));
  }
  return absl::OkStatus();
}

bool IsSystem(const v1::Principal& principal) { return principal.role() == v1::ROLE_SYSTEM; }

// An ADMIN acts on jurisdictions inside its own; SYSTEM on any.
absl::Status CheckCovers(const v1::Principal& principal, absl::string_view jurisdiction,
                         absl::string_view what) {
  if (IsSystem(principal)) return absl::OkStatus();
  if (principal.jurisdiction().empty() ||
      !absl::StartsWith(jurisdiction, principal.jurisdiction())) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(what, " jurisdiction ", jurisdiction,
                                                 " is outside your jurisdiction ",
                                                 principal.jurisdiction())),
        absl::StrCat("辖区 ", jurisdiction, " 不在您的辖区（", principal.jurisdiction(), "）内"));
  }
  return absl::OkStatus();
}

absl::Status ValidateAccountCommand(const v1::Command& command) {
  RETURN_IF_ERROR(CheckId("command_id", command.command_id(), true));
  RETURN_IF_ERROR(CheckAccountName("account_name", AccountNameOf(command)));
  switch (command.request_case()) {
    case v1::Command::kCreateAccount: {
      const v1::CreateAccountRequest& r = command.create_account();
      RETURN_IF_ERROR(CheckText("display_name", r.display_name(), 64, true));
      RETURN_IF_ERROR(CheckRole("role", r.role()));
      RETURN_IF_ERROR(CheckId("unit_id", r.unit_id(), false));
      RETURN_IF_ERROR(CheckUnitForRole("unit_id", r.role(), r.unit_id()));
      RETURN_IF_ERROR(CheckJurisdiction("jurisdiction", r.jurisdiction()));
      break;
    }
    case v1::Command::kUpdateAccount: {
      const v1::UpdateAccountRequest& r = command.update_account();
      if (!r.has_display_name() && !r.has_role() && !r.has_unit_id() && !r.has_jurisdiction()) {
        return Invalid("display_name", "set at least one of display_name, role, unit_id, "
                                       "jurisdiction",
                       "姓名、角色、所属单位、辖区至少修改一项");
      }
      if (r.has_display_name()) {
        RETURN_IF_ERROR(CheckText("display_name", r.display_name(), 64, true));
      }
      if (r.has_role()) RETURN_IF_ERROR(CheckRole("role", r.role()));
      if (r.has_unit_id()) RETURN_IF_ERROR(CheckId("unit_id", r.unit_id(), false));
      if (r.has_jurisdiction()) {
        RETURN_IF_ERROR(CheckJurisdiction("jurisdiction", r.jurisdiction()));
      }
      break;
    }
    case v1::Command::kDisableAccount:
      RETURN_IF_ERROR(CheckText("reason", command.disable_account().reason(), 500, false));
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

// The last enabled ADMIN account must stay one, so that accounts can still
// be managed through AdminService.
absl::Status CheckNotLastAdmin(const v1::Account& account, const AccountFacts& facts,
                               absl::string_view action) {
  if (IsEnabledAdmin(account) && facts.other_enabled_admins == 0) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "account ", account.account_name(), " is the last enabled ADMIN account; ", action,
            " would leave no one to manage accounts. Make another ADMIN first")),
        absl::StrCat("账号 ", account.account_name(),
                     " 是最后一个启用的系统管理员账号，此操作会使无人能管理账号；请先设立另一个系统管理员"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsAccountCommand(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kCreateAccount:
    case v1::Command::kUpdateAccount:
    case v1::Command::kResetPassword:
    case v1::Command::kDisableAccount:
    case v1::Command::kEnableAccount:
      return true;
    default:
      return false;
  }
}

const std::string& AccountNameOf(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kCreateAccount:
      return command.create_account().account_name();
    case v1::Command::kUpdateAccount:
      return command.update_account().account_name();
    case v1::Command::kResetPassword:
      return command.reset_password().account_name();
    case v1::Command::kDisableAccount:
      return command.disable_account().account_name();
    case v1::Command::kEnableAccount:
      return command.enable_account().account_name();
    default:
      return command.stream_id();
  }
}

std::string AccountStreamId(absl::string_view account_name) {
  return absl::StrCat("A-", account_name);
}

absl::Status CheckAccountName(absl::string_view field, absl::string_view name) {
  if (name.empty()) return Invalid(field, "is required", "必填");
  if (name.size() > kMaxAccountNameBytes) {
    return Invalid(field, absl::StrCat("is longer than ", kMaxAccountNameBytes, " bytes"),
                   absl::StrCat("过长（最多 ", kMaxAccountNameBytes, " 字节）"));
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
      return Invalid(field, "must be lowercase letters a-z, digits and . _ - , beginning "
                            "with a letter or a digit, e.g. \"zhangwei\"",
                     "只能由小写字母、数字和 . _ - 组成，以字母或数字开头，如“zhangwei”");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPassword(absl::string_view field, absl::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Invalid(field, absl::StrCat("is longer than ", kMaxPasswordBytes, " bytes"),
                   absl::StrCat("过长（最多 ", kMaxPasswordBytes, " 字节）"));
  }
  // CheckText checks the UTF-8 (its message never quotes the text).
  RETURN_IF_ERROR(CheckText(field, password, kMaxPasswordBytes, false));
  int chars = 0;
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  if (chars < kMinPasswordChars) {
    return Invalid(field, absl::StrCat("must be at least ", kMinPasswordChars, " characters"),
                   absl::StrCat("至少 ", kMinPasswordChars, " 个字符"));
  }
  return absl::OkStatus();
}

bool IsEnabledAdmin(const v1::Account& account) {
  return account.version() > 0 && !account.disabled() &&
         account.principal().role() == v1::ROLE_ADMIN;
}

absl::StatusOr<std::vector<v1::Event>> DecideAccount(const v1::Account& account,
                                                     const v1::Command& command,
                                                     const v1::Principal& principal,
                                                     absl::Time now, const AccountFacts& facts) {
  if (!IsAccountCommand(command)) {
    return absl::InvalidArgumentError("not an account command");
  }
  RETURN_IF_ERROR(ValidateAccountCommand(command));
  if (principal.role() != v1::ROLE_ADMIN && !IsSystem(principal)) {
    return Refuse(absl::StatusCode::kPermissionDenied, "only an ADMIN manages accounts",
                  "只有系统管理员才能管理账号");
  }
  const std::string& name = AccountNameOf(command);
  const bool create = command.has_create_account();
  if (create && account.version() > 0) {
    return Refuse(absl::StatusCode::kAlreadyExists, absl::StrCat("account ", name, " already exists"),
                  absl::StrCat("账号 ", name, " 已存在"));
  }
  if (!create && account.version() == 0) {
    return Refuse(absl::StatusCode::kNotFound, absl::StrCat("account ", name, " does not exist"),
                  absl::StrCat("账号 ", name, " 不存在"));
  }
  if (!create) {
    RETURN_IF_ERROR(CheckCovers(principal, account.principal().jurisdiction(),
                                absl::StrCat("account ", name, "'s")));
  }

  std::vector<v1::Event> events;
  v1::Event envelope = CommandEnvelope(command, principal, now);
  envelope.set_stream_id(AccountStreamId(name));
  envelope.set_stream_kind(v1::STREAM_KIND_ACCOUNT);
  auto add = [&](const std::string& region) -> v1::Event& {
    v1::Event& event = events.emplace_back(envelope);
    event.set_region_code(region);
    event.set_version(account.version() + static_cast<int64_t>(events.size()));
    return event;
  };
  auto need_password = [&]() -> absl::Status {
    if (facts.password_hash_sha256.size() != 32) {
      return absl::InternalError("the password hash was not computed before the decision");
    }
    return absl::OkStatus();
  };

  switch (command.request_case()) {
    case v1::Command::kCreateAccount: {
      const v1::CreateAccountRequest& r = command.create_account();
      RETURN_IF_ERROR(CheckCovers(principal, r.jurisdiction(), "the new account's"));
      RETURN_IF_ERROR(need_password());
      v1::Principal& created = *add(r.jurisdiction()).mutable_account_created()->mutable_principal();
      created.set_principal_id(name);
      created.set_display_name(r.display_name());
      created.set_role(r.role());
      created.set_unit_id(r.unit_id());
      created.set_jurisdiction(r.jurisdiction());
      add(r.jurisdiction()).mutable_account_password_set()->set_password_hash_sha256(
          facts.password_hash_sha256);
      break;
    }
    case v1::Command::kUpdateAccount: {
      const v1::UpdateAccountRequest& r = command.update_account();
      v1::Principal next = account.principal();
      std::vector<std::string> changed;
      if (r.has_display_name() && r.display_name() != next.display_name()) {
        next.set_display_name(r.display_name());
        changed.push_back("display_name");
      }
      if (r.has_role() && r.role() != next.role()) {
        next.set_role(r.role());
        changed.push_back("role");
      }
      if (r.has_unit_id() && r.unit_id() != next.unit_id()) {
        next.set_unit_id(r.unit_id());
        changed.push_back("unit_id");
      }
      if (r.has_jurisdiction() && r.jurisdiction() != next.jurisdiction()) {
        RETURN_IF_ERROR(CheckCovers(principal, r.jurisdiction(), "the new"));
        next.set_jurisdiction(r.jurisdiction());
        changed.push_back("jurisdiction");
      }
      if (changed.empty()) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("account ", name, " already has these values; nothing to change"),
                      absl::StrCat("账号 ", name, " 的信息与所填相同，无需修改"));
      }
      RETURN_IF_ERROR(CheckUnitForRole("unit_id", next.role(), next.unit_id()));
      if (next.role() != v1::ROLE_ADMIN) {
        RETURN_IF_ERROR(CheckNotLastAdmin(account, facts, "another role"));
      }
      v1::AccountUpdated& updated = *add(next.jurisdiction()).mutable_account_updated();
      *updated.mutable_principal() = std::move(next);
      for (std::string& field : changed) updated.add_changed_fields(std::move(field));
      break;
    }
    case v1::Command::kResetPassword:
      RETURN_IF_ERROR(need_password());
      {
        v1::AccountPasswordSet& set =
            *add(account.principal().jurisdiction()).mutable_account_password_set();
        set.set_password_hash_sha256(facts.password_hash_sha256);
        set.set_reset(true);
      }
      break;
    case v1::Command::kDisableAccount:
      if (account.disabled()) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("account ", name, " is disabled already"),
                      absl::StrCat("账号 ", name, " 已停用"));
      }
      RETURN_IF_ERROR(CheckNotLastAdmin(account, facts, "disabling it"));
      add(account.principal().jurisdiction())
          .mutable_account_disabled()
          ->set_reason(command.disable_account().reason());
      break;
    case v1::Command::kEnableAccount:
      if (!account.disabled()) {
        return Refuse(absl::StatusCode::kFailedPrecondition, absl::StrCat("account ", name, " is enabled"),
                      absl::StrCat("账号 ", name, " 已是启用状态"));
      }
      add(account.principal().jurisdiction()).mutable_account_enabled();
      break;
    default:
      return absl::InvalidArgumentError("not an account command");
  }
  return events;
}

absl::Status EvolveAccount(v1::Account& account, const v1::Event& event) {
  if (event.stream_kind() != v1::STREAM_KIND_ACCOUNT) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.stream_id(), "#", event.version(), " is not an account's"));
  }
  if (event.version() != account.version() + 1) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.stream_id(), "#",
                                                   event.version(), " follows version ",
                                                   account.version()));
  }
  switch (event.payload_case()) {
    case v1::Event::kAccountCreated:
      if (account.version() != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("event ", event.stream_id(), "#", event.version(),
                         " creates an account that exists"));
      }
      account.set_account_name(event.account_created().principal().principal_id());
      *account.mutable_principal() = event.account_created().principal();
      *account.mutable_created_at() = event.recorded_at();
      account.set_created_by(event.actor().principal_id());
      break;
    case v1::Event::kAccountUpdated: {
      const v1::Principal& next = event.account_updated().principal();
      const v1::Principal& before = account.principal();
      if (next.role() != before.role() || next.unit_id() != before.unit_id() ||
          next.jurisdiction() != before.jurisdiction()) {
        account.set_credentials_epoch(account.credentials_epoch() + 1);
      }
      *account.mutable_principal() = next;
      break;
    }
    case v1::Event::kAccountPasswordSet:
      *account.mutable_password_set_at() = event.recorded_at();
      if (event.account_password_set().reset()) {
        account.set_credentials_epoch(account.credentials_epoch() + 1);
      }
      break;
    case v1::Event::kAccountDisabled:
      account.set_disabled(true);
      account.set_credentials_epoch(account.credentials_epoch() + 1);
      break;
    case v1::Event::kAccountEnabled:
      account.set_disabled(false);
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "event ", event.stream_id(), "#", event.version(), " is not an account event"));
  }
  if (account.version() == 0 && event.payload_case() != v1::Event::kAccountCreated) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event ", event.stream_id(), "#", event.version(), " comes before the account's creation"));
  }
  account.set_version(event.version());
  *account.mutable_updated_at() = event.recorded_at();
  return absl::OkStatus();
}

}  // namespace rectify::workflow
