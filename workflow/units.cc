// The unit decider and its Evolve; see units.h.
#include "workflow/units.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

// INVALID_ARGUMENT naming `field`, with the sentence a bureau user reads.
absl::Status Invalid(absl::string_view field, absl::string_view why, absl::string_view chinese) {
  return WithUserMessage(absl::InvalidArgumentError(absl::StrCat(field, ": ", why)), chinese,
                         field);
}

bool IsSystem(const v1::Principal& principal) { return principal.role() == v1::ROLE_SYSTEM; }

// A SUPERVISOR or ADMIN acts on regions inside its jurisdiction; SYSTEM on
// any.
absl::Status CheckCovers(const v1::Principal& principal, absl::string_view region,
                         absl::string_view what) {
  if (IsSystem(principal)) return absl::OkStatus();
  if (principal.jurisdiction().empty() || !absl::StartsWith(region, principal.jurisdiction())) {
    return absl::PermissionDeniedError(absl::StrCat(
        what, " region ", region, " is outside your jurisdiction ", principal.jurisdiction()));
  }
  return absl::OkStatus();
}

absl::Status CheckPhone(absl::string_view field, absl::string_view phone) {
  if (phone.empty()) return absl::OkStatus();
  constexpr absl::string_view kPhoneZh = "联系电话须为3至32个字符，只含数字、空格及 + - ( )";
  if (phone.size() < 3 || phone.size() > 32) {
    return Invalid(field, "must be 3-32 characters", kPhoneZh);
  }
  bool digit = false;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return Invalid(field, "may hold only digits, spaces and + - ( ), e.g. \"0936-4421234\"",
                     kPhoneZh);
    }
  }
  if (!digit) return Invalid(field, "must hold digits", kPhoneZh);
  return absl::OkStatus();
}

absl::Status ValidateUnitCommand(const v1::Command& command) {
  RETURN_IF_ERROR(CheckId("command_id", command.command_id(), true));
  RETURN_IF_ERROR(CheckUnitId("unit_id", UnitIdOf(command)));
  switch (command.request_case()) {
    case v1::Command::kCreateUnit:
      return CheckUnitDetails("details", command.create_unit().details());
    case v1::Command::kUpdateUnit:
      return CheckUnitDetails("details", command.update_unit().details());
    case v1::Command::kRetireUnit:
      return CheckText("reason", command.retire_unit().reason(), 500, true);
    case v1::Command::kReactivateUnit:
      return CheckText("reason", command.reactivate_unit().reason(), 500, true);
    default:
      return absl::InvalidArgumentError("not a unit command");
  }
}

// The description as an event keeps it: the client's commitments and salts
// dropped (the store computes them when it seals the contact).
v1::UnitDetails Recorded(const v1::UnitDetails& details) {
  v1::UnitDetails recorded = details;
  recorded.clear_contact_commitment();
  recorded.clear_contact_salts();
  if (recorded.contact().name().empty() && recorded.contact().phone().empty()) {
    recorded.clear_contact();
  }
  return recorded;
}

// The description as the unit keeps it: the contact's values (when the
// event is open), never its commitment or salts, so that a unit folds alike
// from the decided events and from the stored ones opened.
v1::UnitDetails Folded(const v1::UnitDetails& details) {
  v1::UnitDetails folded = details;
  folded.clear_contact_commitment();
  folded.clear_contact_salts();
  return folded;
}

bool SameDetails(const v1::UnitDetails& a, const v1::UnitDetails& b) {
  return a.full_name() == b.full_name() && a.short_name() == b.short_name() &&
         a.kind() == b.kind() && a.region_code() == b.region_code() &&
         a.unified_social_credit_code() == b.unified_social_credit_code() &&
         a.contact().name() == b.contact().name() && a.contact().phone() == b.contact().phone();
}

}  // namespace

bool IsUnitCommand(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kCreateUnit:
    case v1::Command::kUpdateUnit:
    case v1::Command::kRetireUnit:
    case v1::Command::kReactivateUnit:
      return true;
    default:
      return false;
  }
}

const std::string& UnitIdOf(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kCreateUnit:
      return command.create_unit().unit_id();
    case v1::Command::kUpdateUnit:
      return command.update_unit().unit_id();
    case v1::Command::kRetireUnit:
      return command.retire_unit().unit_id();
    case v1::Command::kReactivateUnit:
      return command.reactivate_unit().unit_id();
    default:
      return command.stream_id();
  }
}

std::string UnitStreamId(absl::string_view unit_id) { return absl::StrCat("U-", unit_id); }

absl::Status CheckUnitId(absl::string_view field, absl::string_view unit_id) {
  constexpr absl::string_view kIdZh =
      "单位编号须为1至64个小写字母、数字及 . _ -，以字母或数字开头，如 minle-hongshui-town";
  if (unit_id.empty()) return Invalid(field, "is required", kIdZh);
  if (unit_id.size() > kMaxUnitIdBytes) {
    return Invalid(field, absl::StrCat("is longer than ", kMaxUnitIdBytes, " bytes"), kIdZh);
  }
  for (size_t i = 0; i < unit_id.size(); ++i) {
    const char c = unit_id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
      return Invalid(field,
                     "must be lowercase letters a-z, digits and . _ - , beginning "
                     "with a letter or a digit, e.g. \"minle-hongshui-town\"",
                     kIdZh);
    }
  }
  return absl::OkStatus();
}

absl::Status CheckUnitDetails(absl::string_view prefix, const v1::UnitDetails& details) {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  RETURN_IF_ERROR(CheckText(field("full_name"), details.full_name(), kMaxUnitFullNameChars, true));
  RETURN_IF_ERROR(
      CheckText(field("short_name"), details.short_name(), kMaxUnitShortNameChars, false));
  if (details.kind() == v1::UNIT_KIND_UNSPECIFIED || !v1::UnitKind_IsValid(details.kind())) {
    return Invalid(field("kind"), "must be TOWNSHIP, COUNTY_DEPARTMENT, ENTERPRISE or OTHER",
                   "请选择单位类型：乡镇、县直部门、企业或其他");
  }
  RETURN_IF_ERROR(CheckRegionCode(field("region_code"), details.region_code()));
  const std::string& uscc = details.unified_social_credit_code();
  if (uscc.empty() && details.kind() == v1::UNIT_KIND_ENTERPRISE) {
    return Invalid(field("unified_social_credit_code"), "is required for an enterprise",
                   "企业须填写统一社会信用代码");
  }
  if (!uscc.empty() && !IsValidUnifiedSocialCreditCode(uscc)) {
    return Invalid(field("unified_social_credit_code"),
                   "is not a valid unified social credit code (18 characters with a check "
                   "character, GB 32100-2015)",
                   "统一社会信用代码不正确（应为18位，末位为校验码）");
  }
  RETURN_IF_ERROR(CheckText(field("contact.name"), details.contact().name(), 64, false));
  RETURN_IF_ERROR(CheckPhone(field("contact.phone"), details.contact().phone()));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Event>> DecideUnit(const v1::Unit& unit, const v1::Command& command,
                                                  const v1::Principal& principal, absl::Time now) {
  if (!IsUnitCommand(command)) return absl::InvalidArgumentError("not a unit command");
  RETURN_IF_ERROR(ValidateUnitCommand(command));
  if (principal.role() != v1::ROLE_SUPERVISOR && principal.role() != v1::ROLE_ADMIN &&
      !IsSystem(principal)) {
    return WithUserMessage(
        absl::PermissionDeniedError("only a SUPERVISOR or an ADMIN manages the units directory"),
        "只有监管人员或管理员可以管理责任单位名录");
  }
  const std::string& id = UnitIdOf(command);
  const bool create = command.has_create_unit();
  if (create && unit.version() > 0) {
    return WithUserMessage(
        absl::AlreadyExistsError(absl::StrCat("unit_id: unit ", id, " already exists")),
        absl::StrCat("单位编号 ", id, " 已存在"), "unit_id");
  }
  if (!create && unit.version() == 0) {
    return WithUserMessage(
        absl::NotFoundError(absl::StrCat("unit_id: unit ", id, " does not exist")),
        absl::StrCat("单位 ", id, " 不存在"), "unit_id");
  }
  if (!create) {
    RETURN_IF_ERROR(
        CheckCovers(principal, unit.details().region_code(), absl::StrCat("unit ", id, "'s")));
  }
  std::vector<v1::Event> events;
  v1::Event envelope = CommandEnvelope(command, principal, now);
  envelope.set_stream_id(UnitStreamId(id));
  envelope.set_stream_kind(v1::STREAM_KIND_UNIT);
  envelope.set_version(unit.version() + 1);
  switch (command.request_case()) {
    case v1::Command::kCreateUnit: {
      const v1::UnitDetails& details = command.create_unit().details();
      RETURN_IF_ERROR(CheckCovers(principal, details.region_code(), "the new unit's"));
      envelope.set_region_code(details.region_code());
      *envelope.mutable_unit_created()->mutable_details() = Recorded(details);
      break;
    }
    case v1::Command::kUpdateUnit: {
      const v1::UnitDetails& details = command.update_unit().details();
      RETURN_IF_ERROR(CheckCovers(principal, details.region_code(), "the unit's new"));
      if (SameDetails(details, unit.details())) {
        return WithUserMessage(
            absl::FailedPreconditionError(absl::StrCat(
                "details: unit ", id, " already has this description; nothing to change")),
            "单位信息没有变化", "details");
      }
      envelope.set_region_code(details.region_code());
      *envelope.mutable_unit_updated()->mutable_details() = Recorded(details);
      break;
    }
    case v1::Command::kRetireUnit:
      if (unit.retired()) {
        return WithUserMessage(absl::FailedPreconditionError(
                                   absl::StrCat("unit_id: unit ", id, " is retired already")),
                               "该单位已撤销", "unit_id");
      }
      envelope.set_region_code(unit.details().region_code());
      envelope.mutable_unit_retired()->set_reason(command.retire_unit().reason());
      break;
    case v1::Command::kReactivateUnit:
      if (!unit.retired()) {
        return WithUserMessage(
            absl::FailedPreconditionError(absl::StrCat("unit_id: unit ", id, " is active")),
            "该单位在用，无需恢复", "unit_id");
      }
      envelope.set_region_code(unit.details().region_code());
      envelope.mutable_unit_reactivated()->set_reason(command.reactivate_unit().reason());
      break;
    default:
      return absl::InvalidArgumentError("not a unit command");
  }
  events.push_back(std::move(envelope));
  return events;
}

absl::Status EvolveUnit(v1::Unit& unit, const v1::Event& event) {
  const std::string where = absl::StrCat("event ", event.stream_id(), "#", event.version());
  if (event.stream_kind() != v1::STREAM_KIND_UNIT || !absl::StartsWith(event.stream_id(), "U-")) {
    return absl::InvalidArgumentError(absl::StrCat(where, " is not a unit's"));
  }
  if (event.version() != unit.version() + 1) {
    return absl::InvalidArgumentError(absl::StrCat(where, " follows version ", unit.version()));
  }
  if (unit.version() == 0 && event.payload_case() != v1::Event::kUnitCreated) {
    return absl::InvalidArgumentError(absl::StrCat(where, " comes before the unit's creation"));
  }
  switch (event.payload_case()) {
    case v1::Event::kUnitCreated:
      if (unit.version() != 0) {
        return absl::InvalidArgumentError(absl::StrCat(where, " creates a unit that exists"));
      }
      unit.set_unit_id(event.stream_id().substr(2));
      *unit.mutable_details() = Folded(event.unit_created().details());
      *unit.mutable_created_at() = event.recorded_at();
      unit.set_created_by(event.actor().principal_id());
      break;
    case v1::Event::kUnitUpdated:
      *unit.mutable_details() = Folded(event.unit_updated().details());
      break;
    case v1::Event::kUnitRetired:
      unit.set_retired(true);
      break;
    case v1::Event::kUnitReactivated:
      unit.set_retired(false);
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(where, " is not a unit event"));
  }
  unit.set_version(event.version());
  *unit.mutable_updated_at() = event.recorded_at();
  return absl::OkStatus();
}

absl::Status CheckAssignableUnit(absl::string_view field, absl::string_view unit_id,
                                 const v1::Unit& unit, bool county_has_directory) {
  if (unit.version() == 0) {
    if (!county_has_directory) return absl::OkStatus();
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            field, ": unit ", unit_id,
            " is not in the units directory; create it first (UnitService.CreateUnit)")),
        absl::StrCat("责任单位 ", unit_id, " 不在单位名录中，请先登记该单位"), field);
  }
  if (unit.retired()) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(field, ": unit ", unit_id, " (",
                                                   unit.details().full_name(),
                                                   ") is retired; choose an active unit")),
        absl::StrCat("责任单位“", unit.details().full_name(), "”已撤销，请选择在用的单位"), field);
  }
  return absl::OkStatus();
}

std::string UnitDisplayName(const v1::Unit& unit, absl::string_view unit_id) {
  if (!unit.details().full_name().empty()) return unit.details().full_name();
  return std::string(unit_id);
}

}  // namespace rectify::workflow
