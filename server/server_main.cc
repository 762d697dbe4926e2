// rectify_server: the Rectify gRPC server on an embedded RocksDB store.
//
//   rectify_server --listen=127.0.0.1:50051 --data_dir=./data
//       --principals_file=config/principals.demo.textproto
//
// Serves CaseService, SupervisionService (rectification lists and the ledger
// export; notices and the monthly report answer UNIMPLEMENTED), AdminService,
// the gRPC health service and server reflection, and runs the
// deadline scheduler. SIGINT or SIGTERM: stop accepting, drain the pipeline,
// flush and close the store, exit 0.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "base/regions.h"
#include "base/status_macros.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "prometheus/registry.h"
#include "rectify/v1/admin_service.grpc.pb.h"
#include "rectify/v1/supervision_service.grpc.pb.h"
#include "server/account_setup.h"
#include "server/admin_service.h"
#include "server/auth_service.h"
#include "server/calendar_recount.h"
#include "server/case_service.h"
#include "server/deadline_scheduler.h"
#include "server/event_feed.h"
#include "server/health_service.h"
#include "server/log.h"
#include "server/metrics_endpoint.h"
#include "server/passwords.h"
#include "server/pipeline.h"
#include "server/principal_units.h"
#include "server/principals.h"
#include "server/rpc_interceptor.h"
#include "server/server_metrics.h"
#include "server/sessions.h"
#include "server/startup_checks.h"
#include "server/supervision_service.h"
#include "server/penalty_service.h"
#include "server/unit_service.h"
#include "server/complaint_service.h"
#include "server/tls_credentials.h"
#include "server/token_authenticator.h"
#include "server/work_queue.h"
#include "storage/rocks_event_store.h"
#include "workflow/policy.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to serve on; port 0 picks a free port (see --port_file). Without TLS only "
          "loopback addresses (127.0.0.1, [::1], localhost) are allowed.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain; with --tls_key the server speaks TLS only");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates; when set, clients must present a certificate signed by one");
ABSL_FLAG(std::string, policy_file, "",
          "deadline policy (workflow/policy.h format, e.g. config/policy_620722.txt); "
          "empty means the built-in defaults");
ABSL_FLAG(std::string, calendar_file, "",
          "working-day calendar (workflow/calendar.h format, e.g. config/calendar_cn.txt); "
          "empty means the built-in 2025/2026 table");
ABSL_FLAG(std::string, regions_file, "",
          "the townships and villages of the bureau's county (base/regions.h format, e.g. "
          "config/regions_620722.txt); empty: township and village codes are checked to their "
          "county only");
ABSL_FLAG(std::string, data_dir, "./data",
          "directory of the RocksDB store; created when missing");
ABSL_FLAG(std::string, principals_file, "",
          "text-format PrincipalsFile (proto/rectify/v1/principals.proto) mapping token hashes to "
          "principals; required. config/principals.demo.textproto has demo users");
ABSL_FLAG(std::string, port_file, "",
          "when set, the chosen port is written to this file once the server is serving");
ABSL_FLAG(bool, sync, true, "fsync every commit, so an acknowledged command survives a crash");
ABSL_FLAG(int, block_cache_mb, 256, "RocksDB block cache size in MiB");
ABSL_FLAG(int, max_queued_commands, 10000,
          "commands that may wait for the writer before RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, demo_accounts_file, "",
          "demo accounts with their passwords (config/accounts.demo.textproto), created or "
          "brought up to date at start; refused unless --listen is a loopback address");
ABSL_FLAG(int, max_message_bytes, 8 << 20,
          "largest request or response message, in bytes; at least 8 MiB and twice the policy's "
          "max_case_bytes, so that a case and a page of a list always fit");
ABSL_FLAG(int64_t, min_free_disk_mb, 1024,
          "free-space reserve on the data directory's filesystem in MiB: commands and evidence "
          "that would leave less are refused with RESOURCE_EXHAUSTED; 0 turns it off");
// Network and stream limits (docs/security.md, "Network and stream limits").
ABSL_FLAG(int, grpc_memory_mb, 1024,
          "memory gRPC may use for connections and calls (a ResourceQuota); past it gRPC refuses "
          "new connections and cancels streams; 0 means unlimited");
ABSL_FLAG(int, grpc_max_threads, 32,
          "threads gRPC may start for its synchronous services (reflection), a ResourceQuota; "
          "0 means unlimited");
ABSL_FLAG(int, max_concurrent_streams, 100,
          "HTTP/2 streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS)");
ABSL_FLAG(int, keepalive_seconds, 60,
          "the server pings a connection silent this long, and closes it when the ping is not "
          "answered within --keepalive_timeout_seconds; 0 means the gRPC default (2 h)");
ABSL_FLAG(int, keepalive_timeout_seconds, 20, "see --keepalive_seconds");
ABSL_FLAG(int, max_connection_idle_seconds, 900,
          "a connection without calls for this long is closed (GOAWAY); 0 means never");
ABSL_FLAG(int, max_connection_age_seconds, 7200,
          "a connection older than this (plus or minus 10 %) is asked to reconnect (GOAWAY); "
          "0 means never");
ABSL_FLAG(int, max_connection_age_grace_seconds, 600,
          "calls in flight on an aged connection get this long, then are cancelled (a "
          "WatchEvents client resumes from its last position)");
ABSL_FLAG(int, handshake_timeout_seconds, 20,
          "a new connection that has not finished its TLS and HTTP/2 handshake by then is closed");
ABSL_FLAG(int, max_watch_streams, 4096, "WatchEvents streams open at once, over all principals");
ABSL_FLAG(int, max_watch_streams_per_principal, 64, "WatchEvents streams one principal may hold");
ABSL_FLAG(int, watch_heartbeat_seconds, 30,
          "an idle WatchEvents stream is sent resume_after_position this often; 0 means never");
ABSL_FLAG(bool, watch_live_first, true,
          "serve live WatchEvents subscribers before catching-up ones; false restores the plain "
          "round-robin, only to measure against (docs/benchmarks.md)");
// Operations (docs/operations.md): metrics, request ids, the log format.
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on (GET /metrics, no TLS, no login), e.g. "
          "127.0.0.1:9464; port 0 picks a free port (see --metrics_port_file). Loopback addresses "
          "only. Empty (the default): no metrics endpoint");
ABSL_FLAG(std::string, metrics_port_file, "",
          "when set, the metrics endpoint's port is written to this file before the server serves");
ABSL_FLAG(bool, rpc_interceptor, true,
          "give every RPC a request id and count it in the per-RPC metrics; false only to "
          "measure the interceptor's cost against (docs/benchmarks.md)");
ABSL_FLAG(std::string, log_format, "text",
          "text: key=value log lines; json: one JSON object per line, for log shippers");
ABSL_FLAG(int, test_clock_offset_hours, 0,
          "TESTS ONLY: the server's clock runs this many hours (0 to 8760) ahead of the system "
          "clock, so that a browser spec restarted on the same data directory sees its "
          "deadlines pass (tests/web/console_overdue.spec.ts); refused unless --listen is a "
          "loopback address");
ABSL_FLAG(int, max_upload_buffer_mb, 256,
          "MiB that evidence uploads in flight may hold in memory, server-wide (each takes its "
          "declared size until it is stored); an upload past it is refused with "
          "RESOURCE_EXHAUSTED. At least 64, the largest evidence file");

namespace rectify::server {
namespace {

// The system clock moved ahead by a fixed offset (--test_clock_offset_hours).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(absl::Duration offset) : offset_(offset) {}
  absl::Time Now() const override { return SystemClock().Now() + offset_; }

 private:
  const absl::Duration offset_;
};

bool IsLoopback(const std::string& address) {
  return absl::StartsWith(address, "127.") || absl::StartsWith(address, "[::1]:") ||
         absl::StartsWith(address, "localhost:");
}

int Fail(const std::string& message) {
  Log(LogLevel::kError, {{"event", "startup_failed"}, {"error", message}});
  std::fprintf(stderr, "rectify_server: %s\n", message.c_str());
  return 1;
}

// The policy from --policy_file and --calendar_file, or the built-in ones;
// `calendar_text` is set to the calendar's text (for its identity).
absl::StatusOr<workflow::Policy> LoadPolicy(std::string* calendar_text) {
  workflow::Policy policy;
  *calendar_text = std::string(workflow::BuiltinCalendarText());
  if (const std::string path = absl::GetFlag(FLAGS_policy_file); !path.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadConfigFile("policy_file", path));
    absl::StatusOr<workflow::Policy> parsed = workflow::ParsePolicy(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", parsed.status().message()));
    }
    policy = *std::move(parsed);
  }
  if (const std::string path = absl::GetFlag(FLAGS_calendar_file); !path.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadConfigFile("calendar_file", path));
    absl::StatusOr<workflow::Calendar> calendar = workflow::ParseCalendar(text);
    if (!calendar.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", calendar.status().message()));
    }
    policy.calendar = std::make_shared<const workflow::Calendar>(*std::move(calendar));
    *calendar_text = std::move(text);
  }
  return policy;
}

// The limits of the flags above on `builder`; INVALID_ARGUMENT for a
// negative value.
absl::Status ApplyNetworkLimits(grpc::ServerBuilder& builder) {
  struct Checked {
    const char* flag;
    int value;
  };
  const Checked values[] = {
      {"grpc_memory_mb", absl::GetFlag(FLAGS_grpc_memory_mb)},
      {"grpc_max_threads", absl::GetFlag(FLAGS_grpc_max_threads)},
      {"max_concurrent_streams", absl::GetFlag(FLAGS_max_concurrent_streams)},
      {"keepalive_seconds", absl::GetFlag(FLAGS_keepalive_seconds)},
      {"keepalive_timeout_seconds", absl::GetFlag(FLAGS_keepalive_timeout_seconds)},
      {"max_connection_idle_seconds", absl::GetFlag(FLAGS_max_connection_idle_seconds)},
      {"max_connection_age_seconds", absl::GetFlag(FLAGS_max_connection_age_seconds)},
      {"max_connection_age_grace_seconds", absl::GetFlag(FLAGS_max_connection_age_grace_seconds)},
      {"handshake_timeout_seconds", absl::GetFlag(FLAGS_handshake_timeout_seconds)},
      {"max_watch_streams", absl::GetFlag(FLAGS_max_watch_streams)},
      {"max_watch_streams_per_principal", absl::GetFlag(FLAGS_max_watch_streams_per_principal)},
      {"watch_heartbeat_seconds", absl::GetFlag(FLAGS_watch_heartbeat_seconds)},
  };
  for (const Checked& checked : values) {
    if (checked.value < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", checked.flag, " must not be negative (got ", checked.value, ")"));
    }
  }
  const int memory_mb = absl::GetFlag(FLAGS_grpc_memory_mb);
  const int max_threads = absl::GetFlag(FLAGS_grpc_max_threads);
  if (memory_mb > 0 || max_threads > 0) {
    grpc::ResourceQuota quota("rectify_server");
    if (memory_mb > 0) quota.Resize(size_t(memory_mb) << 20);
    if (max_threads > 0) quota.SetMaxThreads(max_threads);
    builder.SetResourceQuota(quota);
  }
  if (const int streams = absl::GetFlag(FLAGS_max_concurrent_streams); streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, streams);
  }
  const auto ms = [](int seconds) { return seconds > 1000000 ? 1000000000 : seconds * 1000; };
  if (const int seconds = absl::GetFlag(FLAGS_keepalive_seconds); seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, ms(seconds));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                               ms(absl::GetFlag(FLAGS_keepalive_timeout_seconds)));
  }
  if (const int seconds = absl::GetFlag(FLAGS_max_connection_idle_seconds); seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, ms(seconds));
  }
  if (const int seconds = absl::GetFlag(FLAGS_max_connection_age_seconds); seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, ms(seconds));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               ms(absl::GetFlag(FLAGS_max_connection_age_grace_seconds)));
  }
  if (const int seconds = absl::GetFlag(FLAGS_handshake_timeout_seconds); seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, ms(seconds));
  }
  return absl::OkStatus();
}

// The numbers and paths of the flags that make sense, checked before
// anything is opened.
absl::Status CheckFlags() {
  RETURN_IF_ERROR(CheckFlagRange("block_cache_mb", absl::GetFlag(FLAGS_block_cache_mb), 1, 1 << 20));
  RETURN_IF_ERROR(CheckFlagRange("max_queued_commands", absl::GetFlag(FLAGS_max_queued_commands),
                                 1, 10'000'000));
  // At least gRPC's own default (4 MiB), so that 1 MiB evidence chunks and
  // full pages fit; at most 1 GiB.
  RETURN_IF_ERROR(CheckFlagRange("max_message_bytes", absl::GetFlag(FLAGS_max_message_bytes),
                                 4 << 20, 1 << 30));
  RETURN_IF_ERROR(CheckFlagRange("max_upload_buffer_mb", absl::GetFlag(FLAGS_max_upload_buffer_mb),
                                 CaseServiceImpl::kMaxEvidenceBytes >> 20, 1 << 20));
  RETURN_IF_ERROR(CheckDirectoryFlag("data_dir", absl::GetFlag(FLAGS_data_dir)));
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file); !port_file.empty()) {
    RETURN_IF_ERROR(CheckOutputFileFlag("port_file", port_file));
  }
  if (const std::string metrics = absl::GetFlag(FLAGS_metrics_listen);
      !metrics.empty() && !IsLoopback(metrics)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics_listen=", metrics,
        " is not a loopback address: the metrics endpoint has no TLS and no login; serve it on "
        "127.0.0.1 and let a local Prometheus (or a TLS proxy) scrape it"));
  }
  if (const std::string port_file = absl::GetFlag(FLAGS_metrics_port_file); !port_file.empty()) {
    RETURN_IF_ERROR(CheckOutputFileFlag("metrics_port_file", port_file));
  }
  if (const std::string format = absl::GetFlag(FLAGS_log_format);
      format != "text" && format != "json") {
    return absl::InvalidArgumentError(
        absl::StrCat("--log_format=", format, " is neither text nor json"));
  }
  return absl::OkStatus();
}

int Main(const sigset_t& stop_signals) {
  if (absl::GetFlag(FLAGS_log_format) == "json") SetLogFormat(LogFormat::kJson);
  if (absl::Status flags = CheckFlags(); !flags.ok()) return Fail(std::string(flags.message()));
  // Before anything is opened too, so that a bad limit stops the server first.
  grpc::ServerBuilder builder;
  if (absl::Status limits = ApplyNetworkLimits(builder); !limits.ok()) {
    return Fail(std::string(limits.message()));
  }
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const std::string demo_accounts_path = absl::GetFlag(FLAGS_demo_accounts_file);
  if (!demo_accounts_path.empty() && !IsLoopback(listen)) {
    return Fail(absl::StrCat("refusing --demo_accounts_file on ", listen,
                             ": demo accounts have their passwords written in config/ and are "
                             "only for a server on a loopback address such as 127.0.0.1"));
  }
  const int clock_offset_hours = absl::GetFlag(FLAGS_test_clock_offset_hours);
  if (clock_offset_hours < 0 || clock_offset_hours > 8760) {
    return Fail(absl::StrCat("--test_clock_offset_hours=", clock_offset_hours,
                             " is outside 0 to 8760"));
  }
  if (clock_offset_hours != 0 && !IsLoopback(listen)) {
    return Fail(absl::StrCat("refusing --test_clock_offset_hours on ", listen,
                             ": a clock ahead of the real one is only for tests on a loopback "
                             "address such as 127.0.0.1"));
  }
  OffsetClock offset_clock(absl::Hours(clock_offset_hours));
  Clock& clock = clock_offset_hours == 0 ? SystemClock() : offset_clock;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  const TlsFiles tls{absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key),
                     absl::GetFlag(FLAGS_tls_client_ca)};
  const bool use_tls =
      !tls.cert_file.empty() || !tls.key_file.empty() || !tls.client_ca_file.empty();
  if (use_tls) {
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> tls_credentials =
        TlsServerCredentials(tls);
    if (!tls_credentials.ok()) return Fail(std::string(tls_credentials.status().message()));
    credentials = *std::move(tls_credentials);
  } else if (!IsLoopback(listen)) {
    return Fail(absl::StrCat("refusing to listen on ", listen,
                             " without TLS; use a loopback address such as 127.0.0.1:50051"));
  }
  // The region names first: every region code read after this (principals,
  // accounts, requests) must name a region of them.
  if (const std::string path = absl::GetFlag(FLAGS_regions_file); !path.empty()) {
    absl::StatusOr<std::string> text = ReadConfigFile("regions_file", path);
    if (!text.ok()) return Fail(std::string(text.status().message()));
    absl::StatusOr<std::shared_ptr<const RegionDirectory>> regions =
        RegionDirectory::WithLocal(*text);
    if (!regions.ok()) {
      return Fail(absl::StrCat("--regions_file: ", path, ": ", regions.status().message()));
    }
    SetCurrentRegions(*std::move(regions));
  }
  const std::string principals_path = absl::GetFlag(FLAGS_principals_file);
  if (principals_path.empty()) {
    return Fail("--principals_file is required (try config/principals.demo.textproto)");
  }
  absl::StatusOr<std::string> principals_text = ReadConfigFile("principals_file", principals_path);
  if (!principals_text.ok()) return Fail(std::string(principals_text.status().message()));
  absl::StatusOr<PrincipalRegistry> principals = PrincipalRegistry::Parse(*principals_text);
  if (!principals.ok()) {
    return Fail(absl::StrCat("--principals_file: ", principals_path, ": ",
                             principals.status().message()));
  }
  if (principals->size() == 0) {
    return Fail(absl::StrCat("--principals_file: ", principals_path,
                             " names no principal; nobody could sign in"));
  }

  std::string calendar_text;
  absl::StatusOr<workflow::Policy> loaded_policy = LoadPolicy(&calendar_text);
  if (!loaded_policy.ok()) return Fail(std::string(loaded_policy.status().message()));
  const workflow::Policy& policy = *loaded_policy;
  const int64_t max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  if (max_message_bytes < (int64_t{8} << 20) || max_message_bytes < 2 * policy.max_case_bytes) {
    return Fail(absl::StrCat("--max_message_bytes=", max_message_bytes,
                             " is too small: it must be at least 8 MiB (a page of ListCases or "
                             "GetCaseHistory holds up to 4 MiB) and twice the policy's "
                             "max_case_bytes (", policy.max_case_bytes, ")"));
  }
  if (absl::GetFlag(FLAGS_min_free_disk_mb) < 0) {
    return Fail(absl::StrCat("--min_free_disk_mb=", absl::GetFlag(FLAGS_min_free_disk_mb),
                             " is negative; give 0 to turn the reserve off"));
  }

  storage::StoreOptions store_options;
  store_options.sync = absl::GetFlag(FLAGS_sync);
  store_options.clock = &clock;
  store_options.block_cache_bytes = size_t(absl::GetFlag(FLAGS_block_cache_mb)) << 20;
  store_options.min_free_bytes = uint64_t(absl::GetFlag(FLAGS_min_free_disk_mb)) << 20;
  const bool serve_metrics = !absl::GetFlag(FLAGS_metrics_listen).empty();
  store_options.statistics = serve_metrics;
  absl::StatusOr<std::unique_ptr<storage::RocksEventStore>> store =
      storage::RocksEventStore::Open(absl::GetFlag(FLAGS_data_dir), store_options);
  if (!store.ok()) return Fail(store.status().ToString());
  // A RECTIFIER of the principals file acts for a unit of the directory, as
  // an account does (principal_units.h).
  if (absl::Status units = CheckPrincipalUnits(*principals, **store); !units.ok()) {
    return Fail(absl::StrCat("--principals_file: ", principals_path, ": ", units.message()));
  }

  // The metrics the running server keeps (declared before
  // the parts that write to them); served only with --metrics_listen.
  const auto registry = std::make_shared<prometheus::Registry>();
  const auto scraped = std::make_shared<ScrapeCollector>();
  PipelineOptions pipeline_options;
  pipeline_options.max_queued_commands = absl::GetFlag(FLAGS_max_queued_commands);
  // WatchEvents: the feed outlives the pipeline that publishes to it.
  EventFeedOptions feed_options;
  feed_options.max_streams = absl::GetFlag(FLAGS_max_watch_streams);
  feed_options.max_streams_per_principal = absl::GetFlag(FLAGS_max_watch_streams_per_principal);
  feed_options.idle_heartbeat = absl::Seconds(absl::GetFlag(FLAGS_watch_heartbeat_seconds));
  feed_options.live_first = absl::GetFlag(FLAGS_watch_live_first);
  EventFeed feed(**store, feed_options);
  feed.Start();
  CommandPipeline pipeline(**store, policy, clock, pipeline_options);
  pipeline.SetCommitListener([&feed](uint64_t position) { feed.Publish(position); });
  if (serve_metrics) ObservePipeline(*registry, pipeline);
  pipeline.Start();
  // Before the scheduler: a deadline the loaded calendar moves later must not
  // be marked overdue at its old due instant.
  const CalendarIdentity calendar = IdentifyCalendar(calendar_text, *policy.calendar);
  absl::StatusOr<RecountResult> recount = RecountDeadlines(**store, pipeline, policy, calendar);
  if (!recount.ok()) {
    pipeline.Stop();
    return Fail(recount.status().ToString());
  }
  Log(LogLevel::kInfo, {{"event", "calendar_loaded"},
                        {"calendar_sha256", calendar.sha256},
                        {"table_years", calendar.years},
                        {"open_deadlines", std::to_string(recount->examined)},
                        {"recounted", std::to_string(recount->recounted)},
                        {"failed", std::to_string(recount->failed)}});
  DeadlineScheduler scheduler(**store, pipeline, clock);
  scheduler.Start();

  // Accounts and sessions: Argon2id checks run on their own threads, as
  // many as may hash at once (passwords.h), with a bounded queue.
  PasswordHasher hasher;
  SessionManager sessions(**store, policy, clock, hasher);
  // Destroyed (drained and joined) before the sessions it calls.
  WorkQueue password_work(hasher.options().max_concurrent, hasher.options().max_waiting);
  TokenAuthenticator authenticator(*principals, &sessions);
  if (!demo_accounts_path.empty()) {
    absl::StatusOr<std::string> text = ReadConfigFile("demo_accounts_file", demo_accounts_path);
    absl::StatusOr<v1::DemoAccountsFile> demo =
        text.ok() ? ParseDemoAccounts(*text) : absl::StatusOr<v1::DemoAccountsFile>(text.status());
    if (!demo.ok()) return Fail(absl::StrCat(demo_accounts_path, ": ", demo.status().ToString()));
    for (const v1::DemoAccount& spec : demo->accounts()) {
      absl::StatusOr<v1::Account> account =
          SetUpAccount(pipeline, **store, hasher, spec, SetUpMode::kCreateOrUpdate);
      if (!account.ok()) {
        return Fail(absl::StrCat(demo_accounts_path, ": account ", spec.account_name(), ": ",
                                 account.status().ToString()));
      }
    }
    Log(LogLevel::kInfo, {{"event", "demo_accounts"},
                          {"accounts", std::to_string(demo->accounts_size())}});
  }

  CaseServiceOptions case_options;
  case_options.max_upload_buffer_bytes = int64_t{absl::GetFlag(FLAGS_max_upload_buffer_mb)} << 20;
  CaseServiceImpl case_service(authenticator, pipeline, **store, &feed, case_options);
  SupervisionServiceImpl supervision_service(authenticator, pipeline, **store, case_service,
                                             policy, clock);
  AccountBackend account_backend;
  account_backend.pipeline = &pipeline;
  account_backend.sessions = &sessions;
  account_backend.hasher = &hasher;
  account_backend.password_work = &password_work;
  account_backend.file_principals = &*principals;
  AdminServiceImpl admin_service(authenticator, **store, account_backend);
  AuthServiceImpl auth_service(authenticator, sessions, password_work);
  UnitServiceImpl unit_service(authenticator, pipeline, **store);
  PenaltyServiceImpl penalty_service(authenticator, pipeline, **store);
  ComplaintServiceImpl complaint_service(authenticator, pipeline, **store,
                                         case_service.upload_budget());

  HealthService health_service({"rectify.v1.CaseService", "rectify.v1.SupervisionService",
                                "rectify.v1.AdminService", "rectify.v1.AuthService",
                                "rectify.v1.UnitService", "rectify.v1.PenaltyService"});
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (absl::GetFlag(FLAGS_rpc_interceptor)) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(std::make_unique<RpcInterceptorFactory>(
        *registry, std::vector<std::string>{"rectify.v1.CaseService", "rectify.v1.SupervisionService",
                                            "rectify.v1.AdminService", "rectify.v1.AuthService",
                                            "rectify.v1.UnitService", "rectify.v1.PenaltyService",
                                            "grpc.health.v1.Health"}));
    builder.experimental().SetInterceptorCreators(std::move(creators));
  }
  int port = 0;
  builder.AddListeningPort(listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.SetMaxSendMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.RegisterService(&case_service);
  builder.RegisterService(&supervision_service);
  builder.RegisterService(&admin_service);
  builder.RegisterService(&auth_service);
  builder.RegisterService(&unit_service);
  builder.RegisterService(&penalty_service);
  builder.RegisterService(&complaint_service);
  builder.RegisterService(&health_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::StrCat("cannot listen on ", listen));
  }
  std::unique_ptr<MetricsEndpoint> metrics_endpoint;
  if (serve_metrics) {
    ScrapeSources sources;
    sources.pipeline = &pipeline;
    sources.max_queued_commands = pipeline_options.max_queued_commands;
    sources.scheduler = &scheduler;
    sources.feed = &feed;
    sources.case_service = &case_service;
    sources.upload_budget_bytes = case_options.max_upload_buffer_bytes;
    sources.store = store->get();
    sources.min_free_disk_bytes = store_options.min_free_bytes;
    sources.started = SystemClock().Now();
    AddScrapedFigures(*scraped, sources);
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
        MetricsEndpoint::Start(absl::GetFlag(FLAGS_metrics_listen), {registry, scraped});
    if (!endpoint.ok()) {
      server->Shutdown();
      scheduler.Stop();
      pipeline.Stop();
      return Fail(std::string(endpoint.status().message()));
    }
    metrics_endpoint = *std::move(endpoint);
    Log(LogLevel::kInfo, {{"event", "metrics_serving"},
                          {"port", std::to_string(metrics_endpoint->port())}});
    if (const std::string port_file = absl::GetFlag(FLAGS_metrics_port_file); !port_file.empty()) {
      const std::string temporary = port_file + ".tmp";
      std::ofstream(temporary) << metrics_endpoint->port() << "\n";
      std::rename(temporary.c_str(), port_file.c_str());
    }
  }
  Log(LogLevel::kInfo, {{"event", "serving"},
                        {"port", std::to_string(port)},
                        {"tls", use_tls ? (tls.client_ca_file.empty() ? "on" : "mutual") : "off"},
                        {"policy", policy.name},
                        {"data_dir", absl::GetFlag(FLAGS_data_dir)},
                        {"principals", std::to_string(principals->size())},
                        {"last_position", std::to_string((*store)->LastPosition())}});
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file); !port_file.empty()) {
    // Written to a temporary name and renamed, so a reader never sees half.
    const std::string temporary = port_file + ".tmp";
    std::ofstream(temporary) << port << "\n";
    std::rename(temporary.c_str(), port_file.c_str());
  }

  std::thread signal_waiter([&server, &health_service, &feed, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    Log(LogLevel::kInfo, {{"event", "stopping"}, {"signal", std::to_string(signal_number)}});
    health_service.Shutdown();
    // Event streams end at once with the position to resume from.
    feed.Shutdown();
    // Calls in flight get up to 10 s to finish; then they are cancelled.
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  });
  server->Wait();
  signal_waiter.join();
  // No scrape reads the parts below once they stop.
  metrics_endpoint.reset();
  // Every command accepted before the shutdown is committed before exit.
  scheduler.Stop();
  pipeline.Stop();
  feed.Stop();
  store->reset();
  Log(LogLevel::kInfo, {{"event", "stopped"}});
  return 0;
}

}  // namespace
}  // namespace rectify::server

int main(int argc, char** argv) {
  // SIGINT and SIGTERM are taken by one thread with sigwait. They are blocked
  // first of all, so that every thread (RocksDB's and gRPC's included)
  // inherits the mask and none is killed by the default action.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // Debian builds Abseil with mutex deadlock detection on; it cost 1.5-3 % of
  // the server's CPU under load (docs/benchmarks.md). Tests keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "Serves Rectify, the case work of an environmental enforcement bureau, over gRPC.\n"
      "  rectify_server --principals_file=config/principals.demo.textproto [--data_dir=./data]");
  absl::ParseCommandLine(argc, argv);
  rectify::server::RouteProtobufLogs();
  return rectify::server::Main(stop_signals);
}
