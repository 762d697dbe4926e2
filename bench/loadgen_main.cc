// loadgen: drives a CaseService server over gRPC with N concurrent clients
// and reports calls/s and latency percentiles (see bench/workload.h for the
// clients and bench/case_mix.h for the command mix).
//
//   loadgen --server=127.0.0.1:50051 --clients=8 --max_commands=20000 --duration=10s
//   loadgen --server=... --workload=get --get_cases=1000000 --clients=1
//   loadgen --server=... --workload=list --clients=1
//
// Prints one result line, `key=value` separated by spaces, that
// bench/run_server_bench.sh turns into a table. With --ack_file, every
// acknowledged command is written there as `case_id command_id step
// position version`, one per line. Exit 1 when any call failed.
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/workload.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "host:port of the CaseService server");
ABSL_FLAG(std::string, label, "server", "name of the target in the result line");
ABSL_FLAG(std::string, workload, "cycle",
          "cycle: report, assign, start, progress ×2 on new cases (mutating, synced); "
          "get: GetCase of random cases 1..--get_cases of a bench/storage_dataset.h store; "
          "list: first ListCases page of 50, status FOUND in one of that store's 20 regions");
ABSL_FLAG(int, clients, 1, "concurrent clients, one thread and one connection each");
ABSL_FLAG(int64_t, max_commands, 10000, "at most this many calls in all");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "no call starts after this long");
ABSL_FLAG(std::string, command_prefix, "",
          "prefix of the command ids; must differ between runs on one store "
          "(default: lg-<microseconds since the epoch>)");
ABSL_FLAG(int64_t, get_cases, 1000000, "--workload=get: number of cases in the store");
ABSL_FLAG(std::string, ack_file, "", "when set, every acknowledged command is written here");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load generator for rectify_server and its baselines.\n"
      "  loadgen --server=127.0.0.1:50051 --clients=8 --max_commands=20000 --duration=10s");
  absl::ParseCommandLine(argc, argv);
  using rectify::bench::WorkloadKind;
  rectify::bench::WorkloadOptions options;
  const std::string server = absl::GetFlag(FLAGS_server);
  options.address = [server] { return server; };
  const std::string workload = absl::GetFlag(FLAGS_workload);
  if (workload == "cycle") {
    options.kind = WorkloadKind::kCaseCycle;
  } else if (workload == "get") {
    options.kind = WorkloadKind::kGetCase;
  } else if (workload == "list") {
    options.kind = WorkloadKind::kListCases;
  } else {
    std::fprintf(stderr, "loadgen: --workload must be cycle, get or list, got %s\n", workload.c_str());
    return 2;
  }
  options.clients = absl::GetFlag(FLAGS_clients);
  options.max_commands = absl::GetFlag(FLAGS_max_commands);
  options.duration = absl::GetFlag(FLAGS_duration);
  if (options.clients < 1 || options.max_commands < 1 || options.duration <= absl::ZeroDuration()) {
    std::fprintf(stderr, "loadgen: --clients, --max_commands and --duration must be positive\n");
    return 2;
  }
  options.command_prefix = absl::GetFlag(FLAGS_command_prefix);
  if (options.command_prefix.empty()) {
    // Unique per run, so a second run on the same store is not deduplicated.
    options.command_prefix = absl::StrCat("lg-", absl::ToUnixMicros(absl::Now()));
  }
  options.get_case_count = absl::GetFlag(FLAGS_get_cases);
  rectify::bench::AckLog acks;
  const std::string ack_file = absl::GetFlag(FLAGS_ack_file);
  if (!ack_file.empty()) options.ack_log = &acks;

  const rectify::bench::WorkloadResult result = rectify::bench::RunWorkload(options);

  std::printf(
      "target=%s workload=%s clients=%d ok=%lld errors=%lld seconds=%.2f per_second=%.1f "
      "p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f request_bytes=%.0f response_bytes=%.0f\n",
      absl::GetFlag(FLAGS_label).c_str(), workload.c_str(), options.clients,
      static_cast<long long>(result.ok), static_cast<long long>(result.errors),
      absl::ToDoubleSeconds(result.elapsed), result.PerSecond(), result.QuantileMs(0.50),
      result.QuantileMs(0.99), result.QuantileMs(0.999), result.mean_request_bytes,
      result.mean_response_bytes);
  for (const auto& [code, count] : result.errors_by_code) {
    std::fprintf(stderr, "loadgen: %lld calls failed with code %s\n",
                 static_cast<long long>(count), code.c_str());
  }
  if (!ack_file.empty()) {
    std::ofstream out(ack_file);
    for (const rectify::bench::Acknowledged& ack : acks.Snapshot()) {
      out << absl::StrFormat("%s %s %d %d %d\n", ack.case_id, ack.command_id, ack.step,
                             ack.position, ack.version);
    }
    if (!out) {
      std::fprintf(stderr, "loadgen: cannot write %s\n", ack_file.c_str());
      return 1;
    }
  }
  return result.errors == 0 ? 0 : 1;
}
