// The crash loop of issue 5: the load generator's clients (bench/workload.h,
// the case cycle of bench/case_mix.h) drive the real rectify_server binary
// while the test SIGKILLs it at random moments and starts it again, 20
// times (CRASH_LOOP_ROUNDS in the environment for more). After each kill `rectify_admin verify` must be clean on the data
// directory (projections equal the log, hash chains intact, log gap-free);
// after each restart every command acknowledged so far must be there (its
// case at least at the acknowledged version). Clients resend a command the
// kill left unanswered with the same command_id, so at the end every case
// must be exactly at the version of its last acknowledged command, and the
// store must hold exactly one case per acknowledged report: nothing applied
// twice. Prints `N rounds, L lost, D duplicated`.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/case_mix.h"
#include "bench/workload.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::Runfile;
using ::rectify::testing::ServerProcess;
using ::rectify::testing::Subprocess;

// SIGKILLs per run: 20, or CRASH_LOOP_ROUNDS from the environment (the
// nightly target crash_loop_nightly_test and scripts/crash-loop run 100).
int Rounds() {
  static const int rounds = [] {
    int value = 0;
    const char* text = std::getenv("CRASH_LOOP_ROUNDS");
    if (text == nullptr || !absl::SimpleAtoi(text, &value) || value < 1) return 20;
    return value;
  }();
  return rounds;
}
constexpr int kClients = 4;

// `rectify_admin verify` on the stopped server's data directory: exit 0.
void ExpectVerifyClean(const ServerProcess& server, const std::string& work_dir, int round) {
  std::string out, err;
  absl::StatusOr<int> code =
      rectify::testing::Run({Runfile("tools/rectify_admin"), "verify",
                             "--data_dir=" + server.data_dir()},
                            work_dir, &out, &err, {}, absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << "round " << round << ": rectify_admin verify\n" << out << err;
}

class Reader {
 public:
  explicit Reader(const std::string& address)
      : stub_(v1::CaseService::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {}

  grpc::Status GetCase(const std::string& case_id, v1::Case* out) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", bench::kSupervisorToken));
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    v1::GetCaseResponse response;
    grpc::Status status = stub_->GetCase(&context, request, &response);
    *out = response.case_();
    return status;
  }

  // The "WatchEvents from 0 is gap-free" check of issue 5: positions 1, 2,
  // 3, ... up to `last` with none missing or repeated. WatchEvents is being
  // built in another branch; until it is merged the server answers
  // UNIMPLEMENTED and the check reports itself skipped (returns false).
  bool CheckWatchEventsGapFree(uint64_t last) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", bench::kSupervisorToken));
    v1::WatchEventsRequest request;
    request.set_after_position(0);
    std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader =
        stub_->WatchEvents(&context, request);
    v1::WatchEventsResponse item;
    uint64_t expected = 1;
    while (expected <= last && reader->Read(&item)) {
      if (!item.has_event()) continue;
      EXPECT_EQ(item.event().position(), expected) << "WatchEvents from 0: gap or duplicate";
      if (item.event().position() != expected) break;
      ++expected;
    }
    if (expected > last) {
      context.TryCancel();  // caught up: the stream would follow live forever
      reader->Finish().ok();
      return true;
    }
    const grpc::Status status = reader->Finish();
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) return false;
    ADD_FAILURE() << "WatchEvents from 0 ended at position " << expected - 1 << " of " << last
                  << ": " << status.error_code() << " " << status.error_message();
    return true;
  }

 private:
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

// The highest acknowledged version of each case.
std::map<std::string, int64_t> AckedVersions(const std::vector<bench::Acknowledged>& acks) {
  std::map<std::string, int64_t> versions;
  for (const bench::Acknowledged& ack : acks) {
    int64_t& version = versions[ack.case_id];
    version = std::max(version, ack.version);
  }
  return versions;
}

// Acknowledged commands whose case is missing or behind the acknowledged
// version after a restart. A case's versions only grow and each command
// adds at least one event, so one read per case covers all its commands.
int64_t CountLost(Reader& reader, const std::vector<bench::Acknowledged>& acks, int round) {
  std::map<std::string, std::vector<const bench::Acknowledged*>> by_case;
  for (const bench::Acknowledged& ack : acks) by_case[ack.case_id].push_back(&ack);
  int64_t lost = 0;
  for (const auto& [case_id, case_acks] : by_case) {
    v1::Case state;
    const grpc::Status status = reader.GetCase(case_id, &state);
    for (const bench::Acknowledged* ack : case_acks) {
      if (status.ok() && state.version() >= ack->version) continue;
      ++lost;
      ADD_FAILURE() << "round " << round << ": command " << ack->command_id << " on "
                    << case_id << " acknowledged at version " << ack->version
                    << " is lost: " << status.error_code() << " " << status.error_message()
                    << ", version " << state.version();
    }
  }
  return lost;
}

TEST(CrashLoopTest, EveryAcknowledgedCommandSurvivesSigkillExactlyOnce) {
  rectify::testing::TempDir dir;
  ServerProcess server(dir);
  server.Start();

  bench::AckLog acks;
  std::atomic<bool> stop{false};
  bench::WorkloadOptions options;
  options.address = [&server] { return server.address(); };
  options.clients = kClients;
  options.max_commands = 1000000;          // bounded by time and `stop` instead
  // A backstop; the rounds end it sooner.
  options.duration = absl::Seconds(60) + Rounds() * absl::Seconds(12);
  options.command_prefix = "crash";
  options.retry_until_answered = true;
  options.give_up_after = absl::Seconds(60);
  options.call_timeout = absl::Seconds(5);
  // At most ~300 commands/s, so that the store (and the verify and reads of
  // every round) stays small enough for the test to end in about a minute.
  options.pause_between_commands = absl::Milliseconds(10);
  options.ack_log = &acks;
  options.stop = &stop;
  bench::WorkloadResult result;
  std::thread load([&] { result = bench::RunWorkload(options); });

  absl::BitGen random;
  int rounds = 0;
  int64_t lost = 0;
  size_t acked_before = 0;
  for (int round = 1; round <= Rounds() && !::testing::Test::HasFatalFailure(); ++round) {
    // A random moment: some rounds kill mid-batch, some right after a restart.
    absl::SleepFor(absl::Milliseconds(absl::Uniform(random, 50, 600)));
    server.Kill();
    ExpectVerifyClean(server, dir.path(), round);
    server.Start();
    ++rounds;
    const std::vector<bench::Acknowledged> snapshot = acks.Snapshot();
    Reader reader(server.address());
    lost += CountLost(reader, snapshot, round);
    if (round % 5 == 0) {
      // The clients must be getting through between kills.
      EXPECT_GT(snapshot.size(), acked_before) << "no command acknowledged in 5 rounds";
      acked_before = snapshot.size();
    }
  }
  stop = true;
  load.join();

  // Every command that was sent has now been answered (or counted as an
  // error), so the store must match the acknowledgements exactly.
  const std::vector<bench::Acknowledged> all = acks.Snapshot();
  Reader reader(server.address());
  int64_t duplicated = 0;
  for (const auto& [case_id, version] : AckedVersions(all)) {
    v1::Case state;
    const grpc::Status status = reader.GetCase(case_id, &state);
    ASSERT_TRUE(status.ok()) << case_id << ": " << status.error_message();
    if (state.version() > version) {
      ++duplicated;
      ADD_FAILURE() << case_id << " is at version " << state.version()
                    << " but its last acknowledged command left it at " << version;
    }
  }
  // One case per acknowledged report: case ids are `<region>-<year>-<n>`
  // numbered from 1, so the store holds no other case of the prefix than
  // the reported ones if 1..count all exist and count+1 does not.
  std::map<std::string, std::set<int64_t>> reported;  // prefix → numbers
  std::set<std::string> report_commands;
  int width = 6;
  for (const bench::Acknowledged& ack : all) {
    if (ack.step != 0) continue;
    EXPECT_TRUE(report_commands.insert(ack.command_id).second) << ack.command_id;
    const size_t dash = ack.case_id.rfind('-');
    int64_t number = 0;
    ASSERT_TRUE(absl::SimpleAtoi(ack.case_id.substr(dash + 1), &number)) << ack.case_id;
    width = static_cast<int>(ack.case_id.size() - dash - 1);
    EXPECT_TRUE(reported[ack.case_id.substr(0, dash)].insert(number).second)
        << "two report commands answered with " << ack.case_id;
  }
  for (const auto& [prefix, numbers] : reported) {
    const int64_t count = static_cast<int64_t>(numbers.size());
    EXPECT_EQ(*numbers.rbegin(), count) << prefix << ": case numbers skip";
    v1::Case extra;
    const std::string next = absl::StrFormat("%s-%0*d", prefix, width, count + 1);
    const grpc::Status status = reader.GetCase(next, &extra);
    if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
      ++duplicated;
      ADD_FAILURE() << next << " exists but no acknowledged report made it: "
                    << status.error_code();
    }
  }

  uint64_t last_position = 0;
  for (const bench::Acknowledged& ack : all) last_position = std::max(last_position, ack.position);
  // WatchEvents from 0 must deliver every position once, in order (it is
  // reported as skipped only against a server without WatchEvents).
  const bool watched = reader.CheckWatchEventsGapFree(last_position);

  ASSERT_EQ(server.Stop(), 0);
  ExpectVerifyClean(server, dir.path(), rounds + 1);

  std::printf("%d rounds, %lld lost, %lld duplicated\n", rounds, static_cast<long long>(lost),
              static_cast<long long>(duplicated));
  std::printf("%zu commands acknowledged on %zu cases, %lld sends retried after a failure, last position "
              "%llu; WatchEvents from 0 gap-free: %s\n",
              all.size(), AckedVersions(all).size(), static_cast<long long>(result.retries),
              static_cast<unsigned long long>(last_position),
              watched ? "checked" : "skipped (WatchEvents not implemented yet)");
  for (const auto& [code, count] : result.errors_by_code) {
    ADD_FAILURE() << count << " calls failed with " << code;
  }
  EXPECT_EQ(rounds, Rounds());
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(result.errors, 0);
  EXPECT_GT(all.size(), static_cast<size_t>(Rounds()));
}

}  // namespace
}  // namespace rectify
