// The monthly dispatch report (月调度) as the HTML page rectifyctl writes
// (client/report_html.h: tables, inline-SVG charts, the notice list, an A4
// print stylesheet), served to the browser so the console shows the same
// page and prints it:
//
//   GET /reports/monthly?month=2026-03[&region=620722]
//     → 200 text/html; charset=utf-8, or a Connect error body (the server's
//       code and message: a month not begun, a region outside the caller's
//       jurisdiction, no session)
//
// The gateway decides nothing: it calls SupervisionService.GetMonthlyReport
// with the caller's token and lays the reply out. The page carries its own
// Content-Security-Policy (no script at all, its inline stylesheet, framing
// only by the app's own pages) so the console can show it in an iframe.
#ifndef RECTIFY_WEB_GATEWAY_REPORT_HTTP_H_
#define RECTIFY_WEB_GATEWAY_REPORT_HTTP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "httplib.h"
#include "rectify/v1/supervision_service.grpc.pb.h"

namespace rectify::web {

// The policy of the report page: no script, no fetch, its own inline
// stylesheet, framed only by the same origin.
inline constexpr absl::string_view kReportCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'";

// The request of a report page from its query: `month` as YYYY-MM (required),
// `region` a region code prefix (optional, digits). INVALID_ARGUMENT naming
// the parameter otherwise; the server checks the rest (a month not begun,
// the jurisdiction).
absl::StatusOr<v1::GetMonthlyReportRequest> ParseReportQuery(absl::string_view month,
                                                              absl::string_view region);

class ReportHttp {
 public:
  explicit ReportHttp(std::shared_ptr<grpc::Channel> channel);

  // GET /reports/monthly for the caller whose bearer token is `token`.
  void Monthly(const httplib::Request& request, httplib::Response& response,
               const std::string& token);

 private:
  std::unique_ptr<v1::SupervisionService::Stub> stub_;
};

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_REPORT_HTTP_H_
