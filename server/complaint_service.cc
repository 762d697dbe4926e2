// ComplaintService handlers; see complaint_service.h.
#include "server/complaint_service.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/complaint_keys.h"
#include "server/access.h"
#include "server/countdowns.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/page_token.h"
#include "server/paged_scan.h"
#include "server/rpc_interceptor.h"
#include "storage/personal_data.h"
#include "workflow/complaints.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 500;
constexpr int kDefaultHistoryPage = 100;
constexpr int kMaxHistoryPage = 1000;
// Index keys one ListComplaints call examines at most (filters may skip many).
constexpr int kMaxExamined = 5000;

template <typename Request>
v1::Command CommandFor(const Request& request) {
  v1::Command command;
  command.set_command_id(request.command_id());
  if constexpr (std::is_same_v<Request, v1::ReceiveComplaintRequest> ||
                std::is_same_v<Request, v1::ImportComplaintsRequest>) {
  } else {
    if (request.has_expected_version()) command.set_expected_version(request.expected_version());
  }
  return command;
}

}  // namespace

v1::Complaint RedactComplaintForReader(const v1::Principal& reader, v1::Complaint complaint) {
  if (!MaySeePersonalData(reader, workflow::ComplaintRegion(complaint))) {
    complaint.mutable_details()->clear_complainant();
  }
  return complaint;
}

std::vector<v1::DeadlineCountdown> ComplaintClocks(const workflow::Calendar& calendar,
                                                   absl::Time now,
                                                   const v1::Complaint& complaint) {
  std::vector<v1::DeadlineCountdown> clocks;
  for (const v1::Deadline& deadline : complaint.deadlines()) {
    const bool running = deadline.state() == v1::DEADLINE_STATE_OPEN ||
                         (deadline.state() == v1::DEADLINE_STATE_MISSED &&
                          workflow::IsComplaintObligation(deadline.kind()));
    if (!running || !deadline.has_due_at()) continue;
    absl::StatusOr<v1::DeadlineCountdown> clock =
        CountDown(calendar, now, ToTime(deadline.due_at()), deadline.kind());
    if (!clock.ok()) continue;
    clock->set_deadline_id(deadline.deadline_id());
    clocks.push_back(*std::move(clock));
  }
  return clocks;
}

absl::StatusOr<v1::Complaint> ComplaintServiceImpl::VisibleComplaint(
    const v1::Principal& caller, absl::string_view complaint_id) {
  RETURN_IF_ERROR(workflow::CheckComplaintIdFormat("complaint_id", complaint_id));
  absl::StatusOr<std::string> bytes =
      store_.GetProjection(v1::STREAM_KIND_COMPLAINT, complaint_id);
  if (absl::IsNotFound(bytes.status())) return workflow::ComplaintNotVisible(caller, complaint_id);
  RETURN_IF_ERROR(bytes.status());
  v1::Complaint complaint;
  if (!complaint.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(complaint_id, ": the projection is corrupt"));
  }
  if (!workflow::MayReadComplaint(caller, workflow::ComplaintRegion(complaint))) {
    return workflow::ComplaintNotVisible(caller, complaint_id);
  }
  return complaint;
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::Submit(
    grpc::CallbackServerContext* context, absl::string_view method, v1::Command command,
    std::function<void(const CommandOutcome&, const v1::Complaint&)> answer) {
  const CallStart started = StartCall(*context);
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  absl::Status shape = principal.status();
  if (shape.ok()) shape = workflow::CheckId("command_id", command.command_id(), true);
  if (shape.ok() && !command.has_receive_complaint() && !command.has_import_complaints()) {
    shape = workflow::CheckComplaintIdFormat("complaint_id", workflow::ComplaintIdOf(command));
  }
  const std::string subject = workflow::ComplaintIdOf(command);
  if (!shape.ok()) {
    if (principal.ok()) {
      LogCommand(method, principal->principal_id(), "complaint", subject, shape, started);
    }
    return FinishUnary(context, shape);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  pipeline_.Submit(std::move(command), *principal,
                   [reactor, caller = *principal, started, method = std::string(method), subject,
                    answer = std::move(answer)](absl::StatusOr<CommandOutcome> outcome) {
                     if (outcome.ok()) {
                       answer(*outcome, RedactComplaintForReader(caller, outcome->complaint));
                     }
                     LogCommand(method, caller.principal_id(), "complaint",
                                outcome.ok() ? outcome->complaint.complaint_id() : subject,
                                outcome.status(), started);
                     reactor->Finish(ToGrpcStatus(outcome.status()));
                   });
  return reactor;
}

#define RECTIFY_COMPLAINT_COMMAND(Rpc, field)                                                  \
  grpc::ServerUnaryReactor* ComplaintServiceImpl::Rpc(grpc::CallbackServerContext* context,    \
                                                      const v1::Rpc##Request* request,         \
                                                      v1::Rpc##Response* response) {           \
    v1::Command command = CommandFor(*request);                                                \
    *command.mutable_##field() = *request;                                                     \
    return Submit(context, #Rpc, std::move(command),                                           \
                  [response](const CommandOutcome&, const v1::Complaint& complaint) {          \
                    *response->mutable_complaint() = complaint;                                \
                  });                                                                          \
  }

RECTIFY_COMPLAINT_COMMAND(ReceiveComplaint, receive_complaint)
RECTIFY_COMPLAINT_COMMAND(AcceptComplaint, accept_complaint)
RECTIFY_COMPLAINT_COMMAND(TransferComplaint, transfer_complaint)
RECTIFY_COMPLAINT_COMMAND(AttachComplaintToCase, attach_complaint_to_case)
RECTIFY_COMPLAINT_COMMAND(CloseComplaintUnfounded, close_complaint_unfounded)
RECTIFY_COMPLAINT_COMMAND(ExtendComplaintReply, extend_complaint_reply)
RECTIFY_COMPLAINT_COMMAND(ReplyToComplaint, reply_to_complaint)
RECTIFY_COMPLAINT_COMMAND(RequestComplaintReview, request_complaint_review)
RECTIFY_COMPLAINT_COMMAND(AnswerComplaintReview, answer_complaint_review)
RECTIFY_COMPLAINT_COMMAND(RecordComplaintCallback, record_complaint_callback)
#undef RECTIFY_COMPLAINT_COMMAND

grpc::ServerUnaryReactor* ComplaintServiceImpl::OpenCaseFromComplaint(
    grpc::CallbackServerContext* context, const v1::OpenCaseFromComplaintRequest* request,
    v1::OpenCaseFromComplaintResponse* response) {
  v1::Command command = CommandFor(*request);
  *command.mutable_open_case_from_complaint() = *request;
  return Submit(context, "OpenCaseFromComplaint", std::move(command),
                [response](const CommandOutcome&, const v1::Complaint& complaint) {
                  *response->mutable_complaint() = complaint;
                  if (complaint.links_size() > 0) {
                    response->set_case_id(complaint.links(complaint.links_size() - 1).case_id());
                  }
                });
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::ImportComplaints(
    grpc::CallbackServerContext* context, const v1::ImportComplaintsRequest* request,
    v1::ImportComplaintsResponse* response) {
  v1::Command command = CommandFor(*request);
  *command.mutable_import_complaints() = *request;
  return Submit(context, "ImportComplaints", std::move(command),
                [response](const CommandOutcome& outcome, const v1::Complaint&) {
                  *response = outcome.import;
                });
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::GetComplaint(
    grpc::CallbackServerContext* context, const v1::GetComplaintRequest* request,
    v1::GetComplaintResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(v1::Complaint complaint, VisibleComplaint(caller, request->complaint_id()));
    const absl::Time now = pipeline_.clock().Now();
    for (v1::DeadlineCountdown& clock :
         ComplaintClocks(*pipeline_.policy().calendar, now, complaint)) {
      *response->add_clocks() = std::move(clock);
    }
    *response->mutable_as_of() = ToProto(now);
    *response->mutable_complaint() = RedactComplaintForReader(caller, std::move(complaint));
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::ListComplaints(
    grpc::CallbackServerContext* context, const v1::ListComplaintsRequest* request,
    v1::ListComplaintsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(int page_size, PageSizeOf(request->page_size(), kDefaultPage, kMaxPage));
    if (!v1::ComplaintStatus_IsValid(request->status())) {
      return workflow::InvalidField("status", "is not a complaint status", "请从列表中选择");
    }
    if (!v1::ComplaintOrder_IsValid(request->order())) {
      return workflow::InvalidField("order", "is not an order", "请从列表中选择");
    }
    if (!workflow::MayReadComplaint(caller, caller.jurisdiction())) {
      return Refuse(absl::StatusCode::kPermissionDenied,
                    absl::StrCat(caller.principal_id(), " may not read complaints"),
                    "您无权查看信访件");
    }
    std::string region = request->region_prefix();
    if (region.empty()) region = caller.jurisdiction();
    RETURN_IF_ERROR(workflow::CheckRegionPrefixCode("region_prefix", region));
    if (!absl::StartsWith(region, caller.jurisdiction())) {
      return WithUserMessage(absl::PermissionDeniedError(absl::StrCat(
                                 "region_prefix: ", region, " is outside your jurisdiction ",
                                 caller.jurisdiction())),
                             "所选区域超出您的辖区", "region_prefix");
    }
    if (!request->linked_case_id().empty()) {
      RETURN_IF_ERROR(workflow::CheckCaseIdFormat("linked_case_id", request->linked_case_id()));
    }
    // The narrowest index for the filters; the rest filter the projections.
    std::string prefix;
    if (!request->linked_case_id().empty()) {
      prefix = projection::ComplaintCasePrefix(request->linked_case_id());
    } else if (request->order() == v1::COMPLAINT_ORDER_DUE) {
      prefix = projection::ComplaintDuePrefix();
    } else if (request->overdue_only()) {
      prefix = projection::ComplaintOverduePrefix(region);
    } else if (request->status() != v1::COMPLAINT_STATUS_UNSPECIFIED) {
      prefix = projection::ComplaintStatusRegionPrefix(request->status(), region);
    } else {
      prefix = projection::ComplaintRegionPrefix(region);
    }
    const uint64_t query = QueryFingerprint(
        {"ListComplaints", caller.principal_id(), region, std::to_string(request->status()),
         request->overdue_only() ? "overdue" : "", request->linked_case_id(),
         std::to_string(request->order())});
    const absl::Time now = pipeline_.clock().Now();
    *response->mutable_as_of() = ToProto(now);
    // Adds the item an index key names when it passes the filters.
    auto add = [&](const std::string& key) -> absl::Status {
      const std::string id = projection::ComplaintIdOfIndexKey(key);
      ASSIGN_OR_RETURN(std::string bytes, store_.GetProjection(v1::STREAM_KIND_COMPLAINT, id));
      v1::Complaint complaint;
      if (!complaint.ParseFromString(bytes)) {
        return absl::DataLossError(absl::StrCat(id, ": the projection is corrupt"));
      }
      const std::string& at = workflow::ComplaintRegion(complaint);
      if (!absl::StartsWith(at, region) || !workflow::MayReadComplaint(caller, at)) {
        return absl::OkStatus();
      }
      if (request->status() != v1::COMPLAINT_STATUS_UNSPECIFIED &&
          complaint.status() != request->status()) {
        return absl::OkStatus();
      }
      if (request->overdue_only() && !complaint.overdue()) return absl::OkStatus();
      v1::ComplaintListItem& item = *response->add_items();
      for (v1::DeadlineCountdown& clock :
           ComplaintClocks(*pipeline_.policy().calendar, now, complaint)) {
        *item.add_clocks() = std::move(clock);
      }
      *item.mutable_complaint() = RedactComplaintForReader(caller, std::move(complaint));
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string next_page_token,
                     ScanIndexPage(
                         store_, prefix, request->page_token(), query, kMaxExamined,
                         [&] { return response->items_size() >= page_size; }, add));
    response->set_next_page_token(std::move(next_page_token));
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* ComplaintServiceImpl::GetComplaintHistory(
    grpc::CallbackServerContext* context, const v1::GetComplaintHistoryRequest* request,
    v1::GetComplaintHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(int page_size,
                     PageSizeOf(request->page_size(), kDefaultHistoryPage, kMaxHistoryPage));
    ASSIGN_OR_RETURN(v1::Complaint complaint, VisibleComplaint(caller, request->complaint_id()));
    const uint64_t query =
        QueryFingerprint({"GetComplaintHistory", caller.principal_id(), request->complaint_id()});
    ASSIGN_OR_RETURN(StreamPage page, ReadStreamPage(store_, request->complaint_id(),
                                                     request->page_token(), query, page_size));
    // Stored sealed (the commitment only); opened for a reader who may see
    // the complainant.
    const bool open = MaySeePersonalData(caller, workflow::ComplaintRegion(complaint));
    for (v1::Event& event : page.events) {
      if (open) RETURN_IF_ERROR(storage::OpenFromStore(store_, event));
      *response->add_events() = std::move(event);
    }
    response->set_next_page_token(std::move(page.next_page_token));
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

}  // namespace rectify::server
