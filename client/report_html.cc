// The monthly dispatch report as an HTML page; see report_html.h.
//
// The page is built as one string, section by section. Charts are inline SVG
// laid out here (horizontal bars: labels of any length on the left, bars on
// a shared scale, the value at the end of each bar), so they print as
// sharply as the text and need no script.
#include "client/report_html.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/status_words.h"
#include "client/display_width.h"
#include "client/penalty_format.h"

namespace rectify::client {
namespace {

// ---------------------------------------------------------------- text

// Text from the data (titles are typed by users) as HTML text or an
// attribute value: the five characters HTML gives meaning to are escaped.
std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// `text` cut to at most `max_columns` display columns, ending in "…" when
// cut. Chart labels are cut so a long unit name cannot squeeze the bars; the
// full name stays in the tables and in the label's tooltip.
std::string FitLabel(const std::string& text, int max_columns) {
  if (DisplayWidth(text) <= max_columns) return text;
  constexpr int kEllipsisColumns = 2;  // "…" is full width in CJK fonts
  std::string out;
  int width = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    const int w = CodePointWidth(NextCodePoint(text, &i));
    if (width + w + kEllipsisColumns > max_columns) break;
    width += w;
    out.append(text, start, i - start);
  }
  return out + "…";
}

// A figure the server sent as a double, or 0 when it is not a finite number,
// so that nothing on the page can read NaN or inf.
double Finite(double value) { return std::isfinite(value) ? value : 0.0; }

std::string Count(int value) { return absl::StrCat(value); }

// closure_rate as a percentage, or "—" when the row has no case to close.
std::string RateText(const v1::ReportFigures& f) {
  if (f.closed_to_date() + f.open_at_end() == 0) return "—";
  return absl::StrFormat("%.1f%%", Finite(f.closure_rate()) * 100);
}

// median_days_to_close in days, or "—" when nothing was closed in the month.
std::string MedianText(const v1::ReportFigures& f) {
  if (f.closed() == 0) return "—";
  const double days = Finite(f.median_days_to_close());
  return days == std::floor(days) ? absl::StrFormat("%.0f", days) : absl::StrFormat("%.1f", days);
}

// Chinese numerals for section numbers: 一 … 九十九, then Arabic digits.
std::string ChineseNumber(int n) {
  static const char* const kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return absl::StrCat(n);
  if (n < 10) return kDigits[n];
  return absl::StrCat(n / 10 == 1 ? "" : kDigits[n / 10], "十", kDigits[n % 10]);
}

// ---------------------------------------------------------------- labels

// The categories in the order the bureau lists them (the enum's order), with
// their Chinese names.
constexpr std::pair<const char*, const char*> kCategories[] = {
    {"CATEGORY_AIR", "大气"},       {"CATEGORY_WATER", "水"},
    {"CATEGORY_SOIL", "土壤"},      {"CATEGORY_SOLID_WASTE", "固体废物"},
    {"CATEGORY_NOISE", "噪声"},     {"CATEGORY_ECOLOGY", "生态"},
    {"CATEGORY_RADIATION", "辐射"}, {"CATEGORY_OTHER", "其他"},
};
constexpr int kCategoryCount = sizeof(kCategories) / sizeof(kCategories[0]);

// The category's place in kCategories; unknown keys come after all of them.
int CategoryRank(const std::string& key) {
  for (int i = 0; i < kCategoryCount; ++i) {
    if (key == kCategories[i].first) return i;
  }
  return kCategoryCount;
}

std::string CategoryLabel(const std::string& key) {
  const int rank = CategoryRank(key);
  return rank < kCategoryCount ? kCategories[rank].second : key;
}

// A region row's label: the name the server gave (民乐县, 洪水镇), else the
// code; a case located at the prefix's own level (e.g. the county itself)
// is marked "（本级）". The codes are in the appendix (RegionCodes).
std::string RegionLabel(const v1::ReportRow& row, const std::string& prefix) {
  if (row.key().empty()) return "未注明区域";
  const std::string& name = row.name().empty() ? row.key() : row.name();
  if (row.key() == prefix) return name + "（本级）";
  return name;
}

std::string UnitLabel(const std::string& key) { return key.empty() ? "未交办" : key; }

std::string StatusLabel(v1::CaseStatus status) { return CaseStatusWords(status); }

std::string ReasonLabel(v1::NoticeReason reason, const v1::GetMonthlyReportResponse& report) {
  switch (reason) {
    case v1::NOTICE_REASON_OVERDUE:
      return std::string(kOverdueWord);
    case v1::NOTICE_REASON_NO_PROGRESS:
      return report.no_progress_days() > 0
                 ? absl::StrCat("超过", report.no_progress_days(), "天无进展")
                 : "无进展";
    case v1::NOTICE_REASON_NOT_STARTED:
      return report.not_started_days() > 0
                 ? absl::StrCat("交办超过", report.not_started_days(), "天未启动")
                 : "交办未启动";
    default:
      return "—";
  }
}

// What `since` means for each reason, for the notice table's footnote.
constexpr char kSinceNote[] =
    "起算日期：逾期为错过的整改期限；无进展为最近一次交办、进展报告、验收不通过、"
    "异议退回或重新打开的时间（待验收期间不计）；"
    "未启动为交办（或重新交办）的时间。天数为起算日期至统计截止时刻的整日数。";

// ---------------------------------------------------------------- time

// The report's instant in China time (base/dates.h). A month's end
// (midnight) reads as 24:00 of the month's last day, the way the bureau
// dates its figures: "2026年3月31日 24:00".
std::string AsOfText(const google::protobuf::Timestamp& as_of) {
  if (as_of.seconds() == 0 && as_of.nanos() == 0) return "未注明";
  const absl::Time time = ToTime(as_of);
  if (EndsADay(time)) return ChineseDate(DeadlineDay(time)) + " 24:00";
  return TimeChinese(time);
}

// A notice's starting date: a missed deadline is the day it ended (base/
// dates.h), any other instant the day it fell in.
std::string SinceText(const v1::Notice& notice) {
  const google::protobuf::Timestamp& since = notice.since();
  if (since.seconds() == 0 && since.nanos() == 0) return "—";
  return notice.reason() == v1::NOTICE_REASON_OVERDUE ? DeadlineChinese(ToTime(since))
                                                      : DateChinese(ToTime(since));
}

// ---------------------------------------------------------------- charts

// One bar: its value (the length), the text at its end, and its colour.
struct Bar {
  double value = 0;
  std::string text;
  const char* series = "";  // CSS class and legend key
  const char* fill = "";
};

// One row of a chart: a label and one or more bars.
struct ChartRow {
  std::string label;
  std::vector<Bar> bars;
};

struct Chart {
  std::string title;  // for screen readers and the tooltip
  std::vector<ChartRow> rows;
  std::vector<std::pair<std::string, const char*>> legend;  // text, fill
  bool percent = false;                                     // a 0–100 % scale instead of counts
  std::string empty_text = "本月无数据";                    // shown when there are no rows
};

constexpr double kChartWidth = 860;
constexpr double kFontSize = 13;
// Chart units one display column of label text takes at kFontSize (a CJK
// character is two columns and about one em wide).
constexpr double kUnitsPerColumn = 6.8;
constexpr int kMaxLabelColumns = 30;
constexpr double kValueRoom = 64;  // right of the longest bar, for its value
constexpr double kBarHeight = 16;
constexpr double kBarGap = 3;
constexpr double kRowGap = 12;
constexpr double kAxisRoom = 26;

// Up to 1, 2 or 5 times a power of ten, at least 1: the step between the
// grid lines of a count axis, so that the ticks are whole, round numbers.
double NiceStep(double rough) {
  if (!(rough > 1)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * power >= rough) return factor * power;
  }
  return 10 * power;
}

std::string Num(double value) { return absl::StrFormat("%.1f", value); }

std::string RenderChart(const Chart& chart) {
  if (chart.rows.empty()) {
    return absl::StrCat("<svg class=\"chart empty\" role=\"img\" width=\"", Num(kChartWidth),
                        "\" height=\"40\" viewBox=\"0 0 ", Num(kChartWidth), " 40\" aria-label=\"",
                        Escape(chart.title), "：", Escape(chart.empty_text), "\"><text x=\"",
                        Num(kChartWidth / 2), "\" y=\"25\" text-anchor=\"middle\" fill=\"#888\">",
                        Escape(chart.empty_text), "</text></svg>\n");
  }
  // The scale: 0 to a round number at or above the greatest value (1 when
  // every value is 0, so no bar divides by zero).
  double greatest = 0;
  for (const ChartRow& row : chart.rows) {
    for (const Bar& bar : row.bars) greatest = std::max(greatest, Finite(bar.value));
  }
  double step = 0;
  double axis_max = 0;
  if (chart.percent) {
    step = 0.2;
    axis_max = 1;
  } else {
    step = NiceStep(greatest / 5);
    axis_max = std::max(step, std::ceil(greatest / step) * step);
  }
  int label_columns = 4;
  for (const ChartRow& row : chart.rows) {
    label_columns = std::max(label_columns, std::min(kMaxLabelColumns, DisplayWidth(row.label)));
  }
  const double label_width = label_columns * kUnitsPerColumn + 14;
  const double plot_left = label_width;
  const double plot_width = kChartWidth - label_width - kValueRoom;
  const double legend_room = chart.legend.empty() ? 6 : 30;
  const size_t bars_per_row = chart.rows.front().bars.size();
  const double row_height = bars_per_row * kBarHeight + (bars_per_row - 1) * kBarGap + kRowGap;
  const double plot_top = legend_room;
  const double plot_height = chart.rows.size() * row_height;
  const double height = plot_top + plot_height + kAxisRoom;

  std::string svg = absl::StrCat(
      "<svg class=\"chart\" role=\"img\" width=\"", Num(kChartWidth), "\" height=\"", Num(height),
      "\" viewBox=\"0 0 ", Num(kChartWidth), " ", Num(height), "\" font-size=\"", Num(kFontSize),
      "\" aria-label=\"", Escape(chart.title), "\">\n<title>", Escape(chart.title), "</title>\n");
  // Legend, above the bars.
  double legend_x = plot_left;
  for (const auto& [text, fill] : chart.legend) {
    absl::StrAppend(&svg, "<rect x=\"", Num(legend_x),
                    "\" y=\"8\" width=\"12\" height=\"12\" fill=\"", fill, "\"/><text x=\"",
                    Num(legend_x + 17), "\" y=\"18.5\">", Escape(text), "</text>\n");
    legend_x += 17 + DisplayWidth(text) * kUnitsPerColumn + 22;
  }
  // Grid lines and tick labels.
  const int ticks = static_cast<int>(std::lround(axis_max / step));
  for (int t = 0; t <= ticks; ++t) {
    const double value = t * step;
    const double x = plot_left + plot_width * value / axis_max;
    absl::StrAppend(&svg, "<line class=\"grid\" x1=\"", Num(x), "\" y1=\"", Num(plot_top - 2),
                    "\" x2=\"", Num(x), "\" y2=\"", Num(plot_top + plot_height), "\" stroke=\"",
                    t == 0 ? "#888" : "#ddd", "\" stroke-width=\"1\"/>");
    absl::StrAppend(
        &svg, "<text class=\"tick\" x=\"", Num(x), "\" y=\"", Num(plot_top + plot_height + 17),
        "\" text-anchor=\"middle\" fill=\"#666\">",
        chart.percent ? absl::StrFormat("%.0f%%", value * 100) : absl::StrFormat("%.0f", value),
        "</text>\n");
  }
  // Rows: the label, then the bars.
  for (size_t r = 0; r < chart.rows.size(); ++r) {
    const ChartRow& row = chart.rows[r];
    const double row_top = plot_top + r * row_height + kRowGap / 2;
    const double bars_height = row.bars.size() * kBarHeight + (row.bars.size() - 1) * kBarGap;
    absl::StrAppend(&svg, "<text class=\"label\" x=\"", Num(label_width - 8), "\" y=\"",
                    Num(row_top + bars_height / 2 + kFontSize * 0.36),
                    "\" text-anchor=\"end\"><title>", Escape(row.label), "</title>",
                    Escape(FitLabel(row.label, kMaxLabelColumns)), "</text>\n");
    for (size_t b = 0; b < row.bars.size(); ++b) {
      const Bar& bar = row.bars[b];
      const double value = std::min(std::max(Finite(bar.value), 0.0), axis_max);
      const double width = plot_width * value / axis_max;
      const double y = row_top + b * (kBarHeight + kBarGap);
      absl::StrAppend(&svg, "<rect class=\"bar ", bar.series, "\" x=\"", Num(plot_left), "\" y=\"",
                      Num(y), "\" width=\"", absl::StrFormat("%.2f", width), "\" height=\"",
                      Num(kBarHeight), "\" fill=\"", bar.fill, "\" data-value=\"",
                      absl::StrFormat("%.10g", value), "\"/>");
      absl::StrAppend(&svg, "<text class=\"value\" x=\"", Num(plot_left + width + 5), "\" y=\"",
                      Num(y + kBarHeight / 2 + kFontSize * 0.36), "\">", Escape(bar.text),
                      "</text>\n");
    }
  }
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

constexpr char kNewFill[] = "#3b6db3";
constexpr char kClosedFill[] = "#3a9160";
constexpr char kRateFill[] = "#2c7f95";
constexpr char kOverdueFill[] = "#c0392b";

// ---------------------------------------------------------------- tables

// The two header rows of a figure table: the month's flows, then the
// end-of-month figures, as docs/reports.md groups them.
std::string FigureHeader(const char* key_heading) {
  return absl::StrCat(
      "<thead>\n"
      "<tr><th rowspan=\"2\" class=\"key\">",
      key_heading,
      "</th><th colspan=\"5\" class=\"group\">本月</th>"
      "<th colspan=\"4\" class=\"group\">月末</th><th rowspan=\"2\">销号率</th>"
      "<th rowspan=\"2\">中位销号<br>天数</th></tr>\n"
      "<tr><th>新发现</th><th>交办</th><th>验收</th><th>销号</th><th>查无实据</th>"
      "<th>整改中</th><th>逾期</th><th>累计销号</th><th>未销号</th></tr>\n"
      "</thead>\n");
}

std::string FigureCells(const v1::ReportFigures& f) {
  return absl::StrCat("<td>", Count(f.new_cases()), "</td><td>", Count(f.assigned()), "</td><td>",
                      Count(f.verified()), "</td><td>", Count(f.closed()), "</td><td>",
                      Count(f.closed_unfounded()), "</td><td class=\"stock\">", Count(f.rectifying()), "</td><td class=\"stock",
                      f.overdue() > 0 ? " warn" : "", "\">", Count(f.overdue()),
                      "</td><td class=\"stock\">", Count(f.closed_to_date()),
                      "</td><td class=\"stock\">", Count(f.open_at_end()),
                      "</td><td class=\"rate\">", RateText(f), "</td><td>", MedianText(f), "</td>");
}

using Rows = std::vector<const v1::ReportRow*>;

Rows InOrder(const google::protobuf::RepeatedPtrField<v1::ReportRow>& rows) {
  Rows out;
  for (const v1::ReportRow& row : rows) out.push_back(&row);
  return out;
}

// The category rows in the bureau's order (大气, 水, 土壤, …) rather than the
// server's order of enum names.
Rows CategoryRows(const v1::GetMonthlyReportResponse& report) {
  Rows rows = InOrder(report.by_category());
  std::stable_sort(rows.begin(), rows.end(), [](const v1::ReportRow* a, const v1::ReportRow* b) {
    return CategoryRank(a->key()) < CategoryRank(b->key());
  });
  return rows;
}

std::string FigureTable(const char* key_heading, const Rows& rows, const v1::ReportFigures& total,
                        std::string (*label)(const v1::ReportRow&, const std::string&),
                        const std::string& prefix) {
  std::string html =
      absl::StrCat("<table class=\"figures\">\n", FigureHeader(key_heading), "<tbody>\n");
  if (rows.empty()) {
    absl::StrAppend(&html, "<tr><td class=\"none\" colspan=\"12\">本月无数据</td></tr>\n");
  }
  for (const v1::ReportRow* row : rows) {
    absl::StrAppend(&html, "<tr><th class=\"key\">", Escape(label(*row, prefix)), "</th>",
                    FigureCells(row->figures()), "</tr>\n");
  }
  absl::StrAppend(&html, "<tr class=\"total\"><th class=\"key\">合计</th>", FigureCells(total),
                  "</tr>\n</tbody>\n</table>\n");
  return html;
}

std::string CategoryRowLabel(const v1::ReportRow& row, const std::string&) {
  return CategoryLabel(row.key());
}
// A unit row's label: the unit's name the server gave (洪水镇人民政府), else
// its id.
std::string UnitRowLabel(const v1::ReportRow& row, const std::string&) {
  return row.key().empty() || row.name().empty() ? UnitLabel(row.key()) : row.name();
}

// The name of unit `key` as the report's unit rows give it, else the id.
std::string UnitNameIn(const v1::GetMonthlyReportResponse& report, const std::string& key) {
  for (const v1::ReportRow& row : report.by_unit()) {
    if (row.key() == key) return UnitRowLabel(row, "");
  }
  return UnitLabel(key);
}

// ---------------------------------------------------------------- sections

std::string Card(const char* label, const std::string& value, const char* unit,
                 const char* extra_class) {
  return absl::StrCat("<div class=\"card", extra_class, "\"><div class=\"card-label\">", label,
                      "</div><div class=\"card-value\">", value,
                      value == "—" ? "" : absl::StrCat("<small>", unit, "</small>"),
                      "</div></div>\n");
}

std::string Headline(const v1::GetMonthlyReportResponse& report) {
  const v1::ReportFigures& t = report.total();
  std::string html = "<section class=\"overview\">\n<h2>一、总体情况</h2>\n";
  // The summary sentence a dispatch report opens with.
  absl::StrAppend(
      &html, "<p class=\"summary\">本月新发现问题 <b>", Count(t.new_cases()), "</b> 个，交办 <b>",
      Count(t.assigned()), "</b> 个，验收通过 <b>", Count(t.verified()), "</b> 个，销号 <b>",
      Count(t.closed()), "</b> 个，查无实据 <b>", Count(t.closed_unfounded()),
      "</b> 个。截至月末，累计销号 <b>", Count(t.closed_to_date()),
      "</b> 个，未销号 <b>", Count(t.open_at_end()), "</b> 个，其中整改中 <b>",
      Count(t.rectifying()), "</b> 个、逾期 <b", t.overdue() > 0 ? " class=\"warn\"" : "", ">",
      Count(t.overdue()), "</b> 个；销号率 <b>", RateText(t), "</b>。</p>\n");
  const std::string rate = RateText(t);
  absl::StrAppend(
      &html, "<div class=\"cards\">\n", Card("本月新发现", Count(t.new_cases()), "个", ""),
      Card("本月已交办", Count(t.assigned()), "个", ""),
      Card("本月已验收", Count(t.verified()), "个", ""),
      Card("本月已销号", Count(t.closed()), "个", ""),
      Card("本月查无实据", Count(t.closed_unfounded()), "个", ""),
      Card("中位销号天数", MedianText(t), "天", ""),
      Card("月末整改中", Count(t.rectifying()), "个", " stock"),
      Card("月末逾期", Count(t.overdue()), "个", t.overdue() > 0 ? " stock warn" : " stock"),
      Card("累计已销号", Count(t.closed_to_date()), "个", " stock"),
      Card("月末未销号", Count(t.open_at_end()), "个", " stock"),
      // The rate's own "%" is its unit.
      Card("销号率", rate == "—" ? rate : rate.substr(0, rate.size() - 1), "%", " stock key"),
      "</div>\n</section>\n");
  return html;
}

// 12369 complaints of the month (ReportFigures 30-37): the cards, and the
// satisfaction rate of the callbacks ("—" when nobody was called back).
std::string ComplaintSection(const v1::GetMonthlyReportResponse& report) {
  const v1::ReportFigures& t = report.total();
  const int64_t called = int64_t{t.complaints_satisfied()} + t.complaints_not_satisfied();
  const std::string rate =
      called == 0 ? "—"
                  : absl::StrFormat("%.1f", Finite(t.complaint_satisfaction_rate()) * 100);
  return absl::StrCat(
      "<section class=\"complaints\">\n<h2>六、12369 信访举报</h2>\n<p class=\"summary-of-section\">本月收到信访举报 <b>",
      Count(t.complaints_received()), "</b> 件，受理 <b>", Count(t.complaints_accepted()),
      "</b> 件，转办 <b>", Count(t.complaints_transferred()), "</b> 件，办结答复 <b>",
      Count(t.complaints_answered()), "</b> 件（按期 <b>", Count(t.complaints_answered_on_time()),
      "</b> 件）；回访满意率 <b>", rate == "—" ? rate : rate + "%", "</b>。</p>\n",
      "<div class=\"cards\">\n", Card("本月收到", Count(t.complaints_received()), "件", ""),
      Card("本月受理", Count(t.complaints_accepted()), "件", ""),
      Card("本月转办", Count(t.complaints_transferred()), "件", ""),
      Card("本月办结答复", Count(t.complaints_answered()), "件", ""),
      Card("按期答复", Count(t.complaints_answered_on_time()), "件", ""),
      Card("回访满意", Count(t.complaints_satisfied()), "件", ""),
      Card("回访不满意", Count(t.complaints_not_satisfied()), "件", ""),
      Card("满意率", rate, "%", " key"), "</div>\n</section>\n");
}

// Penalties of the month (ReportFigures 20-25): filings, decisions, the
// money decided and collected (integer fen shown as yuan), and the mean days
// from filing to decision ("—" when nothing was decided).
std::string PenaltySection(const v1::GetMonthlyReportResponse& report) {
  const v1::ReportFigures& t = report.total();
  std::string days = "—";
  if (t.penalty_decisions() > 0) {
    const double mean = Finite(t.mean_days_filing_to_decision());
    days = mean == std::floor(mean) ? absl::StrFormat("%.0f", mean) : absl::StrFormat("%.1f", mean);
  }
  const std::string decided = YuanDigits(t.fines_decided_fen());
  const std::string collected = YuanDigits(t.fines_collected_fen());
  return absl::StrCat(
      "<section class=\"penalties\">\n<h2>七、行政处罚</h2>\n<p class=\"summary-of-section\">本月处罚立案 <b>",
      Count(t.penalty_cases_filed()), "</b> 件，作出处罚决定 <b>", Count(t.penalty_decisions()),
      "</b> 件、按日连续处罚决定 <b>", Count(t.daily_penalties()), "</b> 件，决定罚款 <b>",
      decided, "</b> 元，收缴罚款 <b>", collected, "</b> 元；立案至作出处罚决定平均 <b>", days,
      "</b>", days == "—" ? "" : " 天", "。</p>\n", "<div class=\"cards\">\n",
      Card("本月立案", Count(t.penalty_cases_filed()), "件", ""),
      Card("本月处罚决定", Count(t.penalty_decisions()), "件", ""),
      Card("按日连续处罚", Count(t.daily_penalties()), "件", ""),
      Card("决定罚款", decided, "元", ""), Card("收缴罚款", collected, "元", ""),
      Card("平均办案天数", days, "天", " key"), "</div>\n</section>\n");
}

std::string CategorySection(const v1::GetMonthlyReportResponse& report) {
  Chart chart;
  chart.title = "各类别本月新发现与销号数";
  chart.legend = {{"本月新发现", kNewFill}, {"本月销号", kClosedFill}};
  const Rows rows = CategoryRows(report);
  for (const v1::ReportRow* row : rows) {
    const v1::ReportFigures& f = row->figures();
    chart.rows.push_back(
        {CategoryLabel(row->key()),
         {{static_cast<double>(f.new_cases()), Count(f.new_cases()), "new", kNewFill},
          {static_cast<double>(f.closed()), Count(f.closed()), "closed", kClosedFill}}});
  }
  return absl::StrCat(
      "<section class=\"by-category\">\n<h2>二、分类别情况</h2>\n",
      FigureTable("类别", rows, report.total(), &CategoryRowLabel, report.region_prefix()),
      "<figure>\n", RenderChart(chart), "<figcaption>图1 各类别本月新发现与销号数</figcaption>\n",
      "</figure>\n</section>\n");
}

std::string RegionSection(const v1::GetMonthlyReportResponse& report) {
  Chart chart;
  chart.title = "各区域月末销号率";
  for (const v1::ReportRow& row : report.by_region()) {
    const v1::ReportFigures& f = row.figures();
    chart.rows.push_back({RegionLabel(row, report.region_prefix()),
                          {{f.closed_to_date() + f.open_at_end() == 0 ? 0 : f.closure_rate(),
                            RateText(f), "rate", kRateFill}}});
  }
  chart.percent = true;
  return absl::StrCat("<section class=\"by-region\">\n<h2>三、分区域情况</h2>\n",
                      FigureTable("区域", InOrder(report.by_region()), report.total(),
                                  &RegionLabel, report.region_prefix()),
                      "<figure>\n", RenderChart(chart),
                      "<figcaption>图2 各区域月末销号率</figcaption>\n", "</figure>\n</section>\n");
}

std::string UnitSection(const v1::GetMonthlyReportResponse& report) {
  // The chart ranks the units with overdue cases, most first (ties in the
  // table's order); units without any are counted in the caption.
  Rows ranked;
  for (const v1::ReportRow& row : report.by_unit()) {
    if (row.figures().overdue() > 0) ranked.push_back(&row);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const v1::ReportRow* a, const v1::ReportRow* b) {
                     return a->figures().overdue() > b->figures().overdue();
                   });
  Chart chart;
  chart.title = "各责任单位月末逾期数";
  chart.empty_text = "月末无逾期问题";
  for (const v1::ReportRow* row : ranked) {
    const v1::ReportFigures& f = row->figures();
    chart.rows.push_back(
        {UnitRowLabel(*row, ""),
         {{static_cast<double>(f.overdue()), Count(f.overdue()), "overdue", kOverdueFill}}});
  }
  const int without = report.by_unit_size() - static_cast<int>(ranked.size());
  return absl::StrCat(
      "<section class=\"by-unit\">\n<h2>四、分责任单位情况</h2>\n",
      FigureTable("责任单位", InOrder(report.by_unit()), report.total(), &UnitRowLabel,
                  report.region_prefix()),
      "<figure>\n", RenderChart(chart), "<figcaption>图3 各责任单位月末逾期数（由多到少）",
      without > 0 && !ranked.empty() ? absl::StrCat("；其余 ", without, " 个单位无逾期") : "",
      "</figcaption>\n</figure>\n</section>\n");
}

std::string NoticeSection(const v1::GetMonthlyReportResponse& report) {
  int count = 0;
  for (const v1::UnitNotices& unit : report.notices()) count += unit.notices_size();
  std::string html = absl::StrCat(
      "<section class=\"notices\">\n<h2>五、通报事项</h2>\n<p class=\"lead\">截至统计截止时刻，共 "
      "<b>",
      count, "</b> 条通报事项，涉及 <b>", report.notices_size(), "</b> 个责任单位。</p>\n");
  if (count == 0) {
    absl::StrAppend(&html, "<p class=\"none\">本月末无通报事项。</p>\n</section>\n");
    return html;
  }
  int group = 0;
  for (const v1::UnitNotices& unit : report.notices()) {
    if (unit.notices().empty()) continue;
    absl::StrAppend(&html, "<div class=\"unit-notices\">\n<h3>（", ChineseNumber(++group), "）",
                    Escape(UnitNameIn(report, unit.responsible_unit())), "<span class=\"n\">",
                    unit.notices_size(), " 条</span></h3>\n",
                    "<table class=\"notice-list\">\n<thead><tr><th class=\"no\">序号</th>"
                    "<th class=\"case\">案件编号</th><th class=\"title\">问题</th>"
                    "<th class=\"status\">状态</th><th class=\"reason\">通报原因</th>"
                    "<th class=\"since\">起算日期</th><th class=\"days\">天数</th></tr></thead>\n"
                    "<tbody>\n");
    int number = 0;
    for (const v1::Notice& notice : unit.notices()) {
      absl::StrAppend(
          &html, "<tr><td class=\"no\">", ++number, "</td><td class=\"case\">",
          Escape(notice.case_id()), "</td><td class=\"title\">", Escape(notice.title()),
          "</td><td class=\"status\">", StatusLabel(notice.status()), "</td><td class=\"reason",
          notice.reason() == v1::NOTICE_REASON_OVERDUE ? " warn" : "", "\">",
          Escape(ReasonLabel(notice.reason(), report)), "</td><td class=\"since\">",
          SinceText(notice), "</td><td class=\"days\">", notice.days(), "</td></tr>\n");
    }
    absl::StrAppend(&html, "</tbody>\n</table>\n</div>\n");
  }
  absl::StrAppend(&html, "<p class=\"note\">", kSinceNote, "</p>\n</section>\n");
  return html;
}

// The appendix of region codes: each named region row with its code, so a
// reader can match the page with a ledger kept by code.
std::string RegionCodes(const v1::GetMonthlyReportResponse& report) {
  std::string items;
  for (const v1::ReportRow* row : InOrder(report.by_region())) {
    if (row->key().empty()) continue;
    absl::StrAppend(&items, "<li><span class=\"region-name\">",
                    Escape(RegionLabel(*row, report.region_prefix())),
                    "</span>：<span class=\"region-code\">", Escape(row->key()), "</span></li>\n");
  }
  if (items.empty()) return "";
  return absl::StrCat("<section class=\"region-codes\">\n<h2>附：区域代码</h2>\n<ul>\n", items,
                      "</ul>\n</section>\n");
}

// What each figure means (docs/reports.md), for the reader comparing the
// page with a ledger of their own.
constexpr char kDefinitions[] =
    "<section class=\"definitions\">\n<h2>附：指标说明</h2>\n<ol>\n"
    "<li>统计口径以系统记录时间为准，月份按北京时间（UTC+8）自然月计算。</li>\n"
    "<li>“本月”各项为当月发生数：新发现为当月上报的问题，交办为首次交办（重新交办不计），"
    "验收为验收通过，销号为整改后办结销号（同一问题重新打开后再次销号的，分别计数），"
    "查无实据为经核查问题不属实而销号的，单列，不计入销号、销号率和中位销号天数。</"
    "li>\n"
    "<li>“月末”各项为统计截止时刻的存量：整改中、逾期（未销号且已超期）、累计销号"
    "（不含查无实据）、未销号（截止时刻前上报且未销号）。</li>\n"
    "<li>"
    "销号率＝累计销号÷（累计销号＋未销号）；中位销号天数为当月销号问题自上报至销号的整日数的中位数"
    "。"
    "无可计算对象时记为“—”。</li>\n"
    "<li>分区域按所辖下一级区域汇总（区域名称与代码对照见附：区域代码），位于本级的问题单列“（本级）”；"
    "分责任单位按事件发生时的责任单位计，尚未交办的列为“未交办”。</li>\n"
    "<li>行政处罚按记录时间计入当月：立案为局长批准立案，处罚决定为原处罚决定（不含按日连续处罚决定），"
    "决定罚款为当月各项处罚决定（含按日连续处罚）的罚款金额，收缴罚款为当月登记的缴纳金额（含加处罚款），"
    "平均办案天数为当月原处罚决定自立案至作出决定的整日数的平均值；处罚只按区域统计，不分类别和责任单位。</li>\n"
    "</ol>\n</section>\n";

constexpr char kStyle[] = R"(<style>
@page { size: A4 portrait; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 9pt; color: #555; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9ecef; color: #1d1d1f; font-size: 15px; line-height: 1.6;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
    "WenQuanYi Zen Hei", "Noto Sans SC", sans-serif; }
.sheet { max-width: 1160px; margin: 24px auto; padding: 44px 56px 40px; background: #fff;
  box-shadow: 0 1px 4px rgba(0,0,0,.18); }
header { text-align: center; border-bottom: 3px double #b5121b; padding-bottom: 14px; margin-bottom: 8px; }
header .org { color: #b5121b; letter-spacing: .35em; font-size: 15px; margin: 0 0 6px; }
h1 { margin: 0; font-size: 30px; font-weight: 700; letter-spacing: .06em;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; }
header .meta { margin: 10px 0 0; color: #444; font-size: 14px; }
header .meta span + span::before { content: "　|　"; color: #aaa; }
h2 { font-size: 19px; margin: 28px 0 12px; padding-left: 10px; border-left: 5px solid #b5121b;
  line-height: 1.3; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 16px; margin: 18px 0 6px; break-after: avoid; page-break-after: avoid; }
h3 .n { font-weight: 400; color: #666; font-size: 14px; margin-left: 10px; }
b.warn, .warn { color: #b3261e; }
.summary, .summary-of-section { text-indent: 2em; margin: 0 0 14px; }
.summary b, .summary-of-section b { font-variant-numeric: tabular-nums; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; break-inside: avoid; }
.card { border: 1px solid #cfd6de; border-top: 4px solid #3b6db3; padding: 8px 12px 6px; }
.card.stock { border-top-color: #6c7a89; }
.card.warn { border-top-color: #c0392b; }
.card.key { border-top-color: #3a9160; background: #f3f9f5; }
.card-label { font-size: 13px; color: #555; }
.card-value { font-size: 28px; font-weight: 700; text-align: right; line-height: 1.25;
  font-variant-numeric: tabular-nums; }
.card-value small { font-size: 13px; font-weight: 400; margin-left: 3px; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 4px 0 10px; }
th, td { border: 1px solid #b9c1ca; padding: 4px 7px; }
thead th { background: #eef1f5; font-weight: 700; text-align: center; line-height: 1.3;
  white-space: nowrap; }
thead th.group { background: #e1e7ee; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.figures td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.figures td.stock { background: #fafbfc; }
table.figures th.key { text-align: left; font-weight: 400; min-width: 7em; }
table.figures tr.total th, table.figures tr.total td { font-weight: 700; background: #f1f4f7;
  border-top: 2px solid #6c7a89; }
td.none { text-align: center !important; color: #888; }
figure { margin: 8px 0 6px; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 13px; color: #444; margin-top: 2px; }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
svg.chart text { fill: #222; }
svg.chart text.tick { fill: #666; font-size: 11px; }
svg.chart text.value { font-variant-numeric: tabular-nums; }
table.notice-list { table-layout: fixed; }
table.notice-list td { vertical-align: top; overflow-wrap: anywhere; }
table.notice-list th.case { width: 12.5em; }
table.notice-list th.status { width: 5em; }
table.notice-list th.reason { width: 10.5em; }
table.notice-list th.since { width: 7.5em; }
table.notice-list td.no, table.notice-list td.days { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
table.notice-list td.case, table.notice-list td.since { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.notice-list td.status, table.notice-list td.reason { white-space: nowrap; }
table.notice-list th.no { width: 3.5em; }
table.notice-list th.days { width: 4em; }
p.lead { margin: 0 0 4px; }
.unit-notices { break-inside: avoid; page-break-inside: avoid; }
p.none { color: #666; }
p.note { font-size: 12.5px; color: #555; margin: 6px 0 0; }
.definitions ol { margin: 0; padding-left: 1.6em; font-size: 13px; color: #333; }
footer { margin-top: 26px; padding-top: 8px; border-top: 1px solid #ccc; font-size: 12px; color: #595959;
  text-align: right; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .sheet { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h1 { font-size: 20pt; }
  h2 { font-size: 13.5pt; margin-top: 16pt; }
  h3 { font-size: 11.5pt; }
  table { font-size: 9pt; }
  th, td { padding: 2pt 4pt; }
  .cards { gap: 6pt; }
  .card-value { font-size: 17pt; }
  .card-label, .card-value small { font-size: 8.5pt; }
  table.notice-list th.case { width: 11em; }
  table.notice-list th.reason { width: 9em; }
  table.notice-list th.since { width: 6.5em; }
  footer { font-size: 8pt; }
}
</style>
)";

}  // namespace

std::string RenderMonthlyReportHtml(const v1::GetMonthlyReportResponse& report) {
  const std::string month = absl::StrCat(report.year(), "年", report.month(), "月");
  // The region's name as people read it, its code beside it.
  const std::string& code = report.region_prefix();
  const std::string region =
      report.region_name().empty() ? code : absl::StrCat(report.region_name(), "（", code, "）");
  const std::string title =
      absl::StrCat(month, " 环境问题整改月调度报告", region.empty() ? "" : " · " + region);
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      Escape(title), "</title>\n", kStyle, "</head>\n<body>\n<div class=\"sheet\">\n<header>\n",
      "<p class=\"org\">月 调 度</p>\n<h1>", Escape(month), "环境问题整改月调度报告</h1>\n",
      "<p class=\"meta\"><span>统计区域：", region.empty() ? "全辖区" : Escape(region),
      "</span><span>数据截至：", AsOfText(report.as_of()), "（北京时间）</span></p>\n</header>\n");
  absl::StrAppend(&html, Headline(report), CategorySection(report), RegionSection(report),
                  UnitSection(report), NoticeSection(report), ComplaintSection(report),
                  PenaltySection(report), kDefinitions,
                  RegionCodes(report));
  absl::StrAppend(&html, "<footer>Rectify 月调度报告 · ", Escape(title),
                  "</footer>\n</div>\n</body>\n</html>\n");
  return html;
}

}  // namespace rectify::client
