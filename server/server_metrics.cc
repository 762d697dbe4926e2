// rectify_server's figures; see server_metrics.h.
#include "server/server_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/common.h"
#include "grpcpp/grpcpp.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "rectify/v1/event.pb.h"
#include "rocksdb/version.h"

namespace rectify::server {
namespace {

using prometheus::MetricType;

// What the batch observer keeps; owned by its closure, used on the writer
// thread only.
struct PipelineSeries {
  prometheus::Histogram* batch_commands;
  prometheus::Histogram* commit_seconds;
  prometheus::Counter* commits_ok;
  prometheus::Counter* commits_failed;
  prometheus::Counter* commands;
  prometheus::Family<prometheus::Counter>* events;
  absl::flat_hash_map<int, prometheus::Counter*> events_by_payload;
};

double ProcessCpuSeconds() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double OpenFiles() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory stream itself
}

}  // namespace

void ObservePipeline(prometheus::Registry& registry, CommandPipeline& pipeline) {
  auto series = std::make_shared<PipelineSeries>();
  series->batch_commands =
      &prometheus::BuildHistogram()
           .Name("rectify_pipeline_batch_commands")
           .Help("Commands the writer took from the queue together, per batch.")
           .Register(registry)
           .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 5, 10, 20, 50, 100, 200, 500,
                                                            1000});
  series->commit_seconds =
      &prometheus::BuildHistogram()
           .Name("rectify_pipeline_commit_seconds")
           .Help("Time of one batch's commit (one RocksDB write with its WAL fsync), in seconds.")
           .Register(registry)
           .Add({}, prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001,
                                                            0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1, 0.25, 0.5, 1, 2.5});
  auto& commits = prometheus::BuildCounter()
                      .Name("rectify_pipeline_commits_total")
                      .Help("Batch commits, by result (ok or failed: the batch's commands were "
                            "refused).")
                      .Register(registry);
  series->commits_ok = &commits.Add({{"result", "ok"}});
  series->commits_failed = &commits.Add({{"result", "failed"}});
  series->commands = &prometheus::BuildCounter()
                          .Name("rectify_pipeline_commands_total")
                          .Help("Commands the writer processed (committed, refused or answered "
                                "from their idempotency record).")
                          .Register(registry)
                          .Add({});
  series->events = &prometheus::BuildCounter()
                        .Name("rectify_events_committed_total")
                        .Help("Events committed, by payload type (the field name in "
                              "rectify.v1.Event, e.g. deadline_missed, case_closed).")
                        .Register(registry);
  pipeline.SetBatchObserver([series](const CommandPipeline::BatchReport& report) {
    series->batch_commands->Observe(static_cast<double>(report.commands));
    series->commands->Increment(static_cast<double>(report.commands));
    if (report.committed) {
      series->commit_seconds->Observe(report.commit_seconds);
      (report.commit_ok ? series->commits_ok : series->commits_failed)->Increment();
    }
    for (const auto& [payload, count] : report.events_by_payload) {
      prometheus::Counter*& counter = series->events_by_payload[payload];
      if (counter == nullptr) {
        const google::protobuf::FieldDescriptor* field =
            v1::Event::descriptor()->FindFieldByNumber(payload);
        counter = &series->events->Add({{"type", field != nullptr ? field->name() : "unknown"}});
      }
      counter->Increment(static_cast<double>(count));
    }
  });
}

void AddScrapedFigures(ScrapeCollector& collector, const ScrapeSources& sources) {
  const ScrapeSources s = sources;
  collector.Add([](std::vector<prometheus::MetricFamily>& out) {
    out.push_back(MakeFamily(
        "rectify_build_info",
        "Versions rectify_server was built with; always 1.", MetricType::Gauge,
        {{{{"grpc_version", grpc::Version()},
           {"rocksdb_version", absl::StrCat(ROCKSDB_MAJOR, ".", ROCKSDB_MINOR, ".", ROCKSDB_PATCH)},
           {"protobuf_version",
            google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)}},
          1.0}}));
  });
  collector.AddGauge("rectify_server_start_time_seconds",
                     "When the server started, in seconds since the Unix epoch.",
                     [started = s.started] { return absl::ToDoubleSeconds(started - absl::UnixEpoch()); });
  collector.AddCounter("process_cpu_seconds_total", "User and system CPU time of the process.",
                       ProcessCpuSeconds);
  collector.AddGauge("process_resident_memory_bytes", "Resident memory of the process.",
                     ResidentBytes);
  collector.AddGauge("process_open_fds", "Open file descriptors of the process.", OpenFiles);
  if (s.pipeline != nullptr) {
    collector.AddGauge("rectify_pipeline_queued_commands",
                       "Commands waiting for the writer thread now.",
                       [pipeline = s.pipeline] { return static_cast<double>(pipeline->queued()); });
    collector.AddGauge("rectify_pipeline_queue_limit_commands",
                       "Commands that may wait before RESOURCE_EXHAUSTED (--max_queued_commands).",
                       [limit = s.max_queued_commands] { return static_cast<double>(limit); });
  }
  if (s.scheduler != nullptr) {
    collector.Add([scheduler = s.scheduler](std::vector<prometheus::MetricFamily>& out) {
      const DeadlineScheduler::Figures figures = scheduler->figures();
      out.push_back(MakeFamily("rectify_scheduler_lag_seconds",
                               "How long ago the earliest deadline timer still waiting fell due "
                               "(0 when none is due); -1 when the timers cannot be read.",
                               MetricType::Gauge,
                               {{{}, figures.lag_known ? absl::ToDoubleSeconds(figures.lag) : -1}}));
      out.push_back(MakeFamily(
          "rectify_scheduler_timers_total",
          "Deadline timers handled since start, by outcome: fired (the case marked overdue), "
          "deferred (not due yet by the case's own clock), refused (a stale timer).",
          MetricType::Counter,
          {{{{"outcome", "fired"}}, static_cast<double>(figures.fired_total)},
           {{{"outcome", "deferred"}}, static_cast<double>(figures.deferred_total)},
           {{{"outcome", "refused"}}, static_cast<double>(figures.refused_total)}}));
      out.push_back(MakeFamily("rectify_scheduler_failed_passes_total",
                               "Scheduler passes that could not read the timers.",
                               MetricType::Counter,
                               {{{}, static_cast<double>(figures.passes_failed_total)}}));
    });
  }
  if (s.feed != nullptr) {
    collector.Add([feed = s.feed](std::vector<prometheus::MetricFamily>& out) {
      const EventFeed::Figures figures = feed->figures();
      out.push_back(MakeFamily("rectify_watch_subscribers",
                               "Open WatchEvents streams, by state (live: caught up once).",
                               MetricType::Gauge,
                               {{{{"state", "live"}}, static_cast<double>(figures.live)},
                                {{{"state", "catching_up"}},
                                 static_cast<double>(figures.subscribers - figures.live)}}));
      out.push_back(MakeFamily("rectify_watch_max_lag_events",
                               "Log positions the furthest-behind WatchEvents subscriber has "
                               "not yet acknowledged.",
                               MetricType::Gauge, {{{}, static_cast<double>(figures.max_lag)}}));
      out.push_back(MakeFamily("rectify_watch_lag_events",
                               "Log positions not yet acknowledged, summed over the WatchEvents "
                               "subscribers.",
                               MetricType::Gauge, {{{}, static_cast<double>(figures.total_lag)}}));
    });
  }
  if (s.case_service != nullptr) {
    collector.AddGauge("rectify_evidence_upload_bytes_in_flight",
                       "Bytes evidence uploads in flight hold in memory (their declared sizes).",
                       [service = s.case_service] {
                         return static_cast<double>(service->upload_bytes_in_flight());
                       });
    collector.AddGauge("rectify_evidence_upload_limit_bytes",
                       "The most evidence uploads may hold at once (--max_upload_buffer_mb).",
                       [limit = s.upload_budget_bytes] { return static_cast<double>(limit); });
  }
  if (s.store != nullptr) {
    collector.Add([store = s.store,
                   reserve = s.min_free_disk_bytes](std::vector<prometheus::MetricFamily>& out) {
      const storage::StoreFigures f = store->Figures();
      const auto gauge = [&out](const char* name, const char* help, double value) {
        out.push_back(MakeFamily(name, help, MetricType::Gauge, {{{}, value}}));
      };
      const auto counter = [&out](const char* name, const char* help, double value) {
        out.push_back(MakeFamily(name, help, MetricType::Counter, {{{}, value}}));
      };
      gauge("rectify_event_log_last_position", "Global position of the last committed event.",
            static_cast<double>(store->LastPosition()));
      if (f.free_disk_known) {
        gauge("rectify_disk_free_bytes",
              "Bytes the server may still use on the data directory's filesystem.",
              static_cast<double>(f.free_disk_bytes));
      }
      gauge("rectify_disk_reserve_bytes",
            "Free space writes keep (--min_free_disk_mb): below it commands are refused.",
            static_cast<double>(reserve));
      gauge("rectify_rocksdb_pending_compaction_bytes",
            "Bytes compaction must still rewrite; writes slow down and then stop as it grows.",
            static_cast<double>(f.pending_compaction_bytes));
      gauge("rectify_rocksdb_write_stopped", "1 while RocksDB stops writes (a write stall).",
            f.write_stopped ? 1 : 0);
      gauge("rectify_rocksdb_delayed_write_rate_bytes_per_second",
            "The rate RocksDB delays writes to, in bytes per second; 0 when not delayed.",
            static_cast<double>(f.delayed_write_rate));
      gauge("rectify_rocksdb_sst_bytes", "Bytes of the live SST files.",
            static_cast<double>(f.sst_bytes));
      gauge("rectify_rocksdb_wal_bytes", "Bytes of the write-ahead log files alive.",
            static_cast<double>(f.wal_bytes));
      gauge("rectify_rocksdb_block_cache_usage_bytes", "Bytes in the block cache.",
            static_cast<double>(f.block_cache_usage_bytes));
      gauge("rectify_rocksdb_block_cache_capacity_bytes", "The block cache's size (--block_cache_mb).",
            static_cast<double>(f.block_cache_capacity_bytes));
      gauge("rectify_rocksdb_running_compactions", "Compactions running now.",
            static_cast<double>(f.running_compactions));
      gauge("rectify_rocksdb_running_flushes", "Memtable flushes running now.",
            static_cast<double>(f.running_flushes));
      if (f.statistics) {
        counter("rectify_rocksdb_block_cache_hits_total", "Block cache hits.",
                static_cast<double>(f.block_cache_hits));
        counter("rectify_rocksdb_block_cache_misses_total", "Block cache misses.",
                static_cast<double>(f.block_cache_misses));
        counter("rectify_rocksdb_stall_seconds_total",
                "Time writers were stalled by RocksDB (write stalls), in seconds.",
                static_cast<double>(f.stall_micros) / 1e6);
        counter("rectify_rocksdb_wal_syncs_total", "fsyncs of the write-ahead log.",
                static_cast<double>(f.wal_syncs));
        counter("rectify_rocksdb_wal_sync_seconds_total",
                "Time spent in fsyncs of the write-ahead log, in seconds.",
                f.wal_sync_micros_sum / 1e6);
        counter("rectify_rocksdb_wal_written_bytes_total", "Bytes written to the write-ahead log.",
                static_cast<double>(f.wal_bytes_written));
        counter("rectify_rocksdb_flush_written_bytes_total", "Bytes written by memtable flushes.",
                static_cast<double>(f.flush_bytes_written));
        counter("rectify_rocksdb_compaction_written_bytes_total", "Bytes written by compactions.",
                static_cast<double>(f.compaction_bytes_written));
      }
    });
  }
}

}  // namespace rectify::server
