// Speed of the pure workflow (Google Benchmark): Decide + Evolve of typical
// commands on a case in memory. The goal is under 5 µs for a typical command
// (docs/benchmarks.md has the figures and the command that gives them). Each
// command benchmark is also registered with a fixed iteration count
// (".../iterations:N"), so that `valgrind --tool=callgrind` counts the same
// work on every run: instructions are repeatable on a loaded machine where
// wall time is not (Debian's Google Benchmark 1.7 has no --benchmark_min_time=Nx).
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "benchmark/benchmark.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "workflow/calendar.h"
#include "workflow/decider.h"
#include "workflow/penalties.h"
#include "workflow/policy.h"

namespace rectify::workflow {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1772413200);  // 2026-03-02 09:00 Shanghai

v1::Principal Make(v1::Role role, const std::string& id, const std::string& unit) {
  v1::Principal principal;
  principal.set_principal_id(id);
  principal.set_display_name(id);
  principal.set_role(role);
  principal.set_unit_id(unit);
  principal.set_jurisdiction("620722");
  return principal;
}

const v1::Principal& Inspector() {
  static const v1::Principal p = Make(v1::ROLE_INSPECTOR, "insp-zhang", "minle-eeb");
  return p;
}
const v1::Principal& Supervisor() {
  static const v1::Principal p = Make(v1::ROLE_SUPERVISOR, "sup-wang", "minle-eeb");
  return p;
}
const v1::Principal& Rectifier() {
  static const v1::Principal p = Make(v1::ROLE_RECTIFIER, "rect-zhao", "minle-hongshui-town");
  return p;
}

v1::Command Envelope(const std::string& command_id) {
  v1::Command command;
  command.set_stream_id("620722-2026-000123");
  command.set_command_id(command_id);
  return command;
}

void Apply(v1::Case& state, const v1::Command& command, const v1::Principal& principal,
           absl::Time now, const Policy& policy) {
  absl::StatusOr<std::vector<v1::Event>> events = Decide(state, command, principal, now, policy);
  if (!events.ok()) std::abort();
  for (const v1::Event& event : *events) {
    if (!Evolve(state, event).ok()) std::abort();
  }
}

v1::Command ReportCommand() {
  v1::Command command = Envelope("c-report");
  v1::ReportCaseRequest& r = *command.mutable_report_case();
  r.set_command_id("c-report");
  r.set_title("砂石料场扬尘未覆盖");
  r.set_description("北滩村砂石料场堆场未苫盖，现场扬尘明显。");
  r.set_category(v1::CATEGORY_AIR);
  r.set_severity(v1::SEVERITY_MEDIUM);
  r.set_source(v1::CASE_SOURCE_INSPECTION);
  r.mutable_location()->set_region_code("620722100");
  r.mutable_location()->set_address("洪水镇北滩村");
  r.mutable_subject()->set_name("民乐县某建材有限公司");
  r.mutable_subject()->set_unified_social_credit_code("91620722MA71000018");
  r.mutable_found_at()->set_seconds(absl::ToUnixSeconds(kStart) - 7200);
  return command;
}

v1::Command AssignCommand() {
  v1::Command command = Envelope("c-assign");
  auto& r = *command.mutable_assign_case();
  r.set_case_id("620722-2026-000123");
  r.set_responsible_unit("minle-hongshui-town");
  r.set_requirements("堆场全部苫盖，安装喷淋");
  return command;
}

// A FOUND case and a RECTIFYING one, made through Decide and Evolve.
v1::Case FoundCase(const Policy& policy) {
  v1::Case state;
  Apply(state, ReportCommand(), Inspector(), kStart, policy);
  return state;
}

v1::Case RectifyingCase(const Policy& policy) {
  v1::Case state = FoundCase(policy);
  Apply(state, AssignCommand(), Supervisor(), kStart + absl::Hours(1), policy);
  v1::Command start = Envelope("c-start");
  start.mutable_start_rectification()->set_case_id("620722-2026-000123");
  Apply(state, start, Rectifier(), kStart + absl::Hours(2), policy);
  return state;
}

// The typical command: a progress report on a RECTIFYING case.
void BM_ReportProgress(benchmark::State& bench) {
  const Policy policy;
  const v1::Case base = RectifyingCase(policy);
  v1::Case state = base;
  v1::Command command = Envelope("c-progress");
  auto& r = *command.mutable_report_progress();
  r.set_case_id("620722-2026-000123");
  r.set_text("已苫盖一半，喷淋设备已订购");
  r.set_percent_complete(50);
  const absl::Time now = kStart + absl::Hours(30);
  int applied = 0;
  for (auto _ : bench) {
    Apply(state, command, Rectifier(), now, policy);
    if (++applied == 1000) {
      // Keep the case's size typical rather than growing without end.
      bench.PauseTiming();
      state = base;
      applied = 0;
      bench.ResumeTiming();
    }
  }
}
BENCHMARK(BM_ReportProgress);
BENCHMARK(BM_ReportProgress)->Iterations(1000);  // for callgrind: a fixed count

// Assignment: computes a 30-calendar-day deadline on the holiday calendar.
// Includes copying the FOUND case each time (the command changes its state).
void BM_AssignCase(benchmark::State& bench) {
  const Policy policy;
  const v1::Case found = FoundCase(policy);
  const v1::Command command = AssignCommand();
  for (auto _ : bench) {
    v1::Case state = found;
    Apply(state, command, Supervisor(), kStart + absl::Hours(1), policy);
    benchmark::DoNotOptimize(state);
  }
}
BENCHMARK(BM_AssignCase);
BENCHMARK(BM_AssignCase)->Iterations(1000);  // for callgrind: a fixed count

// Reporting a new case: the widest validation (text, region, credit code).
void BM_ReportCase(benchmark::State& bench) {
  const Policy policy;
  const v1::Command command = ReportCommand();
  for (auto _ : bench) {
    v1::Case state;
    Apply(state, command, Inspector(), kStart, policy);
    benchmark::DoNotOptimize(state);
  }
}
BENCHMARK(BM_ReportCase);
BENCHMARK(BM_ReportCase)->Iterations(1000);  // for callgrind: a fixed count

// A referral proposal: a 3-calendar-day deadline across the calendar.
void BM_ProposeReferral(benchmark::State& bench) {
  const Policy policy;
  const v1::Case found = FoundCase(policy);
  v1::Command command = Envelope("c-propose");
  auto& r = *command.mutable_propose_referral();
  r.set_case_id("620722-2026-000123");
  r.set_suspected_offence("污染环境罪");
  r.set_report("两名执法人员现场检查发现");
  r.add_proposing_officers("insp-zhang");
  r.add_proposing_officers("insp-li");
  // As the handler resolves them from the principals file.
  *command.add_named_principals() = Inspector();
  *command.add_named_principals() = Make(v1::ROLE_INSPECTOR, "insp-li", "minle-eeb");
  for (auto _ : bench) {
    v1::Case state = found;
    Apply(state, command, Inspector(), kStart + absl::Hours(1), policy);
    benchmark::DoNotOptimize(state);
  }
}
BENCHMARK(BM_ProposeReferral);
BENCHMARK(BM_ProposeReferral)->Iterations(1000);  // for callgrind: a fixed count

// A penalty case (workflow/penalties.h) from opening to the fine paid: seven
// commands (open, filing, investigation, prior notice, decision, service,
// payment) decided and folded, DecidePenalty + EvolvePenalty, from a fresh
// state each time. Time is per path; items/s counts commands.
void BM_PenaltyPath(benchmark::State& bench) {
  const Policy policy;
  const std::string id = "P-620722-2026-0001";
  v1::Case source;
  source.set_case_id("620722-2026-000123");
  source.set_version(5);
  source.set_status(v1::CASE_STATUS_RECTIFYING);
  source.mutable_location()->set_region_code("620722100");
  source.set_responsible_unit("minle-hongshui-town");
  source.mutable_subject()->set_name("民乐县某某建材有限公司");
  source.mutable_subject()->set_unified_social_credit_code("91620722MA74XXXX0A");
  *source.mutable_found_at() = ToProto(kStart - absl::Hours(24));
  const v1::Principal head = Make(v1::ROLE_BUREAU_HEAD, "head-liu", "minle-eeb");
  const v1::Principal other = Make(v1::ROLE_INSPECTOR, "insp-li", "minle-eeb");
  struct Step {
    v1::Command command;
    v1::Principal who;
    absl::Time at;
  };
  std::vector<Step> steps;
  auto add = [&](v1::Command command, const v1::Principal& who, absl::Time at) {
    command.set_command_id(absl::StrCat("c-", steps.size() + 1));
    if (!command.has_open_penalty_case()) command.set_stream_id(id);
    *command.add_named_principals() = Inspector();
    *command.add_named_principals() = other;
    steps.push_back({std::move(command), who, at});
  };
  v1::PenaltyTerms fine;
  fine.add_kinds(v1::PENALTY_KIND_FINE);
  fine.set_fine_fen(1000000);
  v1::Command command;
  command.mutable_open_penalty_case()->set_source_case_id(source.case_id());
  command.mutable_open_penalty_case()->set_violation("超标排放大气污染物");
  add(command, Supervisor(), kStart);
  command.Clear();
  command.mutable_decide_penalty_filing()->set_penalty_case_id(id);
  command.mutable_decide_penalty_filing()->set_approved(true);
  add(command, head, kStart + absl::Hours(1));
  command.Clear();
  auto& investigation = *command.mutable_record_penalty_investigation();
  investigation.set_penalty_case_id(id);
  investigation.add_officers("insp-zhang");
  investigation.add_officers("insp-li");
  investigation.set_report("现场检查、采样监测，颗粒物超标 1.8 倍");
  add(command, Inspector(), kStart + absl::Hours(2));
  command.Clear();
  auto& notice = *command.mutable_serve_penalty_prior_notice();
  notice.set_penalty_case_id(id);
  notice.set_facts("超标排放");
  notice.set_grounds("《大气污染防治法》第九十九条");
  *notice.mutable_intended() = fine;
  *notice.mutable_served_at() = ToProto(kStart + absl::Hours(3));
  add(command, Supervisor(), kStart + absl::Hours(4));
  command.Clear();
  auto& decision = *command.mutable_decide_penalty();
  decision.set_penalty_case_id(id);
  decision.set_facts("超标排放【工艺参数：窑温 1200℃】");
  decision.set_legal_basis("《大气污染防治法》第九十九条");
  *decision.mutable_terms() = fine;
  add(command, head, kStart + absl::Hours(24 * 8));
  command.Clear();
  auto& served = *command.mutable_serve_penalty_decision();
  served.set_penalty_case_id(id);
  served.set_decision_id("d-1");
  *served.mutable_served_at() = ToProto(kStart + absl::Hours(24 * 8 + 1));
  add(command, Supervisor(), kStart + absl::Hours(24 * 8 + 1));
  command.Clear();
  auto& payment = *command.mutable_record_penalty_payment();
  payment.set_penalty_case_id(id);
  payment.set_decision_id("d-1");
  payment.set_fine_fen(1000000);
  *payment.mutable_paid_at() = ToProto(kStart + absl::Hours(24 * 10));
  add(command, Supervisor(), kStart + absl::Hours(24 * 10 + 1));

  for (auto _ : bench) {
    v1::PenaltyCase state;
    int64_t next_number = 1;
    for (const Step& step : steps) {
      PenaltyFacts facts;
      facts.source_case = &source;
      facts.new_penalty_case_id = id;
      facts.next_document_sequence = next_number;
      absl::StatusOr<PenaltyOutcome> outcome =
          DecidePenalty(state, step.command, step.who, step.at, policy, facts);
      if (!outcome.ok()) {
        bench.SkipWithError(std::string(outcome.status().message()).c_str());
        return;
      }
      for (const v1::Event& event : outcome->penalty_events) {
        if (!EvolvePenalty(state, event).ok()) std::abort();
      }
      if (outcome->used_document_number) ++next_number;
    }
    benchmark::DoNotOptimize(state);
  }
  bench.SetItemsProcessed(bench.iterations() * static_cast<int64_t>(steps.size()));
}
BENCHMARK(BM_PenaltyPath);
BENCHMARK(BM_PenaltyPath)->Iterations(200);  // for callgrind: a fixed count

// Parsing the shipped calendar: with its statutory holidays computed for the
// 15 years after the table (ICU and ERFA), and, side by side, the same text
// with "beyond_table: weekends" (nothing computed) as the baseline. Paid
// once per process (DefaultCalendar) and per --calendar_file load.
void BM_ParseCalendarStatutory(benchmark::State& bench) {
  const std::string text(BuiltinCalendarText());
  for (auto _ : bench) benchmark::DoNotOptimize(ParseCalendar(text));
}
BENCHMARK(BM_ParseCalendarStatutory)->Unit(benchmark::kMillisecond);

void BM_ParseCalendarWeekends(benchmark::State& bench) {
  std::string text(BuiltinCalendarText());
  text.replace(text.find("beyond_table: statutory"), 23, "beyond_table: weekends");
  for (auto _ : bench) benchmark::DoNotOptimize(ParseCalendar(text));
}
BENCHMARK(BM_ParseCalendarWeekends)->Unit(benchmark::kMillisecond);

// A 30-calendar-day deadline counted in a computed year (2027, provisional)
// and in a published one (2026), on the shipped calendar.
void BM_ComputeDeadlineComputedYear(benchmark::State& bench) {
  const Policy policy;
  const absl::Time start = kStart + absl::Hours(24 * 365);  // 2027-03-02
  for (auto _ : bench) {
    benchmark::DoNotOptimize(ComputeDeadline(policy, v1::DEADLINE_KIND_RECTIFICATION, start));
  }
}
BENCHMARK(BM_ComputeDeadlineComputedYear);

void BM_ComputeDeadlinePublishedYear(benchmark::State& bench) {
  const Policy policy;
  for (auto _ : bench) {
    benchmark::DoNotOptimize(ComputeDeadline(policy, v1::DEADLINE_KIND_RECTIFICATION, kStart));
  }
}
BENCHMARK(BM_ComputeDeadlinePublishedYear);

}  // namespace
}  // namespace rectify::workflow

BENCHMARK_MAIN();
