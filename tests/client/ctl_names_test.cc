// The names `rectifyctl --json` adds (client/ctl_names.h): which ids a reply
// names, found anywhere in it by field, and the "names" member appended to
// the reply's JSON without touching its own fields. The server side (the
// names themselves) is checked end to end in tests/e2e/rectifyctl_test.cc.
#include "client/ctl_names.h"

#include <map>
#include <string>

#include "client/case_format.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/supervision_service.pb.h"

namespace rectify::client::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(CtlNamesTest, IdsAreFoundWhereverTheReplyHoldsThem) {
  v1::GetCaseResponse reply;
  v1::Case& c = *reply.mutable_case_();
  c.set_responsible_unit("minle-hongshui-town");
  c.mutable_location()->set_region_code("620722101");
  c.mutable_reported_by()->set_principal_id("insp-zhang");
  c.mutable_reported_by()->set_display_name("张伟");
  c.mutable_reported_by()->set_unit_id("minle-eeb");
  c.mutable_assigned_by()->set_principal_id("sup-wang");  // no display name: left out
  v1::Referral& referral = *c.add_referrals();
  referral.set_police_unit("minle-psb");
  referral.set_procuratorate_unit("minle-procuratorate");
  const IdsInReply ids = IdsIn(reply);
  EXPECT_THAT(ids.units, UnorderedElementsAre("minle-hongshui-town", "minle-eeb", "minle-psb",
                                              "minle-procuratorate"));
  EXPECT_THAT(ids.regions, ElementsAre("620722101"));
  EXPECT_THAT(ids.principals, ElementsAre(Pair("insp-zhang", "张伟")));
}

TEST(CtlNamesTest, AReportsRowKeysAreUnitsOrRegionsByTheirTable) {
  v1::GetMonthlyReportResponse report;
  report.set_region_prefix("620722");
  report.add_by_category()->set_key("CATEGORY_WATER");
  report.add_by_region()->set_key("620722101");
  report.add_by_unit()->set_key("minle-hongshui-town");
  report.add_by_unit()->set_key("");  // the unassigned row
  report.add_notices()->set_responsible_unit("minle-liuba-town");
  const IdsInReply ids = IdsIn(report);
  EXPECT_THAT(ids.units, UnorderedElementsAre("minle-hongshui-town", "minle-liuba-town"));
  EXPECT_THAT(ids.regions, UnorderedElementsAre("620722", "620722101"));
}

// The reply's JSON with "names" appended reads back as the same message
// (unknown fields ignored) and as a JSON object whose "names" holds the maps.
TEST(CtlNamesTest, NamesAreAddedBesideTheReplysOwnFields) {
  v1::GetCaseResponse reply;
  reply.mutable_case_()->set_responsible_unit("minle-hongshui-town");
  const std::string json = *ToJson(reply);
  const std::string named =
      AddNames(json, {{"minle-hongshui-town", "洪水镇人民政府"}, {"minle-eeb", ""}},
               {{"620722", "民乐县"}}, {{"insp-zhang", "张伟"}});
  // Only appended: the reply's own text is unchanged up to its last member.
  EXPECT_EQ(named.substr(0, json.rfind('}') - 2), json.substr(0, json.rfind('}') - 2));

  v1::GetCaseResponse back;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(named, &back, options).ok()) << named;
  EXPECT_EQ(back.case_().responsible_unit(), "minle-hongshui-town");

  google::protobuf::Struct object;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(named, &object).ok()) << named;
  const auto& names = object.fields().at("names").struct_value().fields();
  const auto& units = names.at("units").struct_value().fields();
  ASSERT_EQ(units.size(), 1u);  // a unit without a name is left out
  EXPECT_EQ(units.at("minle-hongshui-town").string_value(), "洪水镇人民政府");
  EXPECT_EQ(names.at("regions").struct_value().fields().at("620722").string_value(), "民乐县");
  EXPECT_EQ(names.at("principals").struct_value().fields().at("insp-zhang").string_value(),
            "张伟");
}

TEST(CtlNamesTest, AnEmptyReplyGetsAnEmptyNames) {
  const std::string named = AddNames(*ToJson(v1::GetCaseResponse()), {}, {}, {});
  google::protobuf::Struct object;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(named, &object).ok()) << named;
  ASSERT_EQ(object.fields().size(), 1u);
  EXPECT_TRUE(object.fields().at("names").struct_value().fields().at("units").struct_value()
                  .fields()
                  .empty());
}

}  // namespace
}  // namespace rectify::client::ctl
