// watch_bench: a live WatchEvents subscriber's latency while many others
// replay the history (docs/benchmarks.md, "WatchEvents: live latency under
// catch-up"; bench/run_watch_bench.sh runs it against two servers).
//
//   watch_bench --server=127.0.0.1:50051 --seed_events=5000 --watchers=1000
//
// 1. Reports cases until the log holds --seed_events events (skipped when it
//    already does).
// 2. Opens one live subscriber at the end of the log, then --watchers
//    subscribers from position 0, each reading to the end of the seed.
// 3. While they catch up, reports one more case every --probe_interval and
//    times how long until the live subscriber receives its CaseReported
//    (from the start of the ReportCase call, so the commit is included).
// 4. Prints one line: the live latency's p50/p99/max, the number of probes,
//    and how long the catch-up of all subscribers took.
// All traffic goes to the --server address (loopback in the script), and the
// run is bounded by --max_seconds.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/case_service.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "host:port of rectify_server");
ABSL_FLAG(std::string, label, "server", "name of the target in the result line");
ABSL_FLAG(int, seed_events, 5000, "events the log must hold before the watchers start");
ABSL_FLAG(int, watchers, 1000, "subscribers replaying the log from position 0");
ABSL_FLAG(absl::Duration, probe_interval, absl::Milliseconds(100),
          "one live event is committed this often during the catch-up");
ABSL_FLAG(absl::Duration, max_seconds, absl::Seconds(300), "the run ends after this long");
ABSL_FLAG(std::string, token, "demo-supervisor", "bearer token of every subscriber");

namespace rectify::bench {
namespace {

using Stub = v1::CaseService::Stub;

v1::ReportCaseRequest MakeReport(const std::string& command_id) {
  v1::ReportCaseRequest request;
  request.set_command_id(command_id);
  request.set_title("砂石料场扬尘未覆盖");
  request.set_category(v1::CATEGORY_AIR);
  request.set_severity(v1::SEVERITY_HIGH);
  request.set_source(v1::CASE_SOURCE_INSPECTION);
  request.mutable_location()->set_region_code("620722100");
  request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3600);
  return request;
}

absl::StatusOr<v1::ReportCaseResponse> Report(Stub& stub, const std::string& command_id) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer demo-inspector");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::ReportCaseResponse response;
  const grpc::Status status = stub.ReportCase(&context, MakeReport(command_id), &response);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  return response;
}

// One subscriber on the callback API (so that a thousand need no thread
// each): reads until an event at or past `until` (0: until cancelled).
class Subscriber : public grpc::ClientReadReactor<v1::WatchEventsResponse> {
 public:
  using OnEvent = std::function<void(const v1::Event&)>;

  Subscriber(Stub& stub, uint64_t after, uint64_t until, OnEvent on_event)
      : until_(until), on_event_(std::move(on_event)) {
    context_.AddMetadata("authorization", "Bearer " + absl::GetFlag(FLAGS_token));
    request_.set_after_position(after);
    stub.async()->WatchEvents(&context_, &request_, this);
    StartRead(&message_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (message_.has_event()) {
      if (on_event_) on_event_(message_.event());
      if (until_ != 0 && message_.event().position() >= until_) {
        absl::MutexLock lock(&mutex_);
        reached_ = true;
        context_.TryCancel();
        return;
      }
    }
    StartRead(&message_);
  }

  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mutex_);
    done_ = true;
    status_ = status;
  }

  void Cancel() { context_.TryCancel(); }
  bool reached() {
    absl::MutexLock lock(&mutex_);
    return reached_;
  }
  // Waits (up to `timeout`) for OnDone; the reactor must outlive it.
  bool AwaitDone(absl::Duration timeout) {
    absl::MutexLock lock(&mutex_);
    return mutex_.AwaitWithTimeout(absl::Condition(&done_), timeout);
  }
  grpc::Status status() {
    absl::MutexLock lock(&mutex_);
    return status_;
  }

 private:
  const uint64_t until_;
  const OnEvent on_event_;
  grpc::ClientContext context_;
  v1::WatchEventsRequest request_;
  v1::WatchEventsResponse message_;
  absl::Mutex mutex_;
  bool reached_ ABSL_GUARDED_BY(mutex_) = false;
  bool done_ ABSL_GUARDED_BY(mutex_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mutex_);
};

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(fraction * values.size()))];
}

int Run() {
  const std::string address = absl::GetFlag(FLAGS_server);
  const absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_max_seconds);
  const std::string run_id = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  // The writer has a connection of its own, as a separate client would.
  grpc::ChannelArguments writer_arguments;
  writer_arguments.SetInt("grpc.channel_id", 1);  // not shared with the subscribers
  std::unique_ptr<Stub> writer = v1::CaseService::NewStub(grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), writer_arguments));
  std::unique_ptr<Stub> reader =
      v1::CaseService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));

  // Seed (or, on a store that has more already, one report to learn the end).
  uint64_t seed_end = 0;
  for (int i = 0; seed_end < static_cast<uint64_t>(absl::GetFlag(FLAGS_seed_events)) || i == 0;
       ++i) {
    absl::StatusOr<v1::ReportCaseResponse> reply =
        Report(*writer, absl::StrCat("seed-", run_id, "-", i));
    if (!reply.ok()) {
      std::fprintf(stderr, "watch_bench: seeding: %s\n", reply.status().ToString().c_str());
      return 1;
    }
    seed_end = reply->position();
    if (absl::Now() > deadline) return 1;
  }

  // Live: every CaseReported of a probe case is timed.
  absl::Mutex mutex;
  absl::flat_hash_map<std::string, absl::Time> sent;
  std::vector<double> latencies_ms;
  Subscriber live(*reader, seed_end, 0, [&](const v1::Event& event) {
    const absl::Time now = absl::Now();
    absl::MutexLock lock(&mutex);
    auto found = sent.find(event.command_id());
    if (found != sent.end() && event.has_case_reported()) {
      latencies_ms.push_back(absl::ToDoubleMilliseconds(now - found->second));
      sent.erase(found);
    }
  });
  const absl::Time catch_up_start = absl::Now();
  std::vector<std::unique_ptr<Subscriber>> behind;
  for (int i = 0; i < absl::GetFlag(FLAGS_watchers); ++i) {
    behind.push_back(std::make_unique<Subscriber>(*reader, 0, seed_end, nullptr));
  }
  // Probes on their own thread: a report every interval, until every
  // catch-up subscriber is through or the time is up.
  std::atomic<bool> stop_probing{false};
  std::atomic<int> probes{0};
  std::thread prober([&] {
    for (int i = 0; !stop_probing.load(); ++i) {
      // Keyed by command id, entered before the call: the event may reach
      // the live subscriber before the reply reaches this thread.
      const std::string command_id = absl::StrCat("probe-", run_id, "-", i);
      {
        absl::MutexLock lock(&mutex);
        sent.emplace(command_id, absl::Now());
      }
      absl::StatusOr<v1::ReportCaseResponse> reply = Report(*writer, command_id);
      if (reply.ok()) {
        probes.fetch_add(1);
      } else {
        absl::MutexLock lock(&mutex);
        sent.erase(command_id);
      }
      absl::SleepFor(absl::GetFlag(FLAGS_probe_interval));
    }
  });
  size_t through = 0;
  while (absl::Now() < deadline) {
    through = 0;
    for (auto& subscriber : behind) through += subscriber->reached() ? 1 : 0;
    if (through == behind.size()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  const absl::Duration catch_up = absl::Now() - catch_up_start;
  stop_probing.store(true);
  prober.join();
  absl::SleepFor(absl::Seconds(1));  // the last probe's event
  for (auto& subscriber : behind) subscriber->Cancel();
  live.Cancel();
  for (auto& subscriber : behind) subscriber->AwaitDone(absl::Seconds(30));
  live.AwaitDone(absl::Seconds(30));

  absl::MutexLock lock(&mutex);
  // A probe whose event the live subscriber never saw counts as the whole
  // run's length: it was starved past the end.
  const size_t unseen = sent.size();
  for (size_t i = 0; i < unseen; ++i) {
    latencies_ms.push_back(absl::ToDoubleMilliseconds(catch_up));
  }
  std::printf(
      "label=%s watchers=%zu seed_events=%llu probes=%d live_p50_ms=%.1f live_p99_ms=%.1f "
      "live_max_ms=%.1f unseen=%zu catch_up_s=%.1f caught_up=%zu\n",
      absl::GetFlag(FLAGS_label).c_str(), behind.size(),
      static_cast<unsigned long long>(seed_end), probes.load(), Percentile(latencies_ms, 0.5),
      Percentile(latencies_ms, 0.99), Percentile(latencies_ms, 1.0), unseen,
      absl::ToDoubleSeconds(catch_up), through);
  return 0;
}

}  // namespace
}  // namespace rectify::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A live WatchEvents subscriber's latency while many others replay the log.\n"
      "  watch_bench --server=127.0.0.1:50051 --seed_events=5000 --watchers=1000");
  absl::ParseCommandLine(argc, argv);
  return rectify::bench::Run();
}
