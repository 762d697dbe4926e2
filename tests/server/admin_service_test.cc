// AdminService on a real in-process gRPC server (127.0.0.1, port 0) over a
// real RocksDB store: an ADMIN backs up and verifies the running store; every
// other role gets PERMISSION_DENIED, a caller without a token
// UNAUTHENTICATED; bad requests INVALID_ARGUMENT naming the field.
#include "server/admin_service.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "base/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/pipeline.h"
#include "storage/rocks_event_store.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::Runfile;
using ::testing::HasSubstr;

class AdminServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        PrincipalRegistry registry,
        PrincipalRegistry::Parse(ReadFileOrEmpty(Runfile("config/principals.demo.textproto"))));
    principals_ = std::make_unique<PrincipalRegistry>(std::move(registry));
    ASSERT_OK_AND_ASSIGN(store_,
                         storage::RocksEventStore::Open(dir_.Sub("data"), storage::StoreOptions()));
    service_ = std::make_unique<AdminServiceImpl>(*principals_, *store_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    stub_ = v1::AdminService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    service_.reset();
  }

  grpc::Status Backup(const std::string& token, const std::string& backup_dir,
                      v1::CreateBackupResponse* response) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateBackupRequest request;
    request.set_backup_dir(backup_dir);
    return stub_->CreateBackup(&context, request, response);
  }

  grpc::Status Verify(const std::string& token, int max_problems,
                      v1::VerifyStoreResponse* response) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::VerifyStoreRequest request;
    request.set_max_problems(max_problems);
    return stub_->VerifyStore(&context, request, response);
  }

  // Reads a whole *WithProgress stream: its messages and its status.
  template <typename Update>
  static grpc::Status ReadAll(grpc::ClientReader<Update>& reader, std::vector<Update>& updates) {
    Update update;
    while (reader.Read(&update)) updates.push_back(update);
    return reader.Finish();
  }

  // `count` cases reported through the real pipeline (one event each).
  void ReportCases(int count) {
    workflow::Policy policy;
    CommandPipeline pipeline(*store_, policy, SystemClock());
    pipeline.Start();
    v1::Principal inspector;
    inspector.set_principal_id("insp-zhang");
    inspector.set_role(v1::ROLE_INSPECTOR);
    inspector.set_jurisdiction("620722");
    absl::Mutex mutex;
    int left = count;
    for (int i = 0; i < count; ++i) {
      v1::Command command;
      command.set_command_id(absl::StrCat("report-", i));
      v1::ReportCaseRequest& report = *command.mutable_report_case();
      report.set_command_id(command.command_id());
      report.set_title(absl::StrCat("排污口 ", i));
      report.set_category(v1::CATEGORY_WATER);
      report.set_severity(v1::SEVERITY_LOW);
      report.set_source(v1::CASE_SOURCE_INSPECTION);
      report.mutable_location()->set_region_code("620722100");
      report.mutable_found_at()->set_seconds(absl::ToUnixSeconds(SystemClock().Now()) - 3600);
      pipeline.Submit(command, inspector, [&](absl::StatusOr<CommandOutcome> outcome) {
        EXPECT_OK(outcome.status());
        absl::MutexLock lock(&mutex);
        --left;
      });
    }
    absl::MutexLock lock(&mutex);
    mutex.Await(absl::Condition(+[](int* n) { return *n == 0; }, &left));
  }

  rectify::testing::TempDir dir_;
  std::unique_ptr<PrincipalRegistry> principals_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<AdminServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AdminService::Stub> stub_;
};

TEST_F(AdminServiceTest, AdminBacksUpAndVerifiesTheRunningStore) {
  // One case in the store, written by the real pipeline.
  std::string case_id;
  {
    workflow::Policy policy;
    CommandPipeline pipeline(*store_, policy, SystemClock());
    pipeline.Start();
    v1::Command command;
    command.set_command_id("report-1");
    v1::ReportCaseRequest& report = *command.mutable_report_case();
    report.set_command_id("report-1");
    report.set_title("尾矿库渗漏");
    report.set_category(v1::CATEGORY_WATER);
    report.set_severity(v1::SEVERITY_HIGH);
    report.set_source(v1::CASE_SOURCE_INSPECTION);
    report.mutable_location()->set_region_code("620722100");
    report.mutable_found_at()->set_seconds(absl::ToUnixSeconds(SystemClock().Now()) - 3600);
    v1::Principal inspector;
    inspector.set_principal_id("insp-zhang");
    inspector.set_role(v1::ROLE_INSPECTOR);
    inspector.set_jurisdiction("620722");
    absl::Notification done;
    pipeline.Submit(command, inspector, [&](absl::StatusOr<CommandOutcome> outcome) {
      EXPECT_OK(outcome.status());
      if (outcome.ok()) case_id = outcome->state.case_id();
      done.Notify();
    });
    done.WaitForNotification();
  }
  ASSERT_EQ(store_->LastPosition(), 1u);

  v1::CreateBackupResponse backup;
  const grpc::Status backed_up = Backup("demo-admin", dir_.Sub("backup"), &backup);
  ASSERT_TRUE(backed_up.ok()) << backed_up.error_message();
  EXPECT_EQ(backup.backup_id(), 1u);
  EXPECT_EQ(backup.last_position(), 1u);
  EXPECT_GT(backup.taken_at().seconds(), 0);
  // The backup restores into a store that holds the case.
  ASSERT_OK(
      storage::RocksEventStore::RestoreLatestBackup(dir_.Sub("backup"), dir_.Sub("restored")));
  {
    ASSERT_OK_AND_ASSIGN(auto restored, storage::RocksEventStore::Open(dir_.Sub("restored"),
                                                                       storage::StoreOptions()));
    EXPECT_EQ(restored->LastPosition(), 1u);
    ASSERT_OK_AND_ASSIGN(v1::Case state, restored->GetCase(case_id));
    EXPECT_EQ(state.title(), "尾矿库渗漏");
  }

  v1::CreateBackupResponse second;
  ASSERT_TRUE(Backup("demo-admin", dir_.Sub("backup"), &second).ok());
  EXPECT_EQ(second.backup_id(), 2u);

  v1::VerifyStoreResponse verify;
  const grpc::Status verified = Verify("demo-admin", 0, &verify);
  ASSERT_TRUE(verified.ok()) << verified.error_message();
  EXPECT_EQ(verify.streams(), 1);
  EXPECT_EQ(verify.events(), 1);
  EXPECT_TRUE(verify.problems().empty());
}

TEST_F(AdminServiceTest, EveryOtherRoleIsRefused) {
  for (const char* token : {"demo-inspector", "demo-supervisor", "demo-rectifier",
                            "demo-bureau-head", "demo-police", "demo-procurator", "demo-auditor"}) {
    v1::CreateBackupResponse backup;
    EXPECT_EQ(Backup(token, dir_.Sub("backup"), &backup).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
    v1::VerifyStoreResponse verify;
    EXPECT_EQ(Verify(token, 0, &verify).error_code(), grpc::StatusCode::PERMISSION_DENIED) << token;
  }
  // Nothing was backed up by the refused calls.
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("backup")));
  v1::VerifyStoreResponse verify;
  EXPECT_EQ(Verify("", 0, &verify).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Verify("not-a-token", 0, &verify).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AdminServiceTest, BadRequestsNameTheField) {
  v1::CreateBackupResponse backup;
  grpc::Status status = Backup("demo-admin", "", &backup);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("backup_dir"));
  status = Backup("demo-admin", "relative/backup", &backup);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("backup_dir"));
  v1::VerifyStoreResponse verify;
  status = Verify("demo-admin", -1, &verify);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("max_problems"));
}

// Bytes of the regular files under `dir`.
int64_t BytesUnder(const std::string& dir) {
  int64_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += static_cast<int64_t>(entry.file_size());
  }
  return bytes;
}

TEST_F(AdminServiceTest, VerifyStreamsProgressUpToTheEventsOfTheStoreThenTheResult) {
  // 2,500 events: the verifier reports every 1,024 events and at the end.
  ReportCases(2500);
  ASSERT_EQ(store_->LastPosition(), 2500u);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer demo-admin");
  v1::VerifyStoreRequest request;
  std::vector<v1::VerifyStoreUpdate> updates;
  const grpc::Status status = ReadAll(*stub_->VerifyStoreWithProgress(&context, request), updates);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(updates.size(), 2u);
  // Progress only, then exactly one result, last.
  int64_t previous = -1;
  for (size_t i = 0; i + 1 < updates.size(); ++i) {
    ASSERT_TRUE(updates[i].has_progress()) << i;
    const v1::Progress& progress = updates[i].progress();
    EXPECT_EQ(progress.unit(), "events");
    EXPECT_EQ(progress.total(), 2500);
    EXPECT_GE(progress.done(), previous) << "progress went back at message " << i;
    EXPECT_LE(progress.done(), 2500);
    previous = progress.done();
  }
  // The last progress is the whole walk (a waiting figure is sent before the
  // result, never dropped).
  EXPECT_EQ(previous, 2500);
  ASSERT_TRUE(updates.back().has_result());
  EXPECT_EQ(updates.back().result().events(), 2500);
  EXPECT_EQ(updates.back().result().streams(), 2500);
  EXPECT_TRUE(updates.back().result().problems().empty());
}

TEST_F(AdminServiceTest, BackupStreamsTheBytesItWritesAndKeepsTheNewest) {
  ReportCases(300);
  std::vector<v1::CreateBackupUpdate> updates;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-admin");
    v1::CreateBackupRequest request;
    request.set_backup_dir(dir_.Sub("backup"));
    const grpc::Status status =
        ReadAll(*stub_->CreateBackupWithProgress(&context, request), updates);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_GE(updates.size(), 2u);
  int64_t previous = -1;
  for (size_t i = 0; i + 1 < updates.size(); ++i) {
    ASSERT_TRUE(updates[i].has_progress()) << i;
    EXPECT_EQ(updates[i].progress().unit(), "bytes");
    EXPECT_GE(updates[i].progress().done(), previous) << "progress went back at message " << i;
    EXPECT_GT(updates[i].progress().total(), 0);
    previous = updates[i].progress().done();
  }
  ASSERT_TRUE(updates.back().has_result());
  const v1::CreateBackupResponse& first = updates.back().result();
  EXPECT_EQ(first.backup_id(), 1u);
  EXPECT_EQ(first.last_position(), 300u);
  // The count is what landed on disk: the first backup into an empty
  // directory wrote every byte that is there now, and the last progress
  // message says so too.
  EXPECT_EQ(first.bytes_written(), BytesUnder(dir_.Sub("backup")));
  EXPECT_EQ(previous, first.bytes_written());

  // Three more with keep_latest = 2: the oldest go, the newest two stay.
  uint32_t deleted = 0;
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-admin");
    v1::CreateBackupRequest request;
    request.set_backup_dir(dir_.Sub("backup"));
    request.set_keep_latest(2);
    std::vector<v1::CreateBackupUpdate> more;
    ASSERT_TRUE(ReadAll(*stub_->CreateBackupWithProgress(&context, request), more).ok());
    ASSERT_TRUE(more.back().has_result());
    deleted += more.back().result().backups_deleted();
  }
  EXPECT_EQ(deleted, 2u);  // 1 and 2 of 1..4
  std::vector<std::string> kept;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.Sub("backup") + "/meta")) {
    kept.push_back(entry.path().filename().string());
  }
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"3", "4"}));
  // The newest restores whole.
  ASSERT_OK(
      storage::RocksEventStore::RestoreLatestBackup(dir_.Sub("backup"), dir_.Sub("restored")));
  ASSERT_OK_AND_ASSIGN(auto restored, storage::RocksEventStore::Open(dir_.Sub("restored"),
                                                                     storage::StoreOptions()));
  EXPECT_EQ(restored->LastPosition(), 300u);
}

TEST_F(AdminServiceTest, StreamingCallsRefuseLikeTheUnaryOnes) {
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-inspector");
    std::vector<v1::VerifyStoreUpdate> updates;
    const grpc::Status status =
        ReadAll(*stub_->VerifyStoreWithProgress(&context, v1::VerifyStoreRequest()), updates);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(updates.empty());
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-admin");
    v1::CreateBackupRequest request;
    request.set_backup_dir(dir_.Sub("backup"));
    request.set_keep_latest(10001);
    std::vector<v1::CreateBackupUpdate> updates;
    const grpc::Status status = ReadAll(*stub_->CreateBackupWithProgress(&context, request), updates);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("keep_latest"));
    EXPECT_TRUE(updates.empty());
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-admin");
    v1::CreateBackupRequest request;
    request.set_backup_dir("relative");
    std::vector<v1::CreateBackupUpdate> updates;
    const grpc::Status status = ReadAll(*stub_->CreateBackupWithProgress(&context, request), updates);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("backup_dir"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("backup")));
}

}  // namespace
}  // namespace rectify::server
