// Evidence upload and download through a real in-process gRPC server on
// 127.0.0.1 (CaseService with the real pipeline and a real RocksDB store):
// a round trip with a Chinese file name; a wrong SHA-256 or size refused
// naming the field, with nothing written; the size limit; callers who may
// not touch the case refused; a retried upload answered with the original.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/clock.h"
#include "base/sha256.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/case_service.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "tests/server/stream_calls.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::Runfile;
using ::testing::HasSubstr;

// Deterministic bytes that do not compress, `size` of them.
std::string PhotoBytes(size_t size, uint32_t seed) {
  std::string bytes(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (char& c : bytes) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xFF);
  }
  return bytes;
}

void SetNow(google::protobuf::Timestamp* timestamp, absl::Time time) {
  timestamp->set_seconds(absl::ToUnixSeconds(time));
}

class CaseEvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        PrincipalRegistry registry,
        PrincipalRegistry::Parse(ReadFileOrEmpty(Runfile("config/principals.demo.textproto"))));
    principals_ = std::make_unique<PrincipalRegistry>(std::move(registry));
    ASSERT_OK_AND_ASSIGN(store_,
                         storage::RocksEventStore::Open(dir_.Sub("data"), storage::StoreOptions()));
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, SystemClock());
    pipeline_->Start();
    service_ = std::make_unique<CaseServiceImpl>(*principals_, *pipeline_, *store_, nullptr,
                                                 options_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.SetMaxReceiveMessageSize(8 << 20);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::CaseService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    if (pipeline_ != nullptr) pipeline_->Stop();
  }

  // Reports a case as the inspector; assigns it to the demo rectifier's unit
  // when `assign`. Returns its id.
  std::string NewCase(const std::string& name, bool assign) {
    grpc::ClientContext report_context;
    report_context.AddMetadata("authorization", "Bearer demo-inspector");
    v1::ReportCaseRequest report;
    report.set_command_id("report-" + name);
    report.set_title("黑河支流排污口 " + name);
    report.set_category(v1::CATEGORY_WATER);
    report.set_severity(v1::SEVERITY_HIGH);
    report.set_source(v1::CASE_SOURCE_INSPECTION);
    report.mutable_location()->set_region_code("620722100");
    SetNow(report.mutable_found_at(), SystemClock().Now() - absl::Hours(1));
    v1::ReportCaseResponse reported;
    grpc::Status status = stub_->ReportCase(&report_context, report, &reported);
    EXPECT_TRUE(status.ok()) << status.error_message();
    const std::string case_id = reported.case_().case_id();
    if (!assign) return case_id;
    grpc::ClientContext assign_context;
    assign_context.AddMetadata("authorization", "Bearer demo-supervisor");
    v1::AssignCaseRequest request;
    request.set_command_id("assign-" + name);
    request.set_case_id(case_id);
    request.set_responsible_unit("minle-hongshui-town");
    request.set_requirements("封堵排污口，清理河道");
    v1::AssignCaseResponse assigned;
    status = stub_->AssignCase(&assign_context, request, &assigned);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return case_id;
  }

  v1::UploadEvidenceMetadata Metadata(const std::string& command_id, const std::string& case_id,
                                      const std::string& bytes) {
    v1::UploadEvidenceMetadata metadata;
    metadata.set_command_id(command_id);
    metadata.set_case_id(case_id);
    metadata.set_kind(v1::EVIDENCE_KIND_PHOTO);
    metadata.set_file_name("黑河排污口_整改前.jpg");
    metadata.set_media_type("image/jpeg");
    metadata.set_sha256(HexEncode(Sha256(bytes)));
    metadata.set_size_bytes(static_cast<int64_t>(bytes.size()));
    metadata.set_description("排污口全景，东侧");
    return metadata;
  }

  // Uploads `bytes` in 1 MiB chunks after `metadata`.
  grpc::Status Upload(const std::string& token, const v1::UploadEvidenceMetadata& metadata,
                      const std::string& bytes, v1::UploadEvidenceResponse* response) {
    return rectify::testing::UploadStream(*stub_, &v1::CaseService::Stub::UploadEvidence, token,
                                          metadata, bytes, response);
  }

  // Downloads; the metadata and the bytes.
  grpc::Status Download(const std::string& token, const std::string& case_id,
                        const std::string& evidence_id, v1::Evidence* metadata,
                        std::string* bytes) {
    v1::DownloadEvidenceRequest request;
    request.set_case_id(case_id);
    request.set_evidence_id(evidence_id);
    return rectify::testing::DownloadStream(*stub_, &v1::CaseService::Stub::DownloadEvidence, token,
                                            request, metadata, bytes);
  }

  rectify::testing::TempDir dir_;
  workflow::Policy policy_;
  CaseServiceOptions options_;
  std::unique_ptr<PrincipalRegistry> principals_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<CaseServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

TEST_F(CaseEvidenceTest, UploadAndDownloadRoundTrip) {
  const std::string case_id = NewCase("a", /*assign=*/true);
  const std::string photo = PhotoBytes((size_t{5} << 19) + 123, 1);  // 2.5 MiB and a bit
  v1::UploadEvidenceResponse uploaded;
  grpc::Status status =
      Upload("demo-rectifier", Metadata("ev-upload-1", case_id, photo), photo, &uploaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(uploaded.evidence().evidence_id(), "ev-1");
  EXPECT_EQ(uploaded.evidence().file_name(), "黑河排污口_整改前.jpg");
  EXPECT_EQ(uploaded.evidence().sha256(), HexEncode(Sha256(photo)));
  EXPECT_EQ(uploaded.evidence().size_bytes(), static_cast<int64_t>(photo.size()));
  ASSERT_EQ(uploaded.case_().evidence_size(), 1);
  EXPECT_EQ(uploaded.position(), store_->LastPosition());

  // Anyone who may read the case downloads it, name and bytes intact.
  for (const char* token : {"demo-inspector", "demo-supervisor", "demo-rectifier"}) {
    v1::Evidence metadata;
    std::string bytes;
    status = Download(token, case_id, "ev-1", &metadata, &bytes);
    ASSERT_TRUE(status.ok()) << token << ": " << status.error_message();
    EXPECT_EQ(metadata.file_name(), "黑河排污口_整改前.jpg");
    EXPECT_EQ(metadata.description(), "排污口全景，东侧");
    EXPECT_EQ(bytes.size(), photo.size());
    EXPECT_TRUE(bytes == photo) << token;
  }

  // A retried upload (same command_id) gets the original reply, no new event.
  const uint64_t position = store_->LastPosition();
  v1::UploadEvidenceResponse again;
  status = Upload("demo-rectifier", Metadata("ev-upload-1", case_id, photo), photo, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.evidence().evidence_id(), "ev-1");
  EXPECT_EQ(store_->LastPosition(), position);

  // A second photo gets the next id.
  const std::string second = PhotoBytes(1000, 2);
  v1::UploadEvidenceResponse next;
  status = Upload("demo-inspector", Metadata("ev-upload-2", case_id, second), second, &next);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(next.evidence().evidence_id(), "ev-2");

  v1::Evidence metadata;
  std::string bytes;
  EXPECT_EQ(Download("demo-inspector", case_id, "ev-9", &metadata, &bytes).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CaseEvidenceTest, ACompressedCopyRecordsTheOriginalsHashBesideItsOwn) {
  const std::string case_id = NewCase("a", /*assign=*/true);
  const std::string original = PhotoBytes(400000, 5);  // what the camera took
  const std::string copy = PhotoBytes(90000, 6);       // the smaller copy sent
  v1::UploadEvidenceMetadata metadata = Metadata("copy-1", case_id, copy);
  metadata.set_original_sha256(HexEncode(Sha256(original)));
  metadata.set_original_size_bytes(static_cast<int64_t>(original.size()));
  v1::UploadEvidenceResponse uploaded;
  grpc::Status status = Upload("demo-inspector", metadata, copy, &uploaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(uploaded.evidence().sha256(), HexEncode(Sha256(copy)));
  EXPECT_EQ(uploaded.evidence().size_bytes(), 90000);
  EXPECT_EQ(uploaded.evidence().original_sha256(), HexEncode(Sha256(original)));
  EXPECT_EQ(uploaded.evidence().original_size_bytes(), 400000);
  // The recorded event holds it (the hash chain covers it).
  absl::StatusOr<std::vector<v1::Event>> events = store_->ReadStream(case_id, 1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_TRUE(events->back().has_evidence_recorded());
  EXPECT_EQ(events->back().evidence_recorded().evidence().original_sha256(),
            HexEncode(Sha256(original)));

  // Half of the pair, a malformed hash, or the copy's own hash: refused,
  // naming the field, and nothing written.
  const uint64_t position = store_->LastPosition();
  struct Bad {
    std::string sha256;
    int64_t size;
    const char* field;
  };
  for (const Bad& bad : std::vector<Bad>{{HexEncode(Sha256(original)), 0, "original_size_bytes"},
                                         {"", 400000, "original_sha256"},
                                         {"ABC", 400000, "original_sha256"},
                                         {HexEncode(Sha256(copy)), 90000, "original_sha256"}}) {
    v1::UploadEvidenceMetadata refused = Metadata("copy-bad", case_id, copy);
    refused.set_original_sha256(bad.sha256);
    refused.set_original_size_bytes(bad.size);
    v1::UploadEvidenceResponse response;
    status = Upload("demo-inspector", refused, copy, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.field;
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr(bad.field));
  }
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(CaseEvidenceTest, MismatchedHashOrSizeIsRefusedAndNothingWritten) {
  const std::string case_id = NewCase("a", /*assign=*/true);
  const uint64_t position = store_->LastPosition();
  const std::string photo = PhotoBytes(300000, 3);
  const std::string declared = PhotoBytes(300000, 4);  // what the client thought it sent

  v1::UploadEvidenceResponse response;
  grpc::Status status =
      Upload("demo-inspector", Metadata("bad-hash", case_id, declared), photo, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("sha256"));

  status =
      Upload("demo-inspector", Metadata("short", case_id, photo), photo.substr(0, 1000), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("size_bytes"));

  v1::UploadEvidenceMetadata too_big = Metadata("huge", case_id, photo);
  too_big.set_size_bytes(CaseServiceImpl::kMaxEvidenceBytes + 1);
  status = Upload("demo-inspector", too_big, "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("size_bytes"));

  v1::UploadEvidenceMetadata no_name = Metadata("no-name", case_id, photo);
  no_name.clear_file_name();
  status = Upload("demo-inspector", no_name, photo, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("file_name"));

  // No event, and neither the sent nor the declared bytes are stored.
  EXPECT_EQ(store_->LastPosition(), position);
  for (const std::string& bytes : {photo, declared}) {
    ASSERT_OK_AND_ASSIGN(std::optional<std::string> chunk,
                         store_->ReadEvidenceChunk(HexEncode(Sha256(bytes)), 0));
    EXPECT_FALSE(chunk.has_value());
  }
}

TEST_F(CaseEvidenceTest, CallersWhoMayNotTouchTheCaseAreRefused) {
  // Not assigned yet: the rectifier's unit is not responsible for it.
  const std::string unassigned = NewCase("u", /*assign=*/false);
  const std::string assigned = NewCase("a", /*assign=*/true);
  const uint64_t position = store_->LastPosition();
  const std::string photo = PhotoBytes(5000, 5);
  v1::UploadEvidenceResponse response;
  // A case the caller may not read answers as a missing one (access.h).
  EXPECT_EQ(
      Upload("demo-rectifier", Metadata("r-1", unassigned, photo), photo, &response).error_code(),
      grpc::StatusCode::NOT_FOUND);
  // Another county's inspector, the police, an auditor, the admin.
  for (const char* token :
       {"demo-inspector-ganzhou", "demo-police", "demo-auditor", "demo-admin"}) {
    EXPECT_EQ(Upload(token, Metadata(std::string("x-") + token, assigned, photo), photo, &response)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  EXPECT_EQ(store_->LastPosition(), position);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> chunk,
                       store_->ReadEvidenceChunk(HexEncode(Sha256(photo)), 0));
  EXPECT_FALSE(chunk.has_value());

  // Downloads follow read access.
  ASSERT_TRUE(Upload("demo-inspector", Metadata("ok", assigned, photo), photo, &response).ok());
  v1::Evidence metadata;
  std::string bytes;
  EXPECT_EQ(Download("demo-inspector-ganzhou", assigned, "ev-1", &metadata, &bytes).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Download("demo-police", assigned, "ev-1", &metadata, &bytes).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(bytes.empty());
  grpc::ClientContext context;
  v1::DownloadEvidenceRequest request;
  request.set_case_id(assigned);
  request.set_evidence_id("ev-1");
  auto reader = stub_->DownloadEvidence(&context, request);
  v1::DownloadEvidenceResponse message;
  while (reader->Read(&message)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// Issue 11, item 1: the server refuses a file name that is a path or holds
// control characters, before any byte is sent, and stores nothing.
TEST_F(CaseEvidenceTest, FileNamesThatArePathsAreRefusedNamingTheField) {
  const std::string case_id = NewCase("a", /*assign=*/true);
  const uint64_t position = store_->LastPosition();
  const std::string photo = PhotoBytes(4000, 7);
  for (const std::string& name : std::vector<std::string>{"/tmp/x", "../../x", "..\\..\\x", "..", "a\nb.jpg",
                                 std::string("a\0b", 3), std::string(256, 'p')}) {
    v1::UploadEvidenceMetadata metadata = Metadata("path-" + std::to_string(name.size()), case_id,
                                                   photo);
    metadata.set_file_name(name);
    v1::UploadEvidenceResponse response;
    const grpc::Status status = Upload("demo-inspector", metadata, photo, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_THAT(status.error_message(), HasSubstr("file_name")) << name;
  }
  EXPECT_EQ(store_->LastPosition(), position);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> chunk,
                       store_->ReadEvidenceChunk(HexEncode(Sha256(photo)), 0));
  EXPECT_FALSE(chunk.has_value());
}

// Issue 11, item 9: uploads buffer their bytes until the hash is checked, so
// the bytes of all uploads in flight are bounded server-wide: one that does
// not fit beside those in flight is refused with RESOURCE_EXHAUSTED before
// its bytes are sent; one that fits, and the refused one later, succeed.
class SmallUploadBudgetTest : public CaseEvidenceTest {
 protected:
  SmallUploadBudgetTest() { options_.max_upload_buffer_bytes = int64_t{3} << 20; }
};

TEST_F(SmallUploadBudgetTest, UploadsPastTheBudgetAreRefusedAndTheRestStillWork) {
  const std::string case_id = NewCase("a", /*assign=*/false);
  const std::string held_bytes = PhotoBytes(size_t{2} << 20, 11);
  const std::string refused_bytes = PhotoBytes(size_t{2} << 20, 12);
  const std::string small_bytes = PhotoBytes(size_t{1} << 20, 13);

  // An upload that sent its metadata and half its bytes, and waits.
  grpc::ClientContext held_context;
  held_context.AddMetadata("authorization", "Bearer demo-inspector");
  v1::UploadEvidenceResponse held_response;
  std::unique_ptr<grpc::ClientWriter<v1::UploadEvidenceRequest>> held =
      stub_->UploadEvidence(&held_context, &held_response);
  v1::UploadEvidenceRequest message;
  *message.mutable_metadata() = Metadata("held", case_id, held_bytes);
  ASSERT_TRUE(held->Write(message));
  message.set_chunk(held_bytes.substr(0, size_t{1} << 20));
  ASSERT_TRUE(held->Write(message));
  // Wait (bounded) until the server has taken its share: 2 MiB of 3.
  for (int i = 0; i < 500 && service_->upload_bytes_in_flight() != (int64_t{2} << 20); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(service_->upload_bytes_in_flight(), int64_t{2} << 20);

  // 2 MiB more do not fit: refused, nothing stored or recorded.
  const uint64_t position = store_->LastPosition();
  v1::UploadEvidenceResponse response;
  grpc::Status status =
      Upload("demo-inspector", Metadata("refused", case_id, refused_bytes), refused_bytes,
             &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("--max_upload_buffer_mb"));
  EXPECT_EQ(store_->LastPosition(), position);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> chunk,
                       store_->ReadEvidenceChunk(HexEncode(Sha256(refused_bytes)), 0));
  EXPECT_FALSE(chunk.has_value());
  EXPECT_EQ(service_->upload_bytes_in_flight(), int64_t{2} << 20);

  // 1 MiB fits beside the one in flight.
  status = Upload("demo-inspector", Metadata("small", case_id, small_bytes), small_bytes,
                  &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.evidence().evidence_id(), "ev-1");

  // The waiting one completes and gives its share back.
  message.set_chunk(held_bytes.substr(size_t{1} << 20));
  ASSERT_TRUE(held->Write(message));
  ASSERT_TRUE(held->WritesDone());
  status = held->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(held_response.evidence().evidence_id(), "ev-2");
  EXPECT_EQ(service_->upload_bytes_in_flight(), 0);

  // The refused one, sent again, now fits.
  status = Upload("demo-inspector", Metadata("refused", case_id, refused_bytes), refused_bytes,
                  &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.evidence().evidence_id(), "ev-3");
  EXPECT_EQ(response.case_().evidence_size(), 3);
  EXPECT_EQ(service_->upload_bytes_in_flight(), 0);
}

TEST(EvidenceStoreTest, StoreWithoutTheEvidenceFamilyOpensAndGainsIt) {
  rectify::testing::TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto store,
                         storage::RocksEventStore::Open(dir.Sub("data"), storage::StoreOptions()));
    // Make it look like a store created before evidence had a family.
    ASSERT_TRUE(
        store->db()->DropColumnFamily(store->FamilyForTesting(storage::keys::kEvidence)).ok());
  }
  ASSERT_OK_AND_ASSIGN(auto store,
                       storage::RocksEventStore::Open(dir.Sub("data"), storage::StoreOptions()));
  ASSERT_NE(store->FamilyForTesting(storage::keys::kEvidence), nullptr);
  const std::string bytes = PhotoBytes((size_t{1} << 20) + 7, 6);
  const std::string sha = HexEncode(Sha256(bytes));
  ASSERT_OK(store->PutEvidence(sha, bytes));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> first, store->ReadEvidenceChunk(sha, 0));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> second, store->ReadEvidenceChunk(sha, 1));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> third, store->ReadEvidenceChunk(sha, 2));
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_FALSE(third.has_value());
  EXPECT_TRUE(*first + *second == bytes);
}

}  // namespace
}  // namespace rectify::server
