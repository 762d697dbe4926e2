// Verify and rebuild: the admin operations that re-derive everything the
// store keeps beside the events (DESIGN.md, "Events and the store"). They
// live here, where the store and the workflow meet, because re-deriving a
// case needs workflow::Evolve and storage/ must not depend on the workflow.
//
// Verify reads one snapshot of the whole store (RocksEventStore::View), so
// it can run while the server commits. For every stream it checks the hash
// chain link by link and the events' place in the global log; for every case
// it folds the events from an empty Case with Evolve and compares the stored
// projection, and re-derives the index and timer keys with ProjectKeys and
// compares them with the stored ones (missing and extra keys), and the
// report counters and month-end notice records (reports.h) from the events
// folded one by one. The log must
// be gap-free from position 1 and be a one-to-one map onto the events.
// Each problem is reported in words.
//
//   ASSIGN_OR_RETURN(VerifyReport report, VerifyStore(*store, VerifyOptions()));
//   if (!report.ok()) for (const auto& problem : report.problems) ...
//
// Rebuild rewrites the projections, index keys, timer keys and reports from
// the events. It cannot repair the events, their hashes or the log: those
// problems it reports as unrepairable. Run it with the server stopped.
//
// Why the concrete RocksEventStore and not the EventStore interface (the
// one departure docs/architecture.md lists for projection/): verify checks
// what the interface deliberately hides, the store's own bookkeeping read
// raw from one snapshot of every column family (the log entries, the index
// and timer keys as stored, the report cells: RocksEventStore::View), and
// rebuild writes derived data without events (RocksEventStore::ApplyRepair).
// Another store would need its own verifier.
#ifndef RECTIFY_PROJECTION_VERIFIER_H_
#define RECTIFY_PROJECTION_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/rocks_event_store.h"

namespace rectify::projection {

struct VerifyOptions {
  // Keep the words of at most this many problems (all are counted).
  // Default: 100.
  int max_problems = 100;
  // Called with the events checked so far and the events of the snapshot
  // (its last log position) as the walk goes on, at most every 1,024 events
  // and once at the end of the events. Default: none.
  std::function<void(int64_t done, int64_t total)> progress;
};

struct VerifyReport {
  // Streams and events checked.
  int64_t streams = 0;
  int64_t events = 0;
  // Rectification list streams whose events could not be folded (reported as
  // problems): their chains and log entries are checked, their projections
  // and index keys are left alone.
  int64_t list_streams_not_folded = 0;
  // How many problems were found; the first max_problems in words.
  int64_t problem_count = 0;
  std::vector<std::string> problems;

  bool ok() const { return problem_count == 0; }
};

// Verifies the whole store in one snapshot. A store fault while reading
// (not a mismatch, which goes into the report) is returned as an error.
absl::StatusOr<VerifyReport> VerifyStore(const storage::RocksEventStore& store,
                                         const VerifyOptions& options);

struct RebuildReport {
  int64_t streams = 0;
  int64_t events = 0;
  // What was rewritten.
  int64_t projections_written = 0;
  int64_t projections_deleted = 0;
  int64_t index_keys_added = 0;
  int64_t index_keys_removed = 0;
  int64_t timers_added = 0;
  int64_t timers_removed = 0;
  // Report counter cells and month-end notice records rewritten or removed.
  int64_t report_keys_written = 0;
  int64_t report_keys_removed = 0;
  // Problems rebuild cannot repair (changed events, broken hash links, log
  // damage, events Evolve refuses), in words; the first 100 of them.
  int64_t unrepairable_count = 0;
  std::vector<std::string> unrepairable;
};

// Rewrites projections, index keys and timer keys from the events. Cases
// whose events cannot be folded are left as they are.
absl::StatusOr<RebuildReport> RebuildStore(
    storage::RocksEventStore& store,
    const std::function<void(int64_t done, int64_t total)>& progress = nullptr);

}  // namespace rectify::projection

#endif  // RECTIFY_PROJECTION_VERIFIER_H_
