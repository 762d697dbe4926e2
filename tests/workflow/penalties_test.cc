// The penalty case decider, pure (workflow/penalties.h): the whole path from
// filing to closing, every step × role × state in a table, every clock
// counted by hand across the 2026 National Day holiday, the late surcharge
// and the daily penalty computed here independently (integer fen), the
// publication entry, and who reads a penalty case.
//
// The 2026 table (DOMAIN.md): Sep 25-27 and Oct 1-7 off, Sep 20 and Oct 10
// (Sundays/Saturdays) worked.
#include "workflow/penalties.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/proto_time.h"
#include "base/user_message.h"
#include "tests/status_matchers.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

// China time (UTC+8), hand-written instants.
absl::Time Cst(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(8 * 3600));
}

v1::Principal Caller(v1::Role role, const std::string& jurisdiction = "620722") {
  v1::Principal p;
  p.set_principal_id("p-" + v1::Role_Name(role));
  p.set_role(role);
  p.set_jurisdiction(jurisdiction);
  if (role == v1::ROLE_RECTIFIER) p.set_unit_id("minle-hongshui-town");
  return p;
}

v1::Principal Inspector2() {
  v1::Principal p;
  p.set_principal_id("insp-2");
  p.set_role(v1::ROLE_INSPECTOR);
  p.set_jurisdiction("620722");
  return p;
}

v1::Case SourceCase() {
  v1::Case c;
  c.set_case_id("620722-2026-000007");
  c.set_version(5);
  c.set_status(v1::CASE_STATUS_RECTIFYING);
  c.mutable_location()->set_region_code("620722100");
  c.set_responsible_unit("minle-hongshui-town");
  c.mutable_subject()->set_name("民乐县某某建材有限公司");
  c.mutable_subject()->set_unified_social_credit_code("91620722MA74XXXX0A");
  *c.mutable_found_at() = ToProto(Cst(2026, 9, 20, 9));
  return c;
}

// One penalty case worked step by step, with its document numbers.
struct Walk {
  v1::PenaltyCase state;
  v1::Case source = SourceCase();
  Policy policy;
  int64_t next_number = 1;
  int commands = 0;

  absl::StatusOr<PenaltyOutcome> Do(v1::Command command, const v1::Principal& who, absl::Time now) {
    command.set_command_id(absl::StrCat("c-", ++commands));
    if (!command.has_open_penalty_case()) command.set_stream_id(state.penalty_case_id());
    *command.add_named_principals() = Caller(v1::ROLE_INSPECTOR);
    *command.add_named_principals() = Inspector2();
    PenaltyFacts facts;
    facts.source_case = &source;
    facts.new_penalty_case_id = "P-620722-2026-0001";
    facts.next_document_sequence = next_number;
    absl::StatusOr<PenaltyOutcome> outcome = DecidePenalty(state, command, who, now, policy, facts);
    if (!outcome.ok()) return outcome;
    for (const v1::Event& event : outcome->penalty_events) {
      absl::Status folded = EvolvePenalty(state, event);
      if (!folded.ok()) return folded;
    }
    if (outcome->used_document_number) ++next_number;
    return outcome;
  }
  const v1::Deadline& Clock(const std::string& id) const {
    for (const v1::Deadline& d : state.deadlines()) {
      if (d.deadline_id() == id) return d;
    }
    static const v1::Deadline* const kNone = new v1::Deadline();
    return *kNone;
  }
};

v1::Command Open(const std::string& referral = "") {
  v1::Command c;
  auto& r = *c.mutable_open_penalty_case();
  r.set_source_case_id("620722-2026-000007");
  r.set_source_referral_id(referral);
  r.set_violation("超标排放大气污染物");
  return c;
}
v1::Command File(bool approved = true) {
  v1::Command c;
  c.mutable_decide_penalty_filing()->set_penalty_case_id("P-620722-2026-0001");
  c.mutable_decide_penalty_filing()->set_approved(approved);
  c.mutable_decide_penalty_filing()->set_remark(approved ? "" : "证据不足");
  return c;
}
v1::Command ExtendFiling() {
  v1::Command c;
  c.mutable_extend_penalty_filing()->set_penalty_case_id("P-620722-2026-0001");
  c.mutable_extend_penalty_filing()->set_reason("案情复杂");
  return c;
}
v1::Command Investigate(const std::vector<std::string>& officers = {"p-ROLE_INSPECTOR", "insp-2"}) {
  v1::Command c;
  auto& r = *c.mutable_record_penalty_investigation();
  r.set_penalty_case_id("P-620722-2026-0001");
  for (const std::string& o : officers) r.add_officers(o);
  r.set_report("现场检查、采样监测，颗粒物超标 1.8 倍");
  return c;
}
v1::PenaltyTerms Fine(int64_t fen) {
  v1::PenaltyTerms t;
  t.add_kinds(v1::PENALTY_KIND_FINE);
  t.set_fine_fen(fen);
  return t;
}
v1::Command Notice(int64_t fen, absl::Time served) {
  v1::Command c;
  auto& r = *c.mutable_serve_penalty_prior_notice();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_facts("超标排放");
  r.set_grounds("《大气污染防治法》第九十九条");
  *r.mutable_intended() = Fine(fen);
  *r.mutable_served_at() = ToProto(served);
  return c;
}
v1::Command RequestHearing() {
  v1::Command c;
  c.mutable_request_penalty_hearing()->set_penalty_case_id("P-620722-2026-0001");
  return c;
}
v1::Command ScheduleHearing(absl::Time at) {
  v1::Command c;
  auto& r = *c.mutable_schedule_penalty_hearing();
  r.set_penalty_case_id("P-620722-2026-0001");
  *r.mutable_scheduled_for() = ToProto(at);
  r.set_place("县生态环境局三楼会议室");
  return c;
}
v1::Command HoldHearing(bool waived) {
  v1::Command c;
  auto& r = *c.mutable_record_penalty_hearing();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_record("当事人陈述申辩");
  r.set_waived(waived);
  return c;
}
v1::Command ExtendDecision() {
  v1::Command c;
  c.mutable_extend_penalty_decision_period()->set_penalty_case_id("P-620722-2026-0001");
  c.mutable_extend_penalty_decision_period()->set_reason("案情复杂");
  return c;
}
v1::Command Decide(int64_t fen) {
  v1::Command c;
  auto& r = *c.mutable_decide_penalty();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_facts("超标排放【工艺参数：窑温 1200℃】");
  r.set_legal_basis("《大气污染防治法》第九十九条");
  *r.mutable_terms() = Fine(fen);
  return c;
}
v1::Command Serve(const std::string& decision, absl::Time at) {
  v1::Command c;
  auto& r = *c.mutable_serve_penalty_decision();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_decision_id(decision);
  *r.mutable_served_at() = ToProto(at);
  return c;
}
v1::Command Pay(const std::string& decision, int64_t fine, int64_t surcharge, absl::Time at) {
  v1::Command c;
  auto& r = *c.mutable_record_penalty_payment();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_decision_id(decision);
  r.set_fine_fen(fine);
  r.set_surcharge_fen(surcharge);
  *r.mutable_paid_at() = ToProto(at);
  return c;
}
v1::Command Remedy(const std::string& decision) {
  v1::Command c;
  auto& r = *c.mutable_record_penalty_remedy();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_decision_id(decision);
  r.set_kind(v1::REMEDY_KIND_RECONSIDERATION);
  r.set_body("民乐县人民政府");
  return c;
}
v1::Command Publish(const std::string& decision) {
  v1::Command c;
  c.mutable_publish_penalty()->set_penalty_case_id("P-620722-2026-0001");
  c.mutable_publish_penalty()->set_decision_id(decision);
  return c;
}
v1::Command Execute(const std::string& decision) {
  v1::Command c;
  c.mutable_apply_compulsory_execution()->set_penalty_case_id("P-620722-2026-0001");
  c.mutable_apply_compulsory_execution()->set_decision_id(decision);
  c.mutable_apply_compulsory_execution()->set_court("民乐县人民法院");
  return c;
}
v1::Command Order(absl::Time correct_by) {
  v1::Command c;
  auto& r = *c.mutable_issue_correction_order();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_requirements("立即停止超标排放，完成除尘设施改造");
  *r.mutable_correct_by() = ToProto(correct_by);
  return c;
}
v1::Command ServeOrder(const std::string& order, absl::Time at) {
  v1::Command c;
  auto& r = *c.mutable_serve_correction_order();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_order_id(order);
  *r.mutable_served_at() = ToProto(at);
  return c;
}
v1::Command Recheck(const std::string& order, v1::RecheckResult result, absl::Time at,
                    absl::Time next_correct_by = absl::InfinitePast()) {
  v1::Command c;
  auto& r = *c.mutable_record_correction_recheck();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_order_id(order);
  *r.mutable_rechecked_at() = ToProto(at);
  r.add_officers("p-ROLE_INSPECTOR");
  r.add_officers("insp-2");
  r.set_result(result);
  r.set_findings(result == v1::RECHECK_RESULT_CONTINUING ? "除尘设施仍未运行，烟尘排放" : "已改正");
  if (next_correct_by != absl::InfinitePast()) *r.mutable_next_correct_by() = ToProto(next_correct_by);
  return c;
}
v1::Command Close(v1::PenaltyClosingReason reason, const std::string& remark = "") {
  v1::Command c;
  c.mutable_close_penalty_case()->set_penalty_case_id("P-620722-2026-0001");
  c.mutable_close_penalty_case()->set_reason(reason);
  c.mutable_close_penalty_case()->set_remark(remark);
  return c;
}
v1::Command Overdue(const std::string& deadline) {
  v1::Command c;
  c.set_stream_id("P-620722-2026-0001");
  c.mutable_mark_overdue()->set_deadline_id(deadline);
  return c;
}

const v1::Principal kSupervisor = Caller(v1::ROLE_SUPERVISOR);
const v1::Principal kHead = Caller(v1::ROLE_BUREAU_HEAD);
const v1::Principal kInspector = Caller(v1::ROLE_INSPECTOR);
const v1::Principal kSystem = Caller(v1::ROLE_SYSTEM);

#define ASSERT_DONE(expr) ASSERT_TRUE((expr).ok()) << (expr).status()

// ---- Money, computed by hand ----

TEST(LateSurchargeTest, ThreePercentADayRoundedDownCappedAtTheFine) {
  // 10,000.01 yuan: 3 % is 30,000.03 fen, whole fen owed 30,000.
  EXPECT_EQ(LateSurcharge(1000001, 1), 30000);
  EXPECT_EQ(LateSurcharge(1000001, 0), 0);
  // 33 days: 99 % = 990,000.99 → 990,000; 34 days: 102 % → the fine itself.
  EXPECT_EQ(LateSurcharge(1000001, 33), 990000);
  EXPECT_EQ(LateSurcharge(1000001, 34), 1000001);
  EXPECT_EQ(LateSurcharge(1000001, 3650), 1000001);
  // The largest fine does not overflow.
  EXPECT_EQ(LateSurcharge(kMaxFineFen, 10), kMaxFineFen / 100 * 30);
  EXPECT_EQ(LateSurcharge(kMaxFineFen, 100000), kMaxFineFen);
}

TEST(LateSurchargeTest, DaysLateCountFromTheDueDay) {
  // Due at the end of 2026-03-17 (the 15th day after service on 03-02).
  const absl::Time due = Cst(2026, 3, 18);
  EXPECT_EQ(DaysLate(due, Cst(2026, 3, 17, 16)), 0);  // on the 15th day
  EXPECT_EQ(DaysLate(due, Cst(2026, 3, 18, 9)), 1);   // on the 16th
  EXPECT_EQ(DaysLate(due, Cst(2026, 4, 20, 9)), 34);
}

TEST(DailyPenaltyTest, DaysFromTheDayAfterServiceToTheRecheckDay) {
  // Served 09-29 15:00, rechecked 10-09 10:00: Sep 30 .. Oct 9 = 10 days.
  EXPECT_EQ(DailyPenaltyDays(Cst(2026, 9, 29, 15), Cst(2026, 10, 9, 10)), 10);
  EXPECT_EQ(DailyPenaltyDays(Cst(2026, 9, 29, 15), Cst(2026, 9, 29, 18)), 0);
  // Late at night in China is the next day in UTC's eyes: China days count.
  EXPECT_EQ(DailyPenaltyDays(Cst(2026, 9, 29, 23, 30), Cst(2026, 9, 30, 0, 30)), 1);
  EXPECT_EQ(*DailyPenaltyAmount(5000000, 10), 50000000);
}

TEST(DocumentNumberTest, BureauYearSequence) {
  EXPECT_EQ(PenaltyDocumentNumber("民环罚", 2026, 12), "民环罚〔2026〕12号");
  EXPECT_EQ(PenaltyDocumentYear(Cst(2026, 12, 31, 23, 59)), 2026);
  EXPECT_EQ(PenaltyDocumentYear(Cst(2027, 1, 1, 0, 1)), 2027);
}

// ---- The path, every clock by hand ----

TEST(PenaltyPathTest, FilingToClosingWithEveryClockCountedAcrossTheHoliday) {
  Walk run;
  run.policy.penalty_document_prefix = "民环罚";
  // Discovered 09-20 (found_at): 15 days → 10-05, a holiday → next working
  // day 10-08; due at the end of 10-08.
  ASSERT_DONE(run.Do(Open(), kSupervisor, Cst(2026, 9, 22, 10)));
  EXPECT_EQ(run.state.status(), v1::PENALTY_STATUS_PROPOSED);
  EXPECT_EQ(ToTime(run.Clock("filing").due_at()), Cst(2026, 10, 9));
  // +15 with the head's approval: 30 days from 09-20 = 10-20 (Tue).
  ASSERT_DONE(run.Do(ExtendFiling(), kHead, Cst(2026, 9, 23, 10)));
  EXPECT_EQ(ToTime(run.Clock("filing").due_at()), Cst(2026, 10, 21));
  EXPECT_THAT(run.Do(ExtendFiling(), kHead, Cst(2026, 9, 23, 11)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_DONE(run.Do(File(), kHead, Cst(2026, 9, 24, 10)));
  EXPECT_EQ(run.state.status(), v1::PENALTY_STATUS_FILED);
  EXPECT_EQ(run.Clock("filing").state(), v1::DEADLINE_STATE_MET);
  // Decision within 90 days of filing: 09-24 + 90 = 12-23 (Wed).
  EXPECT_EQ(ToTime(run.Clock("decision").due_at()), Cst(2026, 12, 24));

  // One officer is not enough; a non-inspector is not an officer.
  EXPECT_THAT(run.Do(Investigate({"p-ROLE_INSPECTOR"}), kInspector, Cst(2026, 9, 25, 10)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("officers")));
  EXPECT_THAT(run.Do(Investigate({"p-ROLE_INSPECTOR", "sup-1"}), kInspector, Cst(2026, 9, 25, 10))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sup-1")));
  ASSERT_DONE(run.Do(Investigate(), kInspector, Cst(2026, 9, 28, 10)));

  // Prior notice served 09-29 (Tue): 5 working days = 09-30, 10-08, 10-09,
  // 10-10 (Saturday worked), 10-12 → end of 10-12.
  ASSERT_DONE(run.Do(Notice(5000000, Cst(2026, 9, 29, 10)), kSupervisor, Cst(2026, 9, 29, 11)));
  EXPECT_EQ(ToTime(run.Clock("hearing-request").due_at()), Cst(2026, 10, 13));
  EXPECT_EQ(ToTime(run.state.prior_notice().hearing_request_ends_at()), Cst(2026, 10, 13));
  // No decision while the window runs.
  EXPECT_THAT(run.Do(Decide(5000000), kHead, Cst(2026, 10, 12, 10)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("hearing")));
  ASSERT_DONE(run.Do(RequestHearing(), kSupervisor, Cst(2026, 10, 12, 10)));
  EXPECT_EQ(run.state.status(), v1::PENALTY_STATUS_HEARING);
  // Notified 10-12: 7 working days = 10-13..10-16, 10-19..10-21 → the
  // hearing no earlier than 10-22 00:00.
  EXPECT_THAT(run.Do(ScheduleHearing(Cst(2026, 10, 21, 9)), kSupervisor, Cst(2026, 10, 12, 11))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("scheduled_for")));
  ASSERT_DONE(run.Do(ScheduleHearing(Cst(2026, 10, 22, 9)), kSupervisor, Cst(2026, 10, 12, 11)));
  ASSERT_DONE(run.Do(HoldHearing(false), kSupervisor, Cst(2026, 10, 22, 12)));

  // Not heavier than the notice.
  EXPECT_THAT(run.Do(Decide(5000001), kHead, Cst(2026, 10, 23, 10)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("terms.fine_fen")));
  ASSERT_DONE(run.Do(Decide(5000000), kHead, Cst(2026, 10, 23, 10)));
  ASSERT_EQ(run.state.decisions_size(), 1);
  const v1::PenaltyDecision& decision = run.state.decisions(0);
  EXPECT_EQ(decision.document_number(), "民环罚〔2026〕1号");
  EXPECT_EQ(run.Clock("decision").state(), v1::DEADLINE_STATE_MET);
  // Service and publication: 7 working days from Fri 10-23 = 10-26..10-30,
  // 11-02, 11-03 → end of 11-03.
  EXPECT_EQ(ToTime(run.Clock("d-1-service").due_at()), Cst(2026, 11, 4));
  EXPECT_EQ(ToTime(decision.publication_due_at()), Cst(2026, 11, 4));

  // Served 10-26 (Mon): 15 days → 11-10 (Tue); reconsideration 60 days →
  // 12-25 (Fri); lawsuit 6 months → 2027-04-26 (past the table: provisional).
  ASSERT_DONE(run.Do(Serve("d-1", Cst(2026, 10, 26, 10)), kSupervisor, Cst(2026, 10, 26, 11)));
  EXPECT_EQ(run.state.status(), v1::PENALTY_STATUS_SERVED);
  EXPECT_EQ(ToTime(run.Clock("d-1-payment").due_at()), Cst(2026, 11, 11));
  EXPECT_EQ(ToTime(run.Clock("d-1-reconsideration").due_at()), Cst(2026, 12, 26));
  EXPECT_EQ(run.Clock("d-1-lawsuit").rule().unit(), v1::DEADLINE_UNIT_CALENDAR_MONTHS);
  EXPECT_EQ(absl::ToCivilDay(ToTime(run.Clock("d-1-lawsuit").due_at()) - absl::Nanoseconds(1),
                             absl::FixedTimeZone(8 * 3600)),
            absl::CivilDay(2027, 4, 26));

  // Published late (after 11-03) is flagged.
  ASSERT_DONE(run.Do(Publish("d-1"), kSupervisor, Cst(2026, 11, 5, 9)));
  EXPECT_TRUE(PublicationEntry(run.state, run.state.decisions(0), Cst(2026, 11, 6)).late());

  // Paid on the 16th day (11-11): 1 day late, 3 % of 50,000 yuan = 150,000 fen.
  EXPECT_THAT(run.Do(Pay("d-1", 5000000, 150001, Cst(2026, 11, 11, 10)), kSupervisor,
                     Cst(2026, 11, 11, 11))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("surcharge_fen")));
  ASSERT_DONE(run.Do(Pay("d-1", 5000000, 150000, Cst(2026, 11, 11, 10)), kSupervisor,
                     Cst(2026, 11, 11, 11)));
  EXPECT_TRUE(run.state.decisions(0).settled());
  EXPECT_EQ(run.Clock("d-1-payment").state(), v1::DEADLINE_STATE_MET);
  ASSERT_DONE(run.Do(Close(v1::PENALTY_CLOSING_REASON_PERFORMED), kSupervisor, Cst(2026, 11, 12)));
  EXPECT_EQ(run.state.status(), v1::PENALTY_STATUS_CLOSED);
  for (const v1::Deadline& d : run.state.deadlines()) {
    EXPECT_NE(d.state(), v1::DEADLINE_STATE_OPEN) << d.deadline_id();
  }
}

// A case up to its served decision of `fen`: notice 02-24 (the hearing
// window: 02-25, 26, 27, 28 (a Saturday worked), 03-02), decided 03-03 09:00,
// served 03-03 10:00 (payment due at the end of 03-18).
Walk ServedRun(int64_t fen) {
  Walk run;
  run.source.mutable_found_at()->set_seconds(absl::ToUnixSeconds(Cst(2026, 2, 24)));
  EXPECT_TRUE(run.Do(Open(), kSupervisor, Cst(2026, 2, 24, 10)).ok());
  EXPECT_TRUE(run.Do(File(), kHead, Cst(2026, 2, 24, 11)).ok());
  EXPECT_TRUE(run.Do(Investigate(), kInspector, Cst(2026, 2, 24, 12)).ok());
  EXPECT_TRUE(run.Do(Notice(fen, Cst(2026, 2, 24, 13)), kSupervisor, Cst(2026, 2, 24, 14)).ok());
  EXPECT_TRUE(run.Do(Decide(fen), kHead, Cst(2026, 3, 3, 9)).ok());
  EXPECT_TRUE(run.Do(Serve("d-1", Cst(2026, 3, 3, 10)), kSupervisor, Cst(2026, 3, 3, 10)).ok());
  return run;
}

TEST(PenaltyPaymentTest, PaidOnTheFifteenthDayOwesNoSurcharge) {
  Walk run = ServedRun(1000001);
  EXPECT_EQ(ToTime(run.Clock("d-1-payment").due_at()), Cst(2026, 3, 19));
  EXPECT_THAT(run.Do(Pay("d-1", 1000001, 1, Cst(2026, 3, 18, 16)), kSupervisor, Cst(2026, 3, 18, 17))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_DONE(run.Do(Pay("d-1", 1000001, 0, Cst(2026, 3, 18, 16)), kSupervisor, Cst(2026, 3, 18, 17)));
  EXPECT_TRUE(run.state.decisions(0).settled());
}

TEST(PenaltyPaymentTest, PaidOnTheSixteenthDayOwesThreePercent) {
  Walk run = ServedRun(1000001);
  // 1,000,001 × 3 / 100 = 30,000.03 → 30,000 fen.
  ASSERT_DONE(run.Do(Pay("d-1", 1000001, 0, Cst(2026, 3, 19, 9)), kSupervisor, Cst(2026, 3, 19, 10)));
  EXPECT_FALSE(run.state.decisions(0).settled());
  EXPECT_EQ(SurchargeOwedAt(run.state.decisions(0), Cst(2026, 3, 30)).surcharge_unpaid_fen(), 30000)
      << "the fine is paid: the surcharge stops growing at what was owed then";
  EXPECT_THAT(run.Do(Pay("d-1", 0, 30001, Cst(2026, 3, 20, 9)), kSupervisor, Cst(2026, 3, 20, 10))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("surcharge_fen")));
  ASSERT_DONE(run.Do(Pay("d-1", 0, 30000, Cst(2026, 3, 20, 9)), kSupervisor, Cst(2026, 3, 20, 10)));
  EXPECT_TRUE(run.state.decisions(0).settled());
}

TEST(PenaltyPaymentTest, SurchargeReachesTheCap) {
  Walk run = ServedRun(1000001);
  // 34 days after the due day (03-18): 04-21; 102 % → capped at the fine.
  v1::SurchargeOwed owed = SurchargeOwedAt(run.state.decisions(0), Cst(2026, 4, 21, 9));
  EXPECT_EQ(owed.days_late(), 34);
  EXPECT_EQ(owed.surcharge_unpaid_fen(), 1000001);
  ASSERT_DONE(run.Do(Pay("d-1", 1000001, 1000001, Cst(2026, 4, 21, 9)), kSupervisor,
                     Cst(2026, 4, 21, 10)));
  EXPECT_TRUE(run.state.decisions(0).settled());
}

TEST(PenaltyPaymentTest, ExecutionOnlyAfterTheRemedyPeriods) {
  Walk run = ServedRun(1000000);
  EXPECT_THAT(run.Do(Execute("d-1"), kHead, Cst(2026, 4, 1)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("remedy")));
  // The reconsideration window (60 days from 03-03 = 05-02, a holiday →
  // 05-06) closes unused, then the lawsuit's (6 months = 09-03), which opens
  // the 3 months to apply for execution (from 09-04 00:00, the day 09-04: to
  // the end of 12-04).
  EXPECT_EQ(ToTime(run.Clock("d-1-reconsideration").due_at()), Cst(2026, 5, 7));
  ASSERT_DONE(run.Do(Overdue("d-1-reconsideration"), kSystem, Cst(2026, 5, 7)));
  EXPECT_EQ(run.Clock("d-1-reconsideration").state(), v1::DEADLINE_STATE_MET);
  EXPECT_EQ(ToTime(run.Clock("d-1-lawsuit").due_at()), Cst(2026, 9, 4));
  ASSERT_DONE(run.Do(Overdue("d-1-lawsuit"), kSystem, Cst(2026, 9, 4, 1)));
  EXPECT_EQ(ToTime(run.Clock("d-1-execution").due_at()), Cst(2026, 12, 5));
  ASSERT_DONE(run.Do(Execute("d-1"), kHead, Cst(2026, 9, 10)));
  EXPECT_EQ(run.Clock("d-1-execution").state(), v1::DEADLINE_STATE_MET);
  ASSERT_DONE(run.Do(Close(v1::PENALTY_CLOSING_REASON_EXECUTED, "法院已受理"), kSupervisor,
                     Cst(2026, 9, 11)));
}

TEST(PenaltyRemedyTest, AChangedFineIsNeverHeavier) {
  Walk run = ServedRun(1000000);
  ASSERT_DONE(run.Do(Remedy("d-1"), kSupervisor, Cst(2026, 3, 10)));
  v1::Command changed;
  auto& r = *changed.mutable_decide_penalty_remedy();
  r.set_penalty_case_id("P-620722-2026-0001");
  r.set_decision_id("d-1");
  r.set_kind(v1::REMEDY_KIND_RECONSIDERATION);
  r.set_outcome(v1::REMEDY_OUTCOME_CHANGED);
  // 10,000.01 yuan against the 10,000 yuan in force: heavier, refused, the
  // remedy still pending.
  r.set_changed_fine_fen(1000001);
  EXPECT_THAT(run.Do(changed, kSupervisor, Cst(2026, 4, 1)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("changed_fine_fen")));
  EXPECT_EQ(run.state.decisions(0).remedies(0).outcome(), v1::REMEDY_OUTCOME_PENDING);
  // 6,000 yuan: lighter, the fine in force from now on.
  r.set_changed_fine_fen(600000);
  ASSERT_DONE(run.Do(changed, kSupervisor, Cst(2026, 4, 1)));
  EXPECT_EQ(EffectiveFine(run.state.decisions(0)), 600000);
}

TEST(CorrectionOrderTest, ContinuingRecheckGivesADailyPenaltyThenANewOrder) {
  Walk run = ServedRun(5000000);
  run.policy.penalty_document_prefix = "民环罚";
  ASSERT_DONE(run.Do(Order(Cst(2026, 9, 20)), kSupervisor, Cst(2026, 9, 1, 9)));
  // Served 09-01: recheck within 30 days → 10-01, a holiday → 10-08.
  ASSERT_DONE(run.Do(ServeOrder("o-1", Cst(2026, 9, 1, 10)), kSupervisor, Cst(2026, 9, 1, 11)));
  EXPECT_EQ(ToTime(run.Clock("o-1-recheck").due_at()), Cst(2026, 10, 9));
  // Continuing at 09-29: 09-02 .. 09-29 = 28 days × 50,000 yuan.
  ASSERT_DONE(run.Do(Recheck("o-1", v1::RECHECK_RESULT_CONTINUING, Cst(2026, 9, 29, 10),
                             Cst(2026, 10, 20)),
                     kInspector, Cst(2026, 9, 29, 11)));
  ASSERT_EQ(run.state.decisions_size(), 2);
  const v1::PenaltyDecision& daily = run.state.decisions(1);
  EXPECT_EQ(daily.kind(), v1::PENALTY_DECISION_KIND_DAILY);
  EXPECT_EQ(daily.daily_days(), 28);
  EXPECT_EQ(daily.terms().fine_fen(), int64_t{5000000} * 28);
  EXPECT_EQ(daily.daily_first_day(), "2026-09-02");
  EXPECT_EQ(daily.daily_last_day(), "2026-09-29");
  EXPECT_EQ(daily.document_number(), "民环罚〔2026〕2号");
  ASSERT_EQ(run.state.orders_size(), 2);
  EXPECT_EQ(run.state.orders(0).state(), v1::CORRECTION_ORDER_STATE_CONTINUING);
  EXPECT_EQ(run.state.orders(1).previous_order_id(), "o-1");
  EXPECT_EQ(run.state.orders(1).state(), v1::CORRECTION_ORDER_STATE_ISSUED);
  ASSERT_DONE(run.Do(ServeOrder("o-2", Cst(2026, 9, 30, 10)), kSupervisor, Cst(2026, 9, 30, 11)));
  ASSERT_DONE(run.Do(Recheck("o-2", v1::RECHECK_RESULT_CORRECTED, Cst(2026, 10, 15, 10)), kInspector,
                     Cst(2026, 10, 15, 11)));
  EXPECT_EQ(run.state.orders(1).state(), v1::CORRECTION_ORDER_STATE_CORRECTED);
  EXPECT_EQ(run.state.decisions_size(), 2);
}

TEST(CorrectionOrderTest, NoDailyPenaltyWithoutAFine) {
  Walk run;
  ASSERT_DONE(run.Do(Open(), kSupervisor, Cst(2026, 9, 22, 10)));
  ASSERT_DONE(run.Do(File(), kHead, Cst(2026, 9, 22, 11)));
  ASSERT_DONE(run.Do(Order(Cst(2026, 10, 20)), kSupervisor, Cst(2026, 9, 22, 12)));
  ASSERT_DONE(run.Do(ServeOrder("o-1", Cst(2026, 9, 22, 13)), kSupervisor, Cst(2026, 9, 22, 14)));
  absl::Status refused = run.Do(Recheck("o-1", v1::RECHECK_RESULT_CONTINUING, Cst(2026, 9, 29, 10),
                                        Cst(2026, 10, 30)),
                                kInspector, Cst(2026, 9, 29, 11))
                             .status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(UserMessageOf(refused)->zh_cn(), HasSubstr("按日连续处罚"));
}

TEST(PenaltyOpenTest, AReturnedReferralOpensAPenaltyCaseAndTheCaseLinksIt) {
  Walk run;
  v1::Referral& referral = *run.source.add_referrals();
  referral.set_referral_id("ref-1");
  referral.set_state(v1::REFERRAL_STATE_DECLINED);
  EXPECT_THAT(run.Do(Open("ref-1"), kSupervisor, Cst(2026, 9, 22, 10)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  referral.set_state(v1::REFERRAL_STATE_RETURNED);
  *referral.mutable_decided_at() = ToProto(Cst(2026, 9, 21, 15));
  absl::StatusOr<PenaltyOutcome> opened = run.Do(Open("ref-1"), kSupervisor, Cst(2026, 9, 22, 10));
  ASSERT_DONE(opened);
  EXPECT_EQ(run.state.source_referral_id(), "ref-1");
  // The filing clock runs from the return: 09-21 + 15 = 10-06 (holiday) → 10-08.
  EXPECT_EQ(ToTime(run.Clock("filing").due_at()), Cst(2026, 10, 9));
  ASSERT_EQ(opened->case_events.size(), 1u);
  const v1::Event& link = opened->case_events[0];
  EXPECT_EQ(link.stream_id(), "620722-2026-000007");
  EXPECT_EQ(link.version(), 6);
  EXPECT_EQ(link.case_penalty_linked().penalty_case_id(), "P-620722-2026-0001");
  // Police and procuratorate read it (it came through a referral).
  EXPECT_TRUE(CheckCanReadPenalty(Caller(v1::ROLE_POLICE), run.state).ok());
  EXPECT_TRUE(CheckCanReadPenalty(Caller(v1::ROLE_PROCURATOR), run.state).ok());
}

TEST(PenaltyAccessTest, WhoReadsAPenaltyCase) {
  Walk run;
  ASSERT_DONE(run.Do(Open(), kSupervisor, Cst(2026, 9, 22, 10)));
  for (v1::Role role : {v1::ROLE_SUPERVISOR, v1::ROLE_INSPECTOR, v1::ROLE_BUREAU_HEAD,
                        v1::ROLE_AUDITOR, v1::ROLE_RECTIFIER}) {
    EXPECT_TRUE(CheckCanReadPenalty(Caller(role), run.state).ok()) << v1::Role_Name(role);
    EXPECT_FALSE(CheckCanReadPenalty(Caller(role, "620723"), run.state).ok()) << v1::Role_Name(role);
  }
  v1::Principal other_unit = Caller(v1::ROLE_RECTIFIER);
  other_unit.set_unit_id("minle-water-bureau");
  EXPECT_FALSE(CheckCanReadPenalty(other_unit, run.state).ok());
  // Not through a referral: police and procuratorate do not see it.
  EXPECT_FALSE(CheckCanReadPenalty(Caller(v1::ROLE_POLICE), run.state).ok());
  EXPECT_FALSE(CheckCanReadPenalty(Caller(v1::ROLE_PROCURATOR), run.state).ok());
  EXPECT_FALSE(CheckCanReadPenalty(Caller(v1::ROLE_ADMIN), run.state).ok());
  absl::Status refused = CheckCanReadPenalty(Caller(v1::ROLE_POLICE), run.state);
  EXPECT_THAT(UserMessageOf(refused)->zh_cn(), HasSubstr("无权查看处罚案件"));
}

TEST(PenaltyPublicationTest, PersonalDataAndTradeSecretsRemoved) {
  Walk run = ServedRun(1000000);
  v1::PenaltyPublicationEntry entry =
      PublicationEntry(run.state, run.state.decisions(0), Cst(2026, 3, 4));
  EXPECT_EQ(entry.subject_name(), "民乐县某某建材有限公司");
  EXPECT_EQ(entry.facts_summary(), "超标排放（涉及商业秘密，已删除）");
  EXPECT_EQ(entry.decision_date(), "2026-03-03");
  EXPECT_FALSE(entry.late());
  // A natural person: name masked, no code.
  run.state.mutable_subject()->set_name("张三");
  run.state.mutable_subject()->clear_unified_social_credit_code();
  entry = PublicationEntry(run.state, run.state.decisions(0), Cst(2026, 3, 4));
  EXPECT_EQ(entry.subject_name(), "张某");
  // Unpublished past its 7 working days (03-03 + 7 = end of 03-12): late.
  EXPECT_FALSE(PublicationEntry(run.state, run.state.decisions(0), Cst(2026, 3, 12, 23)).late());
  EXPECT_TRUE(PublicationEntry(run.state, run.state.decisions(0), Cst(2026, 3, 13)).late());
}

TEST(PenaltyFieldLabelTest, KindsHaveTheirOwnChineseLabels) {
  Walk run = ServedRun(1000000);
  v1::Command remedy = Remedy("d-1");
  remedy.mutable_record_penalty_remedy()->set_kind(v1::REMEDY_KIND_UNSPECIFIED);
  absl::Status refused = run.Do(remedy, kSupervisor, Cst(2026, 3, 4)).status();
  EXPECT_THAT(UserMessageOf(refused)->zh_cn(), HasSubstr("救济途径"));
  EXPECT_THAT(UserMessageOf(refused)->zh_cn(), ::testing::Not(HasSubstr("证据类型")));
  v1::Command decide = Decide(100);
  decide.mutable_decide_penalty()->mutable_terms()->set_kinds(0, v1::PENALTY_KIND_UNSPECIFIED);
  refused = run.Do(decide, kHead, Cst(2026, 3, 4)).status();
  EXPECT_THAT(UserMessageOf(refused)->zh_cn(), HasSubstr("处罚种类（第1项）"));
}

// ---- Every step × role × state ----

// The states a table row runs in, each with the instant it is acted on.
struct Snapshot {
  v1::PenaltyStatus status;
  Walk run;
  absl::Time now;
};

std::vector<Snapshot> Snapshots() {
  std::vector<Snapshot> out;
  Walk run;
  run.Do(Open(), kSupervisor, Cst(2026, 3, 2, 9)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_PROPOSED, run, Cst(2026, 3, 2, 10)});
  Walk refused = run;
  refused.Do(File(false), kHead, Cst(2026, 3, 2, 10)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_NOT_FILED, refused, Cst(2026, 3, 2, 11)});
  run.Do(File(), kHead, Cst(2026, 3, 2, 10)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_FILED, run, Cst(2026, 3, 2, 11)});
  run.Do(Investigate(), kInspector, Cst(2026, 3, 2, 11)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_INVESTIGATED, run, Cst(2026, 3, 2, 12)});
  run.Do(Notice(1000000, Cst(2026, 3, 2, 12)), kSupervisor, Cst(2026, 3, 2, 12)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_NOTIFIED, run, Cst(2026, 3, 3, 9)});
  Walk hearing = run;
  hearing.Do(RequestHearing(), kSupervisor, Cst(2026, 3, 3, 9)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_HEARING, hearing, Cst(2026, 3, 3, 10)});
  run.Do(Decide(1000000), kHead, Cst(2026, 3, 10, 9)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_DECIDED, run, Cst(2026, 3, 10, 10)});
  run.Do(Serve("d-1", Cst(2026, 3, 10, 10)), kSupervisor, Cst(2026, 3, 10, 10)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_SERVED, run, Cst(2026, 3, 10, 11)});
  run.Do(Pay("d-1", 1000000, 0, Cst(2026, 3, 10, 11)), kSupervisor, Cst(2026, 3, 10, 11))
      .IgnoreError();
  run.Do(Close(v1::PENALTY_CLOSING_REASON_PERFORMED), kSupervisor, Cst(2026, 3, 10, 12)).IgnoreError();
  out.push_back({v1::PENALTY_STATUS_CLOSED, run, Cst(2026, 3, 10, 13)});
  for (const Snapshot& s : out) EXPECT_EQ(s.run.state.status(), s.status) << v1::PenaltyStatus_Name(s.status);
  return out;
}

struct Row {
  std::string name;
  std::function<v1::Command(absl::Time now)> command;
  v1::Role role;
  std::vector<v1::PenaltyStatus> allowed;
};

TEST(PenaltyTableTest, EveryStepByEveryRoleInEveryState) {
  using S = v1::PenaltyStatus;
  const std::vector<S> open_before_decision = {v1::PENALTY_STATUS_FILED, v1::PENALTY_STATUS_INVESTIGATED,
                                               v1::PENALTY_STATUS_NOTIFIED, v1::PENALTY_STATUS_HEARING};
  std::vector<S> orders = open_before_decision;
  orders.push_back(v1::PENALTY_STATUS_DECIDED);
  orders.push_back(v1::PENALTY_STATUS_SERVED);
  const std::vector<Row> rows = {
      {"DecidePenaltyFiling", [](absl::Time) { return File(); }, v1::ROLE_BUREAU_HEAD,
       {v1::PENALTY_STATUS_PROPOSED}},
      {"ExtendPenaltyFiling", [](absl::Time) { return ExtendFiling(); }, v1::ROLE_BUREAU_HEAD,
       {v1::PENALTY_STATUS_PROPOSED}},
      {"RecordPenaltyInvestigation", [](absl::Time) { return Investigate(); }, v1::ROLE_INSPECTOR,
       {v1::PENALTY_STATUS_FILED}},
      {"ServePenaltyPriorNotice", [](absl::Time now) { return Notice(1000000, now); },
       v1::ROLE_SUPERVISOR, {v1::PENALTY_STATUS_INVESTIGATED}},
      {"RequestPenaltyHearing", [](absl::Time) { return RequestHearing(); }, v1::ROLE_SUPERVISOR,
       {v1::PENALTY_STATUS_NOTIFIED}},
      {"SchedulePenaltyHearing",
       [](absl::Time now) { return ScheduleHearing(now + absl::Hours(24 * 20)); },
       v1::ROLE_SUPERVISOR, {v1::PENALTY_STATUS_HEARING}},
      {"RecordPenaltyHearing(waived)", [](absl::Time) { return HoldHearing(true); },
       v1::ROLE_SUPERVISOR, {v1::PENALTY_STATUS_HEARING}},
      {"ExtendPenaltyDecisionPeriod", [](absl::Time) { return ExtendDecision(); },
       v1::ROLE_BUREAU_HEAD, open_before_decision},
      // NOTIFIED inside its hearing window and HEARING not yet held: refused.
      {"DecidePenalty", [](absl::Time) { return Decide(1000000); }, v1::ROLE_BUREAU_HEAD, {}},
      {"ServePenaltyDecision", [](absl::Time now) { return Serve("d-1", now); },
       v1::ROLE_SUPERVISOR, {v1::PENALTY_STATUS_DECIDED}},
      {"RecordPenaltyPayment", [](absl::Time now) { return Pay("d-1", 100, 0, now); },
       v1::ROLE_SUPERVISOR, {v1::PENALTY_STATUS_SERVED}},
      {"RecordPenaltyRemedy", [](absl::Time) { return Remedy("d-1"); }, v1::ROLE_SUPERVISOR,
       {v1::PENALTY_STATUS_SERVED}},
      {"ApplyCompulsoryExecution", [](absl::Time) { return Execute("d-1"); },
       v1::ROLE_BUREAU_HEAD, {}},
      {"PublishPenalty", [](absl::Time) { return Publish("d-1"); }, v1::ROLE_SUPERVISOR,
       {v1::PENALTY_STATUS_DECIDED, v1::PENALTY_STATUS_SERVED}},
      {"IssueCorrectionOrder", [](absl::Time now) { return Order(now + absl::Hours(24 * 10)); },
       v1::ROLE_SUPERVISOR, orders},
      {"ClosePenaltyCase(NOT_PENALIZED)",
       [](absl::Time) { return Close(v1::PENALTY_CLOSING_REASON_NOT_PENALIZED, "情节轻微"); },
       v1::ROLE_SUPERVISOR, open_before_decision},
  };
  const std::vector<v1::Role> roles = {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR, v1::ROLE_RECTIFIER,
                                       v1::ROLE_BUREAU_HEAD, v1::ROLE_POLICE, v1::ROLE_PROCURATOR,
                                       v1::ROLE_AUDITOR, v1::ROLE_ADMIN};
  const std::vector<Snapshot> snapshots = Snapshots();
  for (const Row& row : rows) {
    for (const Snapshot& snapshot : snapshots) {
      for (v1::Role role : roles) {
        Walk run = snapshot.run;
        absl::Status status =
            run.Do(row.command(snapshot.now), Caller(role), snapshot.now).status();
        const bool ended = snapshot.status == v1::PENALTY_STATUS_CLOSED ||
                           snapshot.status == v1::PENALTY_STATUS_NOT_FILED;
        const bool state_ok = std::find(row.allowed.begin(), row.allowed.end(), snapshot.status) !=
                              row.allowed.end();
        const std::string where = absl::StrCat(row.name, " by ", v1::Role_Name(role), " in ",
                                               v1::PenaltyStatus_Name(snapshot.status));
        if (!ended && role == row.role && state_ok) {
          EXPECT_TRUE(status.ok()) << where << ": " << status;
          continue;
        }
        ASSERT_FALSE(status.ok()) << where;
        EXPECT_TRUE(UserMessageOf(status).has_value()) << where << ": " << status;
        if (ended) {
          EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << where << ": " << status;
        } else if (role != row.role) {
          EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << where << ": " << status;
        } else {
          EXPECT_TRUE(status.code() == absl::StatusCode::kFailedPrecondition ||
                      status.code() == absl::StatusCode::kNotFound)
              << where << ": " << status;
        }
      }
    }
  }
  // Outside the jurisdiction: refused whatever the role.
  Walk run = snapshots[0].run;
  EXPECT_THAT(run.Do(File(), Caller(v1::ROLE_BUREAU_HEAD, "620723"), snapshots[0].now).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(PenaltyOverdueTest, OnlyTheSchedulerMarksAndOnlyOnce) {
  Walk run;
  ASSERT_DONE(run.Do(Open(), kSupervisor, Cst(2026, 9, 22, 10)));
  EXPECT_THAT(run.Do(Overdue("filing"), kSupervisor, Cst(2026, 10, 10)).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(run.Do(Overdue("filing"), kSystem, Cst(2026, 10, 8, 12)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_DONE(run.Do(Overdue("filing"), kSystem, Cst(2026, 10, 9, 1)));
  EXPECT_TRUE(run.state.overdue());
  EXPECT_THAT(run.Do(Overdue("filing"), kSystem, Cst(2026, 10, 9, 2)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Past the filing period the head may no longer file.
  EXPECT_THAT(run.Do(File(), kHead, Cst(2026, 10, 9, 3)).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace rectify::workflow
