// The server interceptor every RPC passes through (gRPC's experimental
// ServerInterceptorFactoryInterface, installed by rectify_server's main):
//
// - a request id per call (base/request_id.h): the caller's `x-request-id`
//   when acceptable, else a new one, put in the call's client metadata so
//   that handlers read it with RequestIdOf(context) for their log lines, and
//   returned in the trailing metadata;
// - Prometheus figures per method: grpc_server_started_total,
//   grpc_server_handled_total{grpc_code} and the latency histogram
//   grpc_server_handling_seconds{grpc_code} (names as go-grpc-prometheus
//   and grpc-java use them, so that common dashboards work);
// - a log line (event=rpc) for every call that ends with a code other than
//   OK, with its method, code, latency and request id.
//
// Method labels come only from the methods of the services named at
// construction, so that a client cannot create series by calling made-up
// method names: any other goes to grpc_service="unknown",
// grpc_method="unknown".
//
//   RpcInterceptorFactory factory(registry, {"rectify.v1.CaseService", ...});
//   builder.experimental().SetInterceptorCreators(...factory...);
#ifndef RECTIFY_SERVER_RPC_INTERCEPTOR_H_
#define RECTIFY_SERVER_RPC_INTERCEPTOR_H_

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "server/log.h"

namespace rectify::server {

// The request id of the call `context` serves, as the interceptor set it;
// "-" when the server runs without the interceptor (some unit tests).
std::string RequestIdOf(const grpc::ServerContextBase& context);

// Now and the call's request id, for LogCommand.
CallStart StartCall(const grpc::ServerContextBase& context);

// The latency buckets of grpc_server_handling_seconds, in seconds: 0.5 ms to
// 10 s (a streaming call longer than that lands in +Inf).
const std::vector<double>& RpcLatencyBuckets();

// The figures of one method. Its series per code are made on first use.
class RpcMethodMetrics {
 public:
  RpcMethodMetrics(const std::string& service, const std::string& method, const std::string& type,
                   prometheus::Family<prometheus::Counter>& started,
                   prometheus::Family<prometheus::Counter>& handled,
                   prometheus::Family<prometheus::Histogram>& latency);
  // Counts a call started.
  void Started() { started_->Increment(); }
  // Counts a call ended with `code` after `seconds`. Thread-safe; after the
  // first call with a code, two relaxed atomic loads and the library's
  // updates.
  void Handled(grpc::StatusCode code, double seconds);

 private:
  static constexpr int kCodes = 17;  // OK .. UNAUTHENTICATED
  prometheus::Counter* started_;
  prometheus::Family<prometheus::Counter>& handled_family_;
  prometheus::Family<prometheus::Histogram>& latency_family_;
  const std::string service_;
  const std::string method_;
  const std::string type_;
  std::array<std::atomic<prometheus::Counter*>, kCodes> handled_{};
  std::array<std::atomic<prometheus::Histogram*>, kCodes> latency_{};
};

class RpcInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Registers the families in `registry` (which must outlive the factory)
  // and a series set for each method of `services` (full names of services
  // in the generated descriptor pool; one unknown is skipped), plus
  // "unknown". `log_failures`: write the event=rpc line for non-OK calls.
  RpcInterceptorFactory(prometheus::Registry& registry, const std::vector<std::string>& services,
                        bool log_failures = true);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  // The figures of `full_method` ("/rectify.v1.CaseService/ReportCase"), or
  // of "unknown".
  RpcMethodMetrics& MetricsFor(absl::string_view full_method);

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& latency_;
  const bool log_failures_;
  // Filled in the constructor, then only read.
  absl::flat_hash_map<std::string, std::unique_ptr<RpcMethodMetrics>> methods_;
  std::unique_ptr<RpcMethodMetrics> unknown_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_RPC_INTERCEPTOR_H_
