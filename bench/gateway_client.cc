// The gateway benchmark's client (docs/benchmarks.md, "Web gateway"): with a
// rectify_server and a rectify_web in front of it already running, it
//   1. reports one case over gRPC as the demo inspector;
//   2. times GetCase of that case one call after another, alternately in
//      rounds of 100: directly over gRPC (the baseline) and through the
//      gateway as Connect JSON over HTTP/1.1 keep-alive with a session
//      cookie; prints p50/p99 of each, the ratio and the difference;
//   3. opens --sessions concurrent HTTP clients, each with its own
//      connection and session cookie, calling GetCase for --seconds, and
//      prints the gateway's RSS (sampled each 50 ms) and peak RSS.
//
//   gateway_client --server=127.0.0.1:PORT --web_port=PORT --web_pid=PID
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "httplib.h"
#include "rectify/v1/case_service.grpc.pb.h"

ABSL_FLAG(std::string, server, "", "rectify_server's address");
ABSL_FLAG(int, web_port, 0, "rectify_web's port on 127.0.0.1");
ABSL_FLAG(int, web_pid, 0, "rectify_web's process id, for its RSS");
ABSL_FLAG(int, calls, 5000, "GetCase calls on each path");
ABSL_FLAG(int, sessions, 200, "concurrent HTTP sessions in part 3");
ABSL_FLAG(int, seconds, 10, "how long part 3 runs");

namespace {

using Clock = std::chrono::steady_clock;

// A field of /proc/PID/status in KiB.
int64_t ProcKib(int pid, absl::string_view field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (absl::ConsumePrefix(&rest, field) && absl::ConsumePrefix(&rest, ":")) {
      rest = absl::StripAsciiWhitespace(rest);
      absl::ConsumeSuffix(&rest, " kB");
      int64_t kib = 0;
      if (absl::SimpleAtoi(rest, &kib)) return kib;
    }
  }
  return -1;
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int web_port = absl::GetFlag(FLAGS_web_port);
  auto stub = rectify::v1::CaseService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials()));

  // 1. One case.
  rectify::v1::ReportCaseRequest report;
  report.set_command_id(absl::StrCat("gateway-bench-", getpid()));
  report.set_title("河道旁堆放建筑垃圾");
  report.set_category(rectify::v1::CATEGORY_WATER);
  report.set_severity(rectify::v1::SEVERITY_MEDIUM);
  report.set_source(rectify::v1::CASE_SOURCE_INSPECTION);
  report.mutable_location()->set_region_code("620722");
  report.mutable_location()->set_address("洪水镇 北滩村");
  report.mutable_found_at()->set_seconds(1767578400);  // 2026-01-05
  rectify::v1::ReportCaseResponse reported;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-inspector");
    const grpc::Status status = stub->ReportCase(&context, report, &reported);
    if (!status.ok()) {
      absl::FPrintF(stderr, "ReportCase: %s\n", status.error_message());
      return 1;
    }
  }
  const std::string case_id = reported.case_().case_id();
  const std::string body = absl::StrCat(R"({"caseId":")", case_id, R"("})");
  const httplib::Headers headers = {
      {"Cookie", "rectify_session=demo-supervisor"},
      {"Origin", absl::StrCat("http://127.0.0.1:", web_port)},
      {"Connect-Protocol-Version", "1"}};

  // 2. Latency, alternating rounds.
  httplib::Client http("127.0.0.1", web_port);
  http.set_keep_alive(true);
  http.set_tcp_nodelay(true);  // as browsers do
  rectify::v1::GetCaseRequest get;
  get.set_case_id(case_id);
  std::vector<double> direct_ms;
  std::vector<double> gateway_ms;
  const int calls = absl::GetFlag(FLAGS_calls);
  for (int done = 0; done < calls; done += 100) {
    for (int i = 0; i < 100; ++i) {
      rectify::v1::GetCaseResponse reply;
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer demo-supervisor");
      const auto start = Clock::now();
      const grpc::Status status = stub->GetCase(&context, get, &reply);
      direct_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (!status.ok()) return 1;
    }
    for (int i = 0; i < 100; ++i) {
      const auto start = Clock::now();
      httplib::Result result = http.Post("/rectify.v1.CaseService/GetCase", headers, body,
                                         "application/json");
      gateway_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (!result || result->status != 200) {
        absl::FPrintF(stderr, "gateway GetCase failed\n");
        return 1;
      }
    }
  }
  const double d50 = Percentile(direct_ms, 0.50), d99 = Percentile(direct_ms, 0.99);
  const double g50 = Percentile(gateway_ms, 0.50), g99 = Percentile(gateway_ms, 0.99);
  absl::PrintF("GetCase, %d calls each, one after another\n", calls);
  absl::PrintF("  direct gRPC:           p50 %.3f ms  p99 %.3f ms\n", d50, d99);
  absl::PrintF("  through rectify_web:   p50 %.3f ms  p99 %.3f ms\n", g50, g99);
  absl::PrintF("  gateway/direct:        p50 x%.2f (+%.3f ms)  p99 x%.2f (+%.3f ms)\n", g50 / d50,
               g50 - d50, g99 / d99, g99 - d99);

  // 3. Concurrent sessions.
  const int pid = absl::GetFlag(FLAGS_web_pid);
  const int64_t rss_idle = ProcKib(pid, "VmRSS");
  const int sessions = absl::GetFlag(FLAGS_sessions);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> ok_calls{0};
  std::atomic<int64_t> failed_calls{0};
  std::vector<std::thread> clients;
  const char* tokens[] = {"demo-supervisor", "demo-inspector", "demo-inspector-2",
                          "demo-bureau-head", "demo-auditor"};
  for (int s = 0; s < sessions; ++s) {
    clients.emplace_back([&, s] {
      httplib::Client client("127.0.0.1", web_port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(30, 0);
      const httplib::Headers session = {
          {"Cookie", absl::StrCat("rectify_session=", tokens[s % 5])},
          {"Origin", absl::StrCat("http://127.0.0.1:", web_port)},
          {"Connect-Protocol-Version", "1"}};
      while (!stop.load()) {
        httplib::Result result =
            client.Post("/rectify.v1.CaseService/GetCase", session, body, "application/json");
        if (result && result->status == 200) {
          ok_calls.fetch_add(1);
        } else {
          if (failed_calls.fetch_add(1) < 3) {
            absl::FPrintF(stderr, "session %d: %s\n", s,
                          result ? absl::StrCat("HTTP ", result->status)
                                 : httplib::to_string(result.error()));
          }
        }
      }
    });
  }
  int64_t rss_max = 0;
  const auto end = Clock::now() + std::chrono::seconds(absl::GetFlag(FLAGS_seconds));
  while (Clock::now() < end) {
    rss_max = std::max(rss_max, ProcKib(pid, "VmRSS"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop.store(true);
  for (std::thread& client : clients) client.join();
  absl::PrintF("%d concurrent sessions for %d s: %d calls answered 200, %d failed\n", sessions,
               absl::GetFlag(FLAGS_seconds), ok_calls.load(), failed_calls.load());
  absl::PrintF("  rectify_web RSS: idle %.1f MiB, highest sampled %.1f MiB, peak (VmHWM) %.1f MiB\n",
               rss_idle / 1024.0, rss_max / 1024.0, ProcKib(pid, "VmHWM") / 1024.0);
  return 0;
}
