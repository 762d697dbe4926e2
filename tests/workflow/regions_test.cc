// The region directory (base/regions.h) and the region-code rule of
// validation: names of a sample of codes at each level, written out here
// from GB/T 2260 and the statistics bureau's tables (not read from the
// shipped file), codes that name nothing refused with the field named, and
// the bureau's township file (config/regions_620722.txt).
#include "base/regions.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/workflow/read_file.h"
#include "workflow/validation.h"

namespace rectify {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RegionNamesTest, ASampleOfEachLevelHasItsStandardName) {
  const RegionDirectory& regions = RegionDirectory::National();
  const std::pair<const char*, const char*> expected[] = {
      // Provinces, autonomous regions, municipalities, SARs.
      {"11", "北京市"}, {"31", "上海市"}, {"44", "广东省"}, {"62", "甘肃省"},
      {"65", "新疆维吾尔自治区"}, {"71", "台湾省"}, {"81", "香港特别行政区"},
      {"82", "澳门特别行政区"},
      // Cities (prefecture level).
      {"6201", "兰州市"}, {"6207", "张掖市"}, {"4401", "广州市"}, {"4403", "深圳市"},
      {"3205", "苏州市"}, {"1101", "市辖区"},
      // Counties and districts.
      {"620722", "民乐县"}, {"620702", "甘州区"}, {"620721", "肃南裕固族自治县"},
      {"110101", "东城区"}, {"440305", "南山区"}, {"310115", "浦东新区"},
      {"429004", "仙桃市"}};
  for (const auto& [code, name] : expected) EXPECT_EQ(regions.Name(code), name) << code;
  EXPECT_EQ(regions.Name("620799"), "");
  EXPECT_EQ(regions.Name("620722101"), "");  // no townships in the national table
}

TEST(RegionNamesTest, PeopleReadTheNamesOfEveryLevel) {
  const RegionDirectory& regions = RegionDirectory::National();
  EXPECT_EQ(regions.FullName("620722"), "甘肃省张掖市民乐县");
  EXPECT_EQ(regions.FullName("6207"), "甘肃省张掖市");
  // Municipalities' and directly administered counties' placeholders are left out.
  EXPECT_EQ(regions.FullName("110101"), "北京市东城区");
  EXPECT_EQ(regions.FullName("429004"), "湖北省仙桃市");
  EXPECT_EQ(regions.DisplayName("1101"), "北京市");
  EXPECT_EQ(regions.DisplayName("620722"), "民乐县");
  // A township no file covers: the county's full name.
  EXPECT_EQ(regions.FullName("620722101"), "甘肃省张掖市民乐县");
  EXPECT_EQ(regions.FullName("19"), "");
}

TEST(RegionNamesTest, CodesThatNameNothingAreRefusedNamingTheField) {
  const RegionDirectory& regions = RegionDirectory::National();
  EXPECT_OK(regions.Check("region_code", "620722"));
  EXPECT_OK(regions.Check("region_code", "6207"));
  // Without the bureau's file a township is checked to its county.
  EXPECT_OK(regions.Check("region_code", "620722100"));
  EXPECT_THAT(regions.Check("location.region_code", "620799"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("location.region_code: \"620799\" names no county of GB/T 2260 "
                                 "(甘肃省张掖市 has no 620799)")));
  // A province code that GB/T 2260 does not have (19, 99: no province), as
  // a code of its own and at the head of a longer one.
  EXPECT_THAT(regions.Check("region_code", "19"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("region_code: \"19\" names no province of GB/T 2260")));
  EXPECT_THAT(regions.Check("location.region_code", "990101"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names no province")));
  EXPECT_THAT(regions.Check("region_code", "6299"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names no city")));
  EXPECT_THAT(regions.Check("region_code", "620700"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names no county")));
  EXPECT_THAT(regions.Check("region_code", "629999100"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names no city")));
  // Through the validation every command uses.
  EXPECT_THAT(workflow::CheckRegionCode("location.region_code", "620799"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("location.region_code")));
  EXPECT_THAT(workflow::CheckRegionPrefixCode("region_prefix", "6299"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("region_prefix")));
  EXPECT_OK(workflow::CheckRegionPrefixCode("region_prefix", "440305"));
}

TEST(BureauRegionsTest, TheShippedFileNamesMinlesTownshipsAndVillages) {
  absl::StatusOr<std::shared_ptr<const RegionDirectory>> loaded =
      RegionDirectory::WithLocal(testing::ReadRunfile("config/regions_620722.txt"));
  ASSERT_OK(loaded.status());
  const RegionDirectory& regions = **loaded;
  // The ten towns of 民乐县 and its industrial park (statistics bureau, 2023).
  EXPECT_EQ(regions.Name("620722101"), "洪水镇");
  EXPECT_EQ(regions.Name("620722110"), "丰乐镇");
  EXPECT_EQ(regions.Name("620722400"), "民乐生态工业园区");
  EXPECT_EQ(regions.FullName("620722101"), "甘肃省张掖市民乐县洪水镇");
  EXPECT_EQ(regions.Name("620722101001"), "县府街居民委员会");
  EXPECT_OK(regions.Check("location.region_code", "620722101"));
  EXPECT_OK(regions.Check("location.region_code", "620722101001"));
  // 100 is no township of 民乐县; 999 no village of 洪水镇.
  EXPECT_THAT(regions.Check("location.region_code", "620722100"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("location.region_code: \"620722100\" names no township of the "
                                 "bureau's regions file (甘肃省张掖市民乐县 has no 620722100)")));
  EXPECT_THAT(regions.Check("location.region_code", "620722101999"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names no village")));
  // Another county, which the file does not cover: checked to the county.
  EXPECT_OK(regions.Check("location.region_code", "620702001"));
  // The national names are still there.
  EXPECT_EQ(regions.Name("620722"), "民乐县");
}

TEST(BureauRegionsTest, ABadFileIsRefusedNamingTheLine) {
  auto error = [](const std::string& text) { return RegionDirectory::WithLocal(text).status(); };
  EXPECT_THAT(error("620722101\t洪水镇\n620722101\t洪水镇\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2: 620722101 is listed twice")));
  EXPECT_THAT(error("# comment\n620799101\t某镇\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2: 620799101: its county 620799 is not in the national")));
  EXPECT_THAT(error("620722101001\t某村\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1: 620722101001: its township 620722101 is not listed")));
  EXPECT_THAT(error("6207221\t某地\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1: \"6207221\"")));
  EXPECT_THAT(error("620722101\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1: expected")));
  EXPECT_THAT(error("620722101\t\x01\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1: the name")));
}

TEST(BureauRegionsTest, TheDirectoryInUseIsWhatValidationChecks) {
  EXPECT_OK(workflow::CheckRegionCode("location.region_code", "620722100"));
  absl::StatusOr<std::shared_ptr<const RegionDirectory>> loaded =
      RegionDirectory::WithLocal("620722101\t洪水镇\n");
  ASSERT_OK(loaded.status());
  SetCurrentRegions(*loaded);
  EXPECT_THAT(workflow::CheckRegionCode("location.region_code", "620722100"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names no township")));
  EXPECT_OK(workflow::CheckRegionCode("location.region_code", "620722101"));
  EXPECT_EQ(CurrentRegions().Name("620722101"), "洪水镇");
  ResetCurrentRegions();
  EXPECT_OK(workflow::CheckRegionCode("location.region_code", "620722100"));
}

}  // namespace
}  // namespace rectify
