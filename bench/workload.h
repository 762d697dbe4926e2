// The client side of the server benchmarks and the crash loop: N client
// threads driving CaseService over gRPC, bounded in commands and in time,
// recording latencies, message sizes and every acknowledged command.
//
// Each client thread has its own channel (and its own TCP connection: the
// channels are built with a local subchannel pool, so gRPC does not share
// one connection among them). That is what N tablets in the field look
// like to the server, and it keeps one HTTP/2 connection's write path from
// being the thing measured at 64 clients.
//
// With `retry_until_answered` (the crash loop), a call that fails because the
// server went away (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, UNKNOWN,
// INTERNAL from a torn connection) is sent again with the SAME command_id on
// a new channel to the address `address()` returns then, until answered; the
// server must then answer with the original outcome, never apply it twice.
#ifndef RECTIFY_BENCH_WORKLOAD_H_
#define RECTIFY_BENCH_WORKLOAD_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify::bench {

// One command the server acknowledged (answered OK).
struct Acknowledged {
  std::string case_id;
  std::string command_id;
  int step = 0;           // 0..kStepsPerCase-1 of the case cycle (case_mix.h)
  uint64_t position = 0;  // the reply's position in the global log
  int64_t version = 0;    // the case's version in the reply
};

// Thread-safe list of acknowledged commands, readable while clients run.
class AckLog {
 public:
  void Add(Acknowledged ack) ABSL_LOCKS_EXCLUDED(mutex_);
  std::vector<Acknowledged> Snapshot() const ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  mutable absl::Mutex mutex_;
  std::vector<Acknowledged> acks_ ABSL_GUARDED_BY(mutex_);
};

enum class WorkloadKind {
  kCaseCycle,  // the five mutating commands of case_mix.h, case after case
  kGetCase,    // GetCase of random cases of a bench/storage_dataset.h store
  // The first page (50) of ListCases filtered on status FOUND and one of
  // the 20 region codes of a bench/storage_dataset.h store, at random: one
  // case in 20 matches, so the server reads past 19 for each one it lists.
  kListCases,
};

struct WorkloadOptions {
  // host:port, asked again whenever a client makes a new channel.
  std::function<std::string()> address;
  WorkloadKind kind = WorkloadKind::kCaseCycle;
  int clients = 1;
  // Bounds: no more than `max_commands` calls are started (all clients
  // together), and none after `duration`.
  int64_t max_commands = 10000;
  absl::Duration duration = absl::Seconds(10);
  // Command ids are `<command_prefix>-<client>-<n>`: unique per run as long
  // as the prefix is.
  std::string command_prefix = "bench";
  // kGetCase: cases 1..get_case_count of the dataset's numbering.
  int64_t get_case_count = 1000000;
  // See the file comment. A command still unanswered after `give_up_after`
  // of retrying counts as an error.
  bool retry_until_answered = false;
  absl::Duration give_up_after = absl::Seconds(60);
  absl::Duration call_timeout = absl::Seconds(10);
  // Each client waits this long after each answered command, like a
  // person at a tablet; it bounds the rate (the crash loop uses it to bound
  // the store's size, and so the test's time, on a fast machine).
  absl::Duration pause_between_commands = absl::ZeroDuration();
  // Optional: every acknowledged command is added here as it is answered.
  AckLog* ack_log = nullptr;
  // Optional: when set to true, clients finish the command in hand and stop.
  const std::atomic<bool>* stop = nullptr;
};

struct WorkloadResult {
  int64_t ok = 0;       // calls answered OK
  int64_t errors = 0;   // calls that ended with an error (after retries)
  int64_t retries = 0;  // extra sends of a command after a failure
  std::map<std::string, int64_t> errors_by_code;  // e.g. "UNAVAILABLE: ..." → count
  absl::Duration elapsed;
  std::vector<int64_t> latencies_us;  // of the OK calls, sorted
  double mean_request_bytes = 0;
  double mean_response_bytes = 0;

  double PerSecond() const;
  // The q-quantile (0..1) of the OK calls' latency, in milliseconds.
  double QuantileMs(double q) const;
};

// Runs the workload to its bounds and returns what it measured.
WorkloadResult RunWorkload(const WorkloadOptions& options);

}  // namespace rectify::bench

#endif  // RECTIFY_BENCH_WORKLOAD_H_
