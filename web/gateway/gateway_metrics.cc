// rectify_web's figures; see gateway_metrics.h.
#include "web/gateway/gateway_metrics.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"

namespace rectify::web {

GatewayMetrics::GatewayMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("rectify_web_http_requests_total")
                    .Help("HTTP requests answered by rectify_web, by route and HTTP status.")
                    .Register(registry)),
      request_seconds_(
          prometheus::BuildHistogram()
              .Name("rectify_web_http_request_duration_seconds")
              .Help("Latency of HTTP requests answered by rectify_web, in seconds, from the "
                    "request's headers read to its reply written, by route and HTTP status.")
              .Register(registry)),
      upstream_(prometheus::BuildHistogram()
                    .Name("rectify_web_upstream_seconds")
                    .Help("Time of unary calls from rectify_web to rectify_server, in seconds, "
                          "by method and gRPC code.")
                    .Register(registry)) {}

const char* GatewayMetrics::RouteOf(absl::string_view method, absl::string_view path) {
  if (absl::StartsWith(path, "/evidence/")) {
    if (method == "PUT") return "evidence_upload";
    if (method == "GET" || method == "HEAD") return "evidence_download";
    return "other";
  }
  if (path == "/healthz") return "healthz";
  if (method == "POST") return "connect";
  if (method == "GET" || method == "HEAD") return "static";
  return "other";
}

void GatewayMetrics::Request(absl::string_view method, absl::string_view path, int status,
                             std::optional<double> seconds) {
  // Up to 2 minutes: an evidence upload of a large photo over a slow link.
  static const auto* const buckets = new std::vector<double>{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
  if (status < 100 || status > 599) status = 0;
  const std::map<std::string, std::string> labels = {{"route", RouteOf(method, path)},
                                                     {"code", std::to_string(status)}};
  // Observed before the count, so a scrape that sees the count sees the time.
  if (seconds.has_value()) request_seconds_.Add(labels, *buckets).Observe(*seconds);
  requests_.Add(labels).Increment();
}

void GatewayMetrics::Upstream(const google::protobuf::MethodDescriptor& method,
                              grpc::StatusCode code, double seconds) {
  static const auto* const buckets = new std::vector<double>{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  upstream_
      .Add({{"grpc_service", method.service()->full_name()},
            {"grpc_method", method.name()},
            {"grpc_code", absl::StatusCodeToString(static_cast<absl::StatusCode>(code))}},
           *buckets)
      .Observe(seconds);
}

}  // namespace rectify::web
