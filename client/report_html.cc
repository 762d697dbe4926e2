// The monthly dispatch report as an HTML page; see report_html.h.
//
// The page itself is a Mustache template, client/templates/
// monthly_report.html.mustache, with its partials beside it, embedded at
// build time (//client:report_templates); kainjow's Mustache (Debian
// libkainjow-mustache-dev) renders it and escapes every value. This file
// builds the data the template shows: the figures as display text (counts,
// rates, medians, yuan, Chinese dates: the formatting rules live here), the
// rows' labels in the bureau's order, the notice groups, and the charts laid
// out as inline SVG (horizontal bars: labels of any length on the left, bars
// on a shared scale, the value at the end of each bar), so they print as
// sharply as the text and need no script.
//
// About 620 lines in one file, on purpose: it is the one place the report's
// figures become the words and numbers a bureau reads, so every formatting
// rule (counts, rates, yuan, dates) sits beside the section that uses it;
// the page's markup is all in the templates.
#include "client/report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/status_words.h"
#include "client/display_width.h"
#include "client/penalty_format.h"
#include "google/protobuf/descriptor.h"
#include "kainjow/mustache.hpp"

namespace rectify::client {
namespace {

namespace mustache = kainjow::mustache;

// The templates, embedded by the genrules of //client:report_templates.
constexpr char kPageTemplate[] =
#include "client/templates/monthly_report.html.inc"
    ;
constexpr char kFigureTableTemplate[] =
#include "client/templates/figure_table.html.inc"
    ;
constexpr char kFigureCellsTemplate[] =
#include "client/templates/figure_cells.html.inc"
    ;
constexpr char kBarChartTemplate[] =
#include "client/templates/bar_chart.svg.inc"
    ;

// ---------------------------------------------------------------- text

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

// ---------------------------------------------------------------- data

// A list of the template's data.
mustache::data List() { return mustache::data(mustache::data::type::list); }

// A figure row's numbers as the template shows them (figure_cells, the
// cards, the section summaries): every count of ReportFigures under its
// field's name (new_cases, overdue, complaints_received, ...), the closure
// rate ("55.6%", bare "55.6" for the card whose unit is "%", "—" when there
// is nothing to close) and the median days.
mustache::data FiguresData(const v1::ReportFigures& f) {
  mustache::data d;
  const google::protobuf::Descriptor& descriptor = *f.GetDescriptor();
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const google::protobuf::FieldDescriptor& field = *descriptor.field(i);
    if (field.cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT32) continue;
    d.set(field.name(), Count(f.GetReflection()->GetInt32(f, &field)));
  }
  d.set("overdue_warn", f.overdue() > 0);
  const std::string rate = RateText(f);
  d.set("rate", rate);
  d.set("rate_known", rate != "—");
  // The rate's own "%" is the card's unit.
  d.set("rate_number", rate == "—" ? rate : rate.substr(0, rate.size() - 1));
  const std::string median = MedianText(f);
  d.set("median", median);
  d.set("median_known", median != "—");
  return d;
}

// The total's figures plus the complaint (ReportFigures 30-37) and penalty
// (20-25) sections' own: the satisfaction rate of the callbacks ("—" when
// nobody was called back), the money decided and collected (integer fen
// shown as yuan) and the mean days from filing to decision ("—" when
// nothing was decided).
mustache::data TotalData(const v1::ReportFigures& t) {
  mustache::data d = FiguresData(t);
  const int64_t called = int64_t{t.complaints_satisfied()} + t.complaints_not_satisfied();
  d.set("satisfaction",
        called == 0 ? "—" : absl::StrFormat("%.1f", Finite(t.complaint_satisfaction_rate()) * 100));
  d.set("satisfaction_known", called != 0);
  d.set("fines_decided", YuanDigits(t.fines_decided_fen()));
  d.set("fines_collected", YuanDigits(t.fines_collected_fen()));
  std::string days = "—";
  if (t.penalty_decisions() > 0) {
    const double mean = Finite(t.mean_days_filing_to_decision());
    days = mean == std::floor(mean) ? absl::StrFormat("%.0f", mean) : absl::StrFormat("%.1f", mean);
  }
  d.set("days_to_decision", days);
  d.set("days_to_decision_known", t.penalty_decisions() > 0);
  return d;
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

// The chart laid out for bar_chart.svg.mustache: every coordinate as the
// text of its attribute.
mustache::data ChartData(const Chart& chart) {
  mustache::data d;
  d.set("title", chart.title);
  d.set("empty_text", chart.empty_text);
  d.set("width", Num(kChartWidth));
  d.set("middle", Num(kChartWidth / 2));
  d.set("empty", chart.rows.empty());
  if (chart.rows.empty()) return d;
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
  d.set("height", Num(height));
  d.set("font_size", Num(kFontSize));
  // Legend, above the bars.
  mustache::data legend = List();
  double legend_x = plot_left;
  for (const auto& [text, fill] : chart.legend) {
    mustache::data item;
    item.set("x", Num(legend_x));
    item.set("text_x", Num(legend_x + 17));
    item.set("fill", fill);
    item.set("text", text);
    legend.push_back(item);
    legend_x += 17 + DisplayWidth(text) * kUnitsPerColumn + 22;
  }
  d.set("legend", legend);
  // Grid lines and tick labels.
  mustache::data ticks = List();
  const int tick_count = static_cast<int>(std::lround(axis_max / step));
  for (int t = 0; t <= tick_count; ++t) {
    const double value = t * step;
    const double x = plot_left + plot_width * value / axis_max;
    mustache::data tick;
    tick.set("x", Num(x));
    tick.set("y1", Num(plot_top - 2));
    tick.set("y2", Num(plot_top + plot_height));
    tick.set("stroke", t == 0 ? "#888" : "#ddd");
    tick.set("text_y", Num(plot_top + plot_height + 17));
    tick.set("text", chart.percent ? absl::StrFormat("%.0f%%", value * 100)
                                   : absl::StrFormat("%.0f", value));
    ticks.push_back(tick);
  }
  d.set("ticks", ticks);
  // Rows: the label, then the bars.
  mustache::data rows = List();
  for (size_t r = 0; r < chart.rows.size(); ++r) {
    const ChartRow& row = chart.rows[r];
    const double row_top = plot_top + r * row_height + kRowGap / 2;
    const double bars_height = row.bars.size() * kBarHeight + (row.bars.size() - 1) * kBarGap;
    mustache::data item;
    item.set("label_x", Num(label_width - 8));
    item.set("label_y", Num(row_top + bars_height / 2 + kFontSize * 0.36));
    item.set("label", row.label);
    item.set("short_label", FitLabel(row.label, kMaxLabelColumns));
    mustache::data bars = List();
    for (size_t b = 0; b < row.bars.size(); ++b) {
      const Bar& bar = row.bars[b];
      const double value = std::min(std::max(Finite(bar.value), 0.0), axis_max);
      const double width = plot_width * value / axis_max;
      const double y = row_top + b * (kBarHeight + kBarGap);
      mustache::data rect;
      rect.set("series", bar.series);
      rect.set("x", Num(plot_left));
      rect.set("y", Num(y));
      rect.set("width", absl::StrFormat("%.2f", width));
      rect.set("height", Num(kBarHeight));
      rect.set("fill", bar.fill);
      rect.set("value", absl::StrFormat("%.10g", value));
      rect.set("text_x", Num(plot_left + width + 5));
      rect.set("text_y", Num(y + kBarHeight / 2 + kFontSize * 0.36));
      rect.set("text", bar.text);
      bars.push_back(rect);
    }
    item.set("bars", bars);
    rows.push_back(item);
  }
  d.set("rows", rows);
  return d;
}

constexpr char kNewFill[] = "#3b6db3";
constexpr char kClosedFill[] = "#3a9160";
constexpr char kRateFill[] = "#2c7f95";
constexpr char kOverdueFill[] = "#c0392b";

// ---------------------------------------------------------------- tables

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

// A figure table for figure_table.html.mustache: the key column's heading,
// the rows under their labels, the total.
mustache::data FigureTableData(const char* key_heading, const Rows& rows,
                               const v1::ReportFigures& total,
                               std::string (*label)(const v1::ReportRow&, const std::string&),
                               const std::string& prefix) {
  mustache::data list = List();
  for (const v1::ReportRow* row : rows) {
    mustache::data item = FiguresData(row->figures());
    item.set("label", label(*row, prefix));
    list.push_back(item);
  }
  mustache::data d;
  d.set("heading", key_heading);
  d.set("rows", list);
  d.set("total", FiguresData(total));
  return d;
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

// 二、分类别情况: the table, and the new cases and closures of each category.
mustache::data CategoryData(const v1::GetMonthlyReportResponse& report) {
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
  mustache::data d;
  d.set("table",
        FigureTableData("类别", rows, report.total(), &CategoryRowLabel, report.region_prefix()));
  d.set("chart", ChartData(chart));
  return d;
}

// 三、分区域情况: the table, and each region's closure rate.
mustache::data RegionData(const v1::GetMonthlyReportResponse& report) {
  Chart chart;
  chart.title = "各区域月末销号率";
  for (const v1::ReportRow& row : report.by_region()) {
    const v1::ReportFigures& f = row.figures();
    chart.rows.push_back({RegionLabel(row, report.region_prefix()),
                          {{f.closed_to_date() + f.open_at_end() == 0 ? 0 : f.closure_rate(),
                            RateText(f), "rate", kRateFill}}});
  }
  chart.percent = true;
  mustache::data d;
  d.set("table", FigureTableData("区域", InOrder(report.by_region()), report.total(), &RegionLabel,
                                 report.region_prefix()));
  d.set("chart", ChartData(chart));
  return d;
}

// 四、分责任单位情况: the table, and the units with overdue cases ranked.
mustache::data UnitData(const v1::GetMonthlyReportResponse& report) {
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
  mustache::data d;
  d.set("table", FigureTableData("责任单位", InOrder(report.by_unit()), report.total(),
                                 &UnitRowLabel, report.region_prefix()));
  d.set("chart", ChartData(chart));
  const int without = report.by_unit_size() - static_cast<int>(ranked.size());
  if (without > 0 && !ranked.empty()) {
    d.set("units_without_overdue", mustache::data("count", Count(without)));
  } else {
    d.set("units_without_overdue", false);
  }
  return d;
}

// 五、通报事项: the notices grouped by unit (groups without notices left
// out), numbered in Chinese.
mustache::data NoticeData(const v1::GetMonthlyReportResponse& report) {
  int count = 0;
  int group_number = 0;
  mustache::data groups = List();
  for (const v1::UnitNotices& unit : report.notices()) {
    if (unit.notices().empty()) continue;
    mustache::data rows = List();
    int number = 0;
    for (const v1::Notice& notice : unit.notices()) {
      mustache::data row;
      row.set("number", Count(++number));
      row.set("case_id", notice.case_id());
      row.set("title", notice.title());
      row.set("status", StatusLabel(notice.status()));
      row.set("overdue", notice.reason() == v1::NOTICE_REASON_OVERDUE);
      row.set("reason", ReasonLabel(notice.reason(), report));
      row.set("since", SinceText(notice));
      row.set("days", Count(notice.days()));
      rows.push_back(row);
    }
    count += unit.notices_size();
    mustache::data group;
    group.set("number", ChineseNumber(++group_number));
    group.set("unit", UnitNameIn(report, unit.responsible_unit()));
    group.set("count", Count(unit.notices_size()));
    group.set("rows", rows);
    groups.push_back(group);
  }
  mustache::data d;
  d.set("count", Count(count));
  d.set("units", Count(report.notices_size()));
  d.set("any", count > 0);
  d.set("groups", groups);
  return d;
}

// The appendix of region codes: each named region row with its code, so a
// reader can match the page with a ledger kept by code; false when there is
// none.
mustache::data RegionCodesData(const v1::GetMonthlyReportResponse& report) {
  mustache::data items = List();
  for (const v1::ReportRow* row : InOrder(report.by_region())) {
    if (row->key().empty()) continue;
    mustache::data item;
    item.set("name", RegionLabel(*row, report.region_prefix()));
    item.set("code", row->key());
    items.push_back(item);
  }
  if (items.is_empty_list()) return mustache::data(false);
  return mustache::data("items", items);
}

// A partial as the page uses it: the file less its final newline, so that
// `{{> name}}` stands for the file's lines in the line it is on.
mustache::data Partial(const char* text) {
  return mustache::data(std::string(absl::StripSuffix(text, "\n")));
}

}  // namespace

std::string RenderMonthlyReportHtml(const v1::GetMonthlyReportResponse& report) {
  mustache::data page;
  page.set("month", absl::StrCat(report.year(), "年", report.month(), "月"));
  // The region's name as people read it, its code beside it.
  const std::string& code = report.region_prefix();
  const std::string region =
      report.region_name().empty() ? code : absl::StrCat(report.region_name(), "（", code, "）");
  page.set("has_region", !region.empty());
  page.set("region", region);
  page.set("as_of", AsOfText(report.as_of()));
  page.set("total", TotalData(report.total()));
  page.set("by_category", CategoryData(report));
  page.set("by_region", RegionData(report));
  page.set("by_unit", UnitData(report));
  page.set("notices", NoticeData(report));
  page.set("region_codes", RegionCodesData(report));
  page.set("figure_table", Partial(kFigureTableTemplate));
  page.set("figure_cells", Partial(kFigureCellsTemplate));
  page.set("bar_chart", Partial(kBarChartTemplate));
  // Parsed on every call: a parsed template is not safe to render from two
  // threads at once (rectify_web serves pages concurrently), and parsing
  // costs little beside the call that fetched the report.
  mustache::mustache tmpl(kPageTemplate);
  std::string html = tmpl.render(page);
  // The embedded templates are tested (tests/client/report_html_test.cc):
  // an error here is a broken build, shown on the page rather than hidden.
  if (!tmpl.is_valid()) {
    return absl::StrCat(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<title>Report template error</title>\n<p>",
        mustache::html_escape(tmpl.error_message()), "</p>\n</html>\n");
  }
  return html;
}

}  // namespace rectify::client
