// GET /reports/monthly: GetMonthlyReport laid out by RenderMonthlyReportHtml.
#include "web/gateway/report_http.h"

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/report_html.h"
#include "grpcpp/client_context.h"
#include "web/gateway/http_reply.h"

namespace rectify::web {

absl::StatusOr<v1::GetMonthlyReportRequest> ParseReportQuery(absl::string_view month,
                                                              absl::string_view region) {
  v1::GetMonthlyReportRequest request;
  int year = 0;
  int number = 0;
  bool shape = month.size() == 7 && month[4] == '-';
  for (size_t i = 0; shape && i < month.size(); ++i) {
    shape = i == 4 || absl::ascii_isdigit(month[i]);
  }
  if (!shape || !absl::SimpleAtoi(month.substr(0, 4), &year) ||
      !absl::SimpleAtoi(month.substr(5, 2), &number)) {
    return absl::InvalidArgumentError("month: must be YYYY-MM, e.g. 2026-03");
  }
  if (region.size() > 12) return absl::InvalidArgumentError("region: at most 12 digits");
  for (const char c : region) {
    if (!absl::ascii_isdigit(c)) return absl::InvalidArgumentError("region: digits only");
  }
  request.set_year(year);
  request.set_month(number);
  request.set_region_prefix(std::string(region));
  return request;
}

ReportHttp::ReportHttp(std::shared_ptr<grpc::Channel> channel)
    : stub_(v1::SupervisionService::NewStub(std::move(channel))) {}

void ReportHttp::Monthly(const httplib::Request& request, httplib::Response& response,
                         const std::string& token) {
  // The app's policy is set on every response; the page's replaces it, on
  // a refusal too, so that the console's frame shows and reads the error.
  response.headers.erase("Content-Security-Policy");
  response.set_header("Content-Security-Policy", std::string(kReportCsp));
  response.headers.erase("X-Frame-Options");
  response.set_header("X-Frame-Options", "SAMEORIGIN");
  response.set_header("Cache-Control", "private, no-store");
  absl::StatusOr<v1::GetMonthlyReportRequest> ask =
      ParseReportQuery(request.get_param_value("month"), request.get_param_value("region"));
  if (!ask.ok()) {
    ReplyError(ask.status(), response);
    return;
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  const std::string request_id = response.get_header_value("X-Request-Id");
  if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
  v1::GetMonthlyReportResponse reply;
  const grpc::Status status = stub_->GetMonthlyReport(&context, *ask, &reply);
  if (!status.ok()) {
    ReplyError(status, response);
    return;
  }
  response.set_content(client::RenderMonthlyReportHtml(reply), "text/html; charset=utf-8");
}

}  // namespace rectify::web
