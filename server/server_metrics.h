// rectify_server's own figures for its metrics endpoint (docs/operations.md,
// "Metrics", lists each with what to watch): the command pipeline
// (histograms kept by its batch observer), and figures read at each scrape
// from the pipeline, the deadline scheduler, the event feed, the evidence
// upload budget, RocksDB and the process. The per-RPC figures come from
// rpc_interceptor.h.
//
//   ObservePipeline(*registry, pipeline);            // before pipeline.Start()
//   AddScrapedFigures(*scraped, {&pipeline, &scheduler, &feed, &case_service, store, ...});
#ifndef RECTIFY_SERVER_SERVER_METRICS_H_
#define RECTIFY_SERVER_SERVER_METRICS_H_

#include <cstdint>

#include "base/clock.h"
#include "prometheus/registry.h"
#include "server/case_service.h"
#include "server/deadline_scheduler.h"
#include "server/event_feed.h"
#include "server/metrics_endpoint.h"
#include "server/pipeline.h"
#include "storage/rocks_event_store.h"

namespace rectify::server {

// Registers the pipeline's histograms and counters in `registry` and sets
// the pipeline's batch observer to keep them: rectify_pipeline_batch_commands,
// rectify_pipeline_commit_seconds, rectify_pipeline_commits_total{result},
// rectify_pipeline_commands_total, rectify_events_committed_total{type}.
// Call before pipeline.Start(); `registry` must outlive the pipeline.
void ObservePipeline(prometheus::Registry& registry, CommandPipeline& pipeline);

// What AddScrapedFigures reads; all must outlive the collector's scrapes
// (the endpoint is stopped before they go).
struct ScrapeSources {
  CommandPipeline* pipeline = nullptr;
  size_t max_queued_commands = 0;
  DeadlineScheduler* scheduler = nullptr;
  EventFeed* feed = nullptr;
  const CaseServiceImpl* case_service = nullptr;
  int64_t upload_budget_bytes = 0;
  const storage::RocksEventStore* store = nullptr;
  uint64_t min_free_disk_bytes = 0;
  // When the server started, for rectify_server_start_time_seconds.
  absl::Time started;
};

// Adds the figures read at each scrape: queue depth, scheduler lag and
// timers, WatchEvents subscribers and lag, evidence bytes in flight,
// RocksDB's properties and statistics, free disk, the event log position,
// build info, and the process's CPU time, resident memory and open files.
void AddScrapedFigures(ScrapeCollector& collector, const ScrapeSources& sources);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_SERVER_METRICS_H_
