// rectify_web's HTTP routes on a cpp-httplib server:
//
//   POST /<service>/<method>   Connect unary (application/json or
//                              application/proto) and server streaming
//                              (application/connect+json, +proto) for the
//                              exposed services, mapped generically
//   PUT  /evidence/{case}      a streamed evidence upload (evidence_http.h)
//   GET  /evidence/{case}/{id} a streamed evidence download
//   PUT  /complaint-documents/{complaint}      a site-check document upload
//   GET  /complaint-documents/{complaint}/{id} its download (evidence_http.h)
//   GET  /reports/monthly   the monthly dispatch report as HTML (report_http.h)
//   GET  /healthz              200 when rectify_server answers its health check
//   GET  anything else         the built app (static_files.h)
//
// Every response carries the security headers; every POST and PUT passes
// the CSRF check (web_security.h). The caller's session cookie (or an
// `Authorization: Bearer` header, for curl and buf) becomes the bearer
// token of the gRPC call. AuthService.Login's session_token is moved from
// the reply into the HttpOnly cookie; Logout clears the cookie.
#ifndef RECTIFY_WEB_GATEWAY_GATEWAY_H_
#define RECTIFY_WEB_GATEWAY_GATEWAY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "httplib.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "web/gateway/evidence_http.h"
#include "web/gateway/report_http.h"
#include "web/gateway/gateway_metrics.h"
#include "web/gateway/rpc_mapper.h"
#include "web/gateway/static_files.h"
#include "web/gateway/web_security.h"

namespace rectify::web {

// The services reachable through the gateway. Reflection and the gRPC
// health service are not among them (/healthz stands for the latter).
inline const std::vector<std::string>& ExposedServices() {
  static const auto* const kServices = new std::vector<std::string>{
      "rectify.v1.AuthService", "rectify.v1.CaseService", "rectify.v1.SupervisionService",
      "rectify.v1.AdminService", "rectify.v1.UnitService", "rectify.v1.ComplaintService",
      "rectify.v1.PenaltyService"};
  return *kServices;
}

struct GatewayOptions {
  // Served over TLS: the cookie is Secure and __Host- prefixed, HSTS is sent,
  // the own origin is https://Host. Default: false.
  bool tls = false;
  // Origins allowed besides the own one. Default: none.
  std::vector<std::string> extra_origins;
  // The largest Connect request body. Default: 4 MiB (the server takes up
  // to 8 MiB per message; no page sends more than a few KiB).
  size_t max_request_bytes = 4 << 20;
  // The deadline of a unary call without Connect-Timeout-Ms. Default: 30 s.
  absl::Duration default_unary_timeout = absl::Seconds(30);
  // The deadline of a stream without Connect-Timeout-Ms; clients resume
  // from the last position they saw. Default: 30 min.
  absl::Duration max_stream_duration = absl::Minutes(30);
  // How often an idle stream checks that its HTTP client is still there.
  // Default: 5 s.
  absl::Duration stream_poll = absl::Seconds(5);
  EvidenceLimits evidence;
  // Where requests and upstream calls are counted; not owned, must outlive
  // the gateway. Default: nullptr, counting nothing.
  GatewayMetrics* metrics = nullptr;
};

class Gateway {
 public:
  Gateway(std::shared_ptr<grpc::Channel> channel, StaticFiles app, GatewayOptions options);

  // Installs the routes, the security headers, the CSRF check and the body
  // limit on `server`. The gateway must outlive the server's listening.
  void Register(httplib::Server& server);

 private:
  void Connect(const httplib::Request& request, httplib::Response& response,
               const httplib::ContentReader& reader);
  void Health(httplib::Response& response);
  void Static(const httplib::Request& request, httplib::Response& response);
  // The bearer token of a request: its Authorization header's, else its
  // session cookie's; empty when it has neither.
  std::string TokenOf(const httplib::Request& request) const;

  RpcMapper mapper_;
  EvidenceHttp evidence_;
  ReportHttp reports_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  const StaticFiles app_;
  const GatewayOptions options_;
  const CsrfPolicy csrf_;
};

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_GATEWAY_H_
