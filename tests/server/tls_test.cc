// The real rectify_server binary with its operational flags: TLS (plaintext
// refused, a TLS client served), client-certificate checking with
// --tls_client_ca, and policy and calendar files (a malformed one stops the
// server with the line-numbered message). Certificates are made in the test
// with the `openssl` command; everything listens on 127.0.0.1 only.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::Run;
using ::rectify::testing::Runfile;
using ::rectify::testing::Subprocess;
using ::testing::HasSubstr;

// The openssl command, found on PATH (the subprocess helper does not search
// it); scripts/install-deps installs it.
std::string OpenSslPath() {
  const char* path = getenv("PATH");
  for (absl::string_view entry : absl::StrSplit(path != nullptr ? path : "/usr/bin:/bin", ':')) {
    const std::string candidate = absl::StrCat(entry, "/openssl");
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "/usr/bin/openssl";
}

// Runs openssl with `args` in `dir`; fails the test when it fails.
void OpenSsl(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), OpenSslPath());
  std::string out, err;
  absl::StatusOr<int> code = Run(args, dir, &out, &err);
  ASSERT_TRUE(code.ok()) << code.status();
  ASSERT_EQ(*code, 0) << absl::StrJoin(args, " ") << ": " << err;
}

// A self-signed CA `name`, and a certificate `leaf` it signed for
// 127.0.0.1 and localhost: name.pem, name.key, leaf.pem, leaf.key in `dir`.
void MakeCertificates(const std::string& dir, const std::string& name, const std::string& leaf) {
  const std::string ca = dir + "/" + name;
  const std::string cert = dir + "/" + leaf;
  ASSERT_NO_FATAL_FAILURE(
      OpenSsl(dir, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", ca + ".key", "-out", ca + ".pem", "-days", "2", "-subj",
                    "/CN=Rectify test CA " + name, "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"}));
  ASSERT_NO_FATAL_FAILURE(OpenSsl(
      dir, {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", cert + ".key", "-out", cert + ".csr", "-subj", "/CN=localhost"}));
  FILE* file = fopen((cert + ".ext").c_str(), "w");
  ASSERT_NE(file, nullptr);
  fputs(
      "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
      "extendedKeyUsage=serverAuth,clientAuth\n",
      file);
  fclose(file);
  ASSERT_NO_FATAL_FAILURE(
      OpenSsl(dir, {"x509", "-req", "-in", cert + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                    "-CAcreateserial", "-CAserial", ca + ".srl", "-out", cert + ".pem", "-days",
                    "2", "-extfile", cert + ".ext"}));
}

class ServerProcess {
 public:
  explicit ServerProcess(const rectify::testing::TempDir& dir) : dir_(dir) {}

  // Starts the server with `flags` and waits (bounded) for its port file.
  void Start(const std::vector<std::string>& flags) {
    const std::string port_file = dir_.Sub("port");
    std::vector<std::string> argv = {
        Runfile("server/rectify_server"), "--listen=127.0.0.1:0", "--data_dir=" + dir_.Sub("data"),
        "--principals_file=" + Runfile("config/principals.demo.textproto"),
        "--port_file=" + port_file};
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto process = Subprocess::Start(argv, dir_.Sub("server.out"), dir_.Sub("server.err"));
    ASSERT_TRUE(process.ok()) << process.status();
    process_.emplace(std::move(*process));
    for (int i = 0; i < 2000 && port_ == 0; ++i) {
      std::string text(absl::StripAsciiWhitespace(ReadFileOrEmpty(port_file)));
      if (!text.empty()) {
        ASSERT_TRUE(absl::SimpleAtoi(text, &port_));
      }
      if (port_ == 0) usleep(10000);
    }
    ASSERT_NE(port_, 0) << "the server did not start: " << ReadFileOrEmpty(dir_.Sub("server.err"));
  }

  ~ServerProcess() {
    if (process_.has_value()) {
      process_->Signal(SIGTERM);
      (void)process_->Wait(absl::Seconds(30));
    }
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  const rectify::testing::TempDir& dir_;
  std::optional<Subprocess> process_;
  int port_ = 0;
};

// GetCase of a case that does not exist: NOT_FOUND means the call reached
// the service over the channel; UNAVAILABLE means the handshake failed.
grpc::Status ProbeGetCase(const std::string& address,
                          std::shared_ptr<grpc::ChannelCredentials> credentials) {
  auto channel = grpc::CreateChannel(address, credentials);
  auto stub = v1::CaseService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer demo-inspector");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetCaseRequest request;
  request.set_case_id("620722-2026-000404");
  v1::GetCaseResponse response;
  return stub->GetCase(&context, request, &response);
}

std::shared_ptr<grpc::ChannelCredentials> TlsClient(const rectify::testing::TempDir& dir,
                                                    const std::string& trusted_ca,
                                                    const std::string& client_cert = "") {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFileOrEmpty(dir.Sub(trusted_ca + ".pem"));
  if (!client_cert.empty()) {
    options.pem_cert_chain = ReadFileOrEmpty(dir.Sub(client_cert + ".pem"));
    options.pem_private_key = ReadFileOrEmpty(dir.Sub(client_cert + ".key"));
  }
  return grpc::SslCredentials(options);
}

TEST(TlsTest, RefusesPlaintextAndServesATlsClient) {
  rectify::testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "ca", "server"));
  ServerProcess server(dir);
  ASSERT_NO_FATAL_FAILURE(
      server.Start({"--tls_cert=" + dir.Sub("server.pem"), "--tls_key=" + dir.Sub("server.key")}));

  EXPECT_EQ(ProbeGetCase(server.address(), grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  const grpc::Status over_tls = ProbeGetCase(server.address(), TlsClient(dir, "ca"));
  EXPECT_EQ(over_tls.error_code(), grpc::StatusCode::NOT_FOUND) << over_tls.error_message();

  // A client that does not trust the server's CA does not connect.
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "other", "stranger"));
  EXPECT_EQ(ProbeGetCase(server.address(), TlsClient(dir, "other")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(TlsTest, ClientCertificatesAreRequiredAndVerifiedWithClientCa) {
  rectify::testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "ca", "server"));
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "clients", "tablet"));
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "rogue", "intruder"));
  ServerProcess server(dir);
  ASSERT_NO_FATAL_FAILURE(
      server.Start({"--tls_cert=" + dir.Sub("server.pem"), "--tls_key=" + dir.Sub("server.key"),
                    "--tls_client_ca=" + dir.Sub("clients.pem")}));

  // No client certificate, or one the client CA did not sign: refused.
  EXPECT_EQ(ProbeGetCase(server.address(), TlsClient(dir, "ca")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ProbeGetCase(server.address(), TlsClient(dir, "ca", "intruder")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // A certificate from the client CA: served.
  const grpc::Status served = ProbeGetCase(server.address(), TlsClient(dir, "ca", "tablet"));
  EXPECT_EQ(served.error_code(), grpc::StatusCode::NOT_FOUND) << served.error_message();
}

// Runs the server with `flags` expecting it to refuse to start; its stderr.
std::string StartupFailure(const rectify::testing::TempDir& dir,
                           const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {
      Runfile("server/rectify_server"), "--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data"),
      "--principals_file=" + Runfile("config/principals.demo.textproto")};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::string out, err;
  absl::StatusOr<int> code = Run(argv, dir.path(), &out, &err);
  EXPECT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code.value_or(-1), 1) << err;
  return err;
}

void WriteFile(const std::string& path, const std::string& text) {
  FILE* file = fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  fputs(text.c_str(), file);
  fclose(file);
}

TEST(ServerFlagsTest, MalformedPolicyOrCalendarStopsTheServerWithTheLine) {
  rectify::testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(WriteFile(
      dir.Sub("policy.txt"), "# county policy\nname: test\ndeadline: PUBLIC_NOTICE five days\n"));
  EXPECT_THAT(StartupFailure(dir, {"--policy_file=" + dir.Sub("policy.txt")}),
              HasSubstr("policy line 3"));
  ASSERT_NO_FATAL_FAILURE(
      WriteFile(dir.Sub("calendar.txt"), "zone: Asia/Shanghai\nyear: 2026\nholiday: 2026-13-01\n"));
  EXPECT_THAT(StartupFailure(dir, {"--calendar_file=" + dir.Sub("calendar.txt")}),
              HasSubstr("calendar line 3"));
  EXPECT_THAT(StartupFailure(dir, {"--policy_file=" + dir.Sub("missing.txt")}),
              HasSubstr("missing.txt"));
  // Half a TLS configuration is refused, not silently served in plaintext.
  EXPECT_THAT(StartupFailure(dir, {"--tls_cert=" + dir.Sub("policy.txt")}), HasSubstr("--tls_key"));
}

// Issue 11: every file flag given a directory, a missing file or (when the
// test does not run as root, who reads anything) an unreadable one stops the
// server with exit 1 and a line naming the flag and the path.
TEST(ServerFlagsTest, EveryFileFlagRefusesADirectoryMissingOrUnreadableFile) {
  rectify::testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "ca", "server"));
  const std::string folder = dir.Sub("folder");
  ASSERT_EQ(mkdir(folder.c_str(), 0755), 0);
  const std::string cert = "--tls_cert=" + dir.Sub("server.pem");
  const std::string key = "--tls_key=" + dir.Sub("server.key");
  // The flag under test, and the others it needs.
  const std::vector<std::pair<std::string, std::vector<std::string>>> flags = {
      {"principals_file", {}},    {"policy_file", {}}, {"calendar_file", {}},
      {"tls_cert", {key}},        {"tls_key", {cert}}, {"tls_client_ca", {cert, key}},
  };
  const std::string unreadable = dir.Sub("unreadable.txt");
  ASSERT_NO_FATAL_FAILURE(WriteFile(unreadable, "secret\n"));
  ASSERT_EQ(chmod(unreadable.c_str(), 0), 0);
  const bool root = geteuid() == 0;
  for (const auto& [flag, others] : flags) {
    std::vector<std::string> given = others;
    given.push_back("--" + flag + "=" + folder);
    EXPECT_THAT(StartupFailure(dir, given),
                HasSubstr("--" + flag + ": " + folder + " is a directory, not a file"));
    given.back() = "--" + flag + "=" + dir.Sub("missing.txt");
    EXPECT_THAT(StartupFailure(dir, given),
                HasSubstr("--" + flag + ": " + dir.Sub("missing.txt") + " does not exist"));
    if (!root) {
      given.back() = "--" + flag + "=" + unreadable;
      EXPECT_THAT(StartupFailure(dir, given),
                  HasSubstr("--" + flag + ": " + unreadable + " cannot be read: Permission denied"));
    }
  }
  // The data directory given as a file, the port file as a directory.
  EXPECT_THAT(StartupFailure(dir, {"--data_dir=" + dir.Sub("server.pem")}),
              HasSubstr("--data_dir: " + dir.Sub("server.pem") + " is a file, not a directory"));
  EXPECT_THAT(StartupFailure(dir, {"--port_file=" + folder}),
              HasSubstr("--port_file: " + folder + " is a directory, not a file"));
  // A principals file that names nobody.
  ASSERT_NO_FATAL_FAILURE(WriteFile(dir.Sub("empty.textproto"), "# nobody\n"));
  EXPECT_THAT(StartupFailure(dir, {"--principals_file=" + dir.Sub("empty.textproto")}),
              HasSubstr("names no principal"));
}

// Issue 11: a key that is not the certificate's stops the start (it used to
// start and fail every handshake).
TEST(ServerFlagsTest, ATlsKeyOfAnotherCertificateStopsTheServer) {
  rectify::testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "ca", "server"));
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(dir.path(), "ca2", "other"));
  const std::string err = StartupFailure(
      dir, {"--listen=127.0.0.1:0", "--tls_cert=" + dir.Sub("server.pem"),
            "--tls_key=" + dir.Sub("other.key")});
  EXPECT_THAT(err, HasSubstr("--tls_key: the private key in " + dir.Sub("other.key") +
                             " does not belong to the certificate in " + dir.Sub("server.pem")));
  // A key file holding a certificate, not a key.
  EXPECT_THAT(StartupFailure(dir, {"--tls_cert=" + dir.Sub("server.pem"),
                                   "--tls_key=" + dir.Sub("server.pem")}),
              HasSubstr("--tls_key: " + dir.Sub("server.pem") + " holds no readable"));
}

// Issue 11: numbers that make no sense stop the start, naming the flag and
// the range.
TEST(ServerFlagsTest, NumericFlagsOutOfRangeStopTheServer) {
  rectify::testing::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--block_cache_mb=-1", "--block_cache_mb is -1; it must be 1 to 1048576"},
      {"--block_cache_mb=0", "--block_cache_mb is 0; it must be 1 to 1048576"},
      {"--max_queued_commands=-5", "--max_queued_commands is -5; it must be 1 to 10000000"},
      {"--max_queued_commands=0", "--max_queued_commands is 0; it must be 1 to 10000000"},
      {"--max_message_bytes=100", "--max_message_bytes is 100; it must be 4194304 to 1073741824"},
      {"--max_upload_buffer_mb=-1", "--max_upload_buffer_mb is -1; it must be 64 to 1048576"},
      {"--max_upload_buffer_mb=10", "--max_upload_buffer_mb is 10; it must be 64 to 1048576"},
  };
  for (const auto& [flag, message] : bad) {
    EXPECT_THAT(StartupFailure(dir, {flag}), HasSubstr(message)) << flag;
  }
}

TEST(ServerFlagsTest, ShippedPolicyAndCalendarFilesStart) {
  rectify::testing::TempDir dir;
  ServerProcess server(dir);
  ASSERT_NO_FATAL_FAILURE(server.Start({"--policy_file=" + Runfile("config/policy_620722.txt"),
                                        "--calendar_file=" + Runfile("config/calendar_cn.txt")}));
  EXPECT_EQ(ProbeGetCase(server.address(), grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(ReadFileOrEmpty(dir.Sub("server.err")), HasSubstr("policy=620722"));
}

}  // namespace
}  // namespace rectify
