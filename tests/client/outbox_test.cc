// The offline outbox on a real RocksDB in a temporary directory, with a
// sender standing in for the server: order, local references, set-aside
// refusals, stopping when the server goes away, survival across reopening.
// (tests/e2e/outbox_test.cc drives it with the real server and SIGKILLs.)
#include "client/outbox.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::client {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Command Report(const std::string& command_id) {
  v1::Command command;
  command.mutable_report_case()->set_command_id(command_id);
  command.mutable_report_case()->set_title("扬尘");
  return command;
}

v1::Command Assign(const std::string& command_id, const std::string& case_id) {
  v1::Command command;
  command.mutable_assign_case()->set_command_id(command_id);
  command.mutable_assign_case()->set_case_id(case_id);
  command.mutable_assign_case()->set_responsible_unit("minle-hongshui-town");
  return command;
}

// Records what it is sent; reports get ids 620722-2026-00000N in order.
struct FakeServer {
  std::vector<std::string> sent;  // "command_id case_id"
  int cases = 0;
  std::string refuse_command_id;
  int unavailable_after = -1;  // fail with UNAVAILABLE once this many were sent

  Outbox::Sender Sender() {
    return [this](const v1::Command& command) -> absl::StatusOr<std::string> {
      if (unavailable_after >= 0 && static_cast<int>(sent.size()) >= unavailable_after) {
        return absl::UnavailableError("no network");
      }
      const std::string command_id = RequestString(command, "command_id");
      if (command_id == refuse_command_id) return absl::PermissionDeniedError("not yours");
      std::string case_id = RequestString(command, "case_id");
      if (command.has_report_case()) case_id = absl::StrCat("620722-2026-00000", ++cases);
      sent.push_back(command_id + " " + case_id);
      return case_id;
    };
  }
};

class OutboxTest : public ::testing::Test {
 protected:
  std::unique_ptr<Outbox> Open() {
    absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(dir_.Sub("outbox"));
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    return outbox.ok() ? std::move(*outbox) : nullptr;
  }
  rectify::testing::TempDir dir_;
};

TEST_F(OutboxTest, ReportsGetLocalReferencesThatFollowUpsMayUse) {
  std::unique_ptr<Outbox> outbox = Open();
  absl::StatusOr<OutboxEntry> first = outbox->Append(Report("r1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->seq, 1u);
  EXPECT_EQ(first->local_ref, "local:1");
  absl::StatusOr<OutboxEntry> second = outbox->Append(Report("r2"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->local_ref, "local:2");
  EXPECT_TRUE(outbox->Append(Assign("a1", "local:2")).ok());
  EXPECT_THAT(outbox->Append(Assign("a2", "local:9")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("local:9")));
  EXPECT_THAT(outbox->Append(Assign("", "local:1")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("command_id")));
  EXPECT_THAT(outbox->Append(v1::Command()), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(outbox->Resolve("local:1"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not synced")));

  // Reopened, the queue is as it was: three entries, nothing lost.
  outbox.reset();
  outbox = Open();
  absl::StatusOr<std::vector<OutboxEntry>> entries = outbox->Entries();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[2].command.command_id(), "a1");
  EXPECT_EQ((*entries)[2].state, OutboxState::kPending);
  // Counters survive too: the next report is local:3.
  absl::StatusOr<OutboxEntry> third = outbox->Append(Report("r3"));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->local_ref, "local:3");
}

TEST_F(OutboxTest, SyncSendsInOrderAndMapsLocalReferences) {
  std::unique_ptr<Outbox> outbox = Open();
  ASSERT_TRUE(outbox->Append(Report("r1")).ok());
  ASSERT_TRUE(outbox->Append(Report("r2")).ok());
  ASSERT_TRUE(outbox->Append(Assign("a2", "local:2")).ok());
  ASSERT_TRUE(outbox->Append(Assign("a1", "local:1")).ok());
  FakeServer server;
  const SyncResult result = outbox->Sync(server.Sender());
  EXPECT_TRUE(result.stopped.ok()) << result.stopped;
  EXPECT_EQ(result.sent, 4);
  EXPECT_EQ(result.pending, 0);
  EXPECT_THAT(server.sent, ElementsAre("r1 620722-2026-000001", "r2 620722-2026-000002",
                                       "a2 620722-2026-000002", "a1 620722-2026-000001"));
  absl::StatusOr<std::string> resolved = outbox->Resolve("local:2");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, "620722-2026-000002");
  // A second sync sends nothing again.
  const SyncResult again = outbox->Sync(server.Sender());
  EXPECT_EQ(again.sent, 0);
  EXPECT_EQ(server.sent.size(), 4u);
}

TEST_F(OutboxTest, RefusedCommandsAreSetAsideWithTheReasonAndNotRetried) {
  std::unique_ptr<Outbox> outbox = Open();
  ASSERT_TRUE(outbox->Append(Report("r1")).ok());
  ASSERT_TRUE(outbox->Append(Assign("a1", "local:1")).ok());
  ASSERT_TRUE(outbox->Append(Report("r2")).ok());
  ASSERT_TRUE(outbox->Append(Assign("a2", "local:2")).ok());
  FakeServer server;
  server.refuse_command_id = "r1";
  const SyncResult result = outbox->Sync(server.Sender());
  EXPECT_TRUE(result.stopped.ok());
  EXPECT_EQ(result.sent, 2);
  EXPECT_EQ(result.set_aside, 2);  // r1, and a1 on r1's case
  EXPECT_THAT(server.sent, ElementsAre("r2 620722-2026-000001", "a2 620722-2026-000001"));

  absl::StatusOr<std::vector<OutboxEntry>> entries = outbox->Entries();
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ((*entries)[0].state, OutboxState::kSetAside);
  EXPECT_THAT((*entries)[0].refusal,
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not yours")));
  EXPECT_EQ((*entries)[1].state, OutboxState::kSetAside);
  EXPECT_THAT((*entries)[1].refusal.message(), HasSubstr("local:1 was refused"));

  server.refuse_command_id.clear();
  EXPECT_EQ(outbox->Sync(server.Sender()).sent, 0);  // never retried
}

TEST_F(OutboxTest, SyncStopsWhenTheServerGoesAwayAndResumesInOrder) {
  std::unique_ptr<Outbox> outbox = Open();
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(outbox->Append(Report(absl::StrCat("r", i))).ok());
  FakeServer server;
  server.unavailable_after = 2;
  const SyncResult first = outbox->Sync(server.Sender());
  EXPECT_THAT(first.stopped, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(first.sent, 2);
  EXPECT_EQ(first.pending, 3);
  server.unavailable_after = -1;
  const SyncResult second = outbox->Sync(server.Sender());
  EXPECT_TRUE(second.stopped.ok());
  EXPECT_EQ(second.sent, 3);
  EXPECT_THAT(server.sent, ElementsAre("r1 620722-2026-000001", "r2 620722-2026-000002",
                                       "r3 620722-2026-000003", "r4 620722-2026-000004",
                                       "r5 620722-2026-000005"));
}

TEST_F(OutboxTest, ASecondProcessCannotOpenTheQueueAtTheSameTime) {
  std::unique_ptr<Outbox> outbox = Open();
  EXPECT_THAT(Outbox::Open(dir_.Sub("outbox")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in use")));
}

}  // namespace
}  // namespace rectify::client
