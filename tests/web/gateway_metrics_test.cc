// rectify_web's metrics endpoint and request ids, end to end: the real
// rectify_server and rectify_web on loopback, Connect calls over HTTP, and
// scrapes of the gateway's own loopback /metrics before and after (request
// counts, their latency histogram, upstream call times; promtool checks the
// text). The counts asserted are the requests this test sends.
#include <cstring>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/prometheus_text.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "tests/web/web_process.h"

namespace rectify::web {
namespace {

using ::rectify::testing::Labels;
using ::rectify::testing::ParseSamples;
using ::rectify::testing::Sample;
using ::rectify::testing::ServerProcess;
using ::rectify::testing::TempDir;
using ::rectify::testing::ValueOr0;
using ::rectify::testing::WebProcess;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class GatewayMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    // Built once the server has its port.
    web_.emplace(dir_, server_.address(),
                 std::vector<std::string>{"--metrics_listen=127.0.0.1:0",
                                          "--metrics_port_file=" + dir_.Sub("web_metrics.port")});
    web_->Start();
    const std::string text = rectify::testing::ReadFileOrEmpty(dir_.Sub("web_metrics.port"));
    ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &metrics_port_))
        << web_->last_stderr();
  }
  void TearDown() override {
    if (web_.has_value()) {
      EXPECT_EQ(web_->Stop(), 0);
    }
    EXPECT_EQ(server_.Stop(), 0);
  }

  std::string ScrapeText(int port = 0) {
    httplib::Client client("127.0.0.1", port != 0 ? port : metrics_port_);
    httplib::Result result = client.Get("/metrics");
    EXPECT_TRUE(result);
    if (!result) return "";
    EXPECT_EQ(result->status, 200);
    return result->body;
  }

  // GetCase of a case that does not exist, as the demo inspector; the
  // reply's X-Request-Id in `*reply_id`.
  int GetMissingCase(const std::string& request_id, std::string* reply_id) {
    httplib::Client client("127.0.0.1", web_->port());
    httplib::Headers headers = {{"Origin", web_->origin()},
                                {"Connect-Protocol-Version", "1"},
                                {"Cookie", "rectify_session=demo-inspector"}};
    if (!request_id.empty()) headers.emplace("X-Request-Id", request_id);
    httplib::Result result = client.Post("/rectify.v1.CaseService/GetCase", headers,
                                         R"({"caseId":"620722-2026-999999"})", "application/json");
    EXPECT_TRUE(result);
    if (!result) return -1;
    *reply_id = result->get_header_value("X-Request-Id");
    return result->status;
  }

  TempDir dir_;
  ServerProcess server_{dir_,
                        {"--metrics_listen=127.0.0.1:0",
                         "--metrics_port_file=" + dir_.Sub("server_metrics.port")}};
  std::optional<WebProcess> web_;
  int metrics_port_ = 0;
};

TEST_F(GatewayMetricsTest, CountsRequestsAndPassesRequestIdsThrough) {
  const std::vector<Sample> before = ParseSamples(ScrapeText());
  std::string reply_id;
  // NOT_FOUND is HTTP 404 in Connect.
  ASSERT_EQ(GetMissingCase("web-rid-1", &reply_id), 404);
  EXPECT_EQ(reply_id, "web-rid-1");
  ASSERT_EQ(GetMissingCase("", &reply_id), 404);
  EXPECT_THAT(reply_id, MatchesRegex("[0-9a-f]{32}"));
  const std::string made = reply_id;
  // An unacceptable id is replaced.
  ASSERT_EQ(GetMissingCase("bad id;", &reply_id), 404);
  EXPECT_THAT(reply_id, MatchesRegex("[0-9a-f]{32}"));
  // cpp-httplib counts a request (its logger) just after writing the
  // reply: poll, bounded, until the third is counted.
  const Labels connect_404{{"route", "connect"}, {"code", "404"}};
  std::vector<Sample> after = ParseSamples(ScrapeText());
  for (int i = 0; i < 100 &&
                  ValueOr0(after, "rectify_web_http_requests_total", connect_404) -
                          ValueOr0(before, "rectify_web_http_requests_total", connect_404) <
                      3;
       ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    after = ParseSamples(ScrapeText());
  }
  EXPECT_EQ(ValueOr0(after, "rectify_web_http_requests_total", connect_404) -
                ValueOr0(before, "rectify_web_http_requests_total", connect_404),
            3);
  // Each of the three has its latency in the route's histogram: counted
  // once, in the +Inf bucket and in the count alike.
  EXPECT_EQ(ValueOr0(after, "rectify_web_http_request_duration_seconds_count", connect_404) -
                ValueOr0(before, "rectify_web_http_request_duration_seconds_count", connect_404),
            3);
  Labels connect_404_inf = connect_404;
  connect_404_inf.emplace("le", "+Inf");
  EXPECT_EQ(ValueOr0(after, "rectify_web_http_request_duration_seconds_bucket", connect_404_inf) -
                ValueOr0(before, "rectify_web_http_request_duration_seconds_bucket",
                         connect_404_inf),
            3);
  const Labels get_case{{"grpc_method", "GetCase"}, {"grpc_code", "NOT_FOUND"}};
  EXPECT_EQ(ValueOr0(after, "rectify_web_upstream_seconds_count", get_case) -
                ValueOr0(before, "rectify_web_upstream_seconds_count", get_case),
            3);

  // rectify_server logged each refusal under the id the browser got.
  const std::string log = server_.last_stderr();
  for (const std::string& id : {std::string("web-rid-1"), made}) {
    bool found = false;
    for (absl::string_view line : absl::StrSplit(log, '\n')) {
      if (absl::StrContains(line, "request_id=" + id)) {
        found = true;
        EXPECT_THAT(std::string(line), HasSubstr("code=NOT_FOUND"));
      }
    }
    EXPECT_TRUE(found) << id << "\n" << log;
  }

  int code = -1;
  absl::StatusOr<std::string> verdict =
      rectify::testing::PromtoolCheckMetrics(ScrapeText(), dir_.path(), &code);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_EQ(code, 0) << *verdict;
  EXPECT_EQ(*verdict, "");
}

// Every metric the alert rules and the Grafana dashboard name is served by
// rectify_server or rectify_web (after a call through both), so that a typo
// or a renamed metric cannot leave an alert or a panel silently empty.
TEST_F(GatewayMetricsTest, RulesAndDashboardNameOnlyServedMetrics) {
  std::string reply_id;
  ASSERT_EQ(GetMissingCase("", &reply_id), 404);
  // A report through the gateway, so that a commit is counted too.
  httplib::Client client("127.0.0.1", web_->port());
  httplib::Result reported = client.Post(
      "/rectify.v1.CaseService/ReportCase",
      {{"Origin", web_->origin()},
       {"Connect-Protocol-Version", "1"},
       {"Cookie", "rectify_session=demo-inspector"}},
      R"({"commandId":"gw-metrics-1","title":"黑河排污口","category":"CATEGORY_WATER",
          "severity":"SEVERITY_MEDIUM","source":"CASE_SOURCE_INSPECTION",
          "location":{"regionCode":"620722"},"foundAt":"2026-01-05T02:00:00Z"})",
      "application/json");
  ASSERT_TRUE(reported);
  ASSERT_EQ(reported->status, 200) << reported->body;
  int server_port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::StripAsciiWhitespace(rectify::testing::ReadFileOrEmpty(dir_.Sub("server_metrics.port"))),
      &server_port));
  const std::string served = ScrapeText(server_port) + ScrapeText();
  std::set<std::string> families;
  for (absl::string_view line : absl::StrSplit(served, '\n')) {
    if (!absl::ConsumePrefix(&line, "# TYPE ")) continue;
    families.insert(std::string(line.substr(0, line.find(' '))));
  }
  for (const std::string file : {"deploy/prometheus/rules.yml", "deploy/grafana/rectify.json"}) {
    const std::string text = rectify::testing::ReadFileOrEmpty(rectify::testing::Runfile(file));
    ASSERT_FALSE(text.empty()) << file;
    std::set<std::string> named;
    static const std::regex kMetric(R"(\b((rectify|grpc_server|process)_[a-z_]+)\b)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kMetric);
         it != std::sregex_iterator(); ++it) {
      std::string name = (*it)[1].str();
      for (const char* suffix : {"_bucket", "_count", "_sum"}) {
        if (!families.count(name) && absl::EndsWith(name, suffix)) {
          name = name.substr(0, name.size() - strlen(suffix));
        }
      }
      named.insert(name);
    }
    EXPECT_GT(named.size(), 5u) << file;
    for (const std::string& name : named) {
      // "rectify_server"/"rectify_web" are job names, "rectify_admin" a
      // command; rectify-overview the dashboard's uid.
      if (name == "rectify_server" || name == "rectify_web" || name == "rectify_admin") continue;
      EXPECT_TRUE(families.count(name)) << file << " names " << name << ", which is not served";
    }
  }
}

}  // namespace
}  // namespace rectify::web
