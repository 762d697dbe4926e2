// Speed of the monthly dispatch report read straight from a store
// (Google Benchmark): projection::MonthlyReport for Minle County (620722) on
// the 1M-case store of bench/report_bench_dataset, at the dataset's "now"
// (2026-11-29 02:00 China time). The goal is under 200 ms (docs/benchmarks.md,
// "Supervision", has the figures and the command that gives them).
//
//   bazel-bin/bench/report_bench --store=~/.cache/rectify/bench-data/report-1m
//       [--policy_file=config/policy_620722.txt] [--benchmark_min_time=2]
//
// Before the benchmarks it prints, per month measured, what one report reads
// (counter cells, notice records, month-end notice records, cases)
// and what it answers, taken through a store wrapper that counts; and the
// time of the very first report after opening the store (cold block cache).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/files.h"
#include "bench/report_dataset.h"
#include "benchmark/benchmark.h"
#include "projection/reports.h"
#include "storage/forwarding_event_store.h"
#include "storage/rocks_event_store.h"
#include "workflow/policy.h"

namespace rectify::bench {
namespace {

// Forwards to a store and counts what the report reads.
class CountingStore final : public storage::ForwardingEventStore {
 public:
  using ForwardingEventStore::ForwardingEventStore;
  struct Counts {
    int64_t get_case = 0;
    int64_t now_cells = 0;        // "n/" keys
    int64_t month_cells = 0;      // "m/" keys of the months read
    int64_t notice_conditions = 0;  // "o/" records of conditions that hold
    int64_t month_end_records = 0;  // "e/" keys
  };
  Counts counts;

  absl::StatusOr<v1::Case> GetCase(absl::string_view case_id) override {
    ++counts.get_case;
    return ForwardingEventStore::GetCase(case_id);
  }
  absl::StatusOr<std::vector<std::string>> GetCaseProjections(
      const std::vector<std::string>& case_ids) override {
    counts.get_case += static_cast<int64_t>(case_ids.size());
    return ForwardingEventStore::GetCaseProjections(case_ids);
  }
  absl::StatusOr<std::vector<std::vector<storage::ReportEntry>>> ScanDerived(
      const std::vector<storage::PrefixScan>& scans) override {
    auto scanned = ForwardingEventStore::ScanDerived(scans);
    if (!scanned.ok()) return scanned;
    for (size_t i = 0; i < scans.size(); ++i) {
      const int64_t found = static_cast<int64_t>((*scanned)[i].size());
      const std::string& prefix = scans[i].prefix;
      if (absl::StartsWith(prefix, "n/")) counts.now_cells += found;
      else if (absl::StartsWith(prefix, "m/")) counts.month_cells += found;
      else if (absl::StartsWith(prefix, "o/")) counts.notice_conditions += found;
      else if (absl::StartsWith(prefix, "e/")) counts.month_end_records += found;
    }
    return scanned;
  }
};

// The store and thresholds every benchmark reads; set up in main.
std::unique_ptr<storage::RocksEventStore> g_store;
projection::NoticeThresholds g_thresholds;

int CountNotices(const v1::GetMonthlyReportResponse& report) {
  int notices = 0;
  for (const v1::UnitNotices& unit : report.notices()) notices += unit.notices_size();
  return notices;
}

// "OVERDUE 2662 NO_PROGRESS ..." for the report's notice list.
std::string NoticesByReason(const v1::GetMonthlyReportResponse& report) {
  std::map<std::string, int> counts;
  for (const v1::UnitNotices& unit : report.notices()) {
    for (const v1::Notice& notice : unit.notices()) {
      ++counts[v1::NoticeReason_Name(notice.reason()).substr(std::string("NOTICE_REASON_").size())];
    }
  }
  std::string words;
  for (const auto& [reason, count] : counts) {
    absl::StrAppend(&words, words.empty() ? "" : " ", reason, "=", count);
  }
  return words;
}

// What one report reads and answers, and how long the first one took.
void Describe(int year, int month) {
  static bool first = true;
  const char* label = first ? " (the first report after opening the store)" : "";
  first = false;
  CountingStore counting(*g_store);
  const auto start = std::chrono::steady_clock::now();
  auto report = projection::MonthlyReport(counting, year, month, kReportCounty, g_thresholds,
                                          ReportDatasetNow());
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!report.ok()) {
    std::fprintf(stderr, "MonthlyReport %d-%02d: %s\n", year, month,
                 report.status().ToString().c_str());
    std::exit(3);
  }
  const CountingStore::Counts& c = counting.counts;
  std::printf(
      "%04d-%02d%s: %.1f ms; read %lld now cells, %lld month cells, %lld notice records, "
      "%lld month-end records, %lld cases; answered %d notices (%s) of %d units, rows %d/%d/%d "
      "(category/region/unit), %zu bytes; total new %d closed %d open_at_end %d overdue %d\n",
      year, month, label, ms,
      static_cast<long long>(c.now_cells), static_cast<long long>(c.month_cells),
      static_cast<long long>(c.notice_conditions), static_cast<long long>(c.month_end_records),
      static_cast<long long>(c.get_case), CountNotices(*report), NoticesByReason(*report).c_str(),
      report->notices_size(),
      report->by_category_size(), report->by_region_size(), report->by_unit_size(),
      report->ByteSizeLong(), report->total().new_cases(), report->total().closed(),
      report->total().open_at_end(), report->total().overdue());
}

void BM_MonthlyReport(benchmark::State& state) {
  const int year = static_cast<int>(state.range(0));
  const int month = static_cast<int>(state.range(1));
  int notices = 0;
  for (auto _ : state) {
    auto report = projection::MonthlyReport(*g_store, year, month, kReportCounty, g_thresholds,
                                            ReportDatasetNow());
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      return;
    }
    notices = CountNotices(*report);
    benchmark::DoNotOptimize(report);
  }
  state.counters["notices"] = notices;
}
// The running month, a past month and the first month of the data (which
// reads the changes of every month since).
BENCHMARK(BM_MonthlyReport)
    ->ArgNames({"year", "month"})
    ->Args({2026, 11})
    ->Args({2026, 9})
    ->Args({2025, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rectify::bench

int main(int argc, char** argv) {
  std::string store_dir;
  std::string policy_file = "config/policy_620722.txt";
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (absl::StartsWith(arg, "--store=")) {
      store_dir = arg.substr(8);
    } else if (absl::StartsWith(arg, "--policy_file=")) {
      policy_file = arg.substr(14);
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (store_dir.empty()) {
    std::fprintf(stderr, "usage: report_bench --store=DIR [--policy_file=F] [benchmark flags]\n");
    return 2;
  }
  absl::StatusOr<std::string> text = rectify::ReadWholeFile(policy_file);
  absl::StatusOr<rectify::workflow::Policy> policy =
      text.ok() ? rectify::workflow::ParsePolicy(*text) : absl::StatusOr<rectify::workflow::Policy>(text.status());
  if (!policy.ok()) {
    std::fprintf(stderr, "cannot use --policy_file %s\n", policy_file.c_str());
    return 2;
  }
  rectify::bench::g_thresholds.no_progress_days = policy->notice_no_progress_days;
  rectify::bench::g_thresholds.not_started_days = policy->notice_not_started_days;
  rectify::storage::StoreOptions options;
  options.create_if_missing = false;
  auto store = rectify::storage::RocksEventStore::Open(store_dir, options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 3;
  }
  rectify::bench::g_store = *std::move(store);
  // The first call runs on a cold block cache.
  rectify::bench::Describe(2026, 11);
  rectify::bench::Describe(2026, 11);
  rectify::bench::Describe(2026, 9);
  rectify::bench::Describe(2025, 1);

  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  rectify::bench::g_store.reset();
  return 0;
}
