// The large-store benchmark: builds a store of 1M cases and 10M events once
// (`load`, sync off and 500 cases per commit, through the store's own
// Commit), then measures (`measure`) the open-to-ready time, the RSS after
// opening and after reads, and the GetCase latency percentiles over random
// cases. A plain binary rather than Google Benchmark because percentiles and
// the RSS are the figures wanted. The dataset lives outside the repository:
//
//   nice bazel-bin/bench/storage_bench_dataset load    ~/.cache/rectify/bench-data/store-1m
//   bazel-bin/bench/storage_bench_dataset measure ~/.cache/rectify/bench-data/store-1m
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench/storage_dataset.h"
#include "storage/rocks_event_store.h"

namespace rectify::bench {
namespace {

constexpr int64_t kCases = 1000000;
constexpr int64_t kEventsPerCase = 10;
constexpr int64_t kCasesPerCommit = 500;

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

int Load(const std::string& dir) {
  storage::StoreOptions options;
  options.sync = false;  // a bulk load: durability comes from the close's flush
  auto store = storage::RocksEventStore::Open(dir, options);
  if (!store.ok()) {
    fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 3;
  }
  if ((*store)->LastPosition() != 0) {
    fprintf(stderr, "%s is not empty; load builds a store from nothing\n", dir.c_str());
    return 2;
  }
  const auto start = Clock::now();
  for (int64_t first = 1; first <= kCases; first += kCasesPerCommit) {
    storage::CommitBatch batch;
    for (int64_t n = first; n < first + kCasesPerCommit && n <= kCases; ++n) {
      batch.appends.push_back(MakeCaseAppend(n, 1, kEventsPerCase));
    }
    auto result = (*store)->Commit(std::move(batch));
    if (!result.ok()) {
      fprintf(stderr, "%s\n", result.status().ToString().c_str());
      return 3;
    }
    if ((first - 1) % 100000 == 0) {
      fprintf(stderr, "loaded %lld cases, %.0f s\n", static_cast<long long>(first - 1),
              Seconds(Clock::now() - start));
    }
  }
  // Flushed so that `measure` opens without replaying a WAL.
  for (const char* family : {"events", "log", "cases", "index", "dedup", "meta"}) {
    (*store)->db()->Flush(rocksdb::FlushOptions(), (*store)->FamilyForTesting(family))
        .PermitUncheckedError();
  }
  printf("loaded %lld cases, %lld events in %.1f s\n", static_cast<long long>(kCases),
         static_cast<long long>((*store)->LastPosition()), Seconds(Clock::now() - start));
  return 0;
}

int Measure(const std::string& dir) {
  const long rss_before = RssKiB();
  const auto start = Clock::now();
  storage::StoreOptions options;
  options.create_if_missing = false;
  auto store = storage::RocksEventStore::Open(dir, options);
  const double open_seconds = Seconds(Clock::now() - start);
  if (!store.ok()) {
    fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 3;
  }
  const long rss_open = RssKiB();
  printf("open-to-ready: %.3f s (last position %llu)\n", open_seconds,
         static_cast<unsigned long long>((*store)->LastPosition()));
  printf("RSS: %ld MiB before open, %ld MiB after open\n", rss_before / 1024, rss_open / 1024);

  std::mt19937_64 random(42);
  std::uniform_int_distribution<int64_t> pick(1, kCases);
  constexpr int kReads = 200000;
  std::vector<double> micros;
  micros.reserve(kReads);
  for (int i = 0; i < kReads; ++i) {
    const std::string id = CaseId(pick(random));
    const auto read_start = Clock::now();
    auto state = (*store)->GetCase(id);
    micros.push_back(Seconds(Clock::now() - read_start) * 1e6);
    if (!state.ok()) {
      fprintf(stderr, "%s\n", state.status().ToString().c_str());
      return 3;
    }
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[static_cast<size_t>(q * (micros.size() - 1))]; };
  printf("GetCase over %d random cases of %lld: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, "
         "max %.1f us\n",
         kReads, static_cast<long long>(kCases), at(0.5), at(0.99), at(0.999), micros.back());
  printf("RSS after the reads: %ld MiB\n", RssKiB() / 1024);
  return 0;
}

}  // namespace
}  // namespace rectify::bench

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "load" && std::string(argv[1]) != "measure")) {
    fprintf(stderr, "usage: storage_bench_dataset load|measure DIR\n");
    return 2;
  }
  return std::string(argv[1]) == "load" ? rectify::bench::Load(argv[2])
                                        : rectify::bench::Measure(argv[2]);
}
