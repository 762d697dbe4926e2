// Tests of the index keys the projector derives from a case: every filter of
// ListCases has its key, keys follow the case's state, and the case id can be
// read back from any key (also when a unit or list id holds '/').
#include "projection/projector.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::projection {
namespace {

using ::testing::Contains;
using ::testing::IsSupersetOf;
using ::testing::Not;

v1::Case Assigned() {
  v1::Case state;
  state.set_case_id("620722-2026-000007");
  state.set_version(3);
  state.set_status(v1::CASE_STATUS_ASSIGNED);
  state.set_category(v1::CATEGORY_WATER);
  state.set_source(v1::CASE_SOURCE_HOTLINE_12369);
  state.mutable_location()->set_region_code("620722100");
  state.set_responsible_unit("minle-hongshui-town");
  state.mutable_found_at()->set_seconds(1772000000);
  state.mutable_updated_at()->set_seconds(1772100000);
  return state;
}

TEST(ProjectorTest, EveryListFilterHasAKeyEndingWithTheCaseId) {
  const std::string id = "620722-2026-000007";
  const ProjectedKeys keys = ProjectKeys(Assigned());
  EXPECT_THAT(keys.index_keys,
              IsSupersetOf({AllCasesPrefix() + id, StatusPrefix(v1::CASE_STATUS_ASSIGNED) + id,
                            CategoryPrefix(v1::CATEGORY_WATER) + id,
                            SourcePrefix(v1::CASE_SOURCE_HOTLINE_12369) + id,
                            UnitPrefix("minle-hongshui-town") + id,
                            FoundAtPrefix() + TimeKeyPart(absl::FromUnixSeconds(1772000000)) +
                                "/" + id,
                            UpdatedAtPrefix() + TimeKeyPart(absl::FromUnixSeconds(1772100000)) +
                                "/" + id,
                            "s/02/620722100/" + id, "r/620722100/" + id,
                            TownshipPrefix("620722100") + id,
                            TownshipStatusPrefix(v1::CASE_STATUS_ASSIGNED, "620722100") + id}));
  EXPECT_THAT(keys.index_keys, Not(Contains(OverduePrefix() + id)));
  EXPECT_THAT(keys.index_keys, Not(Contains(ReferredPrefix() + id)));
  for (const std::string& key : keys.index_keys) EXPECT_EQ(CaseIdOfIndexKey(key), id) << key;
}

TEST(ProjectorTest, OverdueListsAndSentReferralsAddKeys) {
  v1::Case state = Assigned();
  const std::string id = state.case_id();
  state.set_overdue(true);
  state.add_list_ids("central/round-2");
  state.add_list_ids("county-2026");
  v1::Referral& proposed = *state.add_referrals();
  proposed.set_state(v1::REFERRAL_STATE_PROPOSED);
  v1::Referral& sent = *state.add_referrals();
  sent.set_state(v1::REFERRAL_STATE_SENT);
  sent.set_police_unit("minle-psb");
  sent.mutable_sent_at()->set_seconds(1772200000);
  const ProjectedKeys keys = ProjectKeys(state);
  EXPECT_THAT(keys.index_keys,
              IsSupersetOf({OverduePrefix() + id, ListPrefix("central/round-2") + id,
                            ListPrefix("county-2026") + id, PoliceUnitPrefix("minle-psb") + id,
                            ReferredPrefix() + id}));
  for (const std::string& key : keys.index_keys) EXPECT_EQ(CaseIdOfIndexKey(key), id) << key;
}

TEST(ProjectorTest, AStateChangeMovesItsKeys) {
  v1::Case before = Assigned();
  v1::Case after = before;
  after.set_status(v1::CASE_STATUS_RECTIFYING);
  after.mutable_updated_at()->set_seconds(1772300000);
  storage::StreamAppend append;
  AddKeyChanges(ProjectKeys(before), ProjectKeys(after), append);
  const std::string id = before.case_id();
  EXPECT_THAT(append.index_deletes, Contains(StatusPrefix(v1::CASE_STATUS_ASSIGNED) + id));
  EXPECT_THAT(append.index_puts, Contains(StatusPrefix(v1::CASE_STATUS_RECTIFYING) + id));
  EXPECT_THAT(append.index_deletes, Not(Contains(AllCasesPrefix() + id)));
  EXPECT_THAT(append.index_puts, Not(Contains(AllCasesPrefix() + id)));
}

TEST(ProjectorTest, TimeKeysSortInTimeOrder) {
  EXPECT_LT(TimeKeyPart(absl::FromUnixSeconds(-5)), TimeKeyPart(absl::FromUnixSeconds(0)));
  EXPECT_LT(TimeKeyPart(absl::FromUnixSeconds(9)), TimeKeyPart(absl::FromUnixSeconds(10)));
  EXPECT_EQ(TimeKeyPart(absl::FromUnixSeconds(1)).size(), 16u);
}

TEST(ProjectorTest, AnEmptyCaseHasNoKeys) {
  EXPECT_TRUE(ProjectKeys(v1::Case()).index_keys.empty());
}

}  // namespace
}  // namespace rectify::projection
