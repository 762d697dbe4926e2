// Commit throughput of the event store with sync on, beside its baseline:
// raw RocksDB WriteBatch writes of the same keys and values (events with a
// 32-byte hash, log entries, projections, index keys, idempotency records)
// into the same column families with the same sync, in the same run. The
// store's extra work is what the ratio measures: reading each stream's head,
// checking versions, SHA-256 links. Goal: the store at >= 0.8 of raw.
//
//   bazel run -c opt //bench:storage_bench -- --benchmark_min_time=2
//       --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//   (one command line)
//
// The stores live in a fresh directory under $BENCH_DIR (default $TMPDIR,
// else /tmp), removed at the end.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/storage_dataset.h"
#include "benchmark/benchmark.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"

namespace rectify::bench {
namespace {

std::string FreshDir(const std::string& name) {
  const char* root = getenv("BENCH_DIR");
  if (root == nullptr) root = getenv("TMPDIR");
  const std::string dir = absl::StrCat(root != nullptr ? root : "/tmp",
                                       "/commit-", getpid(), "-", name);
  std::filesystem::remove_all(dir);
  return dir;
}

// `count` new cases of one event each, as the pipeline would commit them.
storage::CommitBatch MakeBatch(int64_t& next_case, int count) {
  storage::CommitBatch batch;
  for (int i = 0; i < count; ++i) {
    const int64_t n = next_case++;
    batch.appends.push_back(MakeCaseAppend(n, 1, 1));
    batch.idempotency_records.push_back(storage::IdempotencyRecord{
        "insp-zhang-0042", batch.appends.back().events[0].command_id(),
        absl::FromUnixSeconds(1772409600), std::string(48, 'o')});
  }
  return batch;
}

void BM_StoreCommit(benchmark::State& state) {
  const int appends = static_cast<int>(state.range(0));
  const std::string dir = FreshDir(absl::StrCat("store-", appends));
  storage::StoreOptions options;
  options.sync = true;
  auto store = storage::RocksEventStore::Open(dir, options);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  int64_t next_case = 1;
  for (auto _ : state) {
    state.PauseTiming();
    storage::CommitBatch batch = MakeBatch(next_case, appends);
    state.ResumeTiming();
    auto result = (*store)->Commit(std::move(batch));
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      break;
    }
  }
  state.counters["commits_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["appends_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * appends, benchmark::Counter::kIsRate);
  store->reset();
  std::filesystem::remove_all(dir);
}

// A plain RocksDB with the store's column families, LZ4 and memtable size.
struct RawDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ~RawDb() {
    if (db == nullptr) return;
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
};

void BM_RawWriteBatch(benchmark::State& state) {
  const int appends = static_cast<int>(state.range(0));
  const std::string dir = FreshDir(absl::StrCat("raw-", appends));
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  rocksdb::ColumnFamilyOptions family;
  family.write_buffer_size = size_t{64} << 20;
  family.compression = rocksdb::kLZ4Compression;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(), storage::keys::kEvents,
                           storage::keys::kLog, storage::keys::kCases, storage::keys::kIndex,
                           storage::keys::kDedup}) {
    descriptors.emplace_back(name, family);
  }
  RawDb raw;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status opened =
      rocksdb::DB::Open(db_options, dir, descriptors, &raw.handles, &db);
  if (!opened.ok()) {
    state.SkipWithError(opened.ToString().c_str());
    return;
  }
  raw.db.reset(db);
  rocksdb::ColumnFamilyHandle* events = raw.handles[1];
  rocksdb::ColumnFamilyHandle* log = raw.handles[2];
  rocksdb::ColumnFamilyHandle* cases = raw.handles[3];
  rocksdb::ColumnFamilyHandle* index = raw.handles[4];
  rocksdb::ColumnFamilyHandle* dedup = raw.handles[5];
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  int64_t next_case = 1;
  uint64_t position = 0;
  const std::string hash(32, 'h');
  for (auto _ : state) {
    state.PauseTiming();
    storage::CommitBatch batch = MakeBatch(next_case, appends);
    state.ResumeTiming();
    // The same bytes Commit writes, without its checks and hashing.
    rocksdb::WriteBatch write;
    for (storage::StreamAppend& append : batch.appends) {
      for (v1::Event& event : append.events) {
        event.set_position(++position);
        event.set_hash(hash);
        const std::string key = storage::keys::EventKey(event.stream_id(), event.version());
        write.Put(events, key, event.SerializeAsString());
        write.Put(log, storage::keys::LogKey(position), key);
      }
      write.Put(cases, append.stream_id, append.projection);
      for (const std::string& key : append.index_puts) write.Put(index, key, "");
    }
    for (const storage::IdempotencyRecord& record : batch.idempotency_records) {
      std::string value;
      storage::keys::AppendBigEndian64(value, storage::keys::EncodeTime(record.recorded_at));
      value.append(record.outcome);
      write.Put(dedup, storage::keys::DedupKey(record.principal_id, record.command_id), value);
    }
    const rocksdb::Status status = raw.db->Write(write_options, &write);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
  }
  state.counters["commits_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["appends_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * appends, benchmark::Counter::kIsRate);
  for (auto* handle : raw.handles) {
    raw.db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  raw.handles.clear();
  raw.db.reset();
  std::filesystem::remove_all(dir);
}

// Raw first, then the store, for each batch size: neighbours in time share
// the disk's mood.
BENCHMARK(BM_RawWriteBatch)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StoreCommit)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RawWriteBatch)->Arg(64)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StoreCommit)->Arg(64)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace rectify::bench

BENCHMARK_MAIN();
