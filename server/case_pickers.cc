// The CaseService reads that help a page fill in a form, so that no page
// computes what the server decides: ListOfficers (the co-signing officer of
// a referral proposal, from the account directory) and PreviewDeadline (a
// due instant on the policy's working-day calendar, e.g. the assign
// dialog's preview).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/projector.h"
#include "rectify/v1/account.pb.h"
#include "server/access.h"
#include "server/case_service.h"
#include "server/countdowns.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/page_token.h"
#include "server/rpc_interceptor.h"
#include "workflow/accounts.h"
#include "workflow/decider.h"
#include "workflow/policy.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

constexpr int kDefaultOfficerPage = 100;
constexpr int kMaxOfficerPage = 500;
// The longest period PreviewDeadline counts: ten years of days (the
// calendar's own bound), a leap year of hours.
constexpr int kMaxPreviewDays = 3660;
constexpr int kMaxPreviewHours = 8784;
// How far from now a preview's start may lie.
constexpr absl::Duration kMaxPreviewStartDistance = absl::Hours(24 * 3660);

// INVALID_ARGUMENT with `english` for operators and `chinese` for the user,
// naming `field`.
absl::Status InvalidField(absl::string_view field, absl::string_view english,
                          absl::string_view chinese) {
  return WithUserMessage(absl::InvalidArgumentError(english), chinese, field);
}

// Finishes a read: logs what is a server fault, never a caller's mistake.
grpc::ServerUnaryReactor* FinishRead(grpc::CallbackServerContext* context, const char* method,
                                     const absl::Status& status) {
  if (!status.ok() && (absl::IsInternal(status) || absl::IsDataLoss(status))) {
    Log(LogLevel::kError,
        {{"method", method}, {"status", status.ToString()}, {"request_id", RequestIdOf(*context)}});
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* CaseServiceImpl::ListOfficers(grpc::CallbackServerContext* context,
                                                        const v1::ListOfficersRequest* request,
                                                        v1::ListOfficersResponse* response) {
  const absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    if (caller.role() != v1::ROLE_INSPECTOR && caller.role() != v1::ROLE_SUPERVISOR) {
      return Refuse(absl::StatusCode::kPermissionDenied,
                    absl::StrCat(caller.principal_id(),
                                 " may not list the officers: only inspectors and supervisors "
                                 "pick the officers of a referral proposal"),
                    "只有执法人员和科室负责人可以查看执法人员名单");
    }
    if (request->page_size() < 0) {
      return InvalidField("page_size", "page_size must not be negative", "每页条数：不能为负数");
    }
    const int page_size = request->page_size() == 0
                              ? kDefaultOfficerPage
                              : std::min(request->page_size(), kMaxOfficerPage);
    std::string region;  // the case's region, when one is given
    if (!request->case_id().empty()) {
      RETURN_IF_ERROR(workflow::CheckCaseIdFormat("case_id", request->case_id()));
      RETURN_IF_ERROR(CheckCaseIdInScope(caller, request->case_id()));
      ASSIGN_OR_RETURN(v1::Case state, VisibleCase(caller, request->case_id(),
                                                   store_.GetCase(request->case_id())));
      region = state.location().region_code();
    }
    const uint64_t query =
        QueryFingerprint({"ListOfficers", caller.principal_id(), request->case_id()});
    ASSIGN_OR_RETURN(std::string resume, DecodePageToken(request->page_token(), query));
    const std::string prefix = projection::AccountJurisdictionPrefix(caller.jurisdiction());
    ASSIGN_OR_RETURN(std::vector<std::string> keys,
                     store_.ScanIndex(prefix, resume, page_size + 1));
    const bool more = static_cast<int>(keys.size()) > page_size;
    if (more) keys.resize(page_size);
    for (const std::string& key : keys) {
      const std::string name = key.substr(key.rfind('/') + 1);
      absl::StatusOr<std::string> bytes =
          store_.GetProjection(v1::STREAM_KIND_ACCOUNT, workflow::AccountStreamId(name));
      if (absl::IsNotFound(bytes.status())) continue;
      if (!bytes.ok()) return bytes.status();
      v1::AccountRecord record;
      if (!record.ParseFromString(*bytes)) {
        return absl::DataLossError(absl::StrCat("account ", name, ": the projection is corrupt"));
      }
      const v1::Principal& officer = record.account().principal();
      if (record.account().disabled() || officer.role() != v1::ROLE_INSPECTOR ||
          officer.principal_id() == caller.principal_id()) {
        continue;
      }
      if (!region.empty() && !workflow::InJurisdiction(region, officer.jurisdiction())) continue;
      v1::Officer* listed = response->add_officers();
      listed->set_principal_id(officer.principal_id());
      listed->set_display_name(officer.display_name());
    }
    if (more) response->set_next_page_token(EncodePageToken(keys.back(), query));
    return absl::OkStatus();
  }();
  if (!status.ok()) response->Clear();
  return FinishRead(context, "ListOfficers", status);
}

grpc::ServerUnaryReactor* CaseServiceImpl::PreviewDeadline(
    grpc::CallbackServerContext* context, const v1::PreviewDeadlineRequest* request,
    v1::PreviewDeadlineResponse* response) {
  const absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    (void)caller;
    const workflow::Policy& policy = pipeline_.policy();
    const absl::Time now = pipeline_.clock().Now();
    absl::Time start = now;
    if (request->has_start()) {
      if (request->start().nanos() < 0 || request->start().nanos() > 999999999) {
        return InvalidField("start", "start has nanos out of range", "起算时间：无效");
      }
      start = ToTime(request->start());
      if (absl::AbsDuration(start - now) > kMaxPreviewStartDistance) {
        return InvalidField("start", "start must lie within ten years of now (3,660 days either way)",
                            "起算时间：须在当前时间前后十年以内");
      }
    }
    absl::StatusOr<workflow::ComputedDeadline> computed;
    if (request->kind() != v1::DEADLINE_KIND_UNSPECIFIED) {
      if (!v1::DeadlineKind_IsValid(request->kind())) {
        return InvalidField(
            "kind", absl::StrCat("kind holds ", request->kind(), ", which is not a DeadlineKind"),
            "期限类型：无效");
      }
      if (request->unit() != v1::DEADLINE_UNIT_UNSPECIFIED || request->amount() != 0) {
        return InvalidField("unit",
                            "unit: give either kind (the policy's rule) or unit with amount, not both",
                            "计算单位：请只选期限类型，或只填计算单位和数量");
      }
      computed = workflow::ComputeDeadline(policy, request->kind(), start);
    } else {
      int max_amount = kMaxPreviewDays;
      switch (request->unit()) {
        case v1::DEADLINE_UNIT_HOURS:
          max_amount = kMaxPreviewHours;
          break;
        case v1::DEADLINE_UNIT_CALENDAR_DAYS:
        case v1::DEADLINE_UNIT_WORKING_DAYS:
          break;
        case v1::DEADLINE_UNIT_UNSPECIFIED:
          return InvalidField(
              "unit",
              "unit: give a kind, or a unit (HOURS, CALENDAR_DAYS or WORKING_DAYS) with an amount",
              "计算单位：请选择期限类型，或填写计算单位（小时、自然日、工作日）和数量");
        default:
          return InvalidField("unit",
                              absl::StrCat("unit must be HOURS, CALENDAR_DAYS or WORKING_DAYS, got ",
                                           request->unit()),
                              "计算单位：须为小时、自然日或工作日");
      }
      if (request->amount() < 1 || request->amount() > max_amount) {
        return InvalidField(
            "amount",
            absl::StrCat("amount must be 1 to ", max_amount, " ",
                         v1::DeadlineUnit_Name(request->unit()), ", got ", request->amount()),
            absl::StrCat("数量：须为 1 至 ", max_amount,
                         request->unit() == v1::DEADLINE_UNIT_HOURS ? " 小时" : " 日"));
      }
      computed = workflow::CountDeadline(*policy.calendar, request->unit(), request->amount(),
                                         start);
    }
    if (absl::IsOutOfRange(computed.status())) {
      // The period runs past what the calendar knows: the caller's numbers.
      const char* field = request->kind() != v1::DEADLINE_KIND_UNSPECIFIED ? "start" : "amount";
      return InvalidField(field,
                          absl::StrCat(field, ": the period cannot be counted: ",
                                       computed.status().message()),
                          absl::StrCat(request->kind() != v1::DEADLINE_KIND_UNSPECIFIED ? "起算时间" : "数量", "：该期限超出工作日历的范围，无法计算"));
    }
    RETURN_IF_ERROR(computed.status());
    *response->mutable_due_at() = ToProto(computed->due_at);
    *response->mutable_rule() = computed->rule;
    absl::StatusOr<v1::DeadlineCountdown> countdown =
        CountDown(*policy.calendar, now, computed->due_at, request->kind());
    if (countdown.ok()) *response->mutable_countdown() = *std::move(countdown);
    *response->mutable_as_of() = ToProto(now);
    return absl::OkStatus();
  }();
  if (!status.ok()) response->Clear();
  return FinishRead(context, "PreviewDeadline", status);
}

}  // namespace rectify::server
