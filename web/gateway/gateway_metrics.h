// rectify_web's Prometheus figures (docs/operations.md, "Metrics"): HTTP
// requests by route and status with their latency (from the request's
// headers read to its reply written), and the time of each unary call to
// rectify_server by method and gRPC code. Served by web_main's
// --metrics_listen, a loopback-only endpoint of its own, never on the
// public port. Labels take bounded values only: five route names, HTTP
// status numbers, and the methods of the exposed services.
//
//   GatewayMetrics metrics(registry);
//   metrics.Request("POST", "/rectify.v1.CaseService/GetCase", 200, 0.012);
#ifndef RECTIFY_WEB_GATEWAY_GATEWAY_METRICS_H_
#define RECTIFY_WEB_GATEWAY_GATEWAY_METRICS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace rectify::web {

class GatewayMetrics {
 public:
  // Registers the families in `registry`, which must outlive this.
  explicit GatewayMetrics(prometheus::Registry& registry);

  // Counts a finished HTTP request and, when known, observes how long it
  // took in seconds. Thread-safe.
  void Request(absl::string_view method, absl::string_view path, int status,
               std::optional<double> seconds);
  // Counts one unary call to rectify_server that ended with `code` after
  // `seconds`. Thread-safe.
  void Upstream(const google::protobuf::MethodDescriptor& method, grpc::StatusCode code,
                double seconds);

  // The route label of a request: connect, evidence_upload,
  // evidence_download, healthz, static or other.
  static const char* RouteOf(absl::string_view method, absl::string_view path);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Family<prometheus::Histogram>& upstream_;
};

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_GATEWAY_METRICS_H_
