// The monthly report's HTML page (client/report_html.h), read the way a
// supervisor would check it: the figures are on the page where they belong,
// in Chinese; user text cannot inject markup; the charts' bars measure the
// figures; nothing is fetched from outside; empty and all-zero reports still
// give a valid page without NaN or infinity.
#include "client/report_html.h"

#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/sample_monthly_report.h"

namespace rectify::client {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

v1::ReportFigures Figures(int new_cases, int assigned, int rectifying, int verified, int closed,
                          int overdue, int closed_to_date, int open_at_end, double median) {
  v1::ReportFigures f;
  f.set_new_cases(new_cases);
  f.set_assigned(assigned);
  f.set_rectifying(rectifying);
  f.set_verified(verified);
  f.set_closed(closed);
  f.set_overdue(overdue);
  f.set_closed_to_date(closed_to_date);
  f.set_open_at_end(open_at_end);
  const int all = closed_to_date + open_at_end;
  f.set_closure_rate(all == 0 ? 0 : static_cast<double>(closed_to_date) / all);
  f.set_median_days_to_close(median);
  return f;
}

void AddRow(google::protobuf::RepeatedPtrField<v1::ReportRow>* rows, const std::string& key,
            const v1::ReportFigures& figures) {
  v1::ReportRow* row = rows->Add();
  row->set_key(key);
  *row->mutable_figures() = figures;
}

google::protobuf::Timestamp China(int year, int month, int day, int hour = 0, int minute = 0) {
  return ToProto(absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                                 absl::FixedTimeZone(8 * 3600)));
}

// A small report of Minle County for March 2026, figures chosen by hand.
v1::GetMonthlyReportResponse SmallReport() {
  v1::GetMonthlyReportResponse report;
  report.set_year(2026);
  report.set_month(3);
  report.set_region_prefix("620722");
  report.set_region_name("甘肃省张掖市民乐县");
  *report.mutable_as_of() = China(2026, 4, 1);
  report.set_no_progress_days(15);
  report.set_not_started_days(7);
  *report.mutable_total() = Figures(12, 9, 5, 4, 3, 2, 20, 16, 17.5);
  AddRow(report.mutable_by_category(), "CATEGORY_AIR", Figures(8, 6, 3, 3, 2, 1, 12, 9, 12));
  AddRow(report.mutable_by_category(), "CATEGORY_SOLID_WASTE", Figures(4, 3, 2, 1, 1, 1, 8, 7, 23));
  AddRow(report.mutable_by_region(), "620722", Figures(2, 1, 1, 0, 0, 0, 4, 3, 0));
  AddRow(report.mutable_by_region(), "620722101", Figures(10, 8, 4, 4, 3, 2, 16, 13, 17.5));
  // The names the server gives (base/regions.h).
  report.mutable_by_region(0)->set_name("民乐县");
  report.mutable_by_region(1)->set_name("洪水镇");
  AddRow(report.mutable_by_unit(), "", Figures(3, 0, 0, 0, 0, 0, 0, 3, 0));
  AddRow(report.mutable_by_unit(), "民乐县洪水镇人民政府", Figures(9, 9, 5, 4, 3, 2, 20, 13, 17.5));
  v1::UnitNotices* unit = report.add_notices();
  unit->set_responsible_unit("民乐县洪水镇人民政府");
  auto add = [&](v1::NoticeReason reason, const std::string& id, const std::string& title,
                 v1::CaseStatus status, int days, const google::protobuf::Timestamp& since) {
    v1::Notice* notice = unit->add_notices();
    notice->set_reason(reason);
    notice->set_case_id(id);
    notice->set_title(title);
    notice->set_responsible_unit(unit->responsible_unit());
    notice->set_status(status);
    notice->set_days(days);
    *notice->mutable_since() = since;
  };
  add(v1::NOTICE_REASON_OVERDUE, "620722-2026-000017", "洪水镇北滩村砂石料场扬尘未覆盖",
      v1::CASE_STATUS_RECTIFYING, 12, China(2026, 3, 19, 18));
  add(v1::NOTICE_REASON_NO_PROGRESS, "620722-2026-000017", "洪水镇北滩村砂石料场扬尘未覆盖",
      v1::CASE_STATUS_RECTIFYING, 20, China(2026, 3, 11, 9));
  add(v1::NOTICE_REASON_NOT_STARTED, "620722-2026-000042", "洪水镇养殖场粪污直排农灌渠",
      v1::CASE_STATUS_ASSIGNED, 9, China(2026, 3, 22, 10));
  return report;
}

// The text of the cells of the table row whose key cell reads `key`.
std::vector<std::string> RowCells(const std::string& html, const std::string& key) {
  const std::string start = "<th class=\"key\">" + key + "</th>";
  const size_t begin = html.find(start);
  if (begin == std::string::npos) return {"(no row " + key + ")"};
  const size_t end = html.find("</tr>", begin);
  const std::string row = html.substr(begin + start.size(), end - begin - start.size());
  std::vector<std::string> cells;
  static const std::regex kCell("<td[^>]*>([^<]*)</td>");
  for (std::sregex_iterator it(row.begin(), row.end(), kCell), last; it != last; ++it) {
    cells.push_back((*it)[1]);
  }
  return cells;
}

// The cells a figure row should show, in the table's column order.
std::vector<std::string> Expected(const v1::ReportFigures& f, const std::string& rate,
                                  const std::string& median) {
  return {absl::StrCat(f.new_cases()),
          absl::StrCat(f.assigned()),
          absl::StrCat(f.verified()),
          absl::StrCat(f.closed()),
          absl::StrCat(f.closed_unfounded()),
          absl::StrCat(f.rectifying()),
          absl::StrCat(f.overdue()),
          absl::StrCat(f.closed_to_date()),
          absl::StrCat(f.open_at_end()),
          rate,
          median};
}

// The <svg> elements of the page, in order.
std::vector<std::string> Charts(const std::string& html) {
  std::vector<std::string> charts;
  size_t at = 0;
  while ((at = html.find("<svg", at)) != std::string::npos) {
    const size_t end = html.find("</svg>", at);
    if (end == std::string::npos) {
      charts.push_back("(unclosed svg)");
      break;
    }
    charts.push_back(html.substr(at, end + 6 - at));
    at = end;
  }
  return charts;
}

struct BarRect {
  std::string series;
  double width = 0;
  double value = 0;
};

std::vector<BarRect> Bars(const std::string& svg) {
  static const std::regex kBar(
      "<rect class=\"bar ([a-z]+)\"[^>]* width=\"([^\"]*)\"[^>]* data-value=\"([^\"]*)\"");
  std::vector<BarRect> bars;
  for (std::sregex_iterator it(svg.begin(), svg.end(), kBar), last; it != last; ++it) {
    BarRect bar;
    bar.series = (*it)[1];
    EXPECT_TRUE(absl::SimpleAtod(std::string((*it)[2]), &bar.width)) << (*it)[0];
    EXPECT_TRUE(absl::SimpleAtod(std::string((*it)[3]), &bar.value)) << (*it)[0];
    bars.push_back(bar);
  }
  return bars;
}

// Every number in an attribute of the page's SVG is a finite number: a
// NaN or inf would make the browser drop the shape.
void ExpectFiniteSvgNumbers(const std::string& html) {
  for (const std::string& svg : Charts(html)) {
    static const std::regex kAttribute(
        " (x|y|x1|x2|y1|y2|width|height|font-size|data-value)=\"([^\"]*)\"");
    int seen = 0;
    for (std::sregex_iterator it(svg.begin(), svg.end(), kAttribute), last; it != last; ++it) {
      double value = 0;
      ASSERT_TRUE(absl::SimpleAtod(std::string((*it)[2]), &value)) << (*it)[0];
      EXPECT_TRUE(std::isfinite(value)) << (*it)[0];
      EXPECT_GE(value, 0) << (*it)[0];
      ++seen;
    }
    EXPECT_GT(seen, 0) << svg;
    static const std::regex kViewBox("viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"");
    std::smatch box;
    ASSERT_TRUE(std::regex_search(svg, box, kViewBox)) << svg;
  }
  const std::string lower = absl::AsciiStrToLower(html);
  static const std::regex kNotANumber("\\b(nan|inf|infinity)\\b");
  EXPECT_FALSE(std::regex_search(lower, kNotANumber));
}

TEST(ReportHtmlTest, TitleNamesTheMonthAndRegionInChinese) {
  const std::string html = RenderMonthlyReportHtml(SmallReport());
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>2026年3月 环境问题整改月调度报告 · 甘肃省张掖市民乐县（620722）</title>"));
  EXPECT_THAT(html, HasSubstr("数据截至：2026年3月31日 24:00（北京时间）"));
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
}

TEST(ReportHtmlTest, HeadlineFiguresAreOnThePage) {
  const std::string html = RenderMonthlyReportHtml(SmallReport());
  auto card = [](const std::string& label, const std::string& value, const std::string& unit) {
    return absl::StrCat(label, "</div><div class=\"card-value\">", value, "<small>", unit,
                        "</small>");
  };
  EXPECT_THAT(html, HasSubstr(card("本月新发现", "12", "个")));
  EXPECT_THAT(html, HasSubstr(card("本月已交办", "9", "个")));
  EXPECT_THAT(html, HasSubstr(card("本月已验收", "4", "个")));
  EXPECT_THAT(html, HasSubstr(card("本月已销号", "3", "个")));
  EXPECT_THAT(html, HasSubstr(card("月末整改中", "5", "个")));
  EXPECT_THAT(html, HasSubstr(card("月末逾期", "2", "个")));
  EXPECT_THAT(html, HasSubstr(card("累计已销号", "20", "个")));
  EXPECT_THAT(html, HasSubstr(card("月末未销号", "16", "个")));
  EXPECT_THAT(html, HasSubstr(card("销号率", "55.6", "%")));  // 20 / 36
  EXPECT_THAT(html, HasSubstr(card("中位销号天数", "17.5", "天")));
}

// Closures as unfounded are a figure of their own, named in Chinese.
TEST(ReportHtmlTest, ClosuresAsUnfoundedHaveTheirOwnColumnAndCard) {
  v1::GetMonthlyReportResponse report = SmallReport();
  report.mutable_total()->set_closed_unfounded(2);
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(html, HasSubstr("<th>销号</th><th>查无实据</th>"));
  EXPECT_THAT(html, HasSubstr("本月查无实据</div><div class=\"card-value\">2<small>个</small>"));
  EXPECT_THAT(html, HasSubstr("查无实据 <b>2</b> 个"));
}

// The penalty section (七、行政处罚): fen shown as yuan with two decimals,
// its summary its own class (the page has one p.summary, the month's).
TEST(ReportHtmlTest, PenaltiesHaveTheirOwnSectionInYuan) {
  v1::GetMonthlyReportResponse report = SmallReport();
  v1::ReportFigures& t = *report.mutable_total();
  t.set_penalty_cases_filed(2);
  t.set_penalty_decisions(1);
  t.set_daily_penalties(1);
  t.set_fines_decided_fen(4938268);  // 1,234,567 + 3 days × 1,234,567
  t.set_fines_collected_fen(1234567);
  t.set_mean_days_filing_to_decision(10);
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(html, HasSubstr("<h2>七、行政处罚</h2>"));
  EXPECT_THAT(html, HasSubstr(
      "<p class=\"summary-of-section\">本月处罚立案 <b>2</b> 件，作出处罚决定 <b>1</b> 件、"
      "按日连续处罚决定 <b>1</b> 件，决定罚款 <b>49,382.68</b> 元，收缴罚款 <b>12,345.67</b> 元；"
      "立案至作出处罚决定平均 <b>10</b> 天。</p>"));
  EXPECT_THAT(html, HasSubstr("本月立案</div><div class=\"card-value\">2<small>件</small>"));
  EXPECT_THAT(html, HasSubstr("按日连续处罚</div><div class=\"card-value\">1<small>件</small>"));
  EXPECT_THAT(html,
              HasSubstr("决定罚款</div><div class=\"card-value\">49,382.68<small>元</small>"));
  EXPECT_THAT(html,
              HasSubstr("收缴罚款</div><div class=\"card-value\">12,345.67<small>元</small>"));
  EXPECT_THAT(html, HasSubstr("平均办案天数</div><div class=\"card-value\">10<small>天</small>"));
  size_t summaries = 0;
  for (size_t at = 0; (at = html.find("class=\"summary\"", at)) != std::string::npos; ++at) {
    ++summaries;
  }
  EXPECT_EQ(summaries, 1u);

  // Nothing decided: the mean is a dash, the money 0.00.
  t.set_penalty_decisions(0);
  t.set_daily_penalties(0);
  t.set_fines_decided_fen(0);
  t.set_mean_days_filing_to_decision(12.5);
  const std::string none = RenderMonthlyReportHtml(report);
  EXPECT_THAT(none, HasSubstr("决定罚款 <b>0.00</b> 元"));
  EXPECT_THAT(none, HasSubstr("立案至作出处罚决定平均 <b>—</b>。"));
  EXPECT_THAT(none, HasSubstr("平均办案天数</div><div class=\"card-value\">—</div>"));
}

TEST(ReportHtmlTest, RowsOfEachTableShowTheirFiguresUnderChineseNames) {
  const v1::GetMonthlyReportResponse report = SmallReport();
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(RowCells(html, "大气"),
              ElementsAreArray(Expected(report.by_category(0).figures(), "57.1%", "12")));
  EXPECT_THAT(RowCells(html, "固体废物"),
              ElementsAreArray(Expected(report.by_category(1).figures(), "53.3%", "23")));
  EXPECT_THAT(RowCells(html, "民乐县（本级）"),
              ElementsAreArray(Expected(report.by_region(0).figures(), "57.1%", "—")));
  EXPECT_THAT(RowCells(html, "洪水镇"),
              ElementsAreArray(Expected(report.by_region(1).figures(), "55.2%", "17.5")));
  EXPECT_THAT(RowCells(html, "未交办"),
              ElementsAreArray(Expected(report.by_unit(0).figures(), "0.0%", "—")));
  EXPECT_THAT(RowCells(html, "民乐县洪水镇人民政府"),
              ElementsAreArray(Expected(report.by_unit(1).figures(), "60.6%", "17.5")));
  // 合计 closes each of the three tables.
  int totals = 0;
  for (size_t at = 0; (at = html.find("<th class=\"key\">合计</th>", at)) != std::string::npos;
       ++at) {
    ++totals;
  }
  EXPECT_EQ(totals, 3);
  EXPECT_THAT(RowCells(html, "合计"), ElementsAreArray(Expected(report.total(), "55.6%", "17.5")));
}

TEST(ReportHtmlTest, EveryCategoryHasItsChineseNameInTheBureausOrder) {
  v1::GetMonthlyReportResponse report = SmallReport();
  report.clear_by_category();
  // The server sorts by enum name; the page lists them as the bureau does.
  for (const char* key :
       {"CATEGORY_AIR", "CATEGORY_ECOLOGY", "CATEGORY_NOISE", "CATEGORY_OTHER",
        "CATEGORY_RADIATION", "CATEGORY_SOIL", "CATEGORY_SOLID_WASTE", "CATEGORY_WATER"}) {
    AddRow(report.mutable_by_category(), key, Figures(1, 0, 0, 0, 0, 0, 0, 1, 0));
  }
  const std::string html = RenderMonthlyReportHtml(report);
  size_t previous = 0;
  for (const char* name : {"大气", "水", "土壤", "固体废物", "噪声", "生态", "辐射", "其他"}) {
    const size_t at = html.find(absl::StrCat("<th class=\"key\">", name, "</th>"));
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_GT(at, previous) << name;
    previous = at;
  }
  EXPECT_THAT(html, Not(HasSubstr(">CATEGORY_")));
}

TEST(ReportHtmlTest, NoticesAreGroupedByUnitWithReasonDaysAndSince) {
  const std::string html = RenderMonthlyReportHtml(SmallReport());
  EXPECT_THAT(html, HasSubstr("共 <b>3</b> 条通报事项，涉及 <b>1</b> 个责任单位"));
  EXPECT_THAT(html, HasSubstr("<h3>（一）民乐县洪水镇人民政府<span class=\"n\">3 条</span></h3>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"case\">620722-2026-000017</td><td class=\"title\">"
                              "洪水镇北滩村砂石料场扬尘未覆盖</td><td class=\"status\">整改中</td>"
                              "<td class=\"reason warn\">逾期</td><td class=\"since\">2026年3月19日 18:00"
                              "</td><td class=\"days\">12</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"reason\">超过15天无进展</td><td class=\"since\">"
                              "2026年3月11日</td><td class=\"days\">20</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"status\">已交办</td><td class=\"reason\">交办超过7天未"
                              "启动</td><td class=\"since\">2026年3月22日</td><td class=\"days\">9"
                              "</td>"));
}

// Issue 21: a unit is read by its name. The server gives each unit row the
// unit's full name (ReportRow.name); the unit table, the overdue chart and
// the notice groups show it, never the id; a unit the directory does not
// hold shows its id.
TEST(ReportHtmlTest, UnitsAreNamedNotShownByTheirIds) {
  v1::GetMonthlyReportResponse report = SmallReport();
  report.mutable_by_unit(1)->set_key("minle-hongshui-town");
  report.mutable_by_unit(1)->set_name("洪水镇人民政府");
  report.mutable_notices(0)->set_responsible_unit("minle-hongshui-town");
  AddRow(report.mutable_by_unit(), "adhoc-unit", Figures(1, 1, 1, 0, 0, 1, 0, 1, 0));
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(RowCells(html, "洪水镇人民政府"),
              ElementsAreArray(Expected(report.by_unit(1).figures(), "60.6%", "17.5")));
  EXPECT_THAT(html, HasSubstr("<h3>（一）洪水镇人民政府<span class=\"n\">3 条</span></h3>"));
  EXPECT_THAT(html, Not(HasSubstr("minle-hongshui-town")));
  EXPECT_THAT(RowCells(html, "adhoc-unit"),
              ElementsAreArray(Expected(report.by_unit(2).figures(), "0.0%", "—")));
}

// People read names: the region table, the chart and the header name the
// regions; the appendix pairs each name with its code; a code the server
// could not name is shown as the code.
TEST(ReportHtmlTest, RegionsAreNamedWithTheirCodesInTheAppendix) {
  v1::GetMonthlyReportResponse report = SmallReport();
  AddRow(report.mutable_by_region(), "620722199", Figures(1, 0, 0, 0, 0, 0, 0, 1, 0));
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(html, HasSubstr("统计区域：甘肃省张掖市民乐县（620722）"));
  EXPECT_THAT(html, HasSubstr("class=\"key\">区域</th>"));
  EXPECT_THAT(html, Not(HasSubstr("620722（本级）")));
  EXPECT_THAT(RowCells(html, "620722199"),
              ElementsAreArray(Expected(report.by_region(2).figures(), "0.0%", "—")));
  EXPECT_THAT(html, HasSubstr("<h2>附：区域代码</h2>\n<ul>\n"
                              "<li><span class=\"region-name\">民乐县（本级）</span>："
                              "<span class=\"region-code\">620722</span></li>\n"
                              "<li><span class=\"region-name\">洪水镇</span>："
                              "<span class=\"region-code\">620722101</span></li>\n"
                              "<li><span class=\"region-name\">620722199</span>："
                              "<span class=\"region-code\">620722199</span></li>\n</ul>"));
}

// A notice of a deadline that ended a day (00:00 of the next day in China)
// starts on the day that ended, not on the next one.
TEST(ReportHtmlTest, AMissedDeadlineAtMidnightIsTheDayItEnded) {
  v1::GetMonthlyReportResponse report = SmallReport();
  *report.mutable_notices(0)->mutable_notices(0)->mutable_since() = China(2026, 3, 20);
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(html, HasSubstr("<td class=\"reason warn\">逾期</td><td class=\"since\">"
                              "2026年3月19日</td>"));
}

TEST(ReportHtmlTest, TextFromTheDataIsEscaped) {
  v1::GetMonthlyReportResponse report = SmallReport();
  report.mutable_notices(0)->mutable_notices(0)->set_title(
      "<script>alert('扬尘')</script> & \"引号\"");
  report.mutable_notices(0)->set_responsible_unit("<b>某</b>单位");
  report.mutable_by_unit(1)->set_key("<img src=x onerror=alert(1)>");
  report.set_region_prefix("6207\"22");
  report.set_region_name("<i>某县</i>");
  report.mutable_by_region(1)->set_name("<u>某镇</u>");
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(html, Not(HasSubstr("<i>")));
  EXPECT_THAT(html, Not(HasSubstr("<u>")));
  EXPECT_THAT(html, HasSubstr("&lt;u&gt;某镇&lt;/u&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<b>某")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  // The template engine writes an apostrophe as &apos; (HTML5).
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&apos;扬尘&apos;)&lt;/script&gt; &amp; "
                              "&quot;引号&quot;"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;某&lt;/b&gt;单位"));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html, HasSubstr("6207&quot;22"));
}

// A unit's and a region's name are typed by people (the units directory,
// the region table): one holding markup, an ampersand and both quotes comes
// out as text wherever the page shows it (table, chart label and tooltip,
// notice group, header, title, footer, appendix), and Mustache tags in it
// are shown, not expanded.
TEST(ReportHtmlTest, HostileUnitAndRegionNamesAreEscapedEverywhere) {
  v1::GetMonthlyReportResponse report = SmallReport();
  const std::string hostile_unit = "<script>alert(\"单位\")</script> & 'x' {{title}}";
  const std::string hostile_region = "<script>镇</script>&\"'{{{month}}}";
  report.mutable_by_unit(1)->set_name(hostile_unit);  // overdue 2: in the chart too
  report.mutable_by_region(1)->set_name(hostile_region);
  report.set_region_name("<b>县</b> & \"区\"");
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<b>县")));
  // By hand: < > & " ' become &lt; &gt; &amp; &quot; &apos;; braces stay.
  const std::string unit =
      "&lt;script&gt;alert(&quot;单位&quot;)&lt;/script&gt; &amp; &apos;x&apos; {{title}}";
  const std::string region = "&lt;script&gt;镇&lt;/script&gt;&amp;&quot;&apos;{{{month}}}";
  const std::string county = "&lt;b&gt;县&lt;/b&gt; &amp; &quot;区&quot;（620722）";
  EXPECT_THAT(RowCells(html, unit),
              ElementsAreArray(Expected(report.by_unit(1).figures(), "60.6%", "17.5")));
  EXPECT_THAT(RowCells(html, region),
              ElementsAreArray(Expected(report.by_region(1).figures(), "55.2%", "17.5")));
  EXPECT_THAT(Charts(html)[2], HasSubstr("<title>" + unit + "</title>"));
  EXPECT_THAT(Charts(html)[1], HasSubstr("<title>" + region + "</title>"));
  EXPECT_THAT(html, HasSubstr("<h3>（一）" + unit + "<span class=\"n\">3 条</span></h3>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"region-name\">" + region + "</span>"));
  EXPECT_THAT(html, HasSubstr("<title>2026年3月 环境问题整改月调度报告 · " + county + "</title>"));
  EXPECT_THAT(html, HasSubstr("统计区域：" + county + "</span>"));
  EXPECT_THAT(html, HasSubstr("<footer>Rectify 月调度报告 · 2026年3月 环境问题整改月调度报告 · " +
                              county + "</footer>"));
}

TEST(ReportHtmlTest, NeedsNothingFromOutside) {
  const std::string html = RenderMonthlyReportHtml(testing::SampleMonthlyReport());
  const std::string lower = absl::AsciiStrToLower(html);
  EXPECT_THAT(lower, Not(HasSubstr("http://")));
  EXPECT_THAT(lower, Not(HasSubstr("https://")));
  EXPECT_THAT(lower, Not(HasSubstr("<script")));
  EXPECT_THAT(lower, Not(HasSubstr(" src=")));
  EXPECT_THAT(lower, Not(HasSubstr("<link")));
  EXPECT_THAT(lower, Not(HasSubstr("<img")));
  EXPECT_THAT(lower, Not(HasSubstr("@import")));
  EXPECT_THAT(lower, Not(HasSubstr("url(")));
  EXPECT_THAT(lower, Not(HasSubstr("@font-face")));
  // It prints on A4.
  EXPECT_THAT(html, HasSubstr("@page { size: A4"));
  EXPECT_THAT(html, HasSubstr("@media print"));
}

TEST(ReportHtmlTest, BarsAreProportionalToTheirFigures) {
  const std::string html = RenderMonthlyReportHtml(testing::SampleMonthlyReport());
  const std::vector<std::string> charts = Charts(html);
  ASSERT_EQ(charts.size(), 3u);
  for (const std::string& svg : charts) {
    const std::vector<BarRect> bars = Bars(svg);
    ASSERT_FALSE(bars.empty()) << svg;
    double units_per_case = 0;
    double widest = 0;
    for (const BarRect& bar : bars) {
      widest = std::max(widest, bar.width);
      if (bar.value == 0) {
        EXPECT_EQ(bar.width, 0);
        continue;
      }
      if (units_per_case == 0) units_per_case = bar.width / bar.value;
      EXPECT_NEAR(bar.width / bar.value, units_per_case, 0.01 * units_per_case) << svg;
    }
    std::smatch box;
    ASSERT_TRUE(std::regex_search(svg, box, std::regex("viewBox=\"0 0 ([0-9.]+)")));
    EXPECT_LT(widest, std::stod(box[1])) << "a bar leaves the chart";
    EXPECT_GT(widest, 0.3 * std::stod(box[1])) << "the longest bar should fill the chart";
  }
  // Chart 1 has a bar of new cases and one of closures per category.
  const std::vector<BarRect> first = Bars(charts[0]);
  int news = 0, closes = 0;
  for (const BarRect& bar : first) (bar.series == "new" ? news : closes)++;
  EXPECT_EQ(news, testing::SampleMonthlyReport().by_category_size());
  EXPECT_EQ(closes, news);
}

TEST(ReportHtmlTest, ClosureRateBarsShareAHundredPercentScale) {
  v1::GetMonthlyReportResponse report = SmallReport();
  report.clear_by_region();
  AddRow(report.mutable_by_region(), "620722100", Figures(0, 0, 0, 0, 0, 0, 1, 3, 0));  // 25%
  AddRow(report.mutable_by_region(), "620722101", Figures(0, 0, 0, 0, 0, 0, 4, 0, 0));  // 100%
  AddRow(report.mutable_by_region(), "620722102", Figures(0, 0, 0, 0, 0, 0, 0, 0, 0));  // none
  const std::vector<BarRect> bars = Bars(Charts(RenderMonthlyReportHtml(report))[1]);
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0].series, "rate");
  EXPECT_NEAR(bars[0].width * 4, bars[1].width, 0.05);
  EXPECT_EQ(bars[2].width, 0);
}

TEST(ReportHtmlTest, OverdueChartRanksUnitsWithOverdueCases) {
  v1::GetMonthlyReportResponse report = SmallReport();
  report.clear_by_unit();
  AddRow(report.mutable_by_unit(), "甲单位", Figures(1, 1, 1, 0, 0, 1, 0, 1, 0));
  AddRow(report.mutable_by_unit(), "乙单位", Figures(1, 1, 1, 0, 0, 0, 0, 1, 0));
  AddRow(report.mutable_by_unit(), "丙单位", Figures(4, 4, 4, 0, 0, 4, 0, 4, 0));
  const std::string html = RenderMonthlyReportHtml(report);
  const std::string svg = Charts(html)[2];
  const std::vector<BarRect> bars = Bars(svg);
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_EQ(bars[0].value, 4);
  EXPECT_EQ(bars[1].value, 1);
  EXPECT_LT(svg.find("丙单位"), svg.find("甲单位"));
  EXPECT_THAT(svg, Not(HasSubstr("乙单位")));
  EXPECT_THAT(html, HasSubstr("其余 1 个单位无逾期"));
}

TEST(ReportHtmlTest, LongUnitNamesAreCutInChartsOnly) {
  const std::string long_name = "民乐县祁连山国家级自然保护区民乐管护中心生态修复工作专班第三组";
  v1::GetMonthlyReportResponse report = SmallReport();
  report.mutable_by_unit(1)->set_key(long_name);
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(RowCells(html, long_name), ::testing::SizeIs(11));  // the table keeps it whole
  const std::string svg = Charts(html)[2];
  EXPECT_THAT(svg, HasSubstr("<title>" + long_name + "</title>"));  // the tooltip too
  EXPECT_THAT(svg, HasSubstr("民乐县祁连山国家级自然保护区…</text>"));
}

TEST(ReportHtmlTest, AReportWithNoRowsIsStillAValidPage) {
  v1::GetMonthlyReportResponse report;
  report.set_year(2026);
  report.set_month(2);
  report.set_region_prefix("620722");
  *report.mutable_as_of() = China(2026, 2, 10, 9, 30);  // the month is still running
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_THAT(html, HasSubstr("数据截至：2026年2月10日 09:30（北京时间）"));
  const std::vector<std::string> charts = Charts(html);
  ASSERT_EQ(charts.size(), 3u);
  for (const std::string& svg : charts) EXPECT_TRUE(Bars(svg).empty());
  EXPECT_THAT(html, HasSubstr("本月无数据"));
  EXPECT_THAT(html, HasSubstr("月末无逾期问题"));
  EXPECT_THAT(html, HasSubstr("本月末无通报事项"));
  EXPECT_THAT(html, HasSubstr(">销号率</div><div class=\"card-value\">—</div>"));
  ExpectFiniteSvgNumbers(html);
}

TEST(ReportHtmlTest, AllZeroFiguresDrawEmptyBarsWithoutDividingByZero) {
  v1::GetMonthlyReportResponse report = SmallReport();
  const v1::ReportFigures zero = Figures(0, 0, 0, 0, 0, 0, 0, 0, 0);
  *report.mutable_total() = zero;
  for (auto* rows :
       {report.mutable_by_category(), report.mutable_by_region(), report.mutable_by_unit()}) {
    for (v1::ReportRow& row : *rows) *row.mutable_figures() = zero;
  }
  const std::string html = RenderMonthlyReportHtml(report);
  ExpectFiniteSvgNumbers(html);
  const std::vector<std::string> charts = Charts(html);
  ASSERT_EQ(charts.size(), 3u);
  EXPECT_EQ(Bars(charts[0]).size(), 4u);
  EXPECT_EQ(Bars(charts[1]).size(), 2u);
  for (const std::string& svg : charts) {
    for (const BarRect& bar : Bars(svg)) EXPECT_EQ(bar.width, 0);
  }
}

TEST(ReportHtmlTest, FiguresThatAreNotNumbersShowAsZero) {
  v1::GetMonthlyReportResponse report = SmallReport();
  report.mutable_by_region(1)->mutable_figures()->set_closure_rate(
      std::numeric_limits<double>::quiet_NaN());
  report.mutable_total()->set_median_days_to_close(std::numeric_limits<double>::infinity());
  report.mutable_by_unit(1)->mutable_figures()->set_closure_rate(
      -std::numeric_limits<double>::infinity());
  ExpectFiniteSvgNumbers(RenderMonthlyReportHtml(report));
}

TEST(ReportHtmlTest, TheSamplePageIsValidAndTheSameEveryTime) {
  const v1::GetMonthlyReportResponse report = testing::SampleMonthlyReport();
  const std::string html = RenderMonthlyReportHtml(report);
  EXPECT_EQ(html, RenderMonthlyReportHtml(report));
  ExpectFiniteSvgNumbers(html);
  // Tags the page opens, it closes.
  for (const char* tag : {"section", "table", "svg", "figure", "tbody", "thead", "div"}) {
    int opened = 0, closed = 0;
    const std::string open = absl::StrCat("<", tag), close = absl::StrCat("</", tag, ">");
    for (size_t at = 0; (at = html.find(open, at)) != std::string::npos; ++at) {
      const char next = html[at + open.size()];
      if (next == ' ' || next == '>') ++opened;
    }
    for (size_t at = 0; (at = html.find(close, at)) != std::string::npos; ++at) ++closed;
    EXPECT_EQ(opened, closed) << tag;
  }
}

}  // namespace
}  // namespace rectify::client
