// The complaint decider (DecideComplaint, the import's checks and rows); see
// complaints.h. Ids and access are complaint_ids.cc's, the fold
// complaint_evolve.cc's.
//
// One file (about 930 lines), on purpose: every part of it builds events
// through the one Builder (the envelope all complaint events share) and the
// same field checks (phone, ticket, details, notice) and guards (role,
// jurisdiction, status): DecideComplaint's steps, the scheduler's commands
// and the import's rows, which are a receipt each. The parts that stand
// alone are already apart (ids and access, the fold).
#include "workflow/complaints.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "workflow/decider.h"
#include "workflow/geo.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

constexpr int kMaxNoticeNoteChars = 500;
constexpr int kMaxNoteChars = 1000;
constexpr int kMaxContentChars = 5000;
constexpr int kMaxTicketBytes = 64;

bool IsSystem(const v1::Principal& principal) { return principal.role() == v1::ROLE_SYSTEM; }

std::string StatusName(v1::ComplaintStatus status) {
  std::string name = v1::ComplaintStatus_Name(status);
  constexpr absl::string_view kPrefix = "COMPLAINT_STATUS_";
  return absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : name;
}

// One decision in the making: the envelope every complaint event shares.
class Builder {
 public:
  Builder(const v1::Complaint& complaint, const v1::Command& command,
          const v1::Principal& principal, absl::Time now, const Policy& policy,
          const std::string& complaint_id, const std::string& region_code)
      : complaint_(complaint), now_(now), policy_(policy) {
    envelope_ = CommandEnvelope(command, principal, now);
    envelope_.set_stream_id(complaint_id);
    envelope_.set_stream_kind(v1::STREAM_KIND_COMPLAINT);
    envelope_.set_region_code(region_code);
  }

  v1::Event& Add() {
    events_.push_back(envelope_);
    v1::Event& event = events_.back();
    event.set_version(complaint_.version() + static_cast<int64_t>(events_.size()));
    return event;
  }

  // Opens clock `id` of `kind` counted from `start` (nothing when the policy
  // opens no such clock).
  absl::Status OpenClock(v1::DeadlineKind kind, const std::string& id, absl::Time start) {
    if (!policy_.deadline(kind).enabled) return absl::OkStatus();
    ASSIGN_OR_RETURN(const ComputedDeadline computed, ComputeDeadline(policy_, kind, start));
    v1::Deadline& deadline = *Add().mutable_deadline_opened()->mutable_deadline();
    deadline.set_deadline_id(FreshId(id));
    deadline.set_kind(kind);
    *deadline.mutable_due_at() = ToProto(computed.due_at);
    *deadline.mutable_rule() = computed.rule;
    *deadline.mutable_opened_at() = ToProto(now_);
    deadline.set_state(v1::DEADLINE_STATE_OPEN);
    return absl::OkStatus();
  }

  // Ends the running clock of `kind`, if any: MET, or MET_LATE once missed.
  void CloseClock(v1::DeadlineKind kind) {
    const v1::Deadline* deadline = RunningComplaintClock(complaint_, kind);
    if (deadline == nullptr) return;
    v1::DeadlineClosed& closed = *Add().mutable_deadline_closed();
    closed.set_deadline_id(deadline->deadline_id());
    closed.set_state(deadline->state() == v1::DEADLINE_STATE_MISSED ? v1::DEADLINE_STATE_MET_LATE
                                                                    : v1::DEADLINE_STATE_MET);
  }

  std::vector<v1::Event> Take() { return std::move(events_); }

 private:
  // `id`, or id-2, id-3 ... when the complaint used it before.
  std::string FreshId(const std::string& id) const {
    auto taken = [&](const std::string& candidate) {
      for (const v1::Deadline& d : complaint_.deadlines()) {
        if (d.deadline_id() == candidate) return true;
      }
      return false;
    };
    if (!taken(id)) return id;
    for (int n = 2;; ++n) {
      std::string candidate = absl::StrCat(id, "-", n);
      if (!taken(candidate)) return candidate;
    }
  }

  const v1::Complaint& complaint_;
  const absl::Time now_;
  const Policy& policy_;
  v1::Event envelope_;
  std::vector<v1::Event> events_;
};

absl::Status CheckPhone(absl::string_view field, absl::string_view phone) {
  if (phone.empty()) return absl::OkStatus();
  constexpr absl::string_view kPhoneZh = "须为3至32个字符，只含数字、空格及 + - ( )";
  if (phone.size() < 3 || phone.size() > 32) {
    return InvalidField(field, "must be 3-32 characters", kPhoneZh);
  }
  bool digit = false;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return InvalidField(field, "may hold only digits, spaces and + - ( ), e.g. \"0936-4421234\"",
                          kPhoneZh);
    }
  }
  if (!digit) return InvalidField(field, "must hold digits", kPhoneZh);
  return absl::OkStatus();
}

// The ticket number: printable ASCII without spaces, 1-64 bytes.
absl::Status CheckTicket(absl::string_view field, absl::string_view ticket, bool required) {
  if (ticket.empty()) {
    if (!required) return absl::OkStatus();
    return InvalidField(field, "is required for a complaint from the 12369 platform",
                        "12369平台转入的举报须填写工单号");
  }
  if (ticket.size() > kMaxTicketBytes) {
    return InvalidField(field, absl::StrCat("is longer than ", kMaxTicketBytes, " bytes"),
                        "最长64个字符");
  }
  for (char c : ticket) {
    if (c <= ' ' || c > '~') {
      return InvalidField(field, "must be printable ASCII without spaces",
                          "只能含字母、数字和符号，不能有空格");
    }
  }
  return absl::OkStatus();
}

// The details of a receipt, under `prefix` ("details").
absl::Status CheckDetails(absl::string_view prefix, const v1::ComplaintDetails& details,
                          absl::Time now, const Policy& policy) {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  if (details.channel() == v1::COMPLAINT_CHANNEL_UNSPECIFIED ||
      !v1::ComplaintChannel_IsValid(details.channel())) {
    return InvalidField(field("channel"), "must be PHONE, WEB, LETTER, VISIT or PLATFORM",
                        "请选择来源渠道：电话、网络、来信、来访或12369平台");
  }
  RETURN_IF_ERROR(CheckTicket(field("ticket_number"), details.ticket_number(),
                              details.channel() == v1::COMPLAINT_CHANNEL_PLATFORM));
  if (details.has_received_at()) {
    RETURN_IF_ERROR(CheckTimestamp(field("received_at"), details.received_at()));
    const absl::Time received = ToTime(details.received_at());
    if (received > now + policy.max_clock_skew) {
      return InvalidField(field("received_at"), "is in the future", "不能晚于现在");
    }
    if (received < absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone())) {
      return InvalidField(field("received_at"), "is before 2000", "不能早于2000年");
    }
  }
  RETURN_IF_ERROR(CheckText(field("title"), details.title(), kMaxTitleChars, true));
  RETURN_IF_ERROR(CheckText(field("content"), details.content(), kMaxContentChars, true));
  if (!v1::Category_IsValid(details.category())) {
    return InvalidField(field("category"), "is not a category", "请从列表中选择");
  }
  RETURN_IF_ERROR(CheckRegionCode(field("location.region_code"), details.location().region_code()));
  RETURN_IF_ERROR(CheckText(field("location.address"), details.location().address(), 500, false));
  if (details.location().has_point()) {
    const double latitude = details.location().point().latitude();
    const double longitude = details.location().point().longitude();
    if (!(latitude >= -90 && latitude <= 90)) {
      return InvalidField(field("location.point.latitude"), "must be between -90 and 90 degrees",
                          "须在 -90 至 90 度之间");
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      return InvalidField(field("location.point.longitude"),
                          "must be between -180 and 180 degrees", "须在 -180 至 180 度之间");
    }
    RETURN_IF_ERROR(CheckAccuracy(field("location.point.accuracy_m"),
                                  details.location().point().accuracy_m()));
  }
  RETURN_IF_ERROR(CheckText(field("subject.name"), details.subject().name(), 200, false));
  const std::string& uscc = details.subject().unified_social_credit_code();
  if (!uscc.empty() && !IsValidUnifiedSocialCreditCode(uscc)) {
    return InvalidField(field("subject.unified_social_credit_code"),
                        "is not a valid unified social credit code (18 characters, the last a "
                        "check character)",
                        "不是有效的统一社会信用代码（18 位，末位校验码须正确）");
  }
  const v1::Complainant& complainant = details.complainant();
  if (details.anonymous()) {
    if (!complainant.name().empty() || !complainant.phone().empty()) {
      return InvalidField(field("complainant"), "must be empty for an anonymous complaint",
                          "匿名举报不应填写举报人姓名或电话");
    }
  } else {
    if (complainant.name().empty() && complainant.phone().empty()) {
      return InvalidField(field("complainant"),
                          "needs a name or a phone unless the complaint is anonymous",
                          "请填写举报人姓名或电话，或标记为匿名举报");
    }
    RETURN_IF_ERROR(CheckText(field("complainant.name"), complainant.name(), 64, false));
    RETURN_IF_ERROR(CheckPhone(field("complainant.phone"), complainant.phone()));
  }
  return absl::OkStatus();
}

absl::Status CheckNotice(const v1::Complaint& complaint, const v1::ComplainantNotice& notice) {
  if (!v1::ComplainantNoticeChannel_IsValid(notice.channel())) {
    return InvalidField("notice.channel", "is not a channel", "请从列表中选择");
  }
  if (notice.channel() == v1::COMPLAINANT_NOTICE_CHANNEL_UNSPECIFIED &&
      !complaint.details().anonymous()) {
    return InvalidField("notice.channel",
                        "is required: say how the complainant was told (PHONE, SMS, LETTER, "
                        "IN_PERSON, PLATFORM)",
                        "请选择告知举报人的方式");
  }
  return CheckText("notice.note", notice.note(), kMaxNoticeNoteChars, false);
}

absl::Status RequireRole(const v1::Principal& principal, v1::Role role, absl::string_view action,
                         absl::string_view action_zh) {
  if (principal.role() == role) return absl::OkStatus();
  return Refuse(absl::StatusCode::kPermissionDenied,
                absl::StrCat("only a ", role == v1::ROLE_BUREAU_HEAD ? "BUREAU_HEAD" : "SUPERVISOR",
                             " may ", action, "; you act as ",
                             v1::Role_Name(principal.role())),
                absl::StrCat("只有", RoleWords(role), "可以", action_zh));
}

absl::Status RequireJurisdiction(const v1::Principal& principal, absl::string_view region,
                                 absl::string_view id) {
  if (IsSystem(principal) || InJurisdiction(std::string(region), principal.jurisdiction())) {
    return absl::OkStatus();
  }
  return ComplaintNotVisible(principal, id);
}

absl::Status RequireStatus(const v1::Complaint& complaint,
                           std::initializer_list<v1::ComplaintStatus> allowed,
                           absl::string_view action, absl::string_view action_zh) {
  for (v1::ComplaintStatus status : allowed) {
    if (complaint.status() == status) return absl::OkStatus();
  }
  std::string names;
  std::string words;
  for (v1::ComplaintStatus status : allowed) {
    absl::StrAppend(&names, names.empty() ? "" : " or ", StatusName(status));
    absl::StrAppend(&words, words.empty() ? "" : "或", "“", ComplaintStatusWords(status), "”");
  }
  return Refuse(absl::StatusCode::kFailedPrecondition,
                absl::StrCat("complaint ", complaint.complaint_id(), " is ",
                             StatusName(complaint.status()), "; only a complaint ", names,
                             " can be ", action),
                absl::StrCat("信访件 ", complaint.complaint_id(), " 当前为“",
                             ComplaintStatusWords(complaint.status()), "”，只有", words,
                             "的信访件才能", action_zh));
}

// OK while a site check may still close `complaint` as unfounded: no linked
// case (whose outcome answers it) and not closed so already.
absl::Status RequireOpenForSiteCheck(const v1::Complaint& complaint) {
  const std::string& id = complaint.complaint_id();
  if (complaint.links_size() > 0) {
    return Refuse(absl::StatusCode::kFailedPrecondition,
                  absl::StrCat("complaint ", id, " is linked to case ",
                               complaint.links(0).case_id(), "; its outcome answers the complaint"),
                  absl::StrCat("信访件 ", id, " 已关联案件 ", complaint.links(0).case_id(),
                               "，应以案件办理结果答复"));
  }
  if (complaint.has_site_check()) {
    return Refuse(absl::StatusCode::kFailedPrecondition,
                  absl::StrCat("complaint ", id, " was closed as unfounded already"),
                  absl::StrCat("信访件 ", id, " 已认定查无实据"));
  }
  return absl::OkStatus();
}

// The stored record of the document a close names at `at` (e.g.
// "check_documents[0]"): it must have been uploaded to the complaint
// (document_id among `uploaded`) with the same sha256 and size. The stored
// record is what the close records (its kind, name and media type as
// uploaded). INVALID_ARGUMENT naming the field otherwise.
absl::StatusOr<v1::SiteCheckDocument> UploadedDocumentFor(
    const std::string& at, const v1::SiteCheckDocument& named,
    const std::vector<v1::SiteCheckDocument>& uploaded) {
  if (named.document_id().empty()) {
    return InvalidField(absl::StrCat(at, ".document_id"),
                        "is required: upload the file first (UploadSiteCheckDocument)",
                        "必填：请先上传该文件");
  }
  RETURN_IF_ERROR(CheckId(absl::StrCat(at, ".document_id"), named.document_id(), true));
  RETURN_IF_ERROR(CheckSha256Hex(absl::StrCat(at, ".sha256"), named.sha256()));
  for (const v1::SiteCheckDocument& stored : uploaded) {
    if (stored.document_id() != named.document_id()) continue;
    if (stored.sha256() != named.sha256()) {
      return InvalidField(absl::StrCat(at, ".sha256"),
                          absl::StrCat("is ", named.sha256(), " but document ",
                                       stored.document_id(), " was stored with ", stored.sha256()),
                          absl::StrCat("与已上传的材料 ", stored.document_id(), "（",
                                       stored.file_name(), "）的哈希不符，请重新上传"));
    }
    if (stored.size() != named.size()) {
      return InvalidField(absl::StrCat(at, ".size"),
                          absl::StrCat("is ", named.size(), " but document ", stored.document_id(),
                                       " was stored with ", stored.size(), " bytes"),
                          absl::StrCat("为 ", named.size(), " 字节，与已上传的材料 ",
                                       stored.document_id(), "（", stored.size(), " 字节）不符"));
    }
    return stored;
  }
  return InvalidField(
      absl::StrCat(at, ".document_id"),
      absl::StrCat("names ", named.document_id(), ", which was not uploaded to this complaint"),
      absl::StrCat("材料 ", named.document_id(), " 未上传到本信访件，请先上传"));
}

bool IsLinked(const v1::Complaint& complaint, absl::string_view case_id) {
  for (const v1::ComplaintLink& link : complaint.links()) {
    if (link.case_id() == case_id) return true;
  }
  return false;
}

// What a closed case's outcome says: the closing remark (or the unfounded
// reason) when there is one. A remark is optional, and a case closed without
// one would quote nothing; then the outcome is what was done and what the
// verification found, and failing both, that it was rectified and closed.
std::string ClosedOutcome(const v1::Case& state) {
  if (!state.closure().reason().empty()) return state.closure().reason();
  if (state.closure().unfounded()) return "查无实据";
  std::vector<std::string> parts;
  if (!state.completion().summary().empty()) {
    parts.push_back(absl::StrCat("整改情况：", state.completion().summary()));
  }
  if (state.verification().passed()) {
    parts.push_back(state.verification().notes().empty()
                        ? std::string("验收合格")
                        : absl::StrCat("验收合格：", state.verification().notes()));
  }
  if (parts.empty()) return "已整改销号";
  return absl::StrJoin(parts, "；");
}

// The outcome a reply quotes for a linked case.
v1::CaseOutcomeQuote Quote(const v1::Case& state) {
  v1::CaseOutcomeQuote quote;
  quote.set_case_id(state.case_id());
  quote.set_status(state.status());
  quote.set_title(state.title());
  if (state.status() == v1::CASE_STATUS_CLOSED) {
    quote.set_unfounded(state.closure().unfounded());
    quote.set_outcome(ClosedOutcome(state));
    *quote.mutable_closed_at() = state.closure().closed_at();
  } else if (state.progress_reports_size() > 0) {
    quote.set_outcome(state.progress_reports(state.progress_reports_size() - 1).text());
  }
  return quote;
}

absl::Status DecideReceiveInto(Builder& builder, const v1::ComplaintDetails& details,
                               int import_row, absl::Time now) {
  v1::ComplaintReceived& received = *builder.Add().mutable_complaint_received();
  *received.mutable_details() = details;
  if (!received.details().has_received_at()) {
    *received.mutable_details()->mutable_received_at() = ToProto(now);
  }
  if (details.anonymous()) received.mutable_details()->clear_complainant();
  received.set_import_row(import_row);
  return builder.OpenClock(v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE, kAcceptClock,
                           ToTime(received.details().received_at()));
}

absl::StatusOr<ComplaintDecision> DecideMarkOverdue(const v1::Complaint& complaint,
                                                    const v1::Command& command,
                                                    const v1::Principal& principal, absl::Time now,
                                                    Builder& builder) {
  const std::string& deadline_id = command.mark_overdue().deadline_id();
  if (!IsSystem(principal)) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  "only the server's deadline scheduler may mark a clock overdue",
                  "只有系统的期限调度程序才能标记逾期");
  }
  const v1::Deadline* deadline = nullptr;
  for (const v1::Deadline& d : complaint.deadlines()) {
    if (d.deadline_id() == deadline_id) deadline = &d;
  }
  if (deadline == nullptr) {
    return Refuse(absl::StatusCode::kNotFound,
                  absl::StrCat("complaint ", complaint.complaint_id(), " has no clock ",
                               deadline_id),
                  absl::StrCat("信访件 ", complaint.complaint_id(), " 没有期限 ", deadline_id));
  }
  if (deadline->state() != v1::DEADLINE_STATE_OPEN) {
    return Refuse(absl::StatusCode::kFailedPrecondition,
                  absl::StrCat("clock ", deadline_id, " of complaint ", complaint.complaint_id(),
                               " no longer runs; a clock is marked overdue once"),
                  absl::StrCat("信访件 ", complaint.complaint_id(), " 的期限 ", deadline_id,
                               " 已不在计时中，不能再标记逾期"));
  }
  const absl::Time due = ToTime(deadline->due_at());
  if (now < due) {
    return WithUserMessage(
        NotYetDueError(absl::StrCat("clock ", deadline_id, " of complaint ",
                                    complaint.complaint_id(), " is not due yet"),
                       due),
        absl::StrCat("信访件 ", complaint.complaint_id(), " 的期限 ", deadline_id, " 尚未到期"));
  }
  v1::DeadlineMissed& missed = *builder.Add().mutable_deadline_missed();
  missed.set_deadline_id(deadline_id);
  *missed.mutable_due_at() = deadline->due_at();
  ComplaintDecision decision;
  decision.complaint_events = builder.Take();
  return decision;
}

absl::StatusOr<ComplaintDecision> DecideRecount(const v1::Complaint& complaint,
                                                const v1::Command& command,
                                                const v1::Principal& principal,
                                                const Policy& policy, Builder& builder) {
  const v1::RecountDeadlineRequest& request = command.recount_deadline();
  if (!IsSystem(principal)) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  "only the server may recount a clock under a new calendar",
                  "只有系统才能按新的节假日安排重算期限");
  }
  const v1::Deadline* deadline = nullptr;
  for (const v1::Deadline& d : complaint.deadlines()) {
    if (d.deadline_id() == request.deadline_id()) deadline = &d;
  }
  if (deadline == nullptr) {
    return Refuse(absl::StatusCode::kNotFound,
                  absl::StrCat("complaint ", complaint.complaint_id(), " has no clock ",
                               request.deadline_id()),
                  absl::StrCat("信访件 ", complaint.complaint_id(), " 没有期限 ",
                               request.deadline_id()));
  }
  // The case rule counts a complaint's clock alike: from its own start,
  // which every complaint clock records (rule.counted_from).
  v1::Case stand_in;
  stand_in.set_case_id(complaint.complaint_id());
  ASSIGN_OR_RETURN(const ComputedDeadline recounted, RecountDeadline(stand_in, *deadline, policy));
  if (!RecountChanges(*deadline, recounted)) {
    return Refuse(absl::StatusCode::kFailedPrecondition,
                  absl::StrCat("clock ", request.deadline_id(), " of complaint ",
                               complaint.complaint_id(),
                               " is already counted as the loaded calendar counts it"),
                  absl::StrCat("信访件 ", complaint.complaint_id(), " 的期限 ",
                               request.deadline_id(), " 已按现行节假日安排计算，无需重算"));
  }
  v1::DeadlineRecounted& event = *builder.Add().mutable_deadline_recounted();
  event.set_deadline_id(deadline->deadline_id());
  *event.mutable_previous_due_at() = deadline->due_at();
  *event.mutable_due_at() = ToProto(recounted.due_at);
  *event.mutable_rule() = recounted.rule;
  event.set_calendar_sha256(request.calendar_sha256());
  event.set_calendar_years(request.calendar_years());
  ComplaintDecision decision;
  decision.complaint_events = builder.Take();
  return decision;
}

absl::StatusOr<ComplaintDecision> DecideOpenCase(const v1::Complaint& complaint,
                                                 const v1::Command& command,
                                                 const v1::Principal& principal, absl::Time now,
                                                 const Policy& policy,
                                                 const ComplaintFacts& facts, Builder& builder) {
  const v1::OpenCaseFromComplaintRequest& request = command.open_case_from_complaint();
  RETURN_IF_ERROR(CheckText("note", request.note(), kMaxNoteChars, false));
  if (!v1::Category_IsValid(request.category())) {
    return InvalidField("category", "is not a category", "请从列表中选择");
  }
  RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_ACCEPTED}, "linked to a case",
                                "关联案件"));
  if (complaint.has_site_check()) {
    return Refuse(absl::StatusCode::kFailedPrecondition,
                  absl::StrCat("complaint ", complaint.complaint_id(),
                               " was closed as unfounded after a site check; reply to it"),
                  absl::StrCat("信访件 ", complaint.complaint_id(), " 已经现场核查认定查无实据，请答复举报人"));
  }
  const v1::ComplaintDetails& details = complaint.details();
  v1::Command report;
  report.set_stream_id(facts.new_case_id);
  report.set_command_id(command.command_id());
  v1::ReportCaseRequest& rc = *report.mutable_report_case();
  rc.set_command_id(command.command_id());
  rc.set_title(details.title());
  rc.set_description(details.content());
  rc.set_category(request.category() != v1::CATEGORY_UNSPECIFIED ? request.category()
                                                                 : details.category());
  rc.set_severity(request.severity());
  rc.set_source(v1::CASE_SOURCE_HOTLINE_12369);
  rc.set_source_reference(details.ticket_number().empty() ? complaint.complaint_id()
                                                          : details.ticket_number());
  *rc.mutable_location() = details.location();
  *rc.mutable_subject() = details.subject();
  // Never the complainant: a case travels to units and referrals.
  *rc.mutable_found_at() = details.received_at();
  ASSIGN_OR_RETURN(std::vector<v1::Event> case_events,
                   Decide(v1::Case(), report, principal, now, policy));
  v1::ComplaintLinked& linked = *builder.Add().mutable_complaint_linked();
  linked.set_case_id(facts.new_case_id);
  linked.set_kind(v1::COMPLAINT_LINK_KIND_NEW_CASE);
  linked.set_note(request.note());
  ComplaintDecision decision;
  decision.complaint_events = builder.Take();
  decision.case_id = facts.new_case_id;
  decision.case_events = std::move(case_events);
  return decision;
}

absl::Status DecideStep(const v1::Complaint& complaint, const v1::Command& command,
                        const v1::Principal& principal, absl::Time now, const Policy& policy,
                        const ComplaintFacts& facts, Builder& builder) {
  const std::string& id = complaint.complaint_id();
  switch (command.request_case()) {
    case v1::Command::kAcceptComplaint: {
      const auto& r = command.accept_complaint();
      RETURN_IF_ERROR(CheckText("note", r.note(), kMaxNoteChars, false));
      RETURN_IF_ERROR(CheckNotice(complaint, r.notice()));
      RETURN_IF_ERROR(
          RequireStatus(complaint, {v1::COMPLAINT_STATUS_RECEIVED}, "accepted", "受理"));
      v1::ComplaintAccepted& accepted = *builder.Add().mutable_complaint_accepted();
      accepted.set_note(r.note());
      *accepted.mutable_notice() = r.notice();
      builder.CloseClock(v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE);
      return builder.OpenClock(v1::DEADLINE_KIND_COMPLAINT_REPLY, kReplyClock, now);
    }
    case v1::Command::kTransferComplaint: {
      const auto& r = command.transfer_complaint();
      RETURN_IF_ERROR(CheckText("competent_body", r.competent_body(), 200, true));
      RETURN_IF_ERROR(CheckText("reason", r.reason(), kMaxNoteChars, true));
      RETURN_IF_ERROR(CheckNotice(complaint, r.notice()));
      RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_RECEIVED},
                                    "passed on to another body", "转办"));
      v1::ComplaintTransferred& transferred = *builder.Add().mutable_complaint_transferred();
      transferred.set_competent_body(r.competent_body());
      transferred.set_reason(r.reason());
      *transferred.mutable_notice() = r.notice();
      builder.CloseClock(v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE);
      return absl::OkStatus();
    }
    case v1::Command::kAttachComplaintToCase: {
      const auto& r = command.attach_complaint_to_case();
      RETURN_IF_ERROR(CheckCaseIdFormat("case_id", r.case_id()));
      RETURN_IF_ERROR(CheckText("note", r.note(), kMaxNoteChars, false));
      RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_ACCEPTED},
                                    "linked to a case", "关联案件"));
      if (complaint.has_site_check()) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("complaint ", id,
                                   " was closed as unfounded after a site check; reply to it"),
                      absl::StrCat("信访件 ", id, " 已经现场核查认定查无实据，请答复举报人"));
      }
      auto found = facts.cases.find(r.case_id());
      if (found == facts.cases.end() || found->second.version() == 0 ||
          !InJurisdiction(found->second.location().region_code(), principal.jurisdiction())) {
        return Refuse(absl::StatusCode::kNotFound,
                      absl::StrCat("case_id: case ", r.case_id(),
                                   " does not exist or is not visible to ",
                                   principal.principal_id()),
                      absl::StrCat("案件 ", r.case_id(), " 不存在或您无权查看"));
      }
      if (IsLinked(complaint, r.case_id())) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("complaint ", id, " is linked to case ", r.case_id(),
                                   " already"),
                      absl::StrCat("信访件 ", id, " 已关联案件 ", r.case_id()));
      }
      v1::ComplaintLinked& linked = *builder.Add().mutable_complaint_linked();
      linked.set_case_id(r.case_id());
      linked.set_kind(v1::COMPLAINT_LINK_KIND_ATTACHED);
      linked.set_note(r.note());
      return absl::OkStatus();
    }
    case v1::Command::kCloseComplaintUnfounded: {
      const auto& r = command.close_complaint_unfounded();
      if (!r.has_checked_at()) return InvalidField("checked_at", "is required", "必填");
      RETURN_IF_ERROR(CheckTimestamp("checked_at", r.checked_at()));
      if (ToTime(r.checked_at()) > now + policy.max_clock_skew) {
        return InvalidField("checked_at", "is in the future", "不能晚于现在");
      }
      if (ToTime(r.checked_at()) < ToTime(complaint.details().received_at())) {
        return InvalidField("checked_at", "is before the complaint was received",
                            "不能早于收到举报的时间");
      }
      if (r.inspectors_size() < 1 || r.inspectors_size() > 5) {
        return InvalidField("inspectors", "must name 1-5 officers who checked the site",
                            "须填写1至5名核查人员");
      }
      for (int i = 0; i < r.inspectors_size(); ++i) {
        RETURN_IF_ERROR(CheckId(absl::StrCat("inspectors[", i, "]"), r.inspectors(i), true));
      }
      RETURN_IF_ERROR(CheckText("findings", r.findings(), 2000, true));
      if (r.check_documents_size() < 1 || r.check_documents_size() > kMaxSiteCheckDocuments) {
        return InvalidField("check_documents", "must list 1-20 documents of the site check",
                            "须列出1至20份现场核查材料");
      }
      std::vector<v1::SiteCheckDocument> documents;
      for (int i = 0; i < r.check_documents_size(); ++i) {
        ASSIGN_OR_RETURN(v1::SiteCheckDocument stored,
                         UploadedDocumentFor(absl::StrCat("check_documents[", i, "]"),
                                             r.check_documents(i), facts.uploaded_documents));
        for (const v1::SiteCheckDocument& earlier : documents) {
          if (earlier.document_id() == stored.document_id()) {
            return InvalidField(absl::StrCat("check_documents[", i, "].document_id"),
                                absl::StrCat("names ", stored.document_id(), " twice"),
                                absl::StrCat("重复列出了材料 ", stored.document_id()));
          }
        }
        documents.push_back(std::move(stored));
      }
      RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_ACCEPTED},
                                    "closed as unfounded", "认定查无实据"));
      RETURN_IF_ERROR(RequireOpenForSiteCheck(complaint));
      v1::ComplaintClosedUnfounded& closed = *builder.Add().mutable_complaint_closed_unfounded();
      *closed.mutable_checked_at() = r.checked_at();
      *closed.mutable_inspectors() = r.inspectors();
      closed.set_findings(r.findings());
      for (v1::SiteCheckDocument& document : documents) {
        *closed.add_documents() = std::move(document);
      }
      return absl::OkStatus();
    }
    case v1::Command::kUploadSiteCheckDocument: {
      const auto& r = command.upload_site_check_document();
      if (r.kind() == v1::EVIDENCE_KIND_UNSPECIFIED || !v1::EvidenceKind_IsValid(r.kind())) {
        return InvalidField("kind", "must be an evidence kind", "请从列表中选择");
      }
      RETURN_IF_ERROR(CheckFileName("file_name", r.file_name()));
      RETURN_IF_ERROR(CheckMediaType("media_type", r.media_type()));
      RETURN_IF_ERROR(CheckSha256Hex("sha256", r.sha256()));
      if (r.size_bytes() <= 0) return InvalidField("size_bytes", "must be more than 0", "须大于 0");
      RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_ACCEPTED},
                                    "given site-check documents", "上传现场核查材料"));
      RETURN_IF_ERROR(RequireOpenForSiteCheck(complaint));
      if (facts.uploaded_documents.size() >= static_cast<size_t>(kMaxSiteCheckUploads)) {
        return Refuse(absl::StatusCode::kResourceExhausted,
                      absl::StrCat("complaint ", id, " has ", kMaxSiteCheckUploads,
                                   " site-check documents already; no more may be uploaded"),
                      absl::StrCat("信访件 ", id, " 已上传 ", kMaxSiteCheckUploads,
                                   " 份现场核查材料，不能再上传"));
      }
      v1::SiteCheckDocument& document =
          *builder.Add().mutable_site_check_document_uploaded()->mutable_document();
      document.set_document_id(absl::StrCat("scd-", facts.uploaded_documents.size() + 1));
      document.set_kind(r.kind());
      document.set_file_name(r.file_name());
      document.set_media_type(r.media_type());
      document.set_sha256(r.sha256());
      document.set_size(r.size_bytes());
      return absl::OkStatus();
    }
    case v1::Command::kExtendComplaintReply: {
      const auto& r = command.extend_complaint_reply();
      RETURN_IF_ERROR(CheckText("reason", r.reason(), kMaxNoteChars, true));
      RETURN_IF_ERROR(CheckNotice(complaint, r.notice()));
      RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_ACCEPTED},
                                    "given more time", "延期办理"));
      if (complaint.has_extension()) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("complaint ", id, "'s reply clock was extended already; it "
                                                     "may be extended once"),
                      absl::StrCat("信访件 ", id, " 已延期一次，不能再延期"));
      }
      const v1::Deadline* reply = RunningComplaintClock(complaint, v1::DEADLINE_KIND_COMPLAINT_REPLY);
      if (reply == nullptr || reply->state() != v1::DEADLINE_STATE_OPEN) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("complaint ", id,
                                   "'s reply clock is not running (or was missed); an extension "
                                   "is approved before it falls due"),
                      absl::StrCat("信访件 ", id, " 的办理期限已届满或未在计时，不能延期"));
      }
      const DeadlineSpec& spec = policy.deadline(v1::DEADLINE_KIND_COMPLAINT_REPLY_EXTENSION);
      if (!spec.enabled) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("policy ", policy.name, " allows no extension of the reply"),
                      "现行规则不允许延期办理");
      }
      if (policy.calendar == nullptr) return absl::FailedPreconditionError("no calendar");
      // The whole period counted again from its start with the extension
      // added (60 + 30 days from the acceptance), so that the holiday rule
      // applies once, to the new last day; a policy that counts the two in
      // different units adds the extension from the current due.
      ComputedDeadline extended;
      if (spec.unit == reply->rule().unit()) {
        ASSIGN_OR_RETURN(extended, CountDeadline(*policy.calendar, spec.unit,
                                                 reply->rule().amount() + spec.amount,
                                                 ToTime(reply->rule().counted_from())));
      } else {
        ASSIGN_OR_RETURN(extended, CountDeadline(*policy.calendar, spec.unit, spec.amount,
                                                 ToTime(reply->due_at())));
      }
      extended.rule.set_basis(absl::StrCat(reply->rule().basis(), "; +", spec.amount, " ",
                                           spec.basis, " (policy ", policy.name, ")"));
      v1::ComplaintReplyExtended& event = *builder.Add().mutable_complaint_reply_extended();
      event.set_days(spec.amount);
      event.set_reason(r.reason());
      *event.mutable_notice() = r.notice();
      v1::DeadlineExtended& moved = *builder.Add().mutable_deadline_extended();
      moved.set_deadline_id(reply->deadline_id());
      *moved.mutable_due_at() = ToProto(extended.due_at);
      *moved.mutable_rule() = extended.rule;
      return absl::OkStatus();
    }
    case v1::Command::kReplyToComplaint: {
      const auto& r = command.reply_to_complaint();
      RETURN_IF_ERROR(CheckText("text", r.text(), kMaxContentChars, true));
      RETURN_IF_ERROR(CheckNotice(complaint, r.notice()));
      RETURN_IF_ERROR(
          RequireStatus(complaint, {v1::COMPLAINT_STATUS_ACCEPTED}, "answered", "答复"));
      std::vector<v1::CaseOutcomeQuote> quotes;
      std::string open_case;
      for (const v1::ComplaintLink& link : complaint.links()) {
        auto found = facts.cases.find(link.case_id());
        if (found == facts.cases.end()) {
          return absl::InternalError(
              absl::StrCat("linked case ", link.case_id(), " of ", id, " was not read"));
        }
        quotes.push_back(Quote(found->second));
        if (found->second.status() != v1::CASE_STATUS_CLOSED && open_case.empty()) {
          open_case = link.case_id();
        }
      }
      if (!r.interim()) {
        if (complaint.links_size() == 0 && !complaint.has_site_check()) {
          return Refuse(absl::StatusCode::kFailedPrecondition,
                        absl::StrCat("complaint ", id,
                                     " has no linked case and no site check; link it to a case "
                                     "or close it as unfounded first, or make an interim reply"),
                        absl::StrCat("信访件 ", id,
                                     " 尚未关联案件，也未经现场核查；请先关联案件或认定查无实据，"
                                     "或作阶段性答复"));
        }
        if (!open_case.empty()) {
          const v1::Case& state = facts.cases.at(open_case);
          return Refuse(absl::StatusCode::kFailedPrecondition,
                        absl::StrCat("complaint ", id, "'s linked case ", open_case, " is ",
                                     v1::CaseStatus_Name(state.status()).substr(12),
                                     "; a final reply waits for it to close (make an interim "
                                     "reply meanwhile)"),
                        absl::StrCat("信访件 ", id, " 关联的案件 ", open_case, " 当前为“",
                                     CaseStatusWords(state.status()),
                                     "”，办结后才能正式答复；可先作阶段性答复"));
        }
      }
      v1::ComplaintReplied& replied = *builder.Add().mutable_complaint_replied();
      replied.set_text(r.text());
      replied.set_interim(r.interim());
      for (v1::CaseOutcomeQuote& quote : quotes) *replied.add_quoted_cases() = std::move(quote);
      *replied.mutable_notice() = r.notice();
      if (r.interim()) return absl::OkStatus();
      builder.CloseClock(v1::DEADLINE_KIND_COMPLAINT_REPLY);
      return builder.OpenClock(v1::DEADLINE_KIND_COMPLAINT_REVIEW_REQUEST, kReviewRequestClock,
                               now);
    }
    case v1::Command::kRequestComplaintReview: {
      const auto& r = command.request_complaint_review();
      RETURN_IF_ERROR(CheckText("grounds", r.grounds(), 2000, true));
      absl::Time requested = now;
      if (r.has_requested_at()) {
        RETURN_IF_ERROR(CheckTimestamp("requested_at", r.requested_at()));
        requested = ToTime(r.requested_at());
        if (requested > now + policy.max_clock_skew) {
          return InvalidField("requested_at", "is in the future", "不能晚于现在");
        }
      }
      RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_REPLIED},
                                    "reviewed", "申请复查"));
      const v1::Deadline* window =
          RunningComplaintClock(complaint, v1::DEADLINE_KIND_COMPLAINT_REVIEW_REQUEST);
      if (window == nullptr || window->state() != v1::DEADLINE_STATE_OPEN ||
          requested >= ToTime(window->due_at())) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("complaint ", id,
                                   ": the window to ask for review after the reply has closed"),
                      absl::StrCat("信访件 ", id, " 的复查申请期限已过"));
      }
      if (complaint.replies_size() > 0 &&
          requested < ToTime(complaint.replies(complaint.replies_size() - 1).replied_at())) {
        return InvalidField("requested_at", "is before the reply", "不能早于答复时间");
      }
      v1::Event& event = builder.Add();
      *event.mutable_occurred_at() = ToProto(requested);
      event.mutable_complaint_review_requested()->set_grounds(r.grounds());
      builder.CloseClock(v1::DEADLINE_KIND_COMPLAINT_REVIEW_REQUEST);
      return builder.OpenClock(v1::DEADLINE_KIND_COMPLAINT_REVIEW_ANSWER, kReviewAnswerClock,
                               requested);
    }
    case v1::Command::kAnswerComplaintReview: {
      const auto& r = command.answer_complaint_review();
      RETURN_IF_ERROR(CheckText("answer", r.answer(), kMaxContentChars, true));
      if (r.outcome() == v1::REVIEW_OUTCOME_UNSPECIFIED ||
          !v1::ReviewOutcome_IsValid(r.outcome())) {
        return InvalidField("outcome", "must be UPHELD or CHANGED", "请选择维持或变更");
      }
      RETURN_IF_ERROR(CheckNotice(complaint, r.notice()));
      RETURN_IF_ERROR(RequireStatus(complaint, {v1::COMPLAINT_STATUS_REVIEW_REQUESTED},
                                    "answered on review", "答复复查"));
      v1::ComplaintReviewAnswered& answered = *builder.Add().mutable_complaint_review_answered();
      answered.set_answer(r.answer());
      answered.set_outcome(r.outcome());
      *answered.mutable_notice() = r.notice();
      builder.CloseClock(v1::DEADLINE_KIND_COMPLAINT_REVIEW_ANSWER);
      return absl::OkStatus();
    }
    case v1::Command::kRecordComplaintCallback: {
      const auto& r = command.record_complaint_callback();
      if (r.result() == v1::CALLBACK_RESULT_UNSPECIFIED || !v1::CallbackResult_IsValid(r.result())) {
        return InvalidField("result", "must be SATISFIED, NOT_SATISFIED or UNREACHABLE",
                            "请选择满意、不满意或联系不上");
      }
      RETURN_IF_ERROR(CheckText("note", r.note(), kMaxNoteChars,
                                r.result() == v1::CALLBACK_RESULT_NOT_SATISFIED));
      RETURN_IF_ERROR(RequireStatus(complaint,
                                    {v1::COMPLAINT_STATUS_REPLIED,
                                     v1::COMPLAINT_STATUS_REVIEW_REQUESTED,
                                     v1::COMPLAINT_STATUS_REVIEW_ANSWERED},
                                    "called back", "回访"));
      if (complaint.details().anonymous()) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("complaint ", id, " is anonymous: nobody to call back"),
                      absl::StrCat("信访件 ", id, " 为匿名举报，无法回访"));
      }
      v1::ComplaintCallbackRecorded& callback = *builder.Add().mutable_complaint_callback_recorded();
      callback.set_result(r.result());
      callback.set_note(r.note());
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError("not a complaint command");
  }
}

}  // namespace

absl::StatusOr<ComplaintDecision> DecideComplaint(const v1::Complaint& complaint,
                                                  const v1::Command& command,
                                                  const v1::Principal& principal, absl::Time now,
                                                  const Policy& policy,
                                                  const ComplaintFacts& facts) {
  const bool clock_command = command.has_mark_overdue() || command.has_recount_deadline();
  if (!IsComplaintCommand(command) && !clock_command) {
    return absl::InvalidArgumentError("not a complaint command");
  }
  if (command.has_import_complaints()) {
    return absl::InvalidArgumentError("an import is decided row by row (DecideImportedRow)");
  }
  RETURN_IF_ERROR(CheckId("command_id", command.command_id(), true));
  if (command.has_receive_complaint()) {
    const v1::ComplaintDetails& details = command.receive_complaint().details();
    RETURN_IF_ERROR(CheckDetails("details", details, now, policy));
    RETURN_IF_ERROR(RequireRole(principal, v1::ROLE_SUPERVISOR, "receive a complaint",
                                "登记信访件"));
    if (!InJurisdiction(details.location().region_code(), principal.jurisdiction())) {
      return Refuse(absl::StatusCode::kPermissionDenied,
                    absl::StrCat("details.location.region_code: region ",
                                 details.location().region_code(),
                                 " is outside your jurisdiction ", principal.jurisdiction()),
                    absl::StrCat("行政区划 ", details.location().region_code(),
                                 " 不在您的辖区内"));
    }
    if (complaint.version() > 0) {
      return Refuse(absl::StatusCode::kAlreadyExists,
                    absl::StrCat("complaint ", command.stream_id(), " exists already"),
                    absl::StrCat("信访件 ", command.stream_id(), " 已存在"));
    }
    if (!facts.ticket_owner.empty()) {
      return WithUserMessage(
          absl::AlreadyExistsError(absl::StrCat("details.ticket_number: ticket ",
                                                details.ticket_number(),
                                                " was received already as complaint ",
                                                facts.ticket_owner)),
          absl::StrCat("工单号 ", details.ticket_number(), " 已登记为信访件 ",
                       facts.ticket_owner),
          "details.ticket_number");
    }
    Builder builder(complaint, command, principal, now, policy, command.stream_id(),
                    details.location().region_code());
    RETURN_IF_ERROR(DecideReceiveInto(builder, details, 0, now));
    ComplaintDecision decision;
    decision.complaint_events = builder.Take();
    return decision;
  }
  const std::string& id = ComplaintIdOf(command);
  if (!clock_command) RETURN_IF_ERROR(CheckComplaintIdFormat("complaint_id", id));
  if (complaint.version() == 0) return ComplaintNotVisible(principal, id);
  if (!IsSystem(principal) && !MayReadComplaint(principal, ComplaintRegion(complaint))) {
    return ComplaintNotVisible(principal, id);
  }
  Builder builder(complaint, command, principal, now, policy, complaint.complaint_id(),
                  ComplaintRegion(complaint));
  if (command.has_mark_overdue()) {
    return DecideMarkOverdue(complaint, command, principal, now, builder);
  }
  if (command.has_recount_deadline()) {
    return DecideRecount(complaint, command, principal, policy, builder);
  }
  if (command.has_extend_complaint_reply()) {
    RETURN_IF_ERROR(RequireRole(principal, v1::ROLE_BUREAU_HEAD,
                                "approve more time for a complaint's reply", "批准信访件延期办理"));
  } else {
    RETURN_IF_ERROR(RequireRole(principal, v1::ROLE_SUPERVISOR, "act on a complaint",
                                "办理信访件"));
  }
  RETURN_IF_ERROR(RequireJurisdiction(principal, ComplaintRegion(complaint), id));
  if (command.has_open_case_from_complaint()) {
    if (facts.new_case_id.empty()) {
      return absl::InternalError("no case id was allocated for the new case");
    }
    return DecideOpenCase(complaint, command, principal, now, policy, facts, builder);
  }
  RETURN_IF_ERROR(DecideStep(complaint, command, principal, now, policy, facts, builder));
  ComplaintDecision decision;
  decision.complaint_events = builder.Take();
  return decision;
}

absl::StatusOr<std::vector<v1::ComplaintImportProblem>> CheckComplaintImport(
    const v1::ImportComplaintsRequest& request, const v1::Principal& principal, absl::Time now,
    const Policy& policy) {
  RETURN_IF_ERROR(CheckId("command_id", request.command_id(), true));
  RETURN_IF_ERROR(RequireRole(principal, v1::ROLE_SUPERVISOR, "import complaints",
                              "导入信访件"));
  if (request.rows_size() < 1 || request.rows_size() > kMaxComplaintImportRows) {
    return InvalidField("rows",
                        absl::StrCat("must hold 1-", kMaxComplaintImportRows, " rows"),
                        absl::StrCat("每次须导入1至", kMaxComplaintImportRows, "行"));
  }
  std::vector<v1::ComplaintImportProblem> problems;
  std::set<int> numbers;
  std::set<std::string> tickets;
  for (const v1::ComplaintImportRow& row : request.rows()) {
    auto problem = [&](const absl::Status& status) {
      v1::ComplaintImportProblem& p = problems.emplace_back();
      p.set_row_number(row.row_number());
      const v1::UserMessage user = UserMessageFor(status);
      p.set_message(std::string(status.message()));
      p.set_field(user.field());
      p.set_message_zh(user.zh_cn());
    };
    if (row.row_number() < 1 || !numbers.insert(row.row_number()).second) {
      problem(InvalidField("row_number", "must be 1 or more and used once", "行号须为正数且不重复"));
      continue;
    }
    v1::ComplaintDetails details = row.details();
    if (details.channel() == v1::COMPLAINT_CHANNEL_UNSPECIFIED) {
      details.set_channel(v1::COMPLAINT_CHANNEL_PLATFORM);
    }
    if (details.channel() != v1::COMPLAINT_CHANNEL_PLATFORM) {
      problem(InvalidField("details.channel", "must be PLATFORM in an import",
                           "导入的信访件来源须为12369平台"));
      continue;
    }
    if (absl::Status status = CheckDetails("details", details, now, policy); !status.ok()) {
      problem(status);
      continue;
    }
    if (!InJurisdiction(details.location().region_code(), principal.jurisdiction())) {
      problem(InvalidField("details.location.region_code",
                           absl::StrCat("region ", details.location().region_code(),
                                        " is outside your jurisdiction ",
                                        principal.jurisdiction()),
                           "不在您的辖区内"));
      continue;
    }
    if (!tickets.insert(details.ticket_number()).second) {
      problem(InvalidField("details.ticket_number",
                           absl::StrCat("ticket ", details.ticket_number(),
                                        " appears on an earlier row too"),
                           "工单号与前面的行重复"));
    }
  }
  return problems;
}

absl::StatusOr<std::vector<v1::Event>> DecideImportedRow(const v1::ComplaintImportRow& row,
                                                         const std::string& complaint_id,
                                                         const v1::Command& command,
                                                         const v1::Principal& principal,
                                                         absl::Time now, const Policy& policy) {
  v1::ComplaintDetails details = row.details();
  if (details.channel() == v1::COMPLAINT_CHANNEL_UNSPECIFIED) {
    details.set_channel(v1::COMPLAINT_CHANNEL_PLATFORM);
  }
  RETURN_IF_ERROR(CheckDetails("details", details, now, policy));
  const v1::Complaint empty;
  Builder builder(empty, command, principal, now, policy, complaint_id,
                  details.location().region_code());
  RETURN_IF_ERROR(DecideReceiveInto(builder, details, row.row_number(), now));
  return builder.Take();
}

}  // namespace rectify::workflow
