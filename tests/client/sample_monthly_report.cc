// A realistic monthly report for the HTML page's tests; see
// sample_monthly_report.h.
#include "tests/client/sample_monthly_report.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/proto_time.h"

namespace rectify::testing {
namespace {

// One made-up case, as it stood at the end of March 2026.
struct SampleCase {
  std::string case_id;
  std::string title;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  std::string region;
  std::string unit;  // "" while never assigned
  v1::CaseStatus status = v1::CASE_STATUS_UNSPECIFIED;
  bool reported_in_month = false;
  bool assigned_in_month = false;
  bool verified_in_month = false;
  bool closed_in_month = false;
  int days_to_close = 0;
  bool overdue = false;
};

// A fixed pseudo-random sequence (a linear congruential generator), so the
// sample is the same on every machine.
class Sequence {
 public:
  int Next(int bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state_ >> 33) % static_cast<uint64_t>(bound));
  }
  bool Chance(int percent) { return Next(100) < percent; }

 private:
  uint64_t state_ = 20260331;
};

struct Township {
  const char* code;
  const char* name;
};

constexpr Township kTownships[] = {
    {"620722101", "洪水镇"}, {"620722102", "六坝镇"}, {"620722103", "新天镇"},
    {"620722104", "南古镇"}, {"620722105", "永固镇"}, {"620722106", "三堡镇"},
    {"620722107", "南丰镇"}, {"620722108", "民联镇"}, {"620722109", "顺化镇"},
    {"620722110", "丰乐镇"},
};

struct Problem {
  v1::Category category;
  const char* text;
  const char* sector_unit;  // the county bureau that answers for such problems
};

constexpr Problem kProblems[] = {
    {v1::CATEGORY_AIR, "砂石料场扬尘未覆盖", "张掖市生态环境局民乐分局"},
    {v1::CATEGORY_AIR, "燃煤锅炉烟气超标排放", "张掖市生态环境局民乐分局"},
    {v1::CATEGORY_AIR, "秸秆露天焚烧", "民乐县农业农村局"},
    {v1::CATEGORY_WATER, "污水处理站出水氨氮超标", "民乐县水务局"},
    {v1::CATEGORY_WATER, "养殖场粪污直排农灌渠", "民乐县农业农村局"},
    {v1::CATEGORY_SOLID_WASTE, "建筑垃圾倾倒河道", "民乐县住房和城乡建设局"},
    {v1::CATEGORY_SOLID_WASTE, "危险废物贮存不规范", "张掖市生态环境局民乐分局"},
    {v1::CATEGORY_SOIL, "废旧电池露天堆放渗漏", "张掖市生态环境局民乐分局"},
    {v1::CATEGORY_NOISE, "夜间施工噪声扰民", "民乐县住房和城乡建设局"},
    {v1::CATEGORY_ECOLOGY, "采石场生态修复不到位",
     "民乐县祁连山国家级自然保护区民乐管护中心生态修复工作专班"},
    {v1::CATEGORY_ECOLOGY, "草原违规开垦", "民乐县自然资源局"},
    {v1::CATEGORY_OTHER, "企业环境信息未公开", "张掖市生态环境局民乐分局"},
};

std::vector<SampleCase> Cases() {
  Sequence random;
  std::vector<SampleCase> cases;
  for (int n = 1; n <= 160; ++n) {
    SampleCase c;
    c.case_id = absl::StrFormat("620722-2026-%06d", 100 + n * 3);
    const Township& town = kTownships[random.Next(10)];
    const Problem& problem = kProblems[random.Next(12)];
    c.category = problem.category;
    // A few cases are located at the county itself.
    c.region = random.Chance(6) ? "620722" : town.code;
    c.title = absl::StrCat(c.region == "620722" ? "县城区" : town.name, problem.text);
    c.reported_in_month = random.Chance(35);
    const int roll = random.Next(100);
    c.status = roll < 45   ? v1::CASE_STATUS_CLOSED
               : roll < 70 ? v1::CASE_STATUS_RECTIFYING
               : roll < 80 ? v1::CASE_STATUS_ASSIGNED
               : roll < 88 ? v1::CASE_STATUS_VERIFIED
                           : v1::CASE_STATUS_FOUND;
    if (c.status != v1::CASE_STATUS_FOUND) {
      c.unit =
          random.Chance(55) ? absl::StrCat("民乐县", town.name, "人民政府") : problem.sector_unit;
      c.assigned_in_month = c.reported_in_month || random.Chance(8);
    }
    if (c.status == v1::CASE_STATUS_CLOSED && random.Chance(c.reported_in_month ? 60 : 35)) {
      c.closed_in_month = true;
      c.days_to_close = c.reported_in_month ? 3 + random.Next(24) : 20 + random.Next(70);
      c.verified_in_month = random.Chance(80);
    }
    if (c.status == v1::CASE_STATUS_VERIFIED) c.verified_in_month = random.Chance(70);
    if (c.status == v1::CASE_STATUS_RECTIFYING) c.overdue = random.Chance(30);
    if (c.status == v1::CASE_STATUS_ASSIGNED) c.overdue = random.Chance(15);
    cases.push_back(c);
  }
  // Titles are typed by people: quotes, ampersands and angle brackets happen.
  cases[4].title = "丰乐镇某化工厂危废贮存不规范（群众反映\"A&B厂\"夜间<偷排>）";
  cases[4].status = v1::CASE_STATUS_RECTIFYING;
  cases[4].overdue = true;
  cases[4].unit = "民乐县丰乐镇人民政府";
  return cases;
}

// The figures of one row, while they are being added up.
struct Tally {
  v1::ReportFigures figures;
  std::vector<int> days_to_close;

  void Add(const SampleCase& c) {
    figures.set_new_cases(figures.new_cases() + (c.reported_in_month ? 1 : 0));
    figures.set_assigned(figures.assigned() + (c.assigned_in_month ? 1 : 0));
    figures.set_verified(figures.verified() + (c.verified_in_month ? 1 : 0));
    figures.set_closed(figures.closed() + (c.closed_in_month ? 1 : 0));
    figures.set_rectifying(figures.rectifying() + (c.status == v1::CASE_STATUS_RECTIFYING ? 1 : 0));
    figures.set_overdue(figures.overdue() + (c.overdue ? 1 : 0));
    figures.set_closed_to_date(figures.closed_to_date() +
                               (c.status == v1::CASE_STATUS_CLOSED ? 1 : 0));
    figures.set_open_at_end(figures.open_at_end() + (c.status != v1::CASE_STATUS_CLOSED ? 1 : 0));
    if (c.closed_in_month) days_to_close.push_back(c.days_to_close);
  }

  v1::ReportFigures Done() {
    const int all = figures.closed_to_date() + figures.open_at_end();
    figures.set_closure_rate(all == 0 ? 0 : static_cast<double>(figures.closed_to_date()) / all);
    std::sort(days_to_close.begin(), days_to_close.end());
    const size_t n = days_to_close.size();
    figures.set_median_days_to_close(
        n == 0 ? 0
               : (n % 2 == 1 ? days_to_close[n / 2]
                             : (days_to_close[n / 2 - 1] + days_to_close[n / 2]) / 2.0));
    return figures;
  }
};

void AddRows(std::map<std::string, Tally>& tallies,
             google::protobuf::RepeatedPtrField<v1::ReportRow>* rows) {
  for (auto& [key, tally] : tallies) {
    v1::ReportRow* row = rows->Add();
    row->set_key(key);
    *row->mutable_figures() = tally.Done();
  }
}

google::protobuf::Timestamp ChinaTime(int year, int month, int day) {
  return ToProto(
      absl::FromCivil(absl::CivilSecond(year, month, day, 0, 0, 0), absl::FixedTimeZone(8 * 3600)));
}

}  // namespace

v1::GetMonthlyReportResponse SampleMonthlyReport() {
  const std::vector<SampleCase> cases = Cases();
  v1::GetMonthlyReportResponse report;
  report.set_year(2026);
  report.set_month(3);
  report.set_region_prefix("620722");
  *report.mutable_as_of() = ChinaTime(2026, 4, 1);
  report.set_no_progress_days(15);
  report.set_not_started_days(7);

  Tally total;
  std::map<std::string, Tally> by_category, by_region, by_unit;
  for (const SampleCase& c : cases) {
    total.Add(c);
    by_category[v1::Category_Name(c.category)].Add(c);
    by_region[c.region].Add(c);
    by_unit[c.unit].Add(c);
  }
  *report.mutable_total() = total.Done();
  AddRows(by_category, report.mutable_by_category());
  AddRows(by_region, report.mutable_by_region());
  // The names the server's region directory gives (config/regions_620722.txt).
  report.set_region_name("甘肃省张掖市民乐县");
  for (v1::ReportRow& row : *report.mutable_by_region()) {
    if (row.key() == "620722") row.set_name("民乐县");
    for (const Township& town : kTownships) {
      if (row.key() == town.code) row.set_name(town.name);
    }
  }
  AddRows(by_unit, report.mutable_by_unit());

  // Notices, by unit, then reason, then case id (docs/reports.md).
  std::map<std::string, std::vector<v1::Notice>> notices;
  Sequence random;
  for (const SampleCase& c : cases) {
    auto add = [&](v1::NoticeReason reason, int days) {
      v1::Notice notice;
      notice.set_reason(reason);
      notice.set_case_id(c.case_id);
      notice.set_title(c.title);
      notice.set_responsible_unit(c.unit);
      notice.set_status(c.status);
      notice.set_days(days);
      *notice.mutable_since() = ToProto(ToTime(report.as_of()) - absl::Hours(24 * days + 5));
      notices[c.unit].push_back(notice);
    };
    if (c.overdue) add(v1::NOTICE_REASON_OVERDUE, 1 + random.Next(40));
    if (c.status == v1::CASE_STATUS_RECTIFYING && random.Chance(25)) {
      add(v1::NOTICE_REASON_NO_PROGRESS, 15 + random.Next(30));
    }
    if (c.status == v1::CASE_STATUS_ASSIGNED && random.Chance(40)) {
      add(v1::NOTICE_REASON_NOT_STARTED, 7 + random.Next(20));
    }
  }
  for (auto& [unit, list] : notices) {
    std::sort(list.begin(), list.end(), [](const v1::Notice& a, const v1::Notice& b) {
      return std::make_tuple(static_cast<int>(a.reason()), a.case_id()) <
             std::make_tuple(static_cast<int>(b.reason()), b.case_id());
    });
    v1::UnitNotices* group = report.add_notices();
    group->set_responsible_unit(unit);
    for (const v1::Notice& notice : list) *group->add_notices() = notice;
  }
  return report;
}

}  // namespace rectify::testing
