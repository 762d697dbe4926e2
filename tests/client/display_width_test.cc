// Display width of UTF-8 text and tables aligned with Chinese cells.
#include "client/display_width.h"

#include "gtest/gtest.h"

namespace rectify::client {
namespace {

TEST(DisplayWidthTest, AsciiIsOneColumnEach) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("620722-2026-000001"), 18);
}

TEST(DisplayWidthTest, ChineseAndFullwidthAreTwoColumns) {
  EXPECT_EQ(DisplayWidth("扬尘"), 4);
  EXPECT_EQ(DisplayWidth("砂石料场扬尘未覆盖，周边村民投诉"), 32);  // "，" is fullwidth
  EXPECT_EQ(DisplayWidth("扬尘 dust"), 9);
  EXPECT_EQ(DisplayWidth("（整改）"), 8);
  EXPECT_EQ(DisplayWidth("\u3000"), 2);       // ideographic space
  EXPECT_EQ(DisplayWidth("𠀀"), 2);           // CJK Extension B, 4 bytes in UTF-8
  EXPECT_EQ(DisplayWidth("한국"), 4);
}

TEST(DisplayWidthTest, CombiningAndOtherNarrowCharacters) {
  EXPECT_EQ(DisplayWidth("e\u0301"), 1);  // e + combining acute
  EXPECT_EQ(DisplayWidth("°C ±5"), 5);
  EXPECT_EQ(DisplayWidth("\u200b"), 0);  // zero-width space
}

TEST(DisplayWidthTest, InvalidUtf8CountsOneColumnPerByte) {
  EXPECT_EQ(DisplayWidth(std::string("\xff\xfe")), 2);
  EXPECT_EQ(DisplayWidth(std::string("\xe6\x89")), 2);  // a truncated 扬
}

TEST(DisplayWidthTest, PadToWidthCountsColumnsNotBytes) {
  EXPECT_EQ(PadToWidth("扬尘", 6), "扬尘  ");
  EXPECT_EQ(PadToWidth("abcdef", 3), "abcdef");
}

TEST(DisplayWidthTest, TableColumnsLineUpWithChineseText) {
  const std::string table =
      FormatTable({"CASE", "UNIT", "TITLE"},
                  {{"620722-2026-000001", "洪水镇", "砂石料场扬尘"},
                   {"620722-2026-000002", "minle-hongshui-town", "Noise at night"},
                   {"620722-2026-000003", "民乐县生态环境局", "x"}});
  EXPECT_EQ(table,
            "CASE                UNIT                 TITLE\n"
            "620722-2026-000001  洪水镇               砂石料场扬尘\n"
            "620722-2026-000002  minle-hongshui-town  Noise at night\n"
            "620722-2026-000003  民乐县生态环境局     x\n");
}

TEST(DisplayWidthTest, HandCountedColumnsOfCjkAsciiAndMixedText) {
  // Each width counted by hand: 2 per Chinese character or full-width
  // punctuation mark, 1 per ASCII character.
  const struct {
    const char* text;
    int columns;
  } kCases[] = {
      {"民乐县", 6},
      {"洪水镇北滩村", 12},
      {"生态环境局：整改。", 18},  // "：" and "。" are full width
      {"minle-hongshui-town", 19},
      {"CASE 620722", 11},
      {"洪水镇 town", 11},
      {"PM2.5超标", 9},
      {"整改期限：2027-01-04", 20},
      {"Ａ１", 4},  // full-width Latin letter and digit
      {"ｶﾅ", 2},    // half-width katakana
  };
  for (const auto& c : kCases) EXPECT_EQ(DisplayWidth(c.text), c.columns) << c.text;
}

TEST(DisplayWidthTest, ChineseTableLinesUpByHandCountedColumns) {
  // Column widths by hand: NO 2, UNIT max("单位"=4, "洪水镇"=6, "abc"=3) = 6.
  EXPECT_EQ(FormatTable({"NO", "单位", "备注"}, {{"1", "洪水镇", "PM2.5超标"}, {"22", "abc", "噪声"}}),
            "NO  单位    备注\n"
            "1   洪水镇  PM2.5超标\n"
            "22  abc     噪声\n");
}

TEST(DisplayWidthTest, ShortRowsGetEmptyCellsAndNoTrailingSpaces) {
  EXPECT_EQ(FormatTable({"A", "B"}, {{"长"}}), "A   B\n长\n");
}

}  // namespace
}  // namespace rectify::client
