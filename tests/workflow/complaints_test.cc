// The complaint decider and its Evolve, pure: every step on every status
// (table), who may act, the clocks counted across holidays (expected due
// instants worked out by hand from DOMAIN.md's 2026 table), the reply that
// waits for the linked case, the case opened from a complaint (facts copied,
// never the complainant), the review window, missed clocks, and the import's
// row checks.
#include "workflow/complaints.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/user_message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

absl::Time Local(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), kChina);
}

v1::Principal Caller(v1::Role role, const std::string& jurisdiction = "620722") {
  v1::Principal p;
  p.set_principal_id("p-" + v1::Role_Name(role));
  p.set_role(role);
  p.set_jurisdiction(jurisdiction);
  return p;
}

v1::Principal System() {
  v1::Principal p;
  p.set_principal_id("system");
  p.set_role(v1::ROLE_SYSTEM);
  return p;
}

v1::ComplaintDetails Details(bool anonymous = false) {
  v1::ComplaintDetails d;
  d.set_channel(v1::COMPLAINT_CHANNEL_PHONE);
  d.set_ticket_number("12369-620722-2026-00042");
  d.set_title("砂石料场夜间扬尘");
  d.set_content("北滩村砂石料场夜间作业，扬尘很大，无覆盖。");
  d.set_category(v1::CATEGORY_AIR);
  d.mutable_location()->set_region_code("620722");
  d.mutable_location()->set_address("洪水镇 北滩村 砂石料场");
  d.set_anonymous(anonymous);
  if (!anonymous) {
    d.mutable_complainant()->set_name("李四");
    d.mutable_complainant()->set_phone("13800000000");
  }
  return d;
}

const std::string kId = "XF-620722-2026-000001";

v1::Command Cmd(const std::string& command_id) {
  v1::Command c;
  c.set_command_id(command_id);
  return c;
}

v1::ComplainantNotice Told() {
  v1::ComplainantNotice n;
  n.set_channel(v1::COMPLAINANT_NOTICE_CHANNEL_PHONE);
  return n;
}

v1::Command Receive(const v1::ComplaintDetails& details) {
  v1::Command c = Cmd("receive");
  c.set_stream_id(kId);
  *c.mutable_receive_complaint()->mutable_details() = details;
  return c;
}
v1::Command Accept() {
  v1::Command c = Cmd("accept");
  c.mutable_accept_complaint()->set_complaint_id(kId);
  *c.mutable_accept_complaint()->mutable_notice() = Told();
  return c;
}
v1::Command Transfer() {
  v1::Command c = Cmd("transfer");
  c.mutable_transfer_complaint()->set_complaint_id(kId);
  c.mutable_transfer_complaint()->set_competent_body("民乐县住房和城乡建设局");
  c.mutable_transfer_complaint()->set_reason("建筑工地扬尘由住建部门监管");
  *c.mutable_transfer_complaint()->mutable_notice() = Told();
  return c;
}
v1::Command Attach(const std::string& case_id) {
  v1::Command c = Cmd("attach-" + case_id);
  c.mutable_attach_complaint_to_case()->set_complaint_id(kId);
  c.mutable_attach_complaint_to_case()->set_case_id(case_id);
  return c;
}
v1::Command Unfounded(absl::Time checked_at) {
  v1::Command c = Cmd("unfounded");
  auto& r = *c.mutable_close_complaint_unfounded();
  r.set_complaint_id(kId);
  *r.mutable_checked_at() = ToProto(checked_at);
  r.add_inspectors("insp-zhang");
  r.set_findings("现场无作业，无扬尘");
  // Named as the client has it from the upload: id, SHA-256 and size.
  v1::SiteCheckDocument& doc = *r.add_check_documents();
  doc.set_document_id("scd-1");
  doc.set_sha256(std::string(64, 'a'));
  doc.set_size(2048);
  return c;
}
// The upload of the inspection record the close above names.
v1::Command Upload(const std::string& command_id = "upload") {
  v1::Command c = Cmd(command_id);
  auto& r = *c.mutable_upload_site_check_document();
  r.set_complaint_id(kId);
  r.set_kind(v1::EVIDENCE_KIND_INSPECTION_RECORD);
  r.set_file_name("现场检查笔录.pdf");
  r.set_media_type("application/pdf");
  r.set_sha256(std::string(64, 'a'));
  r.set_size_bytes(2048);
  return c;
}
// What the pipeline reads back after Upload(): the stored record.
v1::SiteCheckDocument Stored(const std::string& id = "scd-1") {
  v1::SiteCheckDocument d;
  d.set_document_id(id);
  d.set_kind(v1::EVIDENCE_KIND_INSPECTION_RECORD);
  d.set_file_name("现场检查笔录.pdf");
  d.set_media_type("application/pdf");
  d.set_sha256(std::string(64, 'a'));
  d.set_size(2048);
  return d;
}
ComplaintFacts WithUploaded() {
  ComplaintFacts facts;
  facts.uploaded_documents.push_back(Stored());
  return facts;
}
v1::Command Extend() {
  v1::Command c = Cmd("extend");
  c.mutable_extend_complaint_reply()->set_complaint_id(kId);
  c.mutable_extend_complaint_reply()->set_reason("涉及多家企业，需联合监测");
  *c.mutable_extend_complaint_reply()->mutable_notice() = Told();
  return c;
}
v1::Command Reply(bool interim, const std::string& command_id = "reply") {
  v1::Command c = Cmd(command_id);
  c.mutable_reply_to_complaint()->set_complaint_id(kId);
  c.mutable_reply_to_complaint()->set_text("经查，该料场已整改到位。");
  c.mutable_reply_to_complaint()->set_interim(interim);
  *c.mutable_reply_to_complaint()->mutable_notice() = Told();
  return c;
}
v1::Command RequestReview() {
  v1::Command c = Cmd("review");
  c.mutable_request_complaint_review()->set_complaint_id(kId);
  c.mutable_request_complaint_review()->set_grounds("夜间仍有扬尘");
  return c;
}
v1::Command AnswerReview() {
  v1::Command c = Cmd("answer");
  c.mutable_answer_complaint_review()->set_complaint_id(kId);
  c.mutable_answer_complaint_review()->set_answer("复查属实，已责令停产整改");
  c.mutable_answer_complaint_review()->set_outcome(v1::REVIEW_OUTCOME_CHANGED);
  *c.mutable_answer_complaint_review()->mutable_notice() = Told();
  return c;
}
v1::Command Callback(v1::CallbackResult result, const std::string& note = "") {
  v1::Command c = Cmd("callback");
  c.mutable_record_complaint_callback()->set_complaint_id(kId);
  c.mutable_record_complaint_callback()->set_result(result);
  c.mutable_record_complaint_callback()->set_note(note);
  return c;
}
v1::Command MarkOverdue(const std::string& deadline_id) {
  v1::Command c = Cmd("overdue-" + deadline_id);
  c.set_stream_id(kId);
  c.mutable_mark_overdue()->set_deadline_id(deadline_id);
  return c;
}

v1::Case ClosedCase(const std::string& id, v1::CaseStatus status = v1::CASE_STATUS_CLOSED) {
  v1::Case c;
  c.set_case_id(id);
  c.set_version(9);
  c.set_status(status);
  c.set_title("砂石料场扬尘未覆盖");
  c.mutable_location()->set_region_code("620722");
  if (status == v1::CASE_STATUS_CLOSED) c.mutable_closure()->set_reason("已覆盖防尘网，验收合格");
  return c;
}

// Decides and folds; the test fails on a refusal.
class Complaint {
 public:
  absl::Status Try(const v1::Command& command, const v1::Principal& principal, absl::Time now,
                   const ComplaintFacts& facts = {}) {
    absl::StatusOr<ComplaintDecision> decision =
        DecideComplaint(state, command, principal, now, policy, facts);
    if (!decision.ok()) return decision.status();
    last = *decision;
    for (const v1::Event& event : decision->complaint_events) {
      absl::Status folded = EvolveComplaint(state, event);
      if (!folded.ok()) return folded;
    }
    return absl::OkStatus();
  }
  void Do(const v1::Command& command, absl::Time now, const ComplaintFacts& facts = {},
          v1::Role role = v1::ROLE_SUPERVISOR) {
    ASSERT_OK(Try(command, Caller(role), now, facts));
  }
  const v1::Deadline& Clock(const std::string& id) const {
    for (const v1::Deadline& d : state.deadlines()) {
      if (d.deadline_id() == id) return d;
    }
    static const v1::Deadline* none = new v1::Deadline();
    ADD_FAILURE() << "no clock " << id;
    return *none;
  }

  Policy policy;
  v1::Complaint state;
  ComplaintDecision last;
};

ComplaintFacts WithCase(const v1::Case& c) {
  ComplaintFacts facts;
  facts.cases[c.case_id()] = c;
  return facts;
}

// --- Clocks across holidays (DOMAIN.md's 2026 table, counted by hand) ---

TEST(ComplaintClocksTest, AcceptanceOverSpringFestivalEndsOnTheNextWorkingDay) {
  // Received Sunday 2026-02-01 10:00: the 15th day after is Mon 02-16, in the
  // Spring Festival holiday (02-15 to 02-23); the next working day is Tue
  // 02-24, so the clock ends at its end: 2026-02-25 00:00 China time.
  Complaint c;
  v1::ComplaintDetails d = Details();
  *d.mutable_received_at() = ToProto(Local(2026, 2, 1, 10));
  c.Do(Receive(d), Local(2026, 2, 1, 11));
  EXPECT_EQ(c.state.status(), v1::COMPLAINT_STATUS_RECEIVED);
  EXPECT_EQ(ToTime(c.Clock(kAcceptClock).due_at()), Local(2026, 2, 25));
  EXPECT_EQ(c.Clock(kAcceptClock).kind(), v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE);
  EXPECT_EQ(c.Clock(kAcceptClock).rule().amount(), 15);
}

TEST(ComplaintClocksTest, AcceptanceCountsFromTheReceiptNotTheRecording) {
  // Received (on the platform) Sun 2026-09-20, an adjusted workday, recorded
  // 09-22: day 15 after 09-20 is Mon 10-05 (National Day, 10-01 to 10-07);
  // the next working day is Thu 10-08: due 2026-10-09 00:00.
  Complaint c;
  v1::ComplaintDetails d = Details();
  *d.mutable_received_at() = ToProto(Local(2026, 9, 20, 10));
  c.Do(Receive(d), Local(2026, 9, 22, 9));
  EXPECT_EQ(ToTime(c.Clock(kAcceptClock).due_at()), Local(2026, 10, 9));
}

TEST(ComplaintClocksTest, ReplySixtyDaysThenExtendedToNinetyOverDragonBoat) {
  // Accepted Sat 2026-03-21 09:00: day 60 after is Wed 05-20, a working day:
  // due 05-21 00:00. Extended (+30, 90 in all from the acceptance): day 90
  // is Fri 06-19, Dragon Boat (06-19 to 06-21); next working day Mon 06-22:
  // due 06-23 00:00.
  Complaint c;
  v1::ComplaintDetails d = Details();
  *d.mutable_received_at() = ToProto(Local(2026, 3, 10, 9));
  c.Do(Receive(d), Local(2026, 3, 10, 9));
  c.Do(Accept(), Local(2026, 3, 21, 9));
  EXPECT_EQ(c.Clock(kAcceptClock).state(), v1::DEADLINE_STATE_MET);
  EXPECT_EQ(ToTime(c.Clock(kReplyClock).due_at()), Local(2026, 5, 21));
  c.Do(Extend(), Local(2026, 5, 1, 9), {}, v1::ROLE_BUREAU_HEAD);
  EXPECT_EQ(ToTime(c.Clock(kReplyClock).due_at()), Local(2026, 6, 23));
  EXPECT_EQ(c.state.extension().days(), 30);
  EXPECT_EQ(c.state.extension().reason(), "涉及多家企业，需联合监测");
  // Once only.
  EXPECT_THAT(c.Try(Extend(), Caller(v1::ROLE_BUREAU_HEAD), Local(2026, 5, 2, 9)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("once")));
}

TEST(ComplaintClocksTest, ReviewWindowOverNationalDayAndClosingAfterIt) {
  // Final reply Tue 2026-09-01 10:00: day 30 after is Thu 10-01 (holiday to
  // 10-07); next working day Thu 10-08: the window ends 10-09 00:00.
  Complaint c;
  v1::ComplaintDetails d = Details();
  *d.mutable_received_at() = ToProto(Local(2026, 8, 1, 9));
  c.Do(Receive(d), Local(2026, 8, 1, 9));
  c.Do(Accept(), Local(2026, 8, 3, 9));
  c.Do(Attach("620722-2026-000007"), Local(2026, 8, 4, 9), WithCase(ClosedCase("620722-2026-000007")));
  c.Do(Reply(false), Local(2026, 9, 1, 10), WithCase(ClosedCase("620722-2026-000007")));
  EXPECT_EQ(ToTime(c.Clock(kReviewRequestClock).due_at()), Local(2026, 10, 9));
  // 10-09 00:00 is past the window.
  EXPECT_THAT(c.Try(RequestReview(), Caller(v1::ROLE_SUPERVISOR), Local(2026, 10, 9, 0, 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("window")));
  // On 10-08 it is open; the answer clock: 30 days after 10-08 is Sat 11-07,
  // not a working day; Mon 11-09: due 11-10 00:00.
  c.Do(RequestReview(), Local(2026, 10, 8, 15));
  EXPECT_EQ(c.state.status(), v1::COMPLAINT_STATUS_REVIEW_REQUESTED);
  EXPECT_EQ(ToTime(c.Clock(kReviewAnswerClock).due_at()), Local(2026, 11, 10));
  c.Do(AnswerReview(), Local(2026, 10, 20, 9));
  EXPECT_EQ(c.state.status(), v1::COMPLAINT_STATUS_REVIEW_ANSWERED);
  EXPECT_EQ(c.Clock(kReviewAnswerClock).state(), v1::DEADLINE_STATE_MET);
}

TEST(ComplaintClocksTest, MissedClockIsMarkedOnceAndMakesTheComplaintOverdue) {
  Complaint c;
  v1::ComplaintDetails d = Details();
  *d.mutable_received_at() = ToProto(Local(2026, 3, 2, 9));
  c.Do(Receive(d), Local(2026, 3, 2, 9));
  // Day 15 after Mon 03-02 is Tue 03-17: due 03-18 00:00.
  ASSERT_EQ(ToTime(c.Clock(kAcceptClock).due_at()), Local(2026, 3, 18));
  const absl::Status early = c.Try(MarkOverdue(kAcceptClock), System(), Local(2026, 3, 17, 23));
  EXPECT_TRUE(NotYetDueUntil(early).has_value()) << early;
  EXPECT_THAT(c.Try(MarkOverdue(kAcceptClock), Caller(v1::ROLE_SUPERVISOR), Local(2026, 3, 18)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK(c.Try(MarkOverdue(kAcceptClock), System(), Local(2026, 3, 18)));
  EXPECT_TRUE(c.state.overdue());
  EXPECT_EQ(c.Clock(kAcceptClock).state(), v1::DEADLINE_STATE_MISSED);
  EXPECT_THAT(c.Try(MarkOverdue(kAcceptClock), System(), Local(2026, 3, 19)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Accepted late: MET_LATE, no longer overdue.
  c.Do(Accept(), Local(2026, 3, 19, 9));
  EXPECT_EQ(c.Clock(kAcceptClock).state(), v1::DEADLINE_STATE_MET_LATE);
  EXPECT_FALSE(c.state.overdue());
}

TEST(ComplaintClocksTest, ShippedPolicyFileHasTheComplaintClocks) {
  const Policy policy;
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE).amount, 15);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_COMPLAINT_REPLY).amount, 60);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_COMPLAINT_REPLY_EXTENSION).amount, 30);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_COMPLAINT_REVIEW_REQUEST).amount, 30);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_COMPLAINT_REVIEW_ANSWER).amount, 30);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_COMPLAINT_REPLY).unit,
            v1::DEADLINE_UNIT_CALENDAR_DAYS);
}

// --- Every step on every status ---

// A complaint brought to `status` by the real steps.
Complaint InStatus(v1::ComplaintStatus status) {
  Complaint c;
  const absl::Time t0 = Local(2026, 3, 2, 9);
  v1::ComplaintDetails d = Details();
  *d.mutable_received_at() = ToProto(t0);
  c.Do(Receive(d), t0);
  const ComplaintFacts closed = WithCase(ClosedCase("620722-2026-000007"));
  switch (status) {
    case v1::COMPLAINT_STATUS_RECEIVED:
      break;
    case v1::COMPLAINT_STATUS_TRANSFERRED:
      c.Do(Transfer(), t0 + absl::Hours(24));
      break;
    default:
      c.Do(Accept(), t0 + absl::Hours(24));
      if (status == v1::COMPLAINT_STATUS_ACCEPTED) break;
      c.Do(Attach("620722-2026-000007"), t0 + absl::Hours(48), closed);
      c.Do(Reply(false), t0 + absl::Hours(72), closed);
      if (status == v1::COMPLAINT_STATUS_REPLIED) break;
      c.Do(RequestReview(), t0 + absl::Hours(96));
      if (status == v1::COMPLAINT_STATUS_REVIEW_REQUESTED) break;
      c.Do(AnswerReview(), t0 + absl::Hours(120));
  }
  EXPECT_EQ(c.state.status(), status);
  return c;
}

struct StepCase {
  std::string name;
  v1::Command command;
  v1::Role role;
  std::vector<v1::ComplaintStatus> allowed;
};

TEST(ComplaintStepsTest, EveryStepOnEveryStatus) {
  const std::vector<v1::ComplaintStatus> statuses = {
      v1::COMPLAINT_STATUS_RECEIVED,         v1::COMPLAINT_STATUS_ACCEPTED,
      v1::COMPLAINT_STATUS_TRANSFERRED,      v1::COMPLAINT_STATUS_REPLIED,
      v1::COMPLAINT_STATUS_REVIEW_REQUESTED, v1::COMPLAINT_STATUS_REVIEW_ANSWERED};
  const std::vector<StepCase> steps = {
      {"accept", Accept(), v1::ROLE_SUPERVISOR, {v1::COMPLAINT_STATUS_RECEIVED}},
      {"transfer", Transfer(), v1::ROLE_SUPERVISOR, {v1::COMPLAINT_STATUS_RECEIVED}},
      {"attach",
       Attach("620722-2026-000009"),
       v1::ROLE_SUPERVISOR,
       {v1::COMPLAINT_STATUS_ACCEPTED}},
      {"unfounded",
       Unfounded(Local(2026, 3, 10, 9)),
       v1::ROLE_SUPERVISOR,
       {v1::COMPLAINT_STATUS_ACCEPTED}},
      {"upload", Upload(), v1::ROLE_SUPERVISOR, {v1::COMPLAINT_STATUS_ACCEPTED}},
      {"extend", Extend(), v1::ROLE_BUREAU_HEAD, {v1::COMPLAINT_STATUS_ACCEPTED}},
      {"interim reply", Reply(true), v1::ROLE_SUPERVISOR, {v1::COMPLAINT_STATUS_ACCEPTED}},
      {"review", RequestReview(), v1::ROLE_SUPERVISOR, {v1::COMPLAINT_STATUS_REPLIED}},
      {"answer", AnswerReview(), v1::ROLE_SUPERVISOR, {v1::COMPLAINT_STATUS_REVIEW_REQUESTED}},
      {"callback",
       Callback(v1::CALLBACK_RESULT_SATISFIED),
       v1::ROLE_SUPERVISOR,
       {v1::COMPLAINT_STATUS_REPLIED, v1::COMPLAINT_STATUS_REVIEW_REQUESTED,
        v1::COMPLAINT_STATUS_REVIEW_ANSWERED}},
  };
  const absl::Time now = Local(2026, 3, 12, 9);
  ComplaintFacts facts = WithCase(ClosedCase("620722-2026-000007"));
  facts.cases["620722-2026-000009"] = ClosedCase("620722-2026-000009", v1::CASE_STATUS_RECTIFYING);
  facts.uploaded_documents.push_back(Stored());
  for (const StepCase& step : steps) {
    for (v1::ComplaintStatus status : statuses) {
      Complaint c = InStatus(status);
      const bool allowed =
          std::find(step.allowed.begin(), step.allowed.end(), status) != step.allowed.end();
      const absl::Status result = c.Try(step.command, Caller(step.role), now, facts);
      if (allowed) {
        EXPECT_OK(result) << step.name << " on " << v1::ComplaintStatus_Name(status);
      } else {
        EXPECT_THAT(result, StatusIs(absl::StatusCode::kFailedPrecondition))
            << step.name << " on " << v1::ComplaintStatus_Name(status);
        const v1::UserMessage user = UserMessageFor(result);
        EXPECT_THAT(user.zh_cn(), HasSubstr("信访件 " + kId)) << step.name;
      }
    }
  }
}

TEST(ComplaintStepsTest, WhoMayAct) {
  const absl::Time now = Local(2026, 3, 12, 9);
  for (v1::Role role : {v1::ROLE_INSPECTOR, v1::ROLE_RECTIFIER, v1::ROLE_BUREAU_HEAD,
                        v1::ROLE_POLICE, v1::ROLE_PROCURATOR, v1::ROLE_AUDITOR, v1::ROLE_ADMIN}) {
    Complaint c = InStatus(v1::COMPLAINT_STATUS_RECEIVED);
    const absl::Status result = c.Try(Accept(), Caller(role), now);
    // Readers of complaints are refused the act; others do not see it.
    EXPECT_TRUE(absl::IsPermissionDenied(result) || absl::IsNotFound(result))
        << v1::Role_Name(role) << ": " << result;
    EXPECT_FALSE(UserMessageFor(result).zh_cn().empty());
  }
  Complaint c = InStatus(v1::COMPLAINT_STATUS_RECEIVED);
  // A supervisor of another county does not see it.
  EXPECT_THAT(c.Try(Accept(), Caller(v1::ROLE_SUPERVISOR, "620702"), now),
              StatusIs(absl::StatusCode::kNotFound));
  // A supervisor of the city does.
  EXPECT_OK(c.Try(Accept(), Caller(v1::ROLE_SUPERVISOR, "6207"), now));
  // The extension is the bureau head's.
  EXPECT_THAT(c.Try(Extend(), Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Receiving: supervisors, inside their jurisdiction.
  Complaint fresh;
  EXPECT_THAT(fresh.Try(Receive(Details()), Caller(v1::ROLE_INSPECTOR), now),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(fresh.Try(Receive(Details()), Caller(v1::ROLE_SUPERVISOR, "620702"), now),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

// --- Receipt ---

TEST(ComplaintReceiveTest, BadInputNamesTheFieldInChinese) {
  const absl::Time now = Local(2026, 3, 12, 9);
  struct Bad {
    std::function<void(v1::ComplaintDetails&)> spoil;
    std::string field;
    std::string label;
  };
  const std::vector<Bad> bad = {
      {[](auto& d) { d.set_channel(v1::COMPLAINT_CHANNEL_UNSPECIFIED); }, "details.channel",
       "来源渠道"},
      {[](auto& d) {
         d.set_channel(v1::COMPLAINT_CHANNEL_PLATFORM);
         d.clear_ticket_number();
       },
       "details.ticket_number", "工单号"},
      {[](auto& d) { d.set_ticket_number("has space"); }, "details.ticket_number", "工单号"},
      {[](auto& d) { d.clear_title(); }, "details.title", "标题"},
      {[](auto& d) { d.clear_content(); }, "details.content", "举报内容"},
      {[](auto& d) { d.mutable_location()->set_region_code("6207"); },
       "details.location.region_code", "行政区划代码"},
      {[](auto& d) { d.set_anonymous(true); }, "details.complainant", "举报人"},
      {[](auto& d) { d.clear_complainant(); }, "details.complainant", "举报人"},
      {[](auto& d) { d.mutable_complainant()->set_phone("abc"); }, "details.complainant.phone",
       "举报人电话"},
      {[](auto& d) { *d.mutable_received_at() = ToProto(Local(2026, 3, 13, 9)); },
       "details.received_at", "收到时间"},
      {[](auto& d) { d.mutable_subject()->set_unified_social_credit_code("91620722X"); },
       "details.subject.unified_social_credit_code", "统一社会信用代码"},
  };
  for (const Bad& b : bad) {
    v1::ComplaintDetails d = Details();
    b.spoil(d);
    Complaint c;
    const absl::Status result = c.Try(Receive(d), Caller(v1::ROLE_SUPERVISOR), now);
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.field)))
        << b.field;
    const v1::UserMessage user = UserMessageFor(result);
    EXPECT_EQ(user.field(), b.field);
    EXPECT_THAT(user.zh_cn(), HasSubstr(b.label)) << b.field;
    EXPECT_EQ(c.state.version(), 0);
  }
}

TEST(ComplaintReceiveTest, AnonymousAndTicketOwner) {
  const absl::Time now = Local(2026, 3, 12, 9);
  Complaint c;
  c.Do(Receive(Details(/*anonymous=*/true)), now);
  EXPECT_TRUE(c.state.details().anonymous());
  EXPECT_FALSE(c.state.details().has_complainant());
  // Nobody to tell: the notice's channel may be left out.
  v1::Command accept = Accept();
  accept.mutable_accept_complaint()->clear_notice();
  c.Do(accept, now);
  // A named complainant must be told.
  Complaint named;
  named.Do(Receive(Details()), now);
  EXPECT_THAT(named.Try(accept, Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("notice.channel")));
  // A ticket received before.
  Complaint again;
  ComplaintFacts facts;
  facts.ticket_owner = "XF-620722-2026-000001";
  const absl::Status dup = again.Try(Receive(Details()), Caller(v1::ROLE_SUPERVISOR), now, facts);
  EXPECT_THAT(dup, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("XF-620722-2026-000001")));
  EXPECT_THAT(UserMessageFor(dup).zh_cn(), HasSubstr("已登记为信访件"));
}

TEST(ComplaintReceiveTest, ReceivedEventHoldsTheComplainantForTheStoreToSeal) {
  Complaint c;
  c.Do(Receive(Details()), Local(2026, 3, 12, 9));
  ASSERT_EQ(c.last.complaint_events.size(), 2u);
  const v1::Event& received = c.last.complaint_events[0];
  EXPECT_EQ(received.stream_id(), kId);
  EXPECT_EQ(received.stream_kind(), v1::STREAM_KIND_COMPLAINT);
  EXPECT_EQ(received.region_code(), "620722");
  EXPECT_EQ(received.complaint_received().details().complainant().name(), "李四");
  EXPECT_EQ(c.last.complaint_events[1].deadline_opened().deadline().deadline_id(), kAcceptClock);
}

// --- Linking and replying ---

TEST(ComplaintReplyTest, FinalReplyWaitsForTheLinkedCaseAndQuotesItsOutcome) {
  Complaint c = InStatus(v1::COMPLAINT_STATUS_ACCEPTED);
  const absl::Time now = Local(2026, 3, 20, 9);
  // No link, no site check: only an interim reply.
  EXPECT_THAT(c.Try(Reply(false), Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no linked case")));
  const v1::Case open = ClosedCase("620722-2026-000009", v1::CASE_STATUS_RECTIFYING);
  c.Do(Attach(open.case_id()), now, WithCase(open));
  // Attached twice: refused.
  EXPECT_THAT(c.Try(Attach(open.case_id()), Caller(v1::ROLE_SUPERVISOR), now, WithCase(open)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already")));
  const absl::Status refused = c.Try(Reply(false), Caller(v1::ROLE_SUPERVISOR), now, WithCase(open));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("RECTIFYING")));
  EXPECT_THAT(UserMessageFor(refused).zh_cn(), HasSubstr("阶段性答复"));
  // Interim: recorded, the reply clock runs on.
  c.Do(Reply(true, "interim"), now, WithCase(open));
  EXPECT_EQ(c.state.status(), v1::COMPLAINT_STATUS_ACCEPTED);
  EXPECT_EQ(c.Clock(kReplyClock).state(), v1::DEADLINE_STATE_OPEN);
  ASSERT_EQ(c.state.replies_size(), 1);
  EXPECT_EQ(c.state.replies(0).quoted_cases(0).status(), v1::CASE_STATUS_RECTIFYING);
  // The case closes: the final reply quotes its outcome.
  const v1::Case closed = ClosedCase("620722-2026-000009");
  c.Do(Reply(false), now + absl::Hours(1), WithCase(closed));
  EXPECT_EQ(c.state.status(), v1::COMPLAINT_STATUS_REPLIED);
  EXPECT_TRUE(c.state.replied_on_time());
  EXPECT_EQ(c.Clock(kReplyClock).state(), v1::DEADLINE_STATE_MET);
  ASSERT_EQ(c.state.replies(1).quoted_cases_size(), 1);
  EXPECT_EQ(c.state.replies(1).quoted_cases(0).outcome(), "已覆盖防尘网，验收合格");
  EXPECT_EQ(c.state.replies(1).quoted_cases(0).status(), v1::CASE_STATUS_CLOSED);
}

// A case closed without a closing remark (the remark is optional; the
// console's close dialog leaves it empty) still quotes an outcome: what was
// done and what the verification found. The bug: the quote was empty.
TEST(ComplaintReplyTest, AQuotedCaseClosedWithoutARemarkQuotesItsRectification) {
  struct Row {
    std::string summary;
    bool passed;
    std::string notes;
    bool unfounded;
    std::string want;
  };
  const std::vector<Row> rows = {
      {"排污口已封堵", true, "现场复核合格", false, "整改情况：排污口已封堵；验收合格：现场复核合格"},
      {"排污口已封堵", true, "", false, "整改情况：排污口已封堵；验收合格"},
      {"", false, "", false, "已整改销号"},
      {"", false, "", true, "查无实据"},
  };
  for (const Row& row : rows) {
    Complaint c = InStatus(v1::COMPLAINT_STATUS_ACCEPTED);
    const absl::Time now = Local(2026, 3, 20, 9);
    v1::Case closed = ClosedCase("620722-2026-000009");
    closed.mutable_closure()->clear_reason();
    closed.mutable_closure()->set_unfounded(row.unfounded);
    closed.mutable_completion()->set_summary(row.summary);
    closed.mutable_verification()->set_passed(row.passed);
    closed.mutable_verification()->set_notes(row.notes);
    c.Do(Attach(closed.case_id()), now, WithCase(closed));
    c.Do(Reply(false), now + absl::Hours(1), WithCase(closed));
    ASSERT_EQ(c.state.replies_size(), 1);
    ASSERT_EQ(c.state.replies(0).quoted_cases_size(), 1);
    EXPECT_EQ(c.state.replies(0).quoted_cases(0).outcome(), row.want) << row.summary;
  }
}

TEST(ComplaintReplyTest, AttachRefusesACaseOutsideTheJurisdictionOrMissing) {
  Complaint c = InStatus(v1::COMPLAINT_STATUS_ACCEPTED);
  const absl::Time now = Local(2026, 3, 20, 9);
  EXPECT_THAT(c.Try(Attach("620722-2026-000099"), Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kNotFound));
  v1::Case elsewhere = ClosedCase("620702-2026-000001");
  elsewhere.mutable_location()->set_region_code("620702");
  EXPECT_THAT(c.Try(Attach(elsewhere.case_id()), Caller(v1::ROLE_SUPERVISOR), now,
                    WithCase(elsewhere)),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ComplaintReplyTest, UnfoundedAfterASiteCheckThenReply) {
  Complaint c = InStatus(v1::COMPLAINT_STATUS_ACCEPTED);
  const absl::Time now = Local(2026, 3, 20, 9);
  v1::Command bad = Unfounded(Local(2026, 3, 19, 9));
  bad.mutable_close_complaint_unfounded()->clear_check_documents();
  EXPECT_THAT(c.Try(bad, Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("check_documents")));
  EXPECT_EQ(FieldLabel("check_documents[0].sha256"), "核查材料校验值（SHA-256）（第1项）");
  c.Do(Unfounded(Local(2026, 3, 19, 9)), now, WithUploaded());
  EXPECT_EQ(c.state.site_check().findings(), "现场无作业，无扬尘");
  EXPECT_THAT(c.Try(Attach("620722-2026-000007"), Caller(v1::ROLE_SUPERVISOR), now,
                    WithCase(ClosedCase("620722-2026-000007"))),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  c.Do(Reply(false), now);
  EXPECT_EQ(c.state.status(), v1::COMPLAINT_STATUS_REPLIED);
  EXPECT_EQ(c.state.replies(0).quoted_cases_size(), 0);
}

TEST(SiteCheckDocumentTest, UploadsAreNumberedCountedAndOnlyWhileOpen) {
  Complaint c = InStatus(v1::COMPLAINT_STATUS_ACCEPTED);
  const absl::Time now = Local(2026, 3, 20, 9);
  const int64_t before = c.state.version();
  c.Do(Upload(), now);
  ASSERT_EQ(c.last.complaint_events.size(), 1u);
  const v1::SiteCheckDocument& first =
      c.last.complaint_events[0].site_check_document_uploaded().document();
  // The first upload is scd-1, recorded as declared; the complaint gains
  // only a version (it lists documents once a close names them).
  EXPECT_EQ(first.DebugString(), Stored("scd-1").DebugString());
  EXPECT_EQ(c.state.version(), before + 1);
  EXPECT_FALSE(c.state.has_site_check());
  // With one stored, the next is scd-2.
  c.Do(Upload("upload-2"), now, WithUploaded());
  EXPECT_EQ(c.last.complaint_events[0].site_check_document_uploaded().document().document_id(),
            "scd-2");
  // 50 stored: no more.
  ComplaintFacts full;
  for (int i = 1; i <= kMaxSiteCheckUploads; ++i) {
    full.uploaded_documents.push_back(Stored(absl::StrCat("scd-", i)));
  }
  EXPECT_THAT(c.Try(Upload("upload-51"), Caller(v1::ROLE_SUPERVISOR), now, full),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("50")));
  // Checked like evidence: the name, the media type, the hash, the size.
  v1::Command bad = Upload("bad");
  bad.mutable_upload_site_check_document()->set_file_name("../笔录.pdf");
  EXPECT_THAT(c.Try(bad, Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("file_name")));
  bad = Upload("bad");
  bad.mutable_upload_site_check_document()->set_media_type("pdf");
  EXPECT_THAT(c.Try(bad, Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("media_type")));
  bad = Upload("bad");
  bad.mutable_upload_site_check_document()->set_sha256("ABC");
  EXPECT_THAT(c.Try(bad, Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sha256")));
  bad = Upload("bad");
  bad.mutable_upload_site_check_document()->set_size_bytes(0);
  EXPECT_THAT(c.Try(bad, Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("size_bytes")));
  // Only whoever may close it: an inspector reads the complaint but may not.
  EXPECT_THAT(c.Try(Upload("by-inspector"), Caller(v1::ROLE_INSPECTOR), now),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Once closed as unfounded, no more uploads.
  c.Do(Unfounded(Local(2026, 3, 19, 9)), now, WithUploaded());
  EXPECT_THAT(
      c.Try(Upload("late"), Caller(v1::ROLE_SUPERVISOR), now, WithUploaded()),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed as unfounded already")));
}

TEST(SiteCheckDocumentTest, CloseNamesOnlyWhatWasStored) {
  Complaint c = InStatus(v1::COMPLAINT_STATUS_ACCEPTED);
  const absl::Time now = Local(2026, 3, 20, 9);
  const v1::Principal supervisor = Caller(v1::ROLE_SUPERVISOR);
  struct Bad {
    std::string name;
    std::function<void(v1::SiteCheckDocument&)> change;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {"no id", [](v1::SiteCheckDocument& d) { d.clear_document_id(); },
       "check_documents[0].document_id"},
      {"never uploaded", [](v1::SiteCheckDocument& d) { d.set_document_id("scd-9"); },
       "check_documents[0].document_id"},
      {"other hash", [](v1::SiteCheckDocument& d) { d.set_sha256(std::string(64, 'b')); },
       "check_documents[0].sha256"},
      {"other size", [](v1::SiteCheckDocument& d) { d.set_size(2047); }, "check_documents[0].size"},
  };
  for (const Bad& b : bad) {
    v1::Command close = Unfounded(Local(2026, 3, 19, 9));
    b.change(*close.mutable_close_complaint_unfounded()->mutable_check_documents(0));
    const int64_t version = c.state.version();
    const absl::Status refused = c.Try(close, supervisor, now, WithUploaded());
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.field)))
        << b.name;
    EXPECT_FALSE(UserMessageFor(refused).zh_cn().empty()) << b.name;
    EXPECT_EQ(c.state.version(), version) << b.name;
    EXPECT_FALSE(c.state.has_site_check()) << b.name;
  }
  v1::Command twice = Unfounded(Local(2026, 3, 19, 9));
  *twice.mutable_close_complaint_unfounded()->add_check_documents() =
      twice.close_complaint_unfounded().check_documents(0);
  EXPECT_THAT(
      c.Try(twice, supervisor, now, WithUploaded()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("check_documents[1].document_id")));
  // Named rightly: the close records the stored record (its name, kind and
  // media type as uploaded).
  c.Do(Unfounded(Local(2026, 3, 19, 9)), now, WithUploaded());
  ASSERT_EQ(c.state.site_check().documents_size(), 1);
  EXPECT_EQ(c.state.site_check().documents(0).DebugString(), Stored().DebugString());
}

TEST(ComplaintReplyTest, OpenCaseCopiesTheFactsNeverTheComplainant) {
  Complaint c = InStatus(v1::COMPLAINT_STATUS_ACCEPTED);
  v1::Command open = Cmd("open");
  open.mutable_open_case_from_complaint()->set_complaint_id(kId);
  open.mutable_open_case_from_complaint()->set_severity(v1::SEVERITY_MEDIUM);
  ComplaintFacts facts;
  facts.new_case_id = "620722-2026-000031";
  c.Do(open, Local(2026, 3, 20, 9), facts);
  ASSERT_EQ(c.state.links_size(), 1);
  EXPECT_EQ(c.state.links(0).kind(), v1::COMPLAINT_LINK_KIND_NEW_CASE);
  EXPECT_EQ(c.state.links(0).case_id(), "620722-2026-000031");
  ASSERT_FALSE(c.last.case_events.empty());
  v1::Case state;
  for (const v1::Event& event : c.last.case_events) ASSERT_OK(Evolve(state, event));
  EXPECT_EQ(state.case_id(), "620722-2026-000031");
  EXPECT_EQ(state.source(), v1::CASE_SOURCE_HOTLINE_12369);
  EXPECT_EQ(state.source_reference(), "12369-620722-2026-00042");
  EXPECT_EQ(state.title(), "砂石料场夜间扬尘");
  EXPECT_EQ(state.category(), v1::CATEGORY_AIR);
  EXPECT_TRUE(state.complainant().name().empty());
  EXPECT_TRUE(state.complainant().phone().empty());
  for (const v1::Event& event : c.last.case_events) {
    EXPECT_EQ(event.ShortDebugString().find("李四"), std::string::npos);
    EXPECT_EQ(event.ShortDebugString().find("13800000000"), std::string::npos);
  }
}

TEST(ComplaintCallbackTest, NotSatisfiedNeedsANoteAndAnonymousCannotBeCalled) {
  Complaint c = InStatus(v1::COMPLAINT_STATUS_REPLIED);
  const absl::Time now = Local(2026, 3, 20, 9);
  EXPECT_THAT(c.Try(Callback(v1::CALLBACK_RESULT_NOT_SATISFIED), Caller(v1::ROLE_SUPERVISOR), now),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("note")));
  c.Do(Callback(v1::CALLBACK_RESULT_NOT_SATISFIED, "仍有噪声"), now);
  ASSERT_EQ(c.state.callbacks_size(), 1);
  EXPECT_EQ(c.state.callbacks(0).result(), v1::CALLBACK_RESULT_NOT_SATISFIED);
}

// --- Import ---

TEST(ComplaintImportTest, EveryBadRowIsReportedByItsNumber) {
  v1::ImportComplaintsRequest request;
  request.set_command_id("import-1");
  auto add = [&](int number, const std::string& ticket) -> v1::ComplaintDetails& {
    v1::ComplaintImportRow& row = *request.add_rows();
    row.set_row_number(number);
    *row.mutable_details() = Details();
    row.mutable_details()->set_channel(v1::COMPLAINT_CHANNEL_UNSPECIFIED);
    row.mutable_details()->set_ticket_number(ticket);
    return *row.mutable_details();
  };
  add(2, "T-1");
  add(3, "T-2").mutable_location()->set_region_code("62072");
  add(4, "T-1");
  add(5, "");
  add(6, "T-6").mutable_location()->set_region_code("620702");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::ComplaintImportProblem> problems,
                       CheckComplaintImport(request, Caller(v1::ROLE_SUPERVISOR),
                                            Local(2026, 3, 20, 9), Policy()));
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].row_number(), 3);
  EXPECT_EQ(problems[0].field(), "details.location.region_code");
  EXPECT_EQ(problems[1].row_number(), 4);
  EXPECT_EQ(problems[1].field(), "details.ticket_number");
  EXPECT_EQ(problems[2].row_number(), 5);
  EXPECT_EQ(problems[2].field(), "details.ticket_number");
  EXPECT_EQ(problems[3].row_number(), 6);
  EXPECT_FALSE(problems[3].message_zh().empty());
  // A good row decides into a receipt with its row number.
  v1::Command command = Cmd("import-1");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       DecideImportedRow(request.rows(0), kId, command,
                                         Caller(v1::ROLE_SUPERVISOR), Local(2026, 3, 20, 9),
                                         Policy()));
  EXPECT_EQ(events[0].complaint_received().import_row(), 2);
  EXPECT_EQ(events[0].complaint_received().details().channel(), v1::COMPLAINT_CHANNEL_PLATFORM);
  EXPECT_THAT(CheckComplaintImport(request, Caller(v1::ROLE_INSPECTOR), Local(2026, 3, 20, 9),
                                   Policy()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(ComplaintIdTest, Format) {
  EXPECT_EQ(FormatComplaintId(ComplaintIdPrefix("620722100", 2026), 123), "XF-620722-2026-000123");
  EXPECT_OK(CheckComplaintIdFormat("complaint_id", "XF-620722-2026-000123"));
  EXPECT_THAT(CheckComplaintIdFormat("complaint_id", "620722-2026-000123"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(IsComplaintStreamId("XF-620722-2026-000123"));
  EXPECT_FALSE(IsComplaintStreamId("620722-2026-000123"));
}

}  // namespace
}  // namespace rectify::workflow
