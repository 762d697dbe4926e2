// Logins per second through SessionManager::Login (the real path: the
// account's projection read, Argon2id verification, the session written
// with fsync) on a real store, at the chosen cost (libsodium INTERACTIVE:
// 2 passes, 64 MiB) beside MODERATE (3 passes, 256 MiB) as the baseline,
// with the server's bound of 2 hashes at once and 1, 2 and 8 client
// threads; then a flood of 64 threads against a queue of 8 to show the
// bound refusing work instead of queueing it without end. Peak RSS
// (VmHWM) is read after each part; it only grows, so the parts run from
// the cheapest to the dearest (INTERACTIVE, the flood, MODERATE).
//
//   bazel run -c opt //bench:login_bench
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "server/account_setup.h"
#include "server/passwords.h"
#include "server/pipeline.h"
#include "server/sessions.h"
#include "storage/rocks_event_store.h"
#include "workflow/policy.h"

namespace rectify::bench {
namespace {

constexpr char kPassword[] = "rectify-bench-password";

long PeakRssMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

struct Run {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int refused = 0;
};

Run Logins(server::SessionManager& sessions, int threads, int per_thread) {
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<int> refused{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const auto begin = std::chrono::steady_clock::now();
        absl::StatusOr<server::LoginResult> login = sessions.Login("bench", kPassword, "bench");
        const auto end = std::chrono::steady_clock::now();
        if (!login.ok()) {
          if (absl::IsResourceExhausted(login.status())) {
            ++refused;
            continue;
          }
          std::fprintf(stderr, "login failed: %s\n", login.status().ToString().c_str());
          std::exit(1);
        }
        latencies[t].push_back(std::chrono::duration<double, std::milli>(end - begin).count());
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (const auto& part : latencies) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  Run run;
  run.refused = refused;
  run.per_second = all.size() / seconds;
  if (!all.empty()) {
    run.p50_ms = all[all.size() / 2];
    run.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return run;
}

// A store with one account "bench", its pipeline and a SessionManager.
struct Bench {
  std::unique_ptr<storage::RocksEventStore> store;
  std::unique_ptr<server::CommandPipeline> pipeline;
  std::unique_ptr<server::SessionManager> sessions;

  bool Open(const std::string& dir, const workflow::Policy& policy,
            const server::PasswordHasher& hasher) {
    auto opened = storage::RocksEventStore::Open(dir, storage::StoreOptions());
    if (!opened.ok()) return false;
    store = *std::move(opened);
    pipeline = std::make_unique<server::CommandPipeline>(*store, policy, SystemClock());
    pipeline->Start();
    v1::DemoAccount spec;
    spec.set_account_name("bench");
    spec.set_display_name("bench");
    spec.set_role(v1::ROLE_INSPECTOR);
    spec.set_jurisdiction("620722");
    spec.set_password(kPassword);
    if (!server::SetUpAccount(*pipeline, *store, hasher, spec, server::SetUpMode::kCreateOnly)
             .ok()) {
      return false;
    }
    server::SessionOptions options;
    options.max_sessions_per_account = 1000000;
    sessions =
        std::make_unique<server::SessionManager>(*store, policy, SystemClock(), hasher, options);
    return true;
  }
  ~Bench() {
    sessions.reset();
    if (pipeline != nullptr) pipeline->Stop();
  }
};

int Main() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/rectify-login-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return 1;
  const std::string dir = pattern;
  const workflow::Policy policy;
  struct Cost {
    const char* name;
    server::PasswordHasherOptions options;
  };
  server::PasswordHasherOptions interactive;  // the defaults
  server::PasswordHasherOptions moderate;
  moderate.opslimit = 3;
  moderate.memlimit = size_t{256} << 20;
  std::printf("peak RSS before any hash: %ld MiB\n", PeakRssMiB());
  std::printf("%-12s %-8s %-10s %-10s %-10s %-8s %s\n", "cost", "threads", "logins/s", "p50 ms",
              "p99 ms", "refused", "peak RSS MiB");
  int index = 0;
  for (const Cost& cost : {Cost{"INTERACTIVE", interactive}}) {
    const server::PasswordHasher hasher(cost.options);
    Bench bench;
    if (!bench.Open(dir + "/store" + std::to_string(index++), policy, hasher)) return 1;
    server::SessionManager& sessions = *bench.sessions;
    const int per_config = cost.options.memlimit > (size_t{64} << 20) ? 8 : 24;
    for (int threads : {1, 2, 8}) {
      const Run run = Logins(sessions, threads, per_config / threads);
      std::printf("%-12s %-8d %-10.1f %-10.1f %-10.1f %-8d %ld\n", cost.name, threads,
                  run.per_second, run.p50_ms, run.p99_ms, run.refused, PeakRssMiB());
    }
  }
  // The flood: 64 threads, 2 hashing, at most 8 waiting: the rest refused.
  {
    server::PasswordHasherOptions bounded = interactive;
    bounded.max_waiting = 8;
    const server::PasswordHasher hasher(bounded);
    Bench bench;
    if (!bench.Open(dir + "/flood", policy, hasher)) return 1;
    const Run run = Logins(*bench.sessions, 64, 2);
    std::printf("%-12s %-8d %-10.1f %-10.1f %-10.1f %-8d %ld   (flood: 2 hashing, 8 waiting)\n",
                "INTERACTIVE", 64, run.per_second, run.p50_ms, run.p99_ms, run.refused,
                PeakRssMiB());
  }
  for (const Cost& cost : {Cost{"MODERATE", moderate}}) {
    const server::PasswordHasher hasher(cost.options);
    Bench bench;
    if (!bench.Open(dir + "/store" + std::to_string(index++), policy, hasher)) return 1;
    server::SessionManager& sessions = *bench.sessions;
    const int per_config = cost.options.memlimit > (size_t{64} << 20) ? 8 : 24;
    for (int threads : {1, 2, 8}) {
      const Run run = Logins(sessions, threads, per_config / threads);
      std::printf("%-12s %-8d %-10.1f %-10.1f %-10.1f %-8d %ld\n", cost.name, threads,
                  run.per_second, run.p50_ms, run.p99_ms, run.refused, PeakRssMiB());
    }
  }
  std::string remove = "rm -rf " + dir;
  return std::system(remove.c_str()) == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rectify::bench

int main() { return rectify::bench::Main(); }
