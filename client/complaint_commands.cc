// rectifyctl's 12369 complaint subcommands (complaint_commands.h).
#include "client/complaint_commands.h"

#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "base/status_words.h"
#include "client/display_width.h"

namespace rectify::client {
namespace {

using google::protobuf::Message;
using Caller =
    std::function<absl::StatusOr<std::unique_ptr<Message>>(RectifyClient&, const Message&)>;

// A Caller for one method of the service.
template <typename Request, typename Response>
Caller Method(grpc::Status (v1::ComplaintService::Stub::*method)(grpc::ClientContext*,
                                                                 const Request&, Response*)) {
  return [method](RectifyClient& client,
                  const Message& request) -> absl::StatusOr<std::unique_ptr<Message>> {
    absl::StatusOr<Response> reply =
        client.Call(method, static_cast<const Request&>(request));
    if (!reply.ok()) return reply.status();
    return std::make_unique<Response>(std::move(*reply));
  };
}

const std::map<std::string, Caller>& Methods() {
  using S = v1::ComplaintService::Stub;
  static const auto* methods = new std::map<std::string, Caller>{
      {"ReceiveComplaint", Method(&S::ReceiveComplaint)},
      {"ImportComplaints", Method(&S::ImportComplaints)},
      {"AcceptComplaint", Method(&S::AcceptComplaint)},
      {"TransferComplaint", Method(&S::TransferComplaint)},
      {"OpenCaseFromComplaint", Method(&S::OpenCaseFromComplaint)},
      {"AttachComplaintToCase", Method(&S::AttachComplaintToCase)},
      {"CloseComplaintUnfounded", Method(&S::CloseComplaintUnfounded)},
      {"ExtendComplaintReply", Method(&S::ExtendComplaintReply)},
      {"ReplyToComplaint", Method(&S::ReplyToComplaint)},
      {"RequestComplaintReview", Method(&S::RequestComplaintReview)},
      {"AnswerComplaintReview", Method(&S::AnswerComplaintReview)},
      {"RecordComplaintCallback", Method(&S::RecordComplaintCallback)},
      {"GetComplaint", Method(&S::GetComplaint)},
      {"ListComplaints", Method(&S::ListComplaints)},
      {"GetComplaintHistory", Method(&S::GetComplaintHistory)},
  };
  return *methods;
}

std::string Time(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(timestamp.seconds()),
                          ChinaTimeZone());
}

std::string ChannelWords(v1::ComplaintChannel channel) {
  switch (channel) {
    case v1::COMPLAINT_CHANNEL_PHONE: return "电话";
    case v1::COMPLAINT_CHANNEL_WEB: return "网络";
    case v1::COMPLAINT_CHANNEL_LETTER: return "来信";
    case v1::COMPLAINT_CHANNEL_VISIT: return "来访";
    case v1::COMPLAINT_CHANNEL_PLATFORM: return "12369平台";
    default: return "—";
  }
}

std::string CallbackWords(v1::CallbackResult result) {
  switch (result) {
    case v1::CALLBACK_RESULT_SATISFIED: return "满意";
    case v1::CALLBACK_RESULT_NOT_SATISFIED: return "不满意";
    case v1::CALLBACK_RESULT_UNREACHABLE: return "未联系上";
    default: return "—";
  }
}

std::string Who(const v1::Actor& actor) {
  return actor.display_name().empty() ? actor.principal_id() : actor.display_name();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Message>> CallComplaintService(RectifyClient& client,
                                                              const std::string& method,
                                                              const Message& request) {
  auto found = Methods().find(method);
  if (found == Methods().end()) {
    return absl::InvalidArgumentError(absl::StrCat("ComplaintService has no method ", method));
  }
  return found->second(client, request);
}

std::string ComplaintClockWords(v1::DeadlineKind kind) {
  switch (kind) {
    case v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE: return "受理期限";
    case v1::DEADLINE_KIND_COMPLAINT_REPLY: return "答复期限";
    case v1::DEADLINE_KIND_COMPLAINT_REPLY_EXTENSION: return "答复期限（已延长）";
    case v1::DEADLINE_KIND_COMPLAINT_REVIEW_REQUEST: return "申请复查期限";
    case v1::DEADLINE_KIND_COMPLAINT_REVIEW_ANSWER: return "复查答复期限";
    default: return "期限";
  }
}

std::string ClockLeftWords(const v1::DeadlineCountdown& clock) {
  const int left = clock.calendar_days_left();
  if (clock.overdue()) {
    return left < 0 ? absl::StrCat("逾期 ", -left, " 天") : "已逾期";
  }
  if (left == 0) return absl::StrCat("今日截止（", clock.last_day(), "）");
  return absl::StrCat("剩 ", left, " 天（截止 ", clock.last_day(), "）");
}

std::string FormatComplaint(
    const v1::Complaint& complaint,
    const google::protobuf::RepeatedPtrField<v1::DeadlineCountdown>& clocks) {
  const v1::ComplaintDetails& d = complaint.details();
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const std::string& label, const std::string& value) {
    if (!value.empty()) rows.push_back({label, value});
  };
  add("信访件", complaint.complaint_id());
  add("状态", absl::StrCat(ComplaintStatusWords(complaint.status()),
                           complaint.overdue() ? absl::StrCat("（", kOverdueWord, "）") : ""));
  add("工单编号", d.ticket_number());
  add("来源渠道", ChannelWords(d.channel()));
  add("来件时间", Time(d.received_at()));
  add("标题", d.title());
  add("举报内容", d.content());
  add("行政区划", d.location().region_code());
  add("事发地址", d.location().address());
  add("被举报对象", d.subject().name());
  if (d.anonymous()) {
    add("举报人", "匿名");
  } else if (d.has_complainant() &&
             (!d.complainant().name().empty() || !d.complainant().phone().empty())) {
    add("举报人", absl::StrCat(d.complainant().name(), " ", d.complainant().phone()));
  } else {
    add("举报人", "（不可见）");
  }
  if (complaint.has_acceptance()) {
    add("受理", absl::StrCat(Time(complaint.acceptance().accepted_at()), " ",
                             Who(complaint.acceptance().accepted_by())));
  }
  if (complaint.has_transfer()) {
    add("转办", absl::StrCat(complaint.transfer().competent_body(), "：",
                             complaint.transfer().reason()));
  }
  for (const v1::ComplaintLink& link : complaint.links()) {
    add(link.kind() == v1::COMPLAINT_LINK_KIND_NEW_CASE ? "立案" : "并案",
        absl::StrCat(link.case_id(), link.note().empty() ? "" : "  " + link.note()));
  }
  if (complaint.has_site_check()) {
    add("查无实据", absl::StrCat(Time(complaint.site_check().checked_at()), " 现场核查：",
                                 complaint.site_check().findings()));
    for (const v1::SiteCheckDocument& document : complaint.site_check().documents()) {
      // complaint document-download COMPLAINT_ID DOCUMENT_ID fetches it.
      add("核查材料", absl::StrCat(document.document_id().empty() ? "—" : document.document_id(),
                                   "  ", document.file_name(), "  ", document.size(), " 字节"));
    }
  }
  if (complaint.has_extension()) {
    add("延期", absl::StrCat("+", complaint.extension().days(), " 天：",
                             complaint.extension().reason()));
  }
  for (const v1::ComplaintReply& reply : complaint.replies()) {
    add(reply.interim() ? "阶段性答复" : "答复",
        absl::StrCat(Time(reply.replied_at()), " ", reply.text()));
  }
  if (complaint.has_review()) {
    add("复查申请", complaint.review().grounds());
    add("复查答复", complaint.review().answer());
  }
  for (const v1::ComplaintCallback& callback : complaint.callbacks()) {
    add("回访", absl::StrCat(Time(callback.recorded_at()), " ", CallbackWords(callback.result()),
                             callback.note().empty() ? "" : "  " + callback.note()));
  }
  for (const v1::DeadlineCountdown& clock : clocks) {
    add(ComplaintClockWords(clock.kind()), ClockLeftWords(clock));
  }
  return FormatTable({"", ""}, rows).substr(1);
}

std::string FormatComplaintQueue(const v1::ListComplaintsResponse& reply) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::ComplaintListItem& item : reply.items()) {
    const v1::Complaint& complaint = item.complaint();
    std::vector<std::string> clocks;
    for (const v1::DeadlineCountdown& clock : item.clocks()) {
      clocks.push_back(absl::StrCat(ComplaintClockWords(clock.kind()), " ", ClockLeftWords(clock)));
    }
    rows.push_back({complaint.complaint_id(), ComplaintStatusWords(complaint.status()),
                    complaint.details().ticket_number(), Time(complaint.details().received_at()),
                    complaint.details().title().empty() ? "—" : complaint.details().title(),
                    absl::StrJoin(clocks, "；")});
  }
  std::string out = FormatTable({"信访件", "状态", "工单编号", "来件时间", "标题", "期限"}, rows);
  if (!reply.next_page_token().empty()) {
    absl::StrAppend(&out, "more: --page_token=", reply.next_page_token(), "\n");
  }
  return out;
}

}  // namespace rectify::client
