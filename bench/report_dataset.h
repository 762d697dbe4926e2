// The synthetic case load of the supervision benchmarks (docs/benchmarks.md,
// "Supervision"): two counties' cases over January 2025 to November 2026,
// each driven through its life cycle by workflow::Decide with the commands
// people (and the deadline scheduler) would send, folded with
// workflow::Evolve, and written the way server/pipeline.cc writes them: the
// projection, the index and timer keys of projection::ProjectKeys /
// AddKeyChanges, and the report counters and month-end notice records of
// projection::ReportChangesForEvent. So a store built from it answers
// MonthlyReport, the notices and rectification lists as a real one would.
//
// Cases come in the order of their report time; AddCase must be called with
// index 0, 1, 2, ... (case ids are numbered per county and year as the
// pipeline allocates them).
//
//   ReportDataset dataset(policy, ReportDatasetOptions());
//   storage::CommitBatch batch;
//   projection::ReportChanges reports;
//   for (int64_t i = 0; i < 500; ++i) RETURN_IF_ERROR(dataset.AddCase(i, batch, reports));
//   reports.AddTo(batch);
//   store.Commit(std::move(batch));
#ifndef RECTIFY_BENCH_REPORT_DATASET_H_
#define RECTIFY_BENCH_REPORT_DATASET_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "projection/reports.h"
#include "storage/event_store.h"
#include "workflow/policy.h"

namespace rectify::bench {

// The county most cases are in (Minle, 20 townships 620722100..119), the
// one the benchmarks report on; the rest are in Ganzhou District (620702).
inline constexpr char kReportCounty[] = "620722";
inline constexpr char kOtherCounty[] = "620702";

// When the dataset's story ends: 2026-11-29 02:00 China time (2026-11-28
// 18:00 UTC). Nobody acts after it; the deadline scheduler has fired every
// deadline due by then. The direct benchmark reads the reports at this
// instant; a server started later fires only deadlines due after it.
absl::Time ReportDatasetNow();

struct ReportDatasetOptions {
  // How many cases. Default: 1,000,000.
  int64_t cases = 1000000;
  // The first and last report instants: cases are reported between them,
  // more in the summer months. Default: 2025-01-02 09:00 China time, and
  // 2026-11-28 18:00 China time (ReportDatasetNow() less 8 hours).
  absl::Time first_report = absl::FromUnixSeconds(1735779600);
  absl::Time last_report = absl::FromUnixSeconds(1795860000);
  // The instant the story ends. Default: ReportDatasetNow().
  absl::Time now = absl::FromUnixSeconds(1795888800);
  // Seeds the per-case random choices. Default: 20261128.
  uint64_t seed = 20261128;
};

// What was built, for the loader's summary.
struct ReportDatasetStats {
  int64_t cases = 0;
  int64_t events = 0;
  // Cases per county.
  std::map<std::string, int64_t> per_county;
  // Cases per status name (FOUND, ASSIGNED, ...) at the end.
  std::map<std::string, int64_t> per_status;
  // Open cases with the overdue flag at the end.
  int64_t overdue = 0;
  // Cases that stopped moving on purpose (never started, or no progress).
  int64_t stalled = 0;
  // Cases reassigned, verifications failed, cases closed as unfounded.
  int64_t reassigned = 0;
  int64_t failed_verifications = 0;
  int64_t unfounded = 0;
};

class ReportDataset {
 public:
  ReportDataset(const workflow::Policy& policy, const ReportDatasetOptions& options);

  // Builds case `index` through its life cycle up to options.now: appends its
  // stream (events, projection, index and timer keys) to `batch` and its
  // report writes to `reports`. INTERNAL when the workflow refuses a step
  // (a bug in the generator), with the case, the step and the refusal.
  absl::Status AddCase(int64_t index, storage::CommitBatch& batch,
                       projection::ReportChanges& reports);

  const ReportDatasetStats& stats() const { return stats_; }

 private:
  absl::Time ReportTimeOf(int64_t index) const;

  const workflow::Policy& policy_;
  const ReportDatasetOptions options_;
  // Cumulative share of the cases reported by the start of each month.
  std::map<absl::Time, double> month_shares_;
  // Last case number per "county-year" prefix.
  std::map<std::string, int64_t> sequences_;
  int64_t next_index_ = 0;
  ReportDatasetStats stats_;
};

}  // namespace rectify::bench

#endif  // RECTIFY_BENCH_REPORT_DATASET_H_
