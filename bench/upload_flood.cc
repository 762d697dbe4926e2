// The evidence-upload flood of issue 11, item 9: many uploads of a large file
// at once against a running rectify_server (127.0.0.1 only), to measure what
// the server holds in memory. Reports one case as the inspector, then starts
// --uploads uploads of --mib MiB each together (one thread each, 1 MiB
// chunks, the same bytes so the client stays small) and counts the answers
// by code. bench/run_upload_flood.sh runs it and reads the server's peak RSS.
//
//   upload_flood --server=127.0.0.1:PORT --uploads=100 --mib=60
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "openssl/sha.h"
#include "rectify/v1/case_service.grpc.pb.h"

ABSL_FLAG(std::string, server, "", "host:port of rectify_server; loopback only");
ABSL_FLAG(int, uploads, 100, "uploads started together");
ABSL_FLAG(int, mib, 60, "MiB per upload (at most 64)");
ABSL_FLAG(std::string, token, "demo-inspector", "bearer token of an inspector");

namespace {

std::string Hex(const unsigned char* digest, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[digest[i] >> 4]);
    hex.push_back(kDigits[digest[i] & 15]);
  }
  return hex;
}

int Run() {
  const std::string server = absl::GetFlag(FLAGS_server);
  if (!absl::StartsWith(server, "127.0.0.1:")) {
    std::fprintf(stderr, "--server must be 127.0.0.1:PORT\n");
    return 2;
  }
  const int uploads = absl::GetFlag(FLAGS_uploads);
  const size_t size = size_t(absl::GetFlag(FLAGS_mib)) << 20;
  const std::string token = absl::GetFlag(FLAGS_token);
  grpc::ChannelArguments arguments;
  arguments.SetMaxSendMessageSize(16 << 20);
  // One channel per upload, as from separate tablets.
  std::string bytes(size, '\0');
  uint32_t x = 2463534242u;
  for (char& c : bytes) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  const std::string sha = Hex(digest, sizeof digest);

  auto stub = rectify::v1::CaseService::NewStub(
      grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), arguments));
  std::string case_id;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    rectify::v1::ReportCaseRequest request;
    request.set_command_id(absl::StrCat("flood-report-", absl::ToUnixNanos(absl::Now())));
    request.set_title("上传压力测试");
    request.set_category(rectify::v1::CATEGORY_WATER);
    request.set_severity(rectify::v1::SEVERITY_LOW);
    request.set_source(rectify::v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code("620722100");
    request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
    rectify::v1::ReportCaseResponse response;
    const grpc::Status status = stub->ReportCase(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "ReportCase: %s\n", status.error_message().c_str());
      return 1;
    }
    case_id = response.case_().case_id();
  }

  absl::Mutex mutex;
  std::map<std::string, int> answers;
  absl::Barrier* start = new absl::Barrier(uploads);
  std::vector<std::thread> threads;
  const absl::Time began = absl::Now();
  for (int i = 0; i < uploads; ++i) {
    threads.emplace_back([&, i] {
      auto own = rectify::v1::CaseService::NewStub(grpc::CreateCustomChannel(
          server, grpc::InsecureChannelCredentials(), arguments));
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + token);
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
      rectify::v1::UploadEvidenceResponse response;
      if (start->Block()) delete start;
      auto writer = own->UploadEvidence(&context, &response);
      rectify::v1::UploadEvidenceRequest message;
      auto& metadata = *message.mutable_metadata();
      metadata.set_command_id(absl::StrCat("flood-", i, "-", absl::ToUnixNanos(began)));
      metadata.set_case_id(case_id);
      metadata.set_kind(rectify::v1::EVIDENCE_KIND_VIDEO);
      metadata.set_file_name(absl::StrCat("flood-", i, ".mp4"));
      metadata.set_media_type("video/mp4");
      metadata.set_sha256(sha);
      metadata.set_size_bytes(static_cast<int64_t>(bytes.size()));
      bool open = writer->Write(message);
      for (size_t offset = 0; open && offset < bytes.size(); offset += size_t{1} << 20) {
        message.set_chunk(bytes.substr(offset, size_t{1} << 20));
        open = writer->Write(message);
      }
      if (open) writer->WritesDone();
      const grpc::Status status = writer->Finish();
      absl::MutexLock lock(&mutex);
      ++answers[status.ok() ? "OK"
                : status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED
                    ? "RESOURCE_EXHAUSTED"
                    : absl::StrCat("code ", status.error_code())];
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::printf("%d uploads of %zu MiB in %.1f s:", uploads, size >> 20,
              absl::ToDoubleSeconds(absl::Now() - began));
  for (const auto& [answer, count] : answers) std::printf(" %s x%d", answer.c_str(), count);
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return Run();
}
