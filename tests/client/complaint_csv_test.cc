// Tests of the 12369 export reader (client/complaint_csv.h): encodings,
// RFC 4180 records with their line numbers, bounds, and the header's columns.
// The GBK bytes below were written out by hand from the GBK code table
// (工 = B9A4, 单 = B5A5, ...), not produced by the code under test.
#include "client/complaint_csv.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

using ::testing::ElementsAre;

TEST(DecodeExport, Utf8AsItIs) {
  auto decoded = DecodeExport("a,b\n民乐县\n");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->text, "a,b\n民乐县\n");
  EXPECT_EQ(decoded->encoding, CsvEncoding::kUtf8);
}

TEST(DecodeExport, BomIsDropped) {
  auto decoded = DecodeExport("\xEF\xBB\xBF" "工单编号\n");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->text, "工单编号\n");
  EXPECT_EQ(decoded->encoding, CsvEncoding::kUtf8Bom);
}

TEST(DecodeExport, GbkIsConverted) {
  // 工单编号,举报内容 then 砂石料场夜间扬尘 in GBK.
  const std::string gbk =
      "\xB9\xA4\xB5\xA5\xB1\xE0\xBA\xC5,\xBE\xD9\xB1\xA8\xC4\xDA\xC8\xDD\r\n"
      "T1,\xC9\xB0\xCA\xAF\xC1\xCF\xB3\xA1\xD2\xB9\xBC\xE4\xD1\xEF\xB3\xBE\r\n";
  auto decoded = DecodeExport(gbk);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->encoding, CsvEncoding::kGbk);
  EXPECT_EQ(decoded->text, "工单编号,举报内容\r\nT1,砂石料场夜间扬尘\r\n");
}

TEST(DecodeExport, NeitherUtf8NorGbkIsRefused) {
  // 0x80 alone is not a GBK lead byte; 0xFF is never valid.
  EXPECT_EQ(DecodeExport("ab\x80\xFF").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DecodeExport, TooLargeIsRefused) {
  EXPECT_EQ(DecodeExport(std::string(kMaxComplaintCsvBytes + 1, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseCsv, QuotesCommasAndLineBreaksKeepTheirLines) {
  auto records = ParseCsv("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,1");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[0].line, 1);
  EXPECT_THAT((*records)[1].cells, ElementsAre("x,1", "say \"hi\""));
  EXPECT_EQ((*records)[1].line, 2);
  // Line 3 is blank; the record on 4 runs to 5; the next starts on 6.
  EXPECT_EQ((*records)[2].line, 4);
  EXPECT_THAT((*records)[2].cells, ElementsAre("two\nlines", "z"));
  EXPECT_EQ((*records)[3].line, 6);
  EXPECT_THAT((*records)[3].cells, ElementsAre("last", "1"));
}

TEST(ParseCsv, MalformedRecordsNameTheirLine) {
  auto unterminated = ParseCsv("a,b\nx,\"open\n");
  EXPECT_EQ(unterminated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unterminated.status().message()), ::testing::HasSubstr("line 2"));
  auto stray = ParseCsv("a,b\nx,y\nx\"y,z\n");
  EXPECT_THAT(std::string(stray.status().message()), ::testing::HasSubstr("line 3"));
  auto after = ParseCsv("\"a\"b\n");
  EXPECT_THAT(std::string(after.status().message()), ::testing::HasSubstr("line 1"));
}

TEST(ParseCsv, BoundsAreKept) {
  EXPECT_FALSE(ParseCsv(std::string(kMaxComplaintCsvCell + 1, 'a')).ok());
  EXPECT_FALSE(ParseCsv("\"" + std::string(kMaxComplaintCsvCell + 1, 'a') + "\"").ok());
  EXPECT_FALSE(ParseCsv(std::string(kMaxComplaintCsvCells, ',')).ok());  // 33 cells
  std::string many = "h\n";
  for (int i = 0; i < kMaxComplaintCsvRows; ++i) many += "r\n";
  EXPECT_TRUE(ParseCsv(many).ok());
  EXPECT_FALSE(ParseCsv(many + "r\n").ok());
}

TEST(ToImportRows, ChineseHeaderAndTheRowsFields) {
  auto records = ParseCsv(
      "工单编号,来件时间,标题,举报内容,行政区划代码,事发地址,污染类别,举报人姓名,举报人电话\n"
      "12369-2026-0001,2026-11-28 09:30:00,扬尘,夜间扬尘,620722,洪水镇北滩村,大气,张三,13800000000\n"
      "12369-2026-0002,2026/11/29 10:05,噪声,噪声扰民,620722,,噪声,,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ComplaintCsv csv = ToImportRows(*records);
  ASSERT_TRUE(csv.problems.empty()) << csv.problems.front().message;
  ASSERT_EQ(csv.rows.size(), 2u);
  const v1::ComplaintImportRow& first = csv.rows[0];
  EXPECT_EQ(first.row_number(), 2);
  EXPECT_EQ(first.details().ticket_number(), "12369-2026-0001");
  EXPECT_EQ(first.details().channel(), v1::COMPLAINT_CHANNEL_PLATFORM);
  // 2026-11-28 09:30 in UTC+8 is 01:30 UTC: 1795829400 (date -d '2026-11-28T01:30Z' +%s).
  EXPECT_EQ(first.details().received_at().seconds(), 1795829400);
  EXPECT_EQ(first.details().category(), v1::CATEGORY_AIR);
  EXPECT_EQ(first.details().location().region_code(), "620722");
  EXPECT_EQ(first.details().location().address(), "洪水镇北滩村");
  EXPECT_EQ(first.details().complainant().name(), "张三");
  EXPECT_FALSE(first.details().anonymous());
  const v1::ComplaintImportRow& second = csv.rows[1];
  EXPECT_EQ(second.row_number(), 3);
  EXPECT_TRUE(second.details().anonymous());
  EXPECT_FALSE(second.details().has_complainant());
  // 2026-11-29 10:05 UTC+8 = 02:05 UTC.
  EXPECT_EQ(second.details().received_at().seconds(), 1795829400 + 86400 + 35 * 60);
}

TEST(ToImportRows, EveryBadRowIsReportedByItsLine) {
  auto records = ParseCsv(
      "ticket_number,received_at,title,content,region_code,category\n"
      "T1,yesterday,t,x,620722,air\n"
      "T2,2026-11-28 09:30,t,x,620722\n"
      "T3,2026-11-28 09:30,t,x,620722,smoke\n"
      "T4,2026-11-28 09:30,t,x,620722,water\n");
  ASSERT_TRUE(records.ok());
  ComplaintCsv csv = ToImportRows(*records);
  ASSERT_EQ(csv.problems.size(), 3u);
  EXPECT_EQ(csv.problems[0].line, 2);
  EXPECT_EQ(csv.problems[0].column, "received_at");
  EXPECT_EQ(csv.problems[1].line, 3);
  EXPECT_EQ(csv.problems[2].line, 4);
  EXPECT_EQ(csv.problems[2].column, "category");
  EXPECT_FALSE(csv.problems[2].message_zh.empty());
}

TEST(ToImportRows, HeaderProblems) {
  auto records = ParseCsv("ticket_number,colour\nT1,red\n");
  ASSERT_TRUE(records.ok());
  ComplaintCsv csv = ToImportRows(*records);
  // "colour" unknown; received_at, title, content and region_code missing.
  EXPECT_EQ(csv.problems.size(), 5u);
  EXPECT_TRUE(csv.rows.empty());
  auto only_header = ParseCsv("ticket_number,received_at,title,content,region_code\n");
  EXPECT_EQ(ToImportRows(*only_header).problems.size(), 1u);
  EXPECT_EQ(ToImportRows({}).problems.size(), 1u);
}

}  // namespace
}  // namespace rectify::client
