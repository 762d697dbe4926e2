// The metrics endpoint and request ids of the real rectify_server, end to
// end: the binary on 127.0.0.1 port 0 with --metrics_listen=127.0.0.1:0, real
// gRPC calls, and scrapes of the real /metrics before and after. The counts
// asserted are the calls this test makes (hand-counted), not figures read
// back from the code under test; Debian's promtool checks the exposition.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "tests/prometheus_text.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::Find;
using ::rectify::testing::Labels;
using ::rectify::testing::ParseSamples;
using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::Runfile;
using ::rectify::testing::Sample;
using ::rectify::testing::ServerProcess;
using ::rectify::testing::Sum;
using ::rectify::testing::ValueOr0;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

Labels ReportCaseCode(const std::string& code) {
  return {{"grpc_service", "rectify.v1.CaseService"},
          {"grpc_method", "ReportCase"},
          {"grpc_code", code}};
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    const std::string port_text = ReadFileOrEmpty(dir_.Sub("metrics.port"));
    ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(port_text), &metrics_port_))
        << "metrics port file: \"" << port_text << "\"\n"
        << server_.last_stderr();
    channel_ = grpc::CreateChannel(server_.address(), grpc::InsecureChannelCredentials());
    stub_ = v1::CaseService::NewStub(channel_);
  }

  void TearDown() override { EXPECT_EQ(server_.Stop(), 0) << server_.last_stderr(); }

  // GET /metrics: the body, after checking status and content type.
  std::string ScrapeText() {
    httplib::Client client("127.0.0.1", metrics_port_);
    client.set_read_timeout(10, 0);
    httplib::Result result = client.Get("/metrics");
    EXPECT_TRUE(result) << "scrape failed: " << httplib::to_string(result.error());
    if (!result) return "";
    EXPECT_EQ(result->status, 200);
    EXPECT_THAT(result->get_header_value("Content-Type"), HasSubstr("text/plain"));
    return result->body;
  }
  std::vector<Sample> Scrape() { return ParseSamples(ScrapeText()); }

  v1::ReportCaseRequest Report(const std::string& command_id) {
    v1::ReportCaseRequest request;
    request.set_command_id(command_id);
    request.set_title("黑河排污口");
    request.set_category(v1::CATEGORY_WATER);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code("620722100");
    request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(absl::Now() - absl::Hours(1)));
    return request;
  }

  // ReportCase as the demo inspector, with `request_id` as x-request-id
  // unless empty; `trailer_id` gets the x-request-id of the trailers.
  grpc::Status Send(const v1::ReportCaseRequest& request, const std::string& request_id = "",
                    std::string* trailer_id = nullptr, v1::ReportCaseResponse* out = nullptr) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-inspector");
    if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::ReportCaseResponse response;
    grpc::Status status = stub_->ReportCase(&context, request, out != nullptr ? out : &response);
    if (trailer_id != nullptr) {
      const auto& trailers = context.GetServerTrailingMetadata();
      auto it = trailers.find("x-request-id");
      *trailer_id = it == trailers.end() ? "" : std::string(it->second.data(), it->second.size());
    }
    return status;
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_,
                        {"--metrics_listen=127.0.0.1:0",
                         "--metrics_port_file=" + dir_.Sub("metrics.port")}};
  int metrics_port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

TEST_F(MetricsTest, CountsMoveExactlyWithTheCallsMade) {
  const std::vector<Sample> before = Scrape();
  // Three reports accepted, one refused (no title).
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(Send(Report(absl::StrCat("metrics-ok-", i))).ok());
  }
  v1::ReportCaseRequest untitled = Report("metrics-bad-1");
  untitled.clear_title();
  ASSERT_EQ(Send(untitled).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<Sample> after = Scrape();

  EXPECT_EQ(ValueOr0(after, "grpc_server_handled_total", ReportCaseCode("OK")) -
                ValueOr0(before, "grpc_server_handled_total", ReportCaseCode("OK")),
            3);
  EXPECT_EQ(ValueOr0(after, "grpc_server_handled_total", ReportCaseCode("INVALID_ARGUMENT")) -
                ValueOr0(before, "grpc_server_handled_total", ReportCaseCode("INVALID_ARGUMENT")),
            1);
  const Labels report{{"grpc_service", "rectify.v1.CaseService"}, {"grpc_method", "ReportCase"}};
  EXPECT_EQ(ValueOr0(after, "grpc_server_started_total", report) -
                ValueOr0(before, "grpc_server_started_total", report),
            4);
  // The latency histogram saw the same three calls; each took under 10 s
  // (the call's deadline was 30 s, but a report commits in milliseconds),
  // so the +Inf and 10 s buckets agree with _count.
  EXPECT_EQ(ValueOr0(after, "grpc_server_handling_seconds_count", ReportCaseCode("OK")) -
                ValueOr0(before, "grpc_server_handling_seconds_count", ReportCaseCode("OK")),
            3);
  Labels ok_inf = ReportCaseCode("OK");
  ok_inf["le"] = "+Inf";
  EXPECT_EQ(ValueOr0(after, "grpc_server_handling_seconds_bucket", ok_inf), 3);
  EXPECT_GT(ValueOr0(after, "grpc_server_handling_seconds_sum", ReportCaseCode("OK")), 0);

  // Four commands, each awaited before the next was sent: four batches of
  // one. The untitled one is refused by the writer's Decide, so nothing of
  // its batch is committed: three commits, each writing one CaseReported.
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_commands_total") -
                ValueOr0(before, "rectify_pipeline_commands_total"),
            4);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_commits_total", {{"result", "ok"}}) -
                ValueOr0(before, "rectify_pipeline_commits_total", {{"result", "ok"}}),
            3);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_commits_total", {{"result", "failed"}}), 0);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_commit_seconds_count") -
                ValueOr0(before, "rectify_pipeline_commit_seconds_count"),
            3);
  Labels one_command{{"le", "1"}};
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_batch_commands_bucket", one_command) -
                ValueOr0(before, "rectify_pipeline_batch_commands_bucket", one_command),
            4);
  EXPECT_EQ(ValueOr0(after, "rectify_events_committed_total", {{"type", "case_reported"}}) -
                ValueOr0(before, "rectify_events_committed_total", {{"type", "case_reported"}}),
            3);
  // Every event committed moved the log position by one.
  EXPECT_EQ(ValueOr0(after, "rectify_event_log_last_position") -
                ValueOr0(before, "rectify_event_log_last_position"),
            Sum(after, "rectify_events_committed_total") -
                Sum(before, "rectify_events_committed_total"));
  // Each commit was synced (--sync is on): RocksDB counted the WAL fsyncs.
  EXPECT_GE(ValueOr0(after, "rectify_rocksdb_wal_syncs_total") -
                ValueOr0(before, "rectify_rocksdb_wal_syncs_total"),
            3);
}

TEST_F(MetricsTest, ShowsTheServersStateAtEachScrape) {
  std::vector<Sample> samples = Scrape();
  // Nothing is due in a new store, nobody watches, nothing uploads.
  EXPECT_EQ(Find(samples, "rectify_scheduler_lag_seconds"), 0);
  EXPECT_EQ(Sum(samples, "rectify_watch_subscribers"), 0);
  EXPECT_EQ(Find(samples, "rectify_evidence_upload_bytes_in_flight"), 0);
  EXPECT_EQ(Find(samples, "rectify_evidence_upload_limit_bytes"), 256.0 * 1024 * 1024);
  EXPECT_EQ(Find(samples, "rectify_pipeline_queued_commands"), 0);
  EXPECT_EQ(Find(samples, "rectify_pipeline_queue_limit_commands"), 10000);
  EXPECT_EQ(Find(samples, "rectify_rocksdb_write_stopped"), 0);
  EXPECT_EQ(Find(samples, "rectify_rocksdb_block_cache_capacity_bytes"), 256.0 * 1024 * 1024);
  EXPECT_EQ(Find(samples, "rectify_disk_reserve_bytes"), 1024.0 * 1024 * 1024);
  EXPECT_GT(ValueOr0(samples, "rectify_disk_free_bytes"), 0);
  EXPECT_GT(ValueOr0(samples, "rectify_rocksdb_wal_bytes"), 0);
  EXPECT_TRUE(Find(samples, "rectify_rocksdb_pending_compaction_bytes").has_value());
  EXPECT_TRUE(Find(samples, "rectify_rocksdb_block_cache_hits_total").has_value());
  EXPECT_TRUE(Find(samples, "rectify_rocksdb_stall_seconds_total").has_value());
  EXPECT_EQ(Find(samples, "rectify_build_info"), 1);
  EXPECT_GT(ValueOr0(samples, "process_resident_memory_bytes"), 0);

  // A WatchEvents stream open: one subscriber, which caught up (live).
  grpc::ClientContext watch;
  watch.AddMetadata("authorization", "Bearer demo-inspector");
  v1::WatchEventsRequest request;
  std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader =
      stub_->WatchEvents(&watch, request);
  ASSERT_TRUE(Send(Report("metrics-watch-1")).ok());
  v1::WatchEventsResponse first;
  ASSERT_TRUE(reader->Read(&first));  // the stream is registered by now
  samples = Scrape();
  EXPECT_EQ(Sum(samples, "rectify_watch_subscribers"), 1);
  watch.TryCancel();
  while (reader->Read(&first)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // An upload that declared 1,000,000 bytes holds them from the budget
  // until it ends.
  v1::ReportCaseResponse reported;
  ASSERT_TRUE(Send(Report("metrics-upload-case"), "", nullptr, &reported).ok());
  grpc::ClientContext upload;
  upload.AddMetadata("authorization", "Bearer demo-inspector");
  v1::UploadEvidenceResponse uploaded;
  std::unique_ptr<grpc::ClientWriter<v1::UploadEvidenceRequest>> writer =
      stub_->UploadEvidence(&upload, &uploaded);
  v1::UploadEvidenceRequest metadata;
  v1::UploadEvidenceMetadata& m = *metadata.mutable_metadata();
  m.set_command_id("metrics-upload-1");
  m.set_case_id(reported.case_().case_id());
  m.set_kind(v1::EVIDENCE_KIND_PHOTO);
  m.set_file_name("IMG_0001.jpg");
  m.set_media_type("image/jpeg");
  m.set_sha256(std::string(64, 'a'));
  m.set_size_bytes(1000000);
  ASSERT_TRUE(writer->Write(metadata));
  // The server takes the message on its own threads: poll (bounded) until
  // the scrape shows it.
  double in_flight = 0;
  for (int i = 0; i < 200 && in_flight == 0; ++i) {
    in_flight = ValueOr0(Scrape(), "rectify_evidence_upload_bytes_in_flight");
    if (in_flight == 0) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(in_flight, 1000000);
  writer->WritesDone();
  // No bytes came: refused, and the budget is given back.
  EXPECT_FALSE(writer->Finish().ok());
  EXPECT_EQ(Find(Scrape(), "rectify_evidence_upload_bytes_in_flight"), 0);
}

TEST_F(MetricsTest, WatchLagGrowsWhileASubscriberDoesNotReadAndEndsWhenItDoes) {
  // A subscriber whose channel takes little before its reader reads (no
  // window growth): the server's writes to it wait once that is full.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  auto slow_channel = grpc::CreateCustomChannel(server_.address(),
                                                grpc::InsecureChannelCredentials(), args);
  auto slow_stub = v1::CaseService::NewStub(slow_channel);
  grpc::ClientContext watch;
  watch.AddMetadata("authorization", "Bearer demo-inspector");
  std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader =
      slow_stub->WatchEvents(&watch, v1::WatchEventsRequest());
  ASSERT_TRUE(Send(Report("metrics-lag-0")).ok());
  v1::WatchEventsResponse event;
  ASSERT_TRUE(reader->Read(&event));
  // The server counts the event delivered when its write completes, which
  // can be a moment after the client has read it: poll (bounded) for 0.
  std::optional<double> caught_up;
  for (int i = 0; i < 200 && caught_up != 0.0; ++i) {
    caught_up = Find(Scrape(), "rectify_watch_max_lag_events");
    if (caught_up != 0.0) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(caught_up, 0.0);

  // Reports while it does not read, until the lag shows (bounded).
  double max_lag = 0;
  int sent = 0;
  for (; sent < 300 && max_lag == 0; ++sent) {
    ASSERT_TRUE(Send(Report(absl::StrCat("metrics-lag-", sent + 1))).ok());
    if (sent % 10 == 9) max_lag = ValueOr0(Scrape(), "rectify_watch_max_lag_events");
  }
  std::vector<Sample> lagging = Scrape();
  max_lag = ValueOr0(lagging, "rectify_watch_max_lag_events");
  EXPECT_GT(max_lag, 0) << "no lag after " << sent << " events";
  EXPECT_LE(max_lag, sent);
  EXPECT_EQ(ValueOr0(lagging, "rectify_watch_lag_events"), max_lag);  // one subscriber

  // It reads everything sent: the lag goes back to 0 (polled, bounded).
  for (int i = 0; i < sent; ++i) ASSERT_TRUE(reader->Read(&event));
  double lag = max_lag;
  for (int i = 0; i < 200 && lag != 0; ++i) {
    lag = ValueOr0(Scrape(), "rectify_watch_max_lag_events");
    if (lag != 0) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(lag, 0);
  watch.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
}

TEST_F(MetricsTest, RocksDbFiguresMoveAcrossARestart) {
  // A new store: everything is still in the memtable and the WAL.
  const std::vector<Sample> fresh = Scrape();
  EXPECT_EQ(Find(fresh, "rectify_rocksdb_sst_bytes"), 0);
  v1::ReportCaseResponse reported;
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(Send(Report(absl::StrCat("metrics-restart-", i)), "", nullptr, &reported).ok());
  }
  const std::vector<Sample> written = Scrape();
  EXPECT_GT(ValueOr0(written, "rectify_rocksdb_wal_bytes"),
            ValueOr0(fresh, "rectify_rocksdb_wal_bytes"));
  EXPECT_GT(ValueOr0(written, "rectify_rocksdb_wal_written_bytes_total"),
            ValueOr0(fresh, "rectify_rocksdb_wal_written_bytes_total"));
  // 20 synced commits, one after the other: at least 20 fsyncs.
  EXPECT_GE(ValueOr0(written, "rectify_rocksdb_wal_syncs_total") -
                ValueOr0(fresh, "rectify_rocksdb_wal_syncs_total"),
            20);

  // A restart recovers the WAL into table files (RocksDB flushes what it
  // replays): SST bytes appear. The endpoint's port is new.
  ASSERT_EQ(server_.Stop(), 0) << server_.last_stderr();
  server_.Start();
  const std::string port_text = ReadFileOrEmpty(dir_.Sub("metrics.port"));
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(port_text), &metrics_port_));
  channel_ = grpc::CreateChannel(server_.address(), grpc::InsecureChannelCredentials());
  stub_ = v1::CaseService::NewStub(channel_);
  const std::vector<Sample> restarted = Scrape();
  EXPECT_GT(ValueOr0(restarted, "rectify_rocksdb_sst_bytes"), 0);

  // Reading one case twice from the table files: the first read loads its
  // blocks into the block cache (misses), the second finds them (hits).
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-inspector");
    v1::GetCaseRequest request;
    request.set_case_id(reported.case_().case_id());
    v1::GetCaseResponse response;
    ASSERT_TRUE(stub_->GetCase(&context, request, &response).ok());
  }
  const std::vector<Sample> read = Scrape();
  EXPECT_GE(ValueOr0(read, "rectify_rocksdb_block_cache_misses_total") -
                ValueOr0(restarted, "rectify_rocksdb_block_cache_misses_total"),
            1);
  EXPECT_GE(ValueOr0(read, "rectify_rocksdb_block_cache_hits_total") -
                ValueOr0(restarted, "rectify_rocksdb_block_cache_hits_total"),
            1);
  EXPECT_GT(ValueOr0(read, "rectify_rocksdb_block_cache_usage_bytes"), 0);
}

TEST_F(MetricsTest, PromtoolAcceptsTheExposition) {
  ASSERT_TRUE(Send(Report("metrics-promtool-1")).ok());
  int code = -1;
  absl::StatusOr<std::string> verdict =
      rectify::testing::PromtoolCheckMetrics(ScrapeText(), dir_.path(), &code);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_EQ(code, 0) << *verdict;
  // promtool's lint prints nothing for a clean exposition.
  EXPECT_EQ(*verdict, "");
}

TEST_F(MetricsTest, RequestIdsComeBackInTrailersAndInTheLog) {
  std::string trailer;
  // A caller's acceptable id is kept.
  ASSERT_TRUE(Send(Report("metrics-rid-1"), "ticket-4711.a", &trailer).ok());
  EXPECT_EQ(trailer, "ticket-4711.a");
  // None sent: one is made (32 hex digits).
  ASSERT_TRUE(Send(Report("metrics-rid-2"), "", &trailer).ok());
  EXPECT_THAT(trailer, MatchesRegex("[0-9a-f]{32}"));
  const std::string made = trailer;
  ASSERT_TRUE(Send(Report("metrics-rid-3"), "", &trailer).ok());
  EXPECT_NE(trailer, made);
  // An unacceptable one (a space, or too long) is replaced, not echoed.
  v1::ReportCaseRequest untitled = Report("metrics-rid-4");
  untitled.clear_title();
  ASSERT_EQ(Send(untitled, "evil id", &trailer).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(trailer, MatchesRegex("[0-9a-f]{32}"));
  const std::string replaced = trailer;
  ASSERT_EQ(Send(untitled, std::string(65, 'x'), &trailer).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(trailer, MatchesRegex("[0-9a-f]{32}"));
  // The refusal is found in the log by the id the user was given.
  ASSERT_EQ(Send(untitled, "user-saw-this-1", &trailer).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(trailer, "user-saw-this-1");

  const std::string log = server_.last_stderr();
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, "request_id=user-saw-this-1")) lines.emplace_back(line);
  }
  // Two lines of that call: the writer's refusal (LogCommand, with the
  // principal) and the interceptor's line of the failed RPC.
  ASSERT_EQ(lines.size(), 2u) << log;
  EXPECT_THAT(lines[0], HasSubstr("method=ReportCase principal=insp-zhang"));
  EXPECT_THAT(lines[0], HasSubstr("code=INVALID_ARGUMENT"));
  EXPECT_THAT(lines[1], HasSubstr("event=rpc"));
  EXPECT_THAT(lines[1], HasSubstr("method=/rectify.v1.CaseService/ReportCase"));
  EXPECT_THAT(lines[1], HasSubstr("code=INVALID_ARGUMENT"));
  // The accepted report's command line carries the caller's id.
  EXPECT_THAT(log, MatchesRegex("(.|\n)*method=ReportCase [^\n]*code=OK [^\n]*"
                                "request_id=ticket-4711.a(.|\n)*"));
  EXPECT_THAT(log, HasSubstr(absl::StrCat("request_id=", replaced)));
  EXPECT_THAT(log, Not(HasSubstr("evil")));
}

// Flags that must stop the start: a metrics address off loopback, a log
// format that does not exist.
TEST(MetricsFlagsTest, RefusedAtStart) {
  rectify::testing::TempDir dir;
  struct Bad {
    std::string flag;
    std::string named;
  };
  const std::vector<Bad> bad = {
      {"--metrics_listen=0.0.0.0:9464", "metrics_listen"},
      {"--metrics_listen=10.1.2.3:9464", "metrics_listen"},
      {"--log_format=xml", "log_format"},
  };
  for (const auto& [flag, named] : bad) {
    std::string out;
    std::string err;
    absl::StatusOr<int> code = rectify::testing::Run(
        {Runfile("server/rectify_server"), "--listen=127.0.0.1:0",
         "--data_dir=" + dir.Sub("data"),
         "--principals_file=" + Runfile("config/principals.demo.textproto"), flag},
        dir.path(), &out, &err);
    ASSERT_TRUE(code.ok()) << code.status();
    EXPECT_EQ(*code, 1) << flag << "\n" << err;
    EXPECT_THAT(err, HasSubstr(named)) << flag;
  }
}

// --log_format=json: every line is one JSON object (parsed here by
// protobuf's JSON parser into a Struct), with the request id as a field.
TEST(JsonLogTest, EveryLineIsAnObjectWithTheRequestId) {
  rectify::testing::TempDir dir;
  ServerProcess server(dir, {"--log_format=json"});
  server.Start();
  auto stub = v1::CaseService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer demo-inspector");
  context.AddMetadata("x-request-id", "json-rid-1");
  v1::GetCaseRequest request;
  request.set_case_id("620722-2026-999999");
  v1::GetCaseResponse response;
  EXPECT_EQ(stub->GetCase(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_EQ(server.Stop(), 0);
  int lines = 0;
  bool found = false;
  for (absl::string_view line : absl::StrSplit(server.last_stderr(), '\n', absl::SkipEmpty())) {
    google::protobuf::Struct object;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &object).ok())
        << line;
    ++lines;
    const auto& fields = object.fields();
    ASSERT_TRUE(fields.contains("time")) << line;
    ASSERT_TRUE(fields.contains("level")) << line;
    if (fields.contains("request_id") && fields.at("request_id").string_value() == "json-rid-1") {
      found = true;
      EXPECT_EQ(fields.at("code").string_value(), "NOT_FOUND");
      EXPECT_EQ(fields.at("event").string_value(), "rpc");
    }
  }
  EXPECT_GT(lines, 2);
  EXPECT_TRUE(found) << server.last_stderr();
}

}  // namespace
}  // namespace rectify
