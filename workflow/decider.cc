// The case workflow's Decide and Evolve; see decider.h.
#include "workflow/decider.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t micros = absl::ToUnixMicros(time);
  timestamp.set_seconds(micros / 1000000 - (micros % 1000000 < 0 ? 1 : 0));
  timestamp.set_nanos(static_cast<int32_t>(((micros % 1000000) + 1000000) % 1000000) * 1000);
  return timestamp;
}

v1::Actor ActorOf(const v1::Principal& principal) {
  v1::Actor actor;
  actor.set_principal_id(principal.principal_id());
  actor.set_role(principal.role());
  actor.set_unit_id(principal.unit_id());
  actor.set_display_name(principal.display_name());
  return actor;
}

// The envelope every event of `command` shares.
v1::Event Envelope(const v1::Case& state, const v1::Command& command,
                   const v1::Principal& principal, absl::Time now, const std::string& region) {
  v1::Event event;
  event.set_stream_id(command.stream_id());
  event.set_stream_kind(v1::STREAM_KIND_CASE);
  event.set_version(state.version() + 1);
  event.set_region_code(region);
  *event.mutable_recorded_at() = ToProto(now);
  *event.mutable_occurred_at() =
      command.has_occurred_at() ? command.occurred_at() : event.recorded_at();
  *event.mutable_actor() = ActorOf(principal);
  event.set_command_id(command.command_id());
  return event;
}

absl::StatusOr<std::vector<v1::Event>> DecideReport(const v1::Case& state,
                                                    const v1::Command& command,
                                                    const v1::Principal& principal,
                                                    absl::Time now, const Policy& policy) {
  const v1::ReportCaseRequest& request = command.report_case();
  RETURN_IF_ERROR(ValidateReportCase(request, now, policy));
  if (principal.role() != v1::ROLE_INSPECTOR && principal.role() != v1::ROLE_SUPERVISOR) {
    return absl::PermissionDeniedError(
        absl::StrCat("only an inspector or a supervisor may report a case; ",
                     principal.principal_id(), " is ", v1::Role_Name(principal.role())));
  }
  if (!InJurisdiction(request.location().region_code(), principal.jurisdiction())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "region ", request.location().region_code(), " is outside the jurisdiction ",
        principal.jurisdiction(), " of ", principal.principal_id()));
  }
  if (state.version() != 0) {
    return absl::AlreadyExistsError(absl::StrCat("case ", state.case_id(), " already exists"));
  }
  v1::Event event = Envelope(state, command, principal, now, request.location().region_code());
  v1::CaseReported& reported = *event.mutable_case_reported();
  reported.set_case_id(command.stream_id());
  reported.set_title(request.title());
  reported.set_description(request.description());
  reported.set_category(request.category());
  reported.set_severity(request.severity());
  reported.set_source(request.source());
  reported.set_source_reference(request.source_reference());
  *reported.mutable_location() = request.location();
  *reported.mutable_subject() = request.subject();
  *reported.mutable_complainant() = request.complainant();
  *reported.mutable_found_at() = request.found_at();
  *reported.mutable_tags() = request.tags();
  return std::vector<v1::Event>{std::move(event)};
}

void EvolveReported(v1::Case& state, const v1::Event& event) {
  const v1::CaseReported& reported = event.case_reported();
  state.set_case_id(reported.case_id());
  state.set_status(v1::CASE_STATUS_FOUND);
  state.set_title(reported.title());
  state.set_description(reported.description());
  state.set_category(reported.category());
  state.set_severity(reported.severity());
  state.set_source(reported.source());
  state.set_source_reference(reported.source_reference());
  *state.mutable_location() = reported.location();
  *state.mutable_subject() = reported.subject();
  *state.mutable_complainant() = reported.complainant();
  *state.mutable_found_at() = reported.found_at();
  *state.mutable_tags() = reported.tags();
  *state.mutable_reported_by() = event.actor();
  *state.mutable_reported_at() = event.recorded_at();
}

}  // namespace

bool InJurisdiction(const std::string& region_code, const std::string& jurisdiction) {
  return !jurisdiction.empty() && absl::StartsWith(region_code, jurisdiction);
}

absl::StatusOr<std::vector<v1::Event>> Decide(const v1::Case& state, const v1::Command& command,
                                             const v1::Principal& principal, absl::Time now,
                                             const Policy& policy) {
  switch (command.request_case()) {
    case v1::Command::kReportCase:
      return DecideReport(state, command, principal, now, policy);
    case v1::Command::REQUEST_NOT_SET:
      return absl::InvalidArgumentError("request: is required");
    default:
      return absl::UnimplementedError(
          absl::StrCat("this server does not handle ",
                       v1::Command::descriptor()
                           ->FindFieldByNumber(command.request_case())
                           ->name(),
                       " yet"));
  }
}

absl::Status Evolve(v1::Case& state, const v1::Event& event) {
  if (event.version() != state.version() + 1) {
    return absl::InvalidArgumentError(absl::StrCat("event version ", event.version(),
                                                   " does not follow case version ",
                                                   state.version()));
  }
  if (state.version() > 0 && event.stream_id() != state.case_id()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event of stream ", event.stream_id(), " folded into case ", state.case_id()));
  }
  switch (event.payload_case()) {
    case v1::Event::kCaseReported:
      EvolveReported(state, event);
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "event ", event.stream_id(), "#", event.version(), " has a payload this build cannot fold"));
  }
  state.set_version(event.version());
  *state.mutable_updated_at() = event.recorded_at();
  return absl::OkStatus();
}

}  // namespace rectify::workflow
