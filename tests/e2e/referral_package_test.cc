// The referral package end to end (issue 12, item 19): a real store in a
// temporary directory, filled through the real pipeline with a hotline case
// (complainant), evidence bytes and a referral the bureau head approved; then
// the real rectify_admin binary exports the package and the shipped checker
// (python3, standard library only) verifies it. One byte changed in an
// event's canonical bytes, or in an evidence file, and the checker refuses.
// No byte of the package holds the complainant's name or phone.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rectify/v1/command.pb.h"
#include "server/pipeline.h"
#include "storage/rocks_event_store.h"
#include "tests/server/execute.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());
constexpr char kName[] = "王秀英";
constexpr char kPhone[] = "138-0936-0000";

v1::Principal Person(const std::string& id, v1::Role role) {
  v1::Principal principal;
  principal.set_principal_id(id);
  principal.set_role(role);
  principal.set_unit_id("minle-eeb");
  principal.set_jurisdiction("620722");
  return principal;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void FlipByte(const fs::path& path, size_t offset) {
  std::string bytes = ReadAll(path);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x01);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class ReferralPackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.clock = &clock_;
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    pipeline_ = std::make_unique<server::CommandPipeline>(*store_, policy_, clock_);
    pipeline_->Start();
  }
  void TearDown() override { Close(); }
  void Close() {
    if (pipeline_ != nullptr) pipeline_->Stop();
    pipeline_.reset();
    store_.reset();
  }

  // Submits `command` as `principal` with a fresh command id (in the
  // command and in its request, as the handlers build them) and waits.
  absl::StatusOr<server::CommandOutcome> Execute(v1::Command command, v1::Principal principal) {
    command.set_command_id(absl::StrCat("cmd-", ++commands_));
    const google::protobuf::FieldDescriptor* request_field =
        command.GetReflection()->GetOneofFieldDescriptor(
            command, v1::Command::descriptor()->FindOneofByName("request"));
    if (request_field != nullptr) {
      google::protobuf::Message* request =
          command.GetReflection()->MutableMessage(&command, request_field);
      const google::protobuf::FieldDescriptor* id =
          request->GetDescriptor()->FindFieldByName("command_id");
      if (id != nullptr) request->GetReflection()->SetString(request, id, command.command_id());
    }
    clock_.Advance(absl::Minutes(10));
    return rectify::testing::Execute(*pipeline_, std::move(command), std::move(principal));
  }

  // A hotline case with a complainant, two pieces of evidence and a referral
  // the bureau head approved; returns the case id.
  std::string MakeReferredCase() {
    v1::Command report;
    v1::ReportCaseRequest& request = *report.mutable_report_case();
    request.set_title("北滩村渗坑");
    request.set_category(v1::CATEGORY_WATER);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_HOTLINE_12369);
    request.set_source_reference("12369-2026-0042");
    request.mutable_location()->set_region_code("620722100");
    request.mutable_complainant()->set_name(kName);
    request.mutable_complainant()->set_phone(kPhone);
    request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(kStart - absl::Hours(1)));
    const v1::Principal inspector = Person("insp-zhang", v1::ROLE_INSPECTOR);
    absl::StatusOr<server::CommandOutcome> reported = Execute(report, inspector);
    EXPECT_OK(reported.status());
    if (!reported.ok()) return "";
    const std::string id = reported->state.case_id();
    for (const auto& [file, bytes] : evidence_) {
      const std::string sha = HexEncode(Sha256(bytes));
      EXPECT_OK(store_->PutEvidence(sha, bytes));
      v1::Command record;
      record.set_stream_id(id);
      v1::UploadEvidenceMetadata& metadata = *record.mutable_record_evidence();
      metadata.set_case_id(id);
      metadata.set_kind(v1::EVIDENCE_KIND_MONITORING_REPORT);
      metadata.set_file_name(file);
      metadata.set_media_type("application/pdf");
      metadata.set_sha256(sha);
      metadata.set_size_bytes(static_cast<int64_t>(bytes.size()));
      EXPECT_OK(Execute(record, inspector).status());
    }
    v1::Command propose;
    propose.set_stream_id(id);
    v1::ProposeReferralRequest& proposal = *propose.mutable_propose_referral();
    proposal.set_case_id(id);
    proposal.set_suspected_offence("污染环境罪（刑法第三百三十八条）");
    proposal.set_report("现场检测化学需氧量超标十倍以上");
    proposal.add_proposing_officers("insp-zhang");
    proposal.add_proposing_officers("insp-li");
    *propose.add_named_principals() = Person("insp-li", v1::ROLE_INSPECTOR);
    absl::StatusOr<server::CommandOutcome> proposed = Execute(propose, inspector);
    EXPECT_OK(proposed.status());
    v1::Command approve;
    approve.set_stream_id(id);
    approve.mutable_approve_referral()->set_case_id(id);
    approve.mutable_approve_referral()->set_referral_id("ref-1");
    EXPECT_OK(Execute(approve, Person("head-chen", v1::ROLE_BUREAU_HEAD)).status());
    return id;
  }

  int RunChecker(const fs::path& package, std::string* out) {
    std::string err;
    absl::StatusOr<int> code = testing::Run(
        {"/usr/bin/python3", (package / "check_referral_package.py").string(), package.string()},
        dir_.path(), out, &err);
    EXPECT_OK(code.status());
    *out += err;
    return code.ok() ? *code : -1;
  }

  testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<server::CommandPipeline> pipeline_;
  int commands_ = 0;
  const std::vector<std::pair<std::string, std::string>> evidence_ = {
      {"检测报告.pdf", std::string("%PDF-1.4 化学需氧量 412 mg/L\n") + std::string(3000, 'x')},
      {"现场检查笔录.pdf", "%PDF-1.4 现场检查笔录"},
  };
};

TEST_F(ReferralPackageTest, ExportedPackageVerifiesAndAnyChangedByteIsRefused) {
  const std::string id = MakeReferredCase();
  ASSERT_FALSE(id.empty());
  Close();

  const fs::path package = dir_.Sub("package");
  std::string out, err;
  absl::StatusOr<int> exported =
      testing::Run({testing::Runfile("tools/rectify_admin"), "export-referral", id,
                    "--data_dir=" + dir_.Sub("db"), "--out=" + package.string()},
                   dir_.path(), &out, &err);
  ASSERT_OK(exported.status());
  ASSERT_EQ(*exported, 0) << out << err;
  // Reported (1), two pieces of evidence (2), proposed with its approval
  // deadline (2), approved with that deadline closed and the sending one
  // opened (3).
  EXPECT_THAT(out, HasSubstr("8 events, 2 evidence files"));
  // The head hash printed is the last event's hash as the store holds it.
  {
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), storage::StoreOptions());
    ASSERT_OK(store.status());
    auto events = (*store)->ReadStream(id, 1, 100);
    ASSERT_OK(events.status());
    ASSERT_EQ(events->size(), 8u);
    EXPECT_THAT(out, HasSubstr("head hash " + HexEncode(events->back().hash())));
  }

  // No byte of the package is the complainant's.
  for (const auto& entry : fs::recursive_directory_iterator(package)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = ReadAll(entry.path());
    EXPECT_EQ(bytes.find(kName), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find(kPhone), std::string::npos) << entry.path();
  }
  // The evidence files are the bytes uploaded, named by their SHA-256.
  for (const auto& [file, bytes] : evidence_) {
    EXPECT_EQ(ReadAll(package / "evidence" / HexEncode(Sha256(bytes))), bytes) << file;
  }

  std::string verdict;
  EXPECT_EQ(RunChecker(package, &verdict), 0) << verdict;
  EXPECT_THAT(verdict, HasSubstr("核验通过 / VERIFIED"));
  EXPECT_THAT(verdict, HasSubstr("8 events, 2 evidence files"));

  // One byte of an event's canonical bytes (inside the title of version 1).
  const fs::path first = package / "events" / "000001.bin";
  const std::string original = ReadAll(first);
  const size_t title = original.find("北滩村");
  ASSERT_NE(title, std::string::npos);
  FlipByte(first, title + 1);
  EXPECT_EQ(RunChecker(package, &verdict), 1) << verdict;
  EXPECT_THAT(verdict, HasSubstr("核验未通过 / NOT VERIFIED"));
  EXPECT_THAT(verdict, HasSubstr("the hash of " + id + "#1 does not match"));
  { std::ofstream restore(first, std::ios::binary | std::ios::trunc); restore << original; }
  EXPECT_EQ(RunChecker(package, &verdict), 0) << verdict;

  // One byte of an evidence file.
  const fs::path evidence = package / "evidence" / HexEncode(Sha256(evidence_[0].second));
  FlipByte(evidence, 100);
  EXPECT_EQ(RunChecker(package, &verdict), 1) << verdict;
  EXPECT_THAT(verdict, HasSubstr("evidence ev-1 does not match its SHA-256"));

  // Exporting again into the same directory is refused (never overwritten).
  ASSERT_OK((exported = testing::Run({testing::Runfile("tools/rectify_admin"), "export-referral",
                                      id, "--data_dir=" + dir_.Sub("db"),
                                      "--out=" + package.string()},
                                     dir_.path(), &out, &err))
                .status());
  EXPECT_EQ(*exported, 1);
  EXPECT_THAT(err, HasSubstr("holds files"));
}

}  // namespace
}  // namespace rectify
