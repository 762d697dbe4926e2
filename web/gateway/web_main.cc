// rectify_web: the HTTP front door of Rectify for browsers. A stateless
// gRPC client of rectify_server (run as many copies as needed) that speaks
// the Connect protocol, moves evidence bytes, keeps the session in a cookie
// and serves the built web app. docs/web.md describes it; docs/operations.md
// how to run it.
//
//   rectify_web --listen=127.0.0.1:8080 --server=127.0.0.1:50051
//       --app_dir=web/app/dist [--tls_cert=cert.pem --tls_key=key.pem]
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "base/files.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "httplib.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "web/gateway/gateway.h"
#include "web/gateway/gateway_metrics.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080",
          "host:port to serve HTTP on; port 0 picks a free port (see --port_file)");
ABSL_FLAG(std::string, server, "127.0.0.1:50051", "rectify_server's gRPC address");
ABSL_FLAG(std::string, server_ca_file, "",
          "PEM CA bundle to verify rectify_server's TLS certificate; empty: plaintext gRPC "
          "(only for a server on the same host)");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain to serve HTTPS with");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, app_dir, "",
          "the built web app (web/app/dist); empty: serve the API only");
ABSL_FLAG(std::vector<std::string>, allowed_origins, {},
          "origins allowed to make state-changing calls besides the gateway's own "
          "(scheme://Host), comma-separated, e.g. https://rectify.example.cn");
ABSL_FLAG(std::string, port_file, "", "write the chosen HTTP port to this file once listening");
ABSL_FLAG(int, http_threads, 64,
          "HTTP worker threads: the most requests (and open streams) served at once");
ABSL_FLAG(int, max_request_kib, 4096, "largest Connect request body, in KiB");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port (loopback only) to serve Prometheus metrics on, GET /metrics, apart from "
          "the public port; port 0 picks a free port (see --metrics_port_file). Empty (the "
          "default): none");
ABSL_FLAG(std::string, metrics_port_file, "",
          "write the metrics endpoint's port to this file once listening");

namespace {

int Fail(const std::string& message) {
  absl::FPrintF(stderr, "rectify_web: %s\n", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("rectify_web --server=HOST:PORT --app_dir=DIR [--listen=...]");
  absl::ParseCommandLine(argc, argv);
  // As rectify_server does: Debian's Abseil keeps the Mutex deadlock graph
  // on, a global lock taken on every Mutex acquisition of every HTTP thread.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // SIGTERM and SIGINT stop the server from a thread of their own.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!absl::GetFlag(FLAGS_server_ca_file).empty()) {
    grpc::SslCredentialsOptions ssl;
    absl::StatusOr<std::string> ca = rectify::ReadWholeFile(absl::GetFlag(FLAGS_server_ca_file));
    if (!ca.ok()) {
      return Fail(absl::StrCat("cannot read --server_ca_file ",
                               absl::GetFlag(FLAGS_server_ca_file)));
    }
    ssl.pem_root_certs = *std::move(ca);
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(16 << 20);
  // A fixed receive window instead of gRPC's bandwidth-delay probing, which
  // grows it to many MiB: a download then holds at most a window of bytes
  // the browser has not taken yet (the gateway and the server share a LAN).
  channel_args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  channel_args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1 << 20);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server), credentials, channel_args);

  rectify::web::StaticFiles app;
  if (!absl::GetFlag(FLAGS_app_dir).empty()) {
    absl::StatusOr<rectify::web::StaticFiles> loaded =
        rectify::web::StaticFiles::Load(absl::GetFlag(FLAGS_app_dir));
    if (!loaded.ok()) return Fail(std::string(loaded.status().message()));
    app = std::move(*loaded);
  }

  const std::string cert = absl::GetFlag(FLAGS_tls_cert);
  const std::string key = absl::GetFlag(FLAGS_tls_key);
  if (cert.empty() != key.empty()) return Fail("--tls_cert and --tls_key go together");
  const bool tls = !cert.empty();
  std::unique_ptr<httplib::Server> server;
  if (tls) {
    server = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
  } else {
    server = std::make_unique<httplib::Server>();
  }
  if (!server->is_valid()) return Fail("cannot use --tls_cert/--tls_key (not PEM, or no match)");
  const int threads = std::max(2, absl::GetFlag(FLAGS_http_threads));
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  // The metrics endpoint: its own loopback HTTP server, so that /metrics is
  // never on the public port.
  const std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  const auto registry = std::make_shared<prometheus::Registry>();
  std::optional<rectify::web::GatewayMetrics> metrics;
  httplib::Server metrics_server;
  std::thread metrics_thread;
  if (!metrics_listen.empty()) {
    const size_t metrics_colon = metrics_listen.rfind(':');
    int metrics_port = -1;
    const std::string metrics_host = metrics_listen.substr(0, metrics_colon);
    if (metrics_colon == std::string::npos ||
        !absl::SimpleAtoi(metrics_listen.substr(metrics_colon + 1), &metrics_port) ||
        metrics_port < 0 || metrics_port > 65535) {
      return Fail(absl::StrCat("--metrics_listen must be host:port, not ", metrics_listen));
    }
    if (!absl::StartsWith(metrics_host, "127.") && metrics_host != "[::1]" &&
        metrics_host != "localhost") {
      return Fail(absl::StrCat("--metrics_listen=", metrics_listen,
                               " is not a loopback address: the metrics endpoint has no TLS "
                               "and no login"));
    }
    metrics.emplace(*registry);
    metrics_server.Get("/metrics", [registry](const httplib::Request&, httplib::Response& reply) {
      reply.set_content(prometheus::TextSerializer().Serialize(registry->Collect()),
                        "text/plain; version=0.0.4; charset=utf-8");
    });
    if (metrics_port == 0) {
      metrics_port = metrics_server.bind_to_any_port(metrics_host);
    } else if (!metrics_server.bind_to_port(metrics_host, metrics_port)) {
      metrics_port = -1;
    }
    if (metrics_port <= 0) return Fail(absl::StrCat("cannot listen on ", metrics_listen));
    if (const std::string path = absl::GetFlag(FLAGS_metrics_port_file); !path.empty()) {
      const std::string temporary = path + ".tmp";
      std::ofstream(temporary) << metrics_port << "\n";
      std::rename(temporary.c_str(), path.c_str());
    }
  }

  rectify::web::GatewayOptions options;
  if (metrics.has_value()) options.metrics = &*metrics;
  options.tls = tls;
  options.extra_origins = absl::GetFlag(FLAGS_allowed_origins);
  options.max_request_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_request_kib)) << 10;
  rectify::web::Gateway gateway(channel, std::move(app), options);
  gateway.Register(*server);

  const std::string listen = absl::GetFlag(FLAGS_listen);
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return Fail(absl::StrCat("--listen must be host:port, not ", listen));
  }
  const std::string host = listen.substr(0, colon);
  if (port == 0) {
    port = server->bind_to_any_port(host);
    if (port <= 0) return Fail(absl::StrCat("cannot listen on ", listen));
  } else if (!server->bind_to_port(host, port)) {
    return Fail(absl::StrCat("cannot listen on ", listen));
  }
  if (!absl::GetFlag(FLAGS_port_file).empty()) {
    const std::string path = absl::GetFlag(FLAGS_port_file);
    const std::string temporary = path + ".tmp";
    std::ofstream(temporary) << port << "\n";
    std::rename(temporary.c_str(), path.c_str());
  }
  absl::FPrintF(stderr, "rectify_web: serving %s://%s:%d for rectify_server %s\n",
                tls ? "https" : "http", host, port, absl::GetFlag(FLAGS_server));

  // Started only now, when nothing can fail any more before the join.
  if (metrics.has_value()) {
    metrics_thread = std::thread([&metrics_server] { metrics_server.listen_after_bind(); });
  }
  std::thread stopper([&server, &metrics_server, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server->stop();
    metrics_server.stop();
  });
  const bool listened = server->listen_after_bind();
  if (!listened) {
    // listen_after_bind returned without a signal: wake the stopper.
    kill(getpid(), SIGTERM);
  }
  stopper.join();
  if (metrics_thread.joinable()) metrics_thread.join();
  absl::FPrintF(stderr, "rectify_web: stopped\n");
  return listened ? 0 : 1;
}
