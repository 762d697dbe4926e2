// The supervision benchmarks' case load; see report_dataset.h. Each case is
// a small story told with the commands of the case workflow: the numbers
// below (how long people take, how often they fail) are chosen so that most
// cases close within weeks and a few percent are still open at the end,
// some overdue or stalled, as in a county's ledger.
//
// One file (about 620 lines), on purpose: the numbers above and the story
// that uses them (CaseRun, AddCase) are one model, tuned together against
// docs/benchmarks.md; apart, a change to one would hide its effect on the other.
#include "bench/report_dataset.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "projection/projector.h"
#include "rectify/v1/command.pb.h"
#include "workflow/decider.h"

namespace rectify::bench {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

const absl::TimeZone& China() { return projection::ReportTimeZone(); }

// ---- Places, units and people --------------------------------------------

struct County {
  const char* code;
  const char* unit_prefix;   // "minle" -> minle-town-100, minle-water-affairs, ...
  int townships;             // townships code..100 .. code..(100 + n - 1)
  const char* bureau_unit;   // the ecology and environment bureau
  const char* town_names[4]; // a few town names for addresses, cycled
};

const County kCounties[] = {
    {"620722", "minle", 20, "minle-eeb", {"洪水镇", "六坝镇", "新天镇", "南古镇"}},
    {"620702", "ganzhou", 10, "ganzhou-eeb", {"梁家墩镇", "上秦镇", "大满镇", "沙井镇"}},
};

// The departments a case may go to instead of its township, per county.
const std::vector<std::string>& Departments(int county) {
  static const std::vector<std::string> minle = {
      "minle-water-affairs", "minle-natural-resources", "minle-housing-construction",
      "minle-agriculture",   "minle-industrial-park",   "minle-transport"};
  static const std::vector<std::string> ganzhou = {
      "ganzhou-water-affairs", "ganzhou-natural-resources", "ganzhou-housing-construction",
      "ganzhou-industrial-park"};
  return county == 0 ? minle : ganzhou;
}

v1::Principal Person(v1::Role role, const std::string& id, const std::string& name,
                     const std::string& unit, const std::string& jurisdiction) {
  v1::Principal principal;
  principal.set_principal_id(id);
  principal.set_display_name(name);
  principal.set_role(role);
  principal.set_unit_id(unit);
  principal.set_jurisdiction(jurisdiction);
  return principal;
}

// Two inspectors and a supervisor per county, a rectifier per unit, and the
// deadline scheduler as server/deadline_scheduler.cc names it.
struct People {
  std::array<std::array<v1::Principal, 2>, 2> inspectors;
  std::array<v1::Principal, 2> supervisors;
  v1::Principal scheduler;
  std::map<std::string, v1::Principal> rectifiers;

  People() {
    inspectors[0] = {Person(v1::ROLE_INSPECTOR, "insp-zhang", "张伟", "minle-eeb", "620722"),
                     Person(v1::ROLE_INSPECTOR, "insp-li", "李娜", "minle-eeb", "620722")};
    inspectors[1] = {
        Person(v1::ROLE_INSPECTOR, "insp-ganzhou-liu", "刘洋", "ganzhou-eeb", "620702"),
        Person(v1::ROLE_INSPECTOR, "insp-ganzhou-ma", "马丽", "ganzhou-eeb", "620702")};
    supervisors = {Person(v1::ROLE_SUPERVISOR, "sup-wang", "王强", "minle-eeb", "620722"),
                   Person(v1::ROLE_SUPERVISOR, "sup-ganzhou-sun", "孙敏", "ganzhou-eeb", "620702")};
    scheduler.set_principal_id("system");
    scheduler.set_display_name("deadline scheduler");
    scheduler.set_role(v1::ROLE_SYSTEM);
    for (int county = 0; county < 2; ++county) {
      std::vector<std::string> units = Departments(county);
      for (int town = 0; town < kCounties[county].townships; ++town) {
        units.push_back(absl::StrFormat("%s-town-%03d", kCounties[county].unit_prefix, 100 + town));
      }
      for (const std::string& unit : units) {
        rectifiers.emplace(unit, Person(v1::ROLE_RECTIFIER, absl::StrCat("rect-", unit),
                                        absl::StrCat(unit, " 整改负责人"), unit,
                                        kCounties[county].code));
      }
    }
  }

  const v1::Principal& Rectifier(const std::string& unit) const { return rectifiers.at(unit); }
};

// ---- What a case is about ---------------------------------------------------

struct Topic {
  v1::Category category;
  double weight;
  const char* titles[3];
  const char* description;
  const char* requirement;
};

const Topic kTopics[] = {
    {v1::CATEGORY_AIR, 30,
     {"砂石料场未覆盖防尘网，扬尘污染", "燃煤锅炉烟尘超标排放", "露天焚烧秸秆"},
     "现场检查发现料场约2000平方米砂石堆未覆盖，装卸作业未采取喷淋抑尘措施，周边村民多次投诉。",
     "堆场全部苫盖，安装喷淋抑尘设施，建立洒水台账"},
    {v1::CATEGORY_WATER, 18,
     {"养殖场废水直排渠道", "污水处理设施未正常运行", "饮用水水源保护区内违规建设"},
     "沿渠排查发现养殖废水经暗管排入灌溉渠，渠内水体发黑，有明显异味。",
     "封堵暗管，建设防渗储液池，废水经处理后还田利用"},
    {v1::CATEGORY_SOIL, 6,
     {"废弃厂区土壤疑似污染", "农田周边堆放含油污泥", "尾矿堆存场地未防渗"},
     "原化工厂区内发现多处油污渗漏痕迹，土壤颜色异常，需开展调查评估。",
     "清理污染源，委托有资质单位开展土壤污染状况调查"},
    {v1::CATEGORY_SOLID_WASTE, 17,
     {"危险废物贮存不规范", "建筑垃圾随意倾倒", "一般工业固废露天堆放"},
     "企业危废暂存间未设置标识，废机油桶露天存放，台账记录不全。",
     "规范建设危废暂存间，完善标识和台账，委托有资质单位处置"},
    {v1::CATEGORY_NOISE, 12,
     {"夜间施工噪声扰民", "加工厂设备噪声超标", "商铺高音喇叭扰民"},
     "群众反映夜间22时后仍有机械施工，现场监测噪声超过夜间标准限值。",
     "停止夜间施工，设备加装隔声罩，合理安排作业时间"},
    {v1::CATEGORY_ECOLOGY, 10,
     {"非法占用草原开挖取土", "河道内违规采砂", "湿地保护区内违规放牧"},
     "巡查发现河道内有挖掘机作业采砂，河床破坏面积约500平方米。",
     "立即停止采砂，平整河床，恢复植被"},
    {v1::CATEGORY_RADIATION, 2,
     {"放射源使用单位台账不全", "通信基站电磁辐射投诉", "探伤作业未设警戒区"},
     "检查发现放射源使用登记台账缺失近三个月记录，警示标识脱落。",
     "补齐台账，更换警示标识，开展辐射安全培训"},
    {v1::CATEGORY_OTHER, 5,
     {"环评手续不全擅自投产", "在线监测设备未联网", "环保设施未验收即投入使用"},
     "企业新建生产线未办理环评审批手续即投入生产。",
     "停止生产，补办环评手续，经验收合格后方可生产"},
};

struct SourceShare {
  v1::CaseSource source;
  double weight;
};
const SourceShare kSources[] = {
    {v1::CASE_SOURCE_INSPECTION, 50},         {v1::CASE_SOURCE_HOTLINE_12369, 20},
    {v1::CASE_SOURCE_CENTRAL_INSPECTION, 8},  {v1::CASE_SOURCE_PROVINCIAL_INSPECTION, 7},
    {v1::CASE_SOURCE_MONITORING, 7},          {v1::CASE_SOURCE_MEDIA, 3},
    {v1::CASE_SOURCE_SELF_FOUND, 5},
};

const char* const kVillages[] = {"北滩村", "西街村", "东湾村", "杨坊村",
                                 "上柳村", "河湾村", "新庄村", "高寨村"};

// Cases reported per month, relative: fewer in winter, more in the dusty and
// busy summer; 2026 a little busier than 2025.
double MonthWeight(absl::CivilMonth month) {
  static const double kSeason[12] = {0.7, 0.6, 0.9, 1.1, 1.2, 1.3, 1.3, 1.25, 1.15, 1.0, 0.85, 0.7};
  return kSeason[month.month() - 1] * (month.year() >= 2026 ? 1.15 : 1.0);
}

// Which unit a case goes to: mostly its township's own government, else the
// department that fits its category.
std::string UnitFor(int county, v1::Category category, int township, bool county_level,
                     std::mt19937_64& random) {
  const std::vector<std::string>& departments = Departments(county);
  std::uniform_real_distribution<double> unit(0, 1);
  if (!county_level && unit(random) < 0.7) {
    return absl::StrFormat("%s-town-%03d", kCounties[county].unit_prefix, 100 + township);
  }
  // departments: water, natural resources, housing, then county-specific.
  switch (category) {
    case v1::CATEGORY_WATER: return departments[0];
    case v1::CATEGORY_SOIL:
    case v1::CATEGORY_ECOLOGY:
      return county == 0 && unit(random) < 0.5 ? departments[3] : departments[1];
    case v1::CATEGORY_NOISE:
    case v1::CATEGORY_SOLID_WASTE: return departments[2];
    case v1::CATEGORY_AIR:
      return county == 0 && unit(random) < 0.3 ? departments[5]
                                                : departments[county == 0 ? 4 : 3];
    default: return departments[county == 0 ? 4 : 3];
  }
}

// ---- One case's story ---------------------------------------------------------

// Runs the commands of one case through Decide and Evolve as the pipeline's
// writer would, one command at a time at its own `now`, and collects the
// events and report writes. Before each command, the deadlines that fell
// due are marked as the scheduler would have marked them.
class CaseRun {
 public:
  CaseRun(const workflow::Policy& policy, const People& people, absl::Time end,
          std::string case_id, projection::ReportChanges& reports, int64_t& events)
      : policy_(policy),
        people_(people),
        end_(end),
        case_id_(std::move(case_id)),
        reports_(reports),
        events_(events) {}

  // False when `at` is after the end: the story stops there.
  bool Reaches(absl::Time at) const { return at <= end_; }

  // Decides and folds `command` by `who` at `at` (after the scheduler's
  // overdue marks due by then).
  absl::Status Apply(v1::Command command, const v1::Principal& who, absl::Time at) {
    RETURN_IF_ERROR(FireDeadlines(at));
    return Run(std::move(command), who, at);
  }

  // Marks every deadline due by `up_to` (the scheduler's pass at the end).
  absl::Status FireDeadlines(absl::Time up_to) {
    while (true) {
      const v1::Deadline* next = nullptr;
      for (const v1::Deadline& deadline : state_.deadlines()) {
        if (deadline.state() != v1::DEADLINE_STATE_OPEN) continue;
        if (ToTime(deadline.due_at()) + kSchedulerDelay > up_to) continue;
        if (next == nullptr || ToTime(deadline.due_at()) < ToTime(next->due_at())) next = &deadline;
      }
      if (next == nullptr) return absl::OkStatus();
      const absl::Time due = ToTime(next->due_at());
      v1::Command command;
      command.set_command_id(absl::StrCat("overdue:", case_id_, ":", next->deadline_id(), ":",
                                          absl::ToUnixMicros(due)));
      command.mutable_mark_overdue()->set_deadline_id(next->deadline_id());
      if (absl::Status status = Run(std::move(command), people_.scheduler, due + kSchedulerDelay);
          !status.ok()) {
        return status;
      }
    }
  }

  const v1::Case& state() const { return state_; }
  storage::StreamAppend TakeAppend() {
    append_.stream_id = case_id_;
    append_.kind = v1::STREAM_KIND_CASE;
    append_.expected_version = 0;
    append_.projection = state_.SerializeAsString();
    projection::AddKeyChanges(projection::ProjectKeys(v1::Case()), projection::ProjectKeys(state_),
                              append_);
    return std::move(append_);
  }

  std::string NextCommandId(const char* step) {
    return absl::StrCat("bench-", case_id_, "-", ++commands_, "-", step);
  }

 private:
  // The scheduler polls: its marks land a few seconds after the due instant.
  static constexpr absl::Duration kSchedulerDelay = absl::Seconds(3);

  absl::Status Run(v1::Command command, const v1::Principal& who, absl::Time at) {
    command.set_stream_id(case_id_);
    absl::StatusOr<std::vector<v1::Event>> decided =
        workflow::Decide(state_, command, who, at, policy_);
    if (!decided.ok()) {
      return absl::InternalError(absl::StrCat("case ", case_id_, ", command ",
                                              command.command_id(), " at ",
                                              absl::FormatTime(at, China()), ": ",
                                              decided.status().ToString()));
    }
    for (v1::Event& event : *decided) {
      const projection::ReportSnapshot before = projection::ReportSnapshotOf(state_);
      if (absl::Status folded = workflow::Evolve(state_, event); !folded.ok()) {
        return absl::InternalError(absl::StrCat("case ", case_id_, ": ", folded.ToString()));
      }
      projection::ReportChangesForEvent(before, projection::ReportSnapshotOf(state_), event,
                                        reports_);
      append_.events.push_back(std::move(event));
      ++events_;
    }
    return absl::OkStatus();
  }

  const workflow::Policy& policy_;
  const People& people_;
  const absl::Time end_;
  const std::string case_id_;
  projection::ReportChanges& reports_;
  int64_t& events_;
  v1::Case state_;
  storage::StreamAppend append_;
  int commands_ = 0;
};

// The random choices of one case.
class Dice {
 public:
  explicit Dice(uint64_t seed) : random_(seed) {}
  double Uniform(double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random_);
  }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  // Log-normal with the given median (days) and sigma.
  double LogNormalDays(double median, double sigma) {
    return median * std::exp(sigma * std::normal_distribution<double>(0, 1)(random_));
  }
  template <typename T>
  const T& Weighted(const T* items, size_t count) {
    double total = 0;
    for (size_t i = 0; i < count; ++i) total += items[i].weight;
    double pick = Uniform(0, total);
    for (size_t i = 0; i < count; ++i) {
      if ((pick -= items[i].weight) < 0) return items[i];
    }
    return items[count - 1];
  }
  std::mt19937_64& engine() { return random_; }

  // `at` moved into office hours (08:30-18:00 China time) and, three times in
  // four, off the weekend: people act when they work.
  absl::Time OfficeHours(absl::Time at) {
    absl::CivilSecond local = absl::ToCivilSecond(at, China());
    absl::CivilDay day(local);
    const absl::CivilSecond opens = absl::CivilSecond(day) + (8 * 3600 + 1800);
    const absl::CivilSecond closes = absl::CivilSecond(day) + 18 * 3600;
    if (local < opens) {
      local = opens + static_cast<int64_t>(Uniform(0, 5400));
    } else if (local >= closes) {
      day = day + 1;
      local = absl::CivilSecond(day) + (8 * 3600 + 1800) + static_cast<int64_t>(Uniform(0, 5400));
    }
    const absl::Weekday weekday = absl::GetWeekday(absl::CivilDay(local));
    if ((weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday) && Chance(0.75)) {
      const int skip = weekday == absl::Weekday::saturday ? 2 : 1;
      local = absl::CivilSecond(absl::CivilDay(local) + skip) + (8 * 3600 + 1800) +
              static_cast<int64_t>(Uniform(0, 5400));
    }
    return absl::FromCivil(local, China());
  }

 private:
  std::mt19937_64 random_;
};

v1::Command CaseCommand(CaseRun& run, const char* step) {
  v1::Command command;
  command.set_command_id(run.NextCommandId(step));
  return command;
}

}  // namespace

absl::Time ReportDatasetNow() { return absl::FromUnixSeconds(1795888800); }

ReportDataset::ReportDataset(const workflow::Policy& policy, const ReportDatasetOptions& options)
    : policy_(policy), options_(options) {
  // Each month's weight times the share of it inside [first, last].
  const absl::CivilMonth first(absl::ToCivilSecond(options_.first_report, China()));
  const absl::CivilMonth last(absl::ToCivilSecond(options_.last_report, China()));
  std::vector<std::pair<absl::Time, double>> weights;
  double total = 0;
  for (absl::CivilMonth month = first; month <= last; ++month) {
    const absl::Time start = std::max(absl::FromCivil(month, China()), options_.first_report);
    const absl::Time end = std::min(absl::FromCivil(month + 1, China()), options_.last_report);
    const double weight = MonthWeight(month) * absl::ToDoubleHours(end - start);
    weights.emplace_back(start, weight);
    total += weight;
  }
  double cumulative = 0;
  for (const auto& [start, weight] : weights) {
    month_shares_[start] = cumulative / total;
    cumulative += weight;
  }
}

// The base instant from the month weights (increasing with the index), then
// squeezed into that day's office hours, so case numbers follow report
// times as the pipeline numbers them.
absl::Time ReportDataset::ReportTimeOf(int64_t index) const {
  const double share = (static_cast<double>(index) + 0.5) / static_cast<double>(options_.cases);
  auto month = std::prev(std::find_if(month_shares_.begin(), month_shares_.end(),
                                      [&](const auto& entry) { return entry.second > share; }));
  const auto next = std::next(month);
  const absl::Time start = month->first;
  const absl::Time end = next == month_shares_.end() ? options_.last_report : next->first;
  const double end_share = next == month_shares_.end() ? 1.0 : next->second;
  const double within = (share - month->second) / (end_share - month->second);
  const absl::Time base = start + (end - start) * within;
  const absl::CivilSecond local = absl::ToCivilSecond(base, China());
  const absl::CivilDay day(local);
  const double day_fraction = static_cast<double>(local - absl::CivilSecond(day)) / 86400.0;
  return absl::FromCivil(absl::CivilSecond(day) + (8 * 3600 + 1800), China()) +
         absl::Seconds(std::floor(day_fraction * 9.5 * 3600));
}

absl::Status ReportDataset::AddCase(int64_t index, storage::CommitBatch& batch,
                                    projection::ReportChanges& reports) {
  static const People* const people_of_the_dataset = new People();
  const People& people = *people_of_the_dataset;
  if (index != next_index_) {
    return absl::InvalidArgumentError(
        absl::StrCat("cases are added in order: expected ", next_index_, ", got ", index));
  }
  ++next_index_;
  Dice dice(options_.seed ^ (static_cast<uint64_t>(index) * 0x9E3779B97F4A7C15ull));
  const absl::Time reported_at = ReportTimeOf(index);

  // Where and what.
  const int county = dice.Chance(0.85) ? 0 : 1;
  const County& place = kCounties[county];
  // Some townships have more industry than others.
  const int township = static_cast<int>(
      std::floor(std::pow(dice.Uniform(0, 1), 1.4) * place.townships));
  const double level = dice.Uniform(0, 1);
  const bool county_level = level < 0.02;
  const int village = static_cast<int>(dice.Uniform(0, 8));
  std::string region = place.code;
  if (!county_level) {
    region = absl::StrFormat("%s%03d", place.code, 100 + township);
    if (level >= 0.42) region = absl::StrFormat("%s2%02d", region, village + 1);
  }
  const Topic& topic = dice.Weighted(kTopics, std::size(kTopics));
  const int variant = static_cast<int>(dice.Uniform(0, 3));
  const std::string prefix = absl::StrCat(
      place.code, "-", absl::FormatTime("%Y", reported_at, China()), "-");
  const std::string case_id = absl::StrFormat("%s%06d", prefix, ++sequences_[prefix]);

  CaseRun run(policy_, people, options_.now, case_id, reports, stats_.events);
  const v1::Principal& inspector = people.inspectors[county][index % 2];
  const v1::Principal& supervisor = people.supervisors[county];

  // Reported.
  {
    v1::Command command = CaseCommand(run, "report");
    v1::ReportCaseRequest& r = *command.mutable_report_case();
    r.set_command_id(command.command_id());
    r.set_title(topic.titles[variant]);
    r.set_description(topic.description);
    r.set_category(topic.category);
    const double severity = dice.Uniform(0, 1);
    r.set_severity(severity < 0.3   ? v1::SEVERITY_LOW
                   : severity < 0.85 ? v1::SEVERITY_MEDIUM
                   : severity < 0.98 ? v1::SEVERITY_HIGH
                                     : v1::SEVERITY_CRITICAL);
    const v1::CaseSource source = dice.Weighted(kSources, std::size(kSources)).source;
    r.set_source(source);
    if (source == v1::CASE_SOURCE_CENTRAL_INSPECTION) {
      r.set_source_reference(absl::StrCat("第三轮中央生态环境保护督察转办 D", 1000 + index % 9000));
    }
    r.mutable_location()->set_region_code(region);
    r.mutable_location()->set_address(
        absl::StrCat(place.town_names[township % 4], " ", kVillages[village], " ", 1 + index % 97,
                     "号"));
    r.mutable_subject()->set_name(
        absl::StrCat(place.town_names[(township + village) % 4], "某某",
                     topic.category == v1::CATEGORY_WATER ? "养殖有限公司" : "建材有限公司"));
    if (source == v1::CASE_SOURCE_HOTLINE_12369) {
      r.mutable_complainant()->set_name("群众");
      r.mutable_complainant()->set_phone("0936-12369");
    }
    *r.mutable_found_at() = ToProto(reported_at - absl::Seconds(std::floor(dice.Uniform(0, 36 * 3600))));
    RETURN_IF_ERROR(run.Apply(std::move(command), inspector, reported_at));
  }
  ++stats_.per_county[place.code];

  // A case older than six months rarely stalls: supervisors chase the
  // backlog (冲刺清零); recent ones more often.
  const bool recent = options_.now - reported_at < 180 * kDay;
  const bool stalled = dice.Chance(recent ? 0.005 : 0.0005);
  const bool stall_before_start = dice.Chance(0.3);
  absl::Time at = reported_at;

  auto finish = [&]() -> absl::Status {
    RETURN_IF_ERROR(run.FireDeadlines(options_.now));
    const v1::Case& state = run.state();
    std::string status = v1::CaseStatus_Name(state.status());
    ++stats_.per_status[status.substr(std::string("CASE_STATUS_").size())];
    if (state.overdue() && state.status() != v1::CASE_STATUS_CLOSED) ++stats_.overdue;
    batch.appends.push_back(run.TakeAppend());
    return absl::OkStatus();
  };

  // 3% turn out unfounded.
  if (dice.Chance(0.03)) {
    at = dice.OfficeHours(at + dice.Uniform(0.3, 4) * kDay);
    if (!run.Reaches(at)) return finish();
    v1::Command command = CaseCommand(run, "unfounded");
    command.mutable_close_as_unfounded()->set_case_id(case_id);
    command.mutable_close_as_unfounded()->set_reason("经现场核实，反映问题不属实");
    RETURN_IF_ERROR(run.Apply(std::move(command), supervisor, at));
    ++stats_.unfounded;
    return finish();
  }

  // Assigned (交办), usually within a day or two; the policy's default
  // rectification period (30 calendar days) and start deadline apply.
  std::string unit = UnitFor(county, topic.category, township, county_level, dice.engine());
  at = dice.OfficeHours(at + dice.LogNormalDays(0.8, 0.8) * kDay);
  if (!run.Reaches(at)) return finish();
  {
    v1::Command command = CaseCommand(run, "assign");
    command.mutable_assign_case()->set_case_id(case_id);
    command.mutable_assign_case()->set_responsible_unit(unit);
    command.mutable_assign_case()->set_requirements(topic.requirement);
    RETURN_IF_ERROR(run.Apply(std::move(command), supervisor, at));
  }
  // 2% go to another unit before work starts.
  if (dice.Chance(0.02)) {
    at = dice.OfficeHours(at + dice.Uniform(0.2, 2) * kDay);
    if (!run.Reaches(at)) return finish();
    const std::vector<std::string>& departments = Departments(county);
    const auto current = std::find(departments.begin(), departments.end(), unit);
    // A township's case goes to a department; a department's to the next one.
    unit = current == departments.end()
               ? UnitFor(county, topic.category, township, /*county_level=*/true, dice.engine())
               : departments[(current - departments.begin() + 1) % departments.size()];
    v1::Command command = CaseCommand(run, "reassign");
    command.mutable_reassign_case()->set_case_id(case_id);
    command.mutable_reassign_case()->set_responsible_unit(unit);
    command.mutable_reassign_case()->set_reason("问题属该部门职责范围，调整责任单位");
    RETURN_IF_ERROR(run.Apply(std::move(command), supervisor, at));
    ++stats_.reassigned;
  }
  if (stalled && stall_before_start) {
    ++stats_.stalled;
    return finish();
  }
  const v1::Principal& rectifier = people.Rectifier(unit);

  // Started: mostly within the 3 working days, some late.
  const double start_kind = dice.Uniform(0, 1);
  at = dice.OfficeHours(at + (start_kind < 0.85   ? dice.Uniform(0.05, 2)
                              : start_kind < 0.97 ? dice.Uniform(2, 6)
                                                  : dice.Uniform(6, 15)) *
                                 kDay);
  if (!run.Reaches(at)) return finish();
  {
    v1::Command command = CaseCommand(run, "start");
    command.mutable_start_rectification()->set_case_id(case_id);
    command.mutable_start_rectification()->set_note("已安排专人负责整改");
    RETURN_IF_ERROR(run.Apply(std::move(command), rectifier, at));
  }

  // Rectifying, with progress reports every few days (now and then a long
  // gap) until the work is done; a stalled case stops reporting.
  const absl::Time started = at;
  const absl::Duration work = std::clamp(dice.LogNormalDays(11, 0.6), 1.0, 120.0) * kDay;
  const absl::Time stall_at =
      stalled ? started + dice.Uniform(0, 1) * work : absl::InfiniteFuture();
  int percent = 0;
  auto progress_until = [&](absl::Time done) -> absl::Status {
    while (true) {
      const absl::Time next = dice.OfficeHours(
          at + (dice.Chance(0.85) ? dice.Uniform(2, 8) : dice.Uniform(8, 16)) * kDay);
      if (next >= done || next > stall_at || !run.Reaches(next)) return absl::OkStatus();
      at = next;
      percent = std::min(90, percent + static_cast<int>(dice.Uniform(10, 35)));
      v1::Command command = CaseCommand(run, "progress");
      command.mutable_report_progress()->set_case_id(case_id);
      command.mutable_report_progress()->set_text(
          absl::StrCat("整改推进中，已完成约", percent, "%，剩余工作正在落实。"));
      command.mutable_report_progress()->set_percent_complete(percent);
      RETURN_IF_ERROR(run.Apply(std::move(command), rectifier, at));
    }
  };
  RETURN_IF_ERROR(progress_until(started + work));
  if (stalled) {
    ++stats_.stalled;
    return finish();
  }

  absl::Time done = started + work;
  for (int round = 0;; ++round) {
    at = dice.OfficeHours(std::max(at, done) + absl::Hours(1));
    if (!run.Reaches(at)) return finish();
    {
      v1::Command command = CaseCommand(run, "submit");
      command.mutable_submit_completion()->set_case_id(case_id);
      command.mutable_submit_completion()->set_summary("已按要求完成整改，申请验收。");
      RETURN_IF_ERROR(run.Apply(std::move(command), rectifier, at));
    }
    at = dice.OfficeHours(at + dice.Uniform(0.3, 4) * kDay);
    if (!run.Reaches(at)) return finish();
    // 8% fail the first on-site check and get another (default) period.
    const bool passed = round > 0 || !dice.Chance(0.08);
    {
      v1::Command command = CaseCommand(run, "verify");
      command.mutable_verify_rectification()->set_case_id(case_id);
      command.mutable_verify_rectification()->set_passed(passed);
      command.mutable_verify_rectification()->set_notes(
          passed ? "现场核查，整改到位" : "现场核查发现整改不彻底，需继续整改");
      RETURN_IF_ERROR(run.Apply(std::move(command), inspector, at));
    }
    if (passed) break;
    ++stats_.failed_verifications;
    done = at + std::clamp(dice.LogNormalDays(7, 0.5), 1.0, 60.0) * kDay;
    RETURN_IF_ERROR(progress_until(done));
  }

  // Closed (销号) once the public notice, if the policy has one, has run.
  absl::Time notice_end = at;
  if (run.state().public_notice().has_ends_at()) {
    notice_end = ToTime(run.state().public_notice().ends_at());
  }
  at = dice.OfficeHours(std::max(at, notice_end) + dice.Uniform(0.05, 3) * kDay);
  if (!run.Reaches(at)) return finish();
  {
    v1::Command command = CaseCommand(run, "close");
    command.mutable_close_case()->set_case_id(case_id);
    command.mutable_close_case()->set_remark("公示无异议，予以销号");
    RETURN_IF_ERROR(run.Apply(std::move(command), supervisor, at));
  }
  return finish();
}

}  // namespace rectify::bench
