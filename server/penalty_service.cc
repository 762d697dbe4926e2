// PenaltyService handlers; see penalty_service.h.
#include "server/penalty_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/projector.h"
#include "server/countdowns.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/page_token.h"
#include "server/paged_scan.h"
#include "server/rpc_interceptor.h"
#include "workflow/decider.h"
#include "workflow/penalties.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 500;
constexpr int kDefaultHistoryPage = 100;
constexpr int kMaxHistoryPage = 1000;
// Index keys one list or export call examines at most.
constexpr int kMaxExamined = 5000;

absl::Status NotVisible(absl::string_view id) {
  return Refuse(absl::StatusCode::kNotFound,
                absl::StrCat("penalty_case_id: penalty case ", id, " does not exist or is not "
                             "visible to the caller"),
                absl::StrCat("处罚案件 ", id, " 不存在或您无权查看"));
}

// The region the caller lists in: the request's prefix inside its
// jurisdiction, else the jurisdiction.
absl::StatusOr<std::string> ListRegion(const v1::Principal& caller, const std::string& asked) {
  std::string region = asked.empty() ? caller.jurisdiction() : asked;
  if (region.empty()) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(caller.principal_id(), " has no jurisdiction"), "您没有辖区，不能查看");
  }
  RETURN_IF_ERROR(workflow::CheckRegionPrefixCode("region_prefix", region));
  if (caller.role() != v1::ROLE_SYSTEM && !absl::StartsWith(region, caller.jurisdiction())) {
    return workflow::InvalidField("region_prefix",
                                  absl::StrCat(region, " is outside your jurisdiction ",
                                               caller.jurisdiction()),
                                  "所选区域超出您的辖区");
  }
  return region;
}

std::vector<v1::DeadlineCountdown> PenaltyCountdowns(const workflow::Calendar& calendar,
                                                     absl::Time now,
                                                     const v1::PenaltyCase& penalty) {
  std::vector<v1::DeadlineCountdown> countdowns;
  for (const v1::Deadline& deadline : penalty.deadlines()) {
    if (!IsRunning(deadline)) continue;
    absl::StatusOr<v1::DeadlineCountdown> countdown =
        CountDown(calendar, now, ToTime(deadline.due_at()), deadline.kind());
    if (!countdown.ok()) continue;
    countdown->set_case_id(penalty.penalty_case_id());
    countdown->set_deadline_id(deadline.deadline_id());
    countdowns.push_back(*std::move(countdown));
  }
  return countdowns;
}

}  // namespace

absl::StatusOr<v1::PenaltyCase> PenaltyServiceImpl::VisiblePenalty(const v1::Principal& caller,
                                                                   absl::string_view id) {
  RETURN_IF_ERROR(workflow::CheckPenaltyCaseId("penalty_case_id", id));
  absl::StatusOr<std::string> bytes = store_.GetProjection(v1::STREAM_KIND_PENALTY, id);
  if (absl::IsNotFound(bytes.status())) return NotVisible(id);
  RETURN_IF_ERROR(bytes.status());
  v1::PenaltyCase penalty;
  if (!penalty.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("penalty case ", id, ": the projection is corrupt"));
  }
  if (!workflow::CheckCanReadPenalty(caller, penalty).ok()) return NotVisible(id);
  return penalty;
}

template <typename Response>
grpc::ServerUnaryReactor* PenaltyServiceImpl::Submit(grpc::CallbackServerContext* context,
                                                     absl::string_view method, v1::Command command,
                                                     Response* response) {
  const CallStart started = StartCall(*context);
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  absl::Status shape = principal.status();
  if (shape.ok()) shape = workflow::CheckId("command_id", command.command_id(), true);
  if (shape.ok() && !command.has_open_penalty_case()) {
    shape = workflow::CheckPenaltyCaseId("penalty_case_id", workflow::PenaltyCaseIdOf(command));
  }
  const std::string id = command.has_open_penalty_case()
                             ? command.open_penalty_case().source_case_id()
                             : workflow::PenaltyCaseIdOf(command);
  if (!shape.ok()) {
    if (principal.ok()) LogCommand(method, principal->principal_id(), "penalty", id, shape, started);
    return FinishUnary(context, shape);
  }
  // Decide is pure: the officers' roles and jurisdictions come from the
  // registry, resolved here.
  const google::protobuf::RepeatedPtrField<std::string>* officers =
      command.has_record_penalty_investigation() ? &command.record_penalty_investigation().officers()
      : command.has_record_correction_recheck()  ? &command.record_correction_recheck().officers()
                                                 : nullptr;
  if (officers != nullptr) {
    std::vector<std::string> names(officers->begin(), officers->end());
    for (const std::string& officer : names) {
      if (std::optional<v1::Principal> found = principals_.FindPrincipal(officer)) {
        *command.add_named_principals() = *std::move(found);
      }
    }
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pipeline_.Submit(std::move(command), *principal,
                   [reactor, response, caller = *principal, started, method = std::string(method),
                    id](absl::StatusOr<CommandOutcome> outcome) {
                     if (outcome.ok()) *response->mutable_penalty_case() = outcome->penalty;
                     LogCommand(method, caller.principal_id(), "penalty", id, outcome.status(),
                                started);
                     reactor->Finish(ToGrpcStatus(outcome.status()));
                   });
  return reactor;
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::OpenPenaltyCase(grpc::CallbackServerContext* context,
                                                    const v1::OpenPenaltyCaseRequest* request,
                                                    v1::OpenPenaltyCaseResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  *command.mutable_open_penalty_case() = *request;
  return Submit(context, "OpenPenaltyCase", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::DecidePenaltyFiling(grpc::CallbackServerContext* context,
                                                    const v1::DecidePenaltyFilingRequest* request,
                                                    v1::DecidePenaltyFilingResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_decide_penalty_filing() = *request;
  return Submit(context, "DecidePenaltyFiling", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ExtendPenaltyFiling(grpc::CallbackServerContext* context,
                                                    const v1::ExtendPenaltyFilingRequest* request,
                                                    v1::ExtendPenaltyFilingResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_extend_penalty_filing() = *request;
  return Submit(context, "ExtendPenaltyFiling", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::RecordPenaltyInvestigation(grpc::CallbackServerContext* context,
                                                    const v1::RecordPenaltyInvestigationRequest* request,
                                                    v1::RecordPenaltyInvestigationResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_record_penalty_investigation() = *request;
  return Submit(context, "RecordPenaltyInvestigation", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ServePenaltyPriorNotice(grpc::CallbackServerContext* context,
                                                    const v1::ServePenaltyPriorNoticeRequest* request,
                                                    v1::ServePenaltyPriorNoticeResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_serve_penalty_prior_notice() = *request;
  return Submit(context, "ServePenaltyPriorNotice", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::RequestPenaltyHearing(grpc::CallbackServerContext* context,
                                                    const v1::RequestPenaltyHearingRequest* request,
                                                    v1::RequestPenaltyHearingResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_request_penalty_hearing() = *request;
  return Submit(context, "RequestPenaltyHearing", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::SchedulePenaltyHearing(grpc::CallbackServerContext* context,
                                                    const v1::SchedulePenaltyHearingRequest* request,
                                                    v1::SchedulePenaltyHearingResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_schedule_penalty_hearing() = *request;
  return Submit(context, "SchedulePenaltyHearing", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::RecordPenaltyHearing(grpc::CallbackServerContext* context,
                                                    const v1::RecordPenaltyHearingRequest* request,
                                                    v1::RecordPenaltyHearingResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_record_penalty_hearing() = *request;
  return Submit(context, "RecordPenaltyHearing", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ExtendPenaltyDecisionPeriod(grpc::CallbackServerContext* context,
                                                    const v1::ExtendPenaltyDecisionPeriodRequest* request,
                                                    v1::ExtendPenaltyDecisionPeriodResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_extend_penalty_decision_period() = *request;
  return Submit(context, "ExtendPenaltyDecisionPeriod", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::DecidePenalty(grpc::CallbackServerContext* context,
                                                    const v1::DecidePenaltyRequest* request,
                                                    v1::DecidePenaltyResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_decide_penalty() = *request;
  return Submit(context, "DecidePenalty", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ServePenaltyDecision(grpc::CallbackServerContext* context,
                                                    const v1::ServePenaltyDecisionRequest* request,
                                                    v1::ServePenaltyDecisionResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_serve_penalty_decision() = *request;
  return Submit(context, "ServePenaltyDecision", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::RecordPenaltyPayment(grpc::CallbackServerContext* context,
                                                    const v1::RecordPenaltyPaymentRequest* request,
                                                    v1::RecordPenaltyPaymentResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_record_penalty_payment() = *request;
  return Submit(context, "RecordPenaltyPayment", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::RecordPenaltyRemedy(grpc::CallbackServerContext* context,
                                                    const v1::RecordPenaltyRemedyRequest* request,
                                                    v1::RecordPenaltyRemedyResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_record_penalty_remedy() = *request;
  return Submit(context, "RecordPenaltyRemedy", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::DecidePenaltyRemedy(grpc::CallbackServerContext* context,
                                                    const v1::DecidePenaltyRemedyRequest* request,
                                                    v1::DecidePenaltyRemedyResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_decide_penalty_remedy() = *request;
  return Submit(context, "DecidePenaltyRemedy", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ApplyCompulsoryExecution(grpc::CallbackServerContext* context,
                                                    const v1::ApplyCompulsoryExecutionRequest* request,
                                                    v1::ApplyCompulsoryExecutionResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_apply_compulsory_execution() = *request;
  return Submit(context, "ApplyCompulsoryExecution", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::PublishPenalty(grpc::CallbackServerContext* context,
                                                    const v1::PublishPenaltyRequest* request,
                                                    v1::PublishPenaltyResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_publish_penalty() = *request;
  return Submit(context, "PublishPenalty", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::IssueCorrectionOrder(grpc::CallbackServerContext* context,
                                                    const v1::IssueCorrectionOrderRequest* request,
                                                    v1::IssueCorrectionOrderResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_issue_correction_order() = *request;
  return Submit(context, "IssueCorrectionOrder", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ServeCorrectionOrder(grpc::CallbackServerContext* context,
                                                    const v1::ServeCorrectionOrderRequest* request,
                                                    v1::ServeCorrectionOrderResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_serve_correction_order() = *request;
  return Submit(context, "ServeCorrectionOrder", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::RecordCorrectionRecheck(grpc::CallbackServerContext* context,
                                                    const v1::RecordCorrectionRecheckRequest* request,
                                                    v1::RecordCorrectionRecheckResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_record_correction_recheck() = *request;
  return Submit(context, "RecordCorrectionRecheck", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ClosePenaltyCase(grpc::CallbackServerContext* context,
                                                    const v1::ClosePenaltyCaseRequest* request,
                                                    v1::ClosePenaltyCaseResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  command.set_stream_id(request->penalty_case_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_close_penalty_case() = *request;
  return Submit(context, "ClosePenaltyCase", std::move(command), response);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::GetPenaltyCase(
    grpc::CallbackServerContext* context, const v1::GetPenaltyCaseRequest* request,
    v1::GetPenaltyCaseResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(v1::PenaltyCase penalty, VisiblePenalty(caller, request->penalty_case_id()));
    const absl::Time now = pipeline_.clock().Now();
    if (pipeline_.policy().calendar != nullptr) {
      for (v1::DeadlineCountdown& countdown :
           PenaltyCountdowns(*pipeline_.policy().calendar, now, penalty)) {
        *response->add_countdowns() = std::move(countdown);
      }
    }
    for (const v1::PenaltyDecision& decision : penalty.decisions()) {
      if (!decision.has_served_at() || decision.settled() || decision.revoked()) continue;
      *response->add_surcharges() = workflow::SurchargeOwedAt(decision, now);
    }
    *response->mutable_as_of() = ToProto(now);
    *response->mutable_penalty_case() = std::move(penalty);
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ListPenaltyCases(
    grpc::CallbackServerContext* context, const v1::ListPenaltyCasesRequest* request,
    v1::ListPenaltyCasesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(int page_size, PageSizeOf(request->page_size(), kDefaultPage, kMaxPage));
    const v1::PenaltyCaseFilter& filter = request->filter();
    for (int i = 0; i < filter.statuses_size(); ++i) {
      if (filter.statuses(i) == v1::PENALTY_STATUS_UNSPECIFIED ||
          !v1::PenaltyStatus_IsValid(filter.statuses(i))) {
        return workflow::InvalidField(absl::StrCat("statuses[", i, "]"), "is not a penalty status",
                                      "不是有效的处罚案件状态");
      }
    }
    if (!filter.source_case_id().empty()) {
      RETURN_IF_ERROR(workflow::CheckCaseIdFormat("source_case_id", filter.source_case_id()));
    }
    ASSIGN_OR_RETURN(std::string region, ListRegion(caller, filter.region_prefix()));
    // One index per query: by source case, overdue, else by region; the
    // other filters apply to what it gives.
    const std::string prefix =
        !filter.source_case_id().empty() ? projection::PenaltySourceCasePrefix(filter.source_case_id())
        : filter.overdue_only()          ? projection::PenaltyOverduePrefix(region)
                                         : projection::PenaltyRegionPrefix(region);
    std::string statuses;
    for (int s : filter.statuses()) absl::StrAppend(&statuses, s, ",");
    const uint64_t query =
        QueryFingerprint({"ListPenaltyCases", caller.principal_id(), region, statuses,
                          filter.source_case_id(), filter.overdue_only() ? "od" : ""});
    const absl::Time now = pipeline_.clock().Now();
    // Adds the item an index key names when it passes the filters.
    auto add = [&](const std::string& key) -> absl::Status {
      const std::string id = projection::CaseIdOfIndexKey(key);
      ASSIGN_OR_RETURN(std::string bytes, store_.GetProjection(v1::STREAM_KIND_PENALTY, id));
      v1::PenaltyCase penalty;
      if (!penalty.ParseFromString(bytes)) {
        return absl::DataLossError(
            absl::StrCat("penalty case ", id, ": the projection is corrupt"));
      }
      if (!workflow::CheckCanReadPenalty(caller, penalty).ok()) return absl::OkStatus();
      if (!workflow::InJurisdiction(penalty.region_code(), region)) return absl::OkStatus();
      if (filter.statuses_size() > 0 &&
          std::find(filter.statuses().begin(), filter.statuses().end(), penalty.status()) ==
              filter.statuses().end()) {
        return absl::OkStatus();
      }
      if (pipeline_.policy().calendar != nullptr) {
        std::optional<v1::DeadlineCountdown> pressing =
            MostPressing(PenaltyCountdowns(*pipeline_.policy().calendar, now, penalty));
        if (pressing.has_value()) *response->add_countdowns() = *std::move(pressing);
      }
      *response->add_penalty_cases() = std::move(penalty);
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string next_page_token,
                     ScanIndexPage(
                         store_, prefix, request->page_token(), query, kMaxExamined,
                         [&] { return response->penalty_cases_size() >= page_size; }, add));
    response->set_next_page_token(std::move(next_page_token));
    *response->mutable_as_of() = ToProto(now);
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::GetPenaltyCaseHistory(
    grpc::CallbackServerContext* context, const v1::GetPenaltyCaseHistoryRequest* request,
    v1::GetPenaltyCaseHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(int page_size,
                     PageSizeOf(request->page_size(), kDefaultHistoryPage, kMaxHistoryPage));
    ASSIGN_OR_RETURN(v1::PenaltyCase penalty, VisiblePenalty(caller, request->penalty_case_id()));
    const uint64_t query =
        QueryFingerprint({"GetPenaltyCaseHistory", caller.principal_id(), request->penalty_case_id()});
    ASSIGN_OR_RETURN(StreamPage page, ReadStreamPage(store_, penalty.penalty_case_id(),
                                                     request->page_token(), query, page_size));
    for (v1::Event& event : page.events) *response->add_events() = std::move(event);
    response->set_next_page_token(std::move(page.next_page_token));
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* PenaltyServiceImpl::ExportPenaltyPublication(
    grpc::CallbackServerContext* context, const v1::ExportPenaltyPublicationRequest* request,
    v1::ExportPenaltyPublicationResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(std::string region, ListRegion(caller, request->region_prefix()));
    const absl::Time now = pipeline_.clock().Now();
    const absl::Time from = request->has_decided_from() ? ToTime(request->decided_from())
                                                        : absl::InfinitePast();
    const absl::Time before = request->has_decided_before() ? ToTime(request->decided_before())
                                                            : absl::InfiniteFuture();
    const std::string prefix = projection::PenaltyRegionPrefix(region);
    std::string last_key;
    int examined = 0;
    while (examined < kMaxExamined) {
      ASSIGN_OR_RETURN(std::vector<std::string> keys, store_.ScanIndex(prefix, last_key, 200));
      if (keys.empty()) break;
      for (const std::string& key : keys) {
        ++examined;
        last_key = key;
        const std::string id = projection::CaseIdOfIndexKey(key);
        ASSIGN_OR_RETURN(std::string bytes, store_.GetProjection(v1::STREAM_KIND_PENALTY, id));
        v1::PenaltyCase penalty;
        if (!penalty.ParseFromString(bytes)) {
          return absl::DataLossError(absl::StrCat("penalty case ", id, ": the projection is corrupt"));
        }
        if (!workflow::CheckCanReadPenalty(caller, penalty).ok()) continue;
        for (const v1::PenaltyDecision& decision : penalty.decisions()) {
          const absl::Time decided = ToTime(decision.decided_at());
          if (decided < from || decided >= before) continue;
          if (request->unpublished_only() && decision.has_published_at()) continue;
          *response->add_entries() = workflow::PublicationEntry(penalty, decision, now);
        }
      }
      if (keys.size() < 200) break;
    }
    std::sort(response->mutable_entries()->begin(), response->mutable_entries()->end(),
              [](const v1::PenaltyPublicationEntry& a, const v1::PenaltyPublicationEntry& b) {
                return a.decision_date() != b.decision_date() ? a.decision_date() < b.decision_date()
                                                              : a.document_number() < b.document_number();
              });
    *response->mutable_as_of() = ToProto(now);
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

}  // namespace rectify::server
