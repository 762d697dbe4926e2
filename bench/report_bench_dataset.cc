// Builds the store of the supervision benchmarks once (docs/benchmarks.md,
// "Supervision"): the cases of bench/report_dataset.h, 500 per commit
// through the store's own Commit with sync off, each commit carrying the
// projections, index and timer keys and report writes the pipeline would
// have written. Then flushes, so the benchmarks open it without a WAL to
// replay. The dataset lives outside the repository:
//
//   bazel-bin/bench/report_bench_dataset --cases=1000000 ~/.cache/rectify/bench-data/report-1m
//   bazel-bin/tools/rectify_admin verify --data_dir=~/.cache/rectify/bench-data/report-1m
//
// --policy_file must be the policy the server is later run with (the
// deadlines and the notice thresholds); run from the repository root, the
// default is Minle County's.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "base/files.h"
#include "bench/report_dataset.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "workflow/policy.h"

ABSL_FLAG(int64_t, cases, 1000000, "cases to build");
ABSL_FLAG(int64_t, cases_per_commit, 500, "cases per store commit");
ABSL_FLAG(std::string, policy_file, "config/policy_620722.txt",
          "the deadline policy (workflow/policy.h format) the server will run with");

namespace rectify::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

int Fail(const std::string& message) {
  std::fprintf(stderr, "report_bench_dataset: %s\n", message.c_str());
  return 3;
}

int Load(const std::string& dir) {
  absl::StatusOr<std::string> text = ReadWholeFile(absl::GetFlag(FLAGS_policy_file));
  if (!text.ok()) return Fail("cannot read --policy_file " + absl::GetFlag(FLAGS_policy_file));
  absl::StatusOr<workflow::Policy> policy = workflow::ParsePolicy(*text);
  if (!policy.ok()) return Fail(policy.status().ToString());

  storage::StoreOptions options;
  options.sync = false;  // a bulk load: durability comes from the flush at the end
  auto store = storage::RocksEventStore::Open(dir, options);
  if (!store.ok()) return Fail(store.status().ToString());
  if ((*store)->LastPosition() != 0) {
    std::fprintf(stderr, "%s is not empty; the loader builds a store from nothing\n", dir.c_str());
    return 2;
  }

  ReportDatasetOptions dataset_options;
  dataset_options.cases = absl::GetFlag(FLAGS_cases);
  ReportDataset dataset(*policy, dataset_options);
  const int64_t per_commit = absl::GetFlag(FLAGS_cases_per_commit);
  const auto start = Clock::now();
  for (int64_t first = 0; first < dataset_options.cases; first += per_commit) {
    storage::CommitBatch batch;
    projection::ReportChanges reports;
    for (int64_t index = first; index < first + per_commit && index < dataset_options.cases;
         ++index) {
      if (absl::Status added = dataset.AddCase(index, batch, reports); !added.ok()) {
        return Fail(added.ToString());
      }
    }
    reports.AddTo(batch);
    if (auto committed = (*store)->Commit(std::move(batch)); !committed.ok()) {
      return Fail(committed.status().ToString());
    }
    if (first % 100000 == 0) {
      std::fprintf(stderr, "%lld cases, %lld events, %.0f s\n", static_cast<long long>(first),
                   static_cast<long long>(dataset.stats().events), Seconds(Clock::now() - start));
    }
  }
  for (const char* family : {storage::keys::kEvents, storage::keys::kLog, storage::keys::kCases,
                             storage::keys::kIndex, storage::keys::kTimers, storage::keys::kMeta,
                             storage::keys::kReports}) {
    rocksdb::Status flushed =
        (*store)->db()->Flush(rocksdb::FlushOptions(), (*store)->FamilyForTesting(family));
    if (!flushed.ok()) return Fail(flushed.ToString());
  }

  const ReportDatasetStats& stats = dataset.stats();
  std::printf("built %lld cases, %lld events (last position %llu) in %.1f s\n",
              static_cast<long long>(dataset_options.cases), static_cast<long long>(stats.events),
              static_cast<unsigned long long>((*store)->LastPosition()),
              Seconds(Clock::now() - start));
  for (const auto& [county, count] : stats.per_county) {
    std::printf("  county %s: %lld cases\n", county.c_str(), static_cast<long long>(count));
  }
  for (const auto& [status, count] : stats.per_status) {
    std::printf("  %-10s %8lld (%.2f%%)\n", status.c_str(), static_cast<long long>(count),
                100.0 * static_cast<double>(count) / static_cast<double>(dataset_options.cases));
  }
  std::printf("  open and overdue: %lld; stalled on purpose: %lld; reassigned: %lld; "
              "failed verifications: %lld; unfounded: %lld\n",
              static_cast<long long>(stats.overdue), static_cast<long long>(stats.stalled),
              static_cast<long long>(stats.reassigned),
              static_cast<long long>(stats.failed_verifications),
              static_cast<long long>(stats.unfounded));
  return 0;
}

}  // namespace
}  // namespace rectify::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Builds the supervision benchmarks' store.\n"
      "  report_bench_dataset [--cases=1000000] [--policy_file=config/policy_620722.txt] DIR");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: report_bench_dataset [--cases=N] [--policy_file=F] DIR\n");
    return 2;
  }
  return rectify::bench::Load(args[1]);
}
