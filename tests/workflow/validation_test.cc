// Tests of command input validation: each bad input is refused with
// INVALID_ARGUMENT naming the field.
#include "workflow/validation.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/user_message_matchers.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::RefusedInChinese;
using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1788000000);  // 2026-08-29

v1::ReportCaseRequest ValidReport() {
  v1::ReportCaseRequest request;
  request.set_command_id("tablet-7-000001");
  request.set_title("砂石料场扬尘未覆盖");
  request.set_description("北滩村砂石料场堆场未苫盖，现场扬尘明显。");
  request.set_category(v1::CATEGORY_AIR);
  request.set_severity(v1::SEVERITY_MEDIUM);
  request.set_source(v1::CASE_SOURCE_INSPECTION);
  request.mutable_location()->set_region_code("620722");
  request.mutable_location()->set_address("洪水镇北滩村");
  request.mutable_location()->mutable_point()->set_latitude(38.43);
  request.mutable_location()->mutable_point()->set_longitude(100.81);
  // A phone's fix; 100 km exactly is the widest accepted.
  request.mutable_location()->mutable_point()->set_accuracy_m(100000);
  request.mutable_subject()->set_name("民乐县某建材有限公司");
  request.mutable_subject()->set_unified_social_credit_code("91620722MA71000018");
  request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(kNow - absl::Hours(2)));
  return request;
}

TEST(UnifiedSocialCreditCodeTest, AcceptsCodesWithTheRightCheckCharacter) {
  EXPECT_TRUE(IsValidUnifiedSocialCreditCode("91350100M000100Y43"));
  EXPECT_TRUE(IsValidUnifiedSocialCreditCode("91620722MA71000018"));
  EXPECT_TRUE(IsValidUnifiedSocialCreditCode("91620722MA7100002B"));
}

TEST(UnifiedSocialCreditCodeTest, RefusesWrongCheckLengthOrAlphabet) {
  EXPECT_FALSE(IsValidUnifiedSocialCreditCode("91350100M000100Y44"));  // check 3, not 4
  EXPECT_FALSE(IsValidUnifiedSocialCreditCode("91350100M000100Y4"));   // 17 characters
  EXPECT_FALSE(IsValidUnifiedSocialCreditCode("91350100M000100Y433"));
  EXPECT_FALSE(IsValidUnifiedSocialCreditCode("91350100I000100Y43"));  // I is not in the alphabet
  EXPECT_FALSE(IsValidUnifiedSocialCreditCode("91350100m000100Y43"));  // lower case
  EXPECT_FALSE(IsValidUnifiedSocialCreditCode(""));
}

// The vectors the web app's port (web/app/src/uscc.ts) is tested with too
// (tests/web/uscc.spec.ts): one rule, one set of answers.
TEST(UnifiedSocialCreditCodeTest, AgreesWithTheSharedVectors) {
  std::ifstream file("tests/workflow/uscc_vectors.txt");
  ASSERT_TRUE(file.is_open()) << "tests/workflow/uscc_vectors.txt is missing from the runfiles";
  std::string line;
  int valid = 0;
  int invalid = 0;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string verdict;
    std::string code;
    fields >> verdict >> code;
    if (code == "-") code.clear();
    ASSERT_TRUE(verdict == "valid" || verdict == "invalid") << line;
    EXPECT_EQ(IsValidUnifiedSocialCreditCode(code), verdict == "valid") << line;
    (verdict == "valid" ? valid : invalid)++;
  }
  EXPECT_EQ(valid, 3);
  EXPECT_EQ(invalid, 12);
}

TEST(ValidateReportCaseTest, AcceptsAFullReport) {
  EXPECT_OK(ValidateReportCase(ValidReport(), kNow, Policy()));
}

struct BadReport {
  const char* name;
  void (*spoil)(v1::ReportCaseRequest&);
  const char* field;
  const char* zh;  // the user message, field label first
};

class ValidateReportCaseBadInputTest : public ::testing::TestWithParam<BadReport> {};

TEST_P(ValidateReportCaseBadInputTest, NamesTheField) {
  v1::ReportCaseRequest request = ValidReport();
  GetParam().spoil(request);
  const absl::Status status = ValidateReportCase(request, kNow, Policy());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().field)));
  // The user reads the field's Chinese label and the reason in Chinese.
  EXPECT_THAT(status, RefusedInChinese(::testing::Eq(GetParam().zh)));
  ASSERT_TRUE(UserMessageOf(status).has_value());
  EXPECT_EQ(UserMessageOf(status)->field(), GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(
    AllFields, ValidateReportCaseBadInputTest,
    ::testing::Values(
        BadReport{"NoCommandId", [](v1::ReportCaseRequest& r) { r.clear_command_id(); },
                  "command_id",
                  "命令编号：必填"},
        BadReport{"SpaceInCommandId", [](v1::ReportCaseRequest& r) { r.set_command_id("a b"); },
                  "command_id",
                  "命令编号：只能由字母、数字和符号组成，不能有空格"},
        BadReport{"NoTitle", [](v1::ReportCaseRequest& r) { r.set_title("  "); }, "title",
                  "标题：必填"},
        BadReport{"TitleTooLong",
                  [](v1::ReportCaseRequest& r) {
                    std::string title;
                    for (int i = 0; i < 201; ++i) title += "污";
                    r.set_title(title);
                  },
                  "title",
                  "标题：共 201 字，最多 200 字"},
        BadReport{"TitleNotUtf8", [](v1::ReportCaseRequest& r) { r.set_title("\xff\xfe"); },
                  "title",
                  "标题：含有无法识别的字符"},
        BadReport{"OverlongUtf8", [](v1::ReportCaseRequest& r) { r.set_description("\xc0\xaf"); },
                  "description",
                  "说明：含有无法识别的字符"},
        BadReport{"NoCategory", [](v1::ReportCaseRequest& r) { r.clear_category(); }, "category",
                  "问题类别：请从列表中选择"},
        BadReport{"UnknownCategory",
                  [](v1::ReportCaseRequest& r) { r.set_category(static_cast<v1::Category>(99)); },
                  "category",
                  "问题类别：请从列表中选择"},
        BadReport{"NoSeverity", [](v1::ReportCaseRequest& r) { r.clear_severity(); }, "severity",
                  "严重程度：请从列表中选择"},
        BadReport{"NoSource", [](v1::ReportCaseRequest& r) { r.clear_source(); }, "source",
                  "问题来源：请从列表中选择"},
        BadReport{"NoRegion",
                  [](v1::ReportCaseRequest& r) { r.mutable_location()->clear_region_code(); },
                  "location.region_code",
                  "行政区划代码：必填"},
        BadReport{"ShortRegion",
                  [](v1::ReportCaseRequest& r) { r.mutable_location()->set_region_code("6207"); },
                  "location.region_code",
                  "行政区划代码：须为 6、9 或 12 位半角数字的行政区划代码"},
        BadReport{"NoProvince",
                  [](v1::ReportCaseRequest& r) { r.mutable_location()->set_region_code("990722"); },
                  "location.region_code",
                  "行政区划代码：“990722”的前两位不是省级行政区划代码"},
        BadReport{"Latitude",
                  [](v1::ReportCaseRequest& r) {
                    r.mutable_location()->mutable_point()->set_latitude(91);
                  },
                  "location.point.latitude",
                  "纬度：须在 -90 至 90 度之间"},
        BadReport{"Longitude",
                  [](v1::ReportCaseRequest& r) {
                    r.mutable_location()->mutable_point()->set_longitude(-181);
                  },
                  "location.point.longitude",
                  "经度：须在 -180 至 180 度之间"},
        BadReport{"NegativeAccuracy",
                  [](v1::ReportCaseRequest& r) {
                    r.mutable_location()->mutable_point()->set_accuracy_m(-1);
                  },
                  "location.point.accuracy_m",
                  "定位精度：须在 0 至 100000 米之间"},
        BadReport{"AccuracyPast100Km",
                  [](v1::ReportCaseRequest& r) {
                    r.mutable_location()->mutable_point()->set_accuracy_m(100000.5);
                  },
                  "location.point.accuracy_m",
                  "定位精度：须在 0 至 100000 米之间"},
        BadReport{"AccuracyNotANumber",
                  [](v1::ReportCaseRequest& r) {
                    r.mutable_location()->mutable_point()->set_accuracy_m(std::nan(""));
                  },
                  "location.point.accuracy_m",
                  "定位精度：须在 0 至 100000 米之间"},
        BadReport{"CreditCode",
                  [](v1::ReportCaseRequest& r) {
                    r.mutable_subject()->set_unified_social_credit_code("91620722MA71000019");
                  },
                  "subject.unified_social_credit_code",
                  "统一社会信用代码：不是有效的统一社会信用代码（18 位，末位校验码须正确）"},
        BadReport{"Phone",
                  [](v1::ReportCaseRequest& r) { r.mutable_complainant()->set_phone("call me"); },
                  "complainant.phone",
                  "举报人电话：最多 30 位，只能含数字、空格、“+”或“-”"},
        BadReport{"NoFoundAt", [](v1::ReportCaseRequest& r) { r.clear_found_at(); }, "found_at",
                  "发现时间：必填"},
        BadReport{"FoundInTheFuture",
                  [](v1::ReportCaseRequest& r) {
                    r.mutable_found_at()->set_seconds(absl::ToUnixSeconds(kNow + absl::Hours(1)));
                  },
                  "found_at",
                  "发现时间：不能晚于现在"},
        BadReport{"EmptyTag", [](v1::ReportCaseRequest& r) { r.add_tags(""); }, "tags[0]",
                  "标签（第1项）：必填"}),
    [](const ::testing::TestParamInfo<BadReport>& info) { return std::string(info.param.name); });

TEST(FieldLabelTest, LabelsPathsIndicesAndUnknownFields) {
  EXPECT_EQ(FieldLabel("title"), "标题");
  EXPECT_EQ(FieldLabel("subject.unified_social_credit_code"), "统一社会信用代码");
  EXPECT_EQ(FieldLabel("location.point.latitude"), "纬度");  // by its last part
  EXPECT_EQ(FieldLabel("documents[2].kind"), "移送材料类型（第3项）");
  EXPECT_EQ(FieldLabel("evidence_ids[0]"), "证据（第1项）");
  EXPECT_EQ(FieldLabel("no_such_field"), "no_such_field");
}

// GB/T 2260's provinces, written out from the standard: the 31 of the
// mainland, Taiwan, Hong Kong, Macao. Every other two digits is refused.
TEST(RegionCodeTest, ProvincesAreExactlyThoseOfGbT2260) {
  const std::set<int> provinces = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                   35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                   53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
  ASSERT_EQ(provinces.size(), 34u);
  for (int two = 0; two <= 99; ++two) {
    const std::string code = absl::StrFormat("%02d", two);
    EXPECT_EQ(IsProvinceCode(code), provinces.count(two) == 1) << code;
    EXPECT_EQ(CheckRegionPrefixCode("region_code", code).ok(), provinces.count(two) == 1) << code;
  }
  EXPECT_THAT(CheckRegionCode("location.region_code", "190722"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("location.region_code: \"190722\" does not start with a province")));
  EXPECT_THAT(CheckRegionCode("location.region_code", "800722"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 80")));
}

TEST(RegionCodeTest, AListsRegionMayBeAnyLevel) {
  for (const char* code : {"62", "6207", "620722", "620722100", "620722100001"}) {
    EXPECT_OK(CheckRegionPrefixCode("region_code", code)) << code;
  }
  for (const char* code : {"6", "620", "62072", "6207221", "19", "1907", "62x7", ""}) {
    EXPECT_THAT(CheckRegionPrefixCode("region_code", code),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("region_code")))
        << code;
  }
  // A case is located at a county or below.
  EXPECT_THAT(CheckRegionCode("location.region_code", "6207"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("6, 9 or 12 ASCII digits")));
}

TEST(CaseIdTest, OnlyTheServersShape) {
  EXPECT_OK(CheckCaseIdFormat("case_id", "620722-2026-000123"));
  for (const char* id : {"not-a-case-id", "620722-2026-00012", "620722-2026-0001234",
                         "620722_2026_000123", "62072a-2026-000123", "620722-2026-00012x", ""}) {
    EXPECT_THAT(CheckCaseIdFormat("case_id", id),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("case_id: ")))
        << id;
  }
}

// Issue 11, item 1: a file name an uploader chose must be a plain name a
// downloader can use in its folder, never a path.
TEST(CheckFileNameTest, AcceptsPlainNames) {
  EXPECT_OK(CheckFileName("file_name", "IMG_0042.jpg"));
  EXPECT_OK(CheckFileName("file_name", "现场照片 2026-11-28.jpg"));
  EXPECT_OK(CheckFileName("file_name", ".hidden"));
  EXPECT_OK(CheckFileName("file_name", std::string(255, 'a')));
  // 85 CJK characters are 255 bytes.
  std::string cjk;
  for (int i = 0; i < 85; ++i) cjk += "污";
  EXPECT_OK(CheckFileName("file_name", cjk));
}

TEST(CheckFileNameTest, RefusesPathsControlCharactersAndLongNamesNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "is required"},
      {"/tmp/x", "path separator"},
      {"../../x", "path separator"},
      {"dir/x.jpg", "path separator"},
      {"..\\..\\x", "path separator"},
      {"C:\\Windows\\x", "path separator"},
      {"..", "\"..\""},
      {"x..jpg", "\"..\""},
      {std::string("a\0b", 3), "control characters"},
      {"a\nb", "control characters"},
      {"a\rb", "control characters"},
      {"a\tb", "control characters"},
      {"a\x1b" "[31mb", "control characters"},
      {"a\x7f", "control characters"},
      {"a\xc2\x85" "b", "control characters"},  // U+0085 NEXT LINE
      {"a\xff", "not valid UTF-8"},
      {std::string(256, 'a'), "256 bytes long; at most 255"},
  };
  for (const auto& [name, why] : bad) {
    EXPECT_THAT(CheckFileName("file_name", name),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         ::testing::AllOf(HasSubstr("file_name: "), HasSubstr(why))))
        << name;
  }
  std::string cjk;
  for (int i = 0; i < 86; ++i) cjk += "污";  // 258 bytes
  EXPECT_THAT(CheckFileName("file_name", cjk),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("file_name")));
}

}  // namespace
}  // namespace rectify::workflow
