// Request fields from command-line text by reflection.
#include "client/request_flags.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.pb.h"
#include "tests/status_matchers.h"

namespace rectify::client {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RequestFlagsTest, SetsStringsNumbersBoolsEnumsTimesAndRepeated) {
  v1::DecideReferralRequest decide;
  ASSERT_TRUE(SetFieldFromText(decide, "case_id", "620722-2026-000001", "CASE_ID").ok());
  ASSERT_TRUE(SetFieldFromText(decide, "decision", "declined", "--decision").ok());
  ASSERT_TRUE(SetFieldFromText(decide, "reason", "证据不足", "--reason").ok());
  ASSERT_TRUE(SetFieldFromText(decide, "expected_version", "7", "--expected_version").ok());
  ASSERT_TRUE(
      SetFieldFromText(decide, "occurred_at", "2026-11-28T09:30:00+08:00", "--occurred_at").ok());
  EXPECT_EQ(decide.decision(), v1::FILING_DECISION_DECLINED);
  EXPECT_EQ(decide.reason(), "证据不足");
  EXPECT_EQ(decide.expected_version(), 7);
  EXPECT_EQ(decide.occurred_at().seconds(), 1795829400);

  v1::VerifyRectificationRequest verify;
  ASSERT_TRUE(SetFieldFromText(verify, "passed", "fail", "pass|fail").ok());
  ASSERT_TRUE(SetFieldFromText(verify, "evidence_ids", "ev-1", "--evidence").ok());
  ASSERT_TRUE(SetFieldFromText(verify, "evidence_ids", "ev-2", "--evidence").ok());
  ASSERT_TRUE(SetFieldFromText(verify, "new_rectification_due_at", "2026-12-01 18:00", "--due")
                  .ok());
  EXPECT_FALSE(verify.passed());
  EXPECT_THAT(verify.evidence_ids(), ::testing::ElementsAre("ev-1", "ev-2"));
  EXPECT_EQ(verify.new_rectification_due_at().seconds(), 1796119200);  // 10:00 UTC

  v1::ListCasesRequest list;
  ASSERT_TRUE(SetFieldFromText(list, "filter.statuses", "rectifying", "--status").ok());
  ASSERT_TRUE(SetFieldFromText(list, "filter.statuses", "ASSIGNED", "--status").ok());
  EXPECT_THAT(list.filter().statuses(),
              ::testing::ElementsAre(v1::CASE_STATUS_RECTIFYING, v1::CASE_STATUS_ASSIGNED));
}

TEST(RequestFlagsTest, BadValuesNameTheFlag) {
  v1::ReportProgressRequest progress;
  EXPECT_THAT(SetFieldFromText(progress, "percent_complete", "half", "--percent"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--percent=half")));
  v1::DecideReferralRequest decide;
  EXPECT_THAT(SetFieldFromText(decide, "decision", "maybe", "--decision"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("filed|declined|returned")));
  EXPECT_THAT(SetFieldFromText(decide, "occurred_at", "yesterday", "--occurred_at"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--occurred_at")));
  EXPECT_THAT(SetFieldFromText(decide, "colour", "red", "--colour"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--colour")));
  v1::ProposeReferralRequest propose;  // documents is a message: not a flag
  EXPECT_THAT(SetFieldFromText(propose, "documents", "x", "--documents"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RequestFlagsTest, HintsForUsage) {
  const auto* descriptor = v1::DecideReferralRequest::descriptor();
  EXPECT_EQ(ValueHint(*descriptor->FindFieldByName("decision")), "filed|declined|returned");
  EXPECT_EQ(ValueHint(*descriptor->FindFieldByName("occurred_at")), "TIME");
  EXPECT_EQ(ValueHint(*descriptor->FindFieldByName("reason")), "TEXT");
  EXPECT_NE(FieldAtPath(*v1::ListCasesRequest::descriptor(), "filter.region_prefix"), nullptr);
  EXPECT_EQ(FieldAtPath(*v1::ListCasesRequest::descriptor(), "filter.nothing"), nullptr);
}

}  // namespace
}  // namespace rectify::client
