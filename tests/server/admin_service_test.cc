// AdminService on a real in-process gRPC server (127.0.0.1, port 0) over a
// real RocksDB store: an ADMIN backs up and verifies the running store; every
// other role gets PERMISSION_DENIED, a caller without a token
// UNAUTHENTICATED; bad requests INVALID_ARGUMENT naming the field.
#include "server/admin_service.h"

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace rectify::server
