// supervision_client: times the supervision RPCs of a running rectify_server
// over gRPC, one call after another on one connection (docs/benchmarks.md,
// "Supervision"; bench/run_supervision_bench.sh drives it).
//
//   supervision_client --server=127.0.0.1:PORT report --year=2026 --month=11 --calls=200
//   supervision_client --server=127.0.0.1:PORT make-list --items=1000
//   supervision_client --server=127.0.0.1:PORT list --list_id=L-620722-2026-0001 --calls=200
//
// report: GetMonthlyReport of --region_prefix; list: GetRectificationList.
// The first call is timed on its own (cold: right after the server started,
// or the first of its kind), then --calls more; prints one line of
// key=value pairs: cold_ms, p50_ms, p99_ms, mean_ms, max_ms and what the
// answer held.
// make-list: as a supervisor, takes the first --items cases (in case-id
// order) that ListCases finds for --source in --region_prefix found since
// --found_from, creates a rectification list and adds them to it in one
// AddListItems; prints list_id=...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/supervision_service.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "host:port of rectify_server");
ABSL_FLAG(std::string, token, "demo-supervisor",
          "bearer token (config/principals.demo.textproto: demo-supervisor is sup-wang of 620722)");
ABSL_FLAG(int, calls, 200, "report, list: timed calls after the first");
ABSL_FLAG(int, year, 2026, "report: year");
ABSL_FLAG(int, month, 11, "report: month");
ABSL_FLAG(std::string, region_prefix, "620722", "report, make-list: region prefix");
ABSL_FLAG(std::string, list_id, "", "list: the list");
ABSL_FLAG(int, items, 1000, "make-list: cases to put on the list (at most 1,000)");
ABSL_FLAG(std::string, source, "CASE_SOURCE_CENTRAL_INSPECTION", "make-list: the cases' source");
ABSL_FLAG(std::string, found_from, "2026-06-01",
          "make-list: cases found on or after this day (China time)");

namespace rectify::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Authorize(grpc::ClientContext& context) {
  context.AddMetadata("authorization", absl::StrCat("Bearer ", absl::GetFlag(FLAGS_token)));
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
}

int Fail(const char* what, const grpc::Status& status) {
  std::fprintf(stderr, "supervision_client: %s: %s %s\n", what,
               std::to_string(status.error_code()).c_str(), status.error_message().c_str());
  return 1;
}

// Times `call` (which returns a grpc::Status) once cold and --calls times,
// and prints the line.
template <typename Call>
int Time(const std::string& rpc, Call call) {
  std::string answer;
  auto start = Clock::now();
  grpc::Status status = call(&answer);
  const double cold = Millis(Clock::now() - start);
  if (!status.ok()) return Fail(rpc.c_str(), status);
  const int calls = absl::GetFlag(FLAGS_calls);
  std::vector<double> millis;
  millis.reserve(calls);
  for (int i = 0; i < calls; ++i) {
    start = Clock::now();
    status = call(&answer);
    millis.push_back(Millis(Clock::now() - start));
    if (!status.ok()) return Fail(rpc.c_str(), status);
  }
  std::sort(millis.begin(), millis.end());
  double sum = 0;
  for (double m : millis) sum += m;
  auto at = [&](double q) { return millis[static_cast<size_t>(q * (millis.size() - 1))]; };
  std::printf("rpc=%s calls=%d cold_ms=%.2f p50_ms=%.2f p99_ms=%.2f mean_ms=%.2f max_ms=%.2f %s\n",
              rpc.c_str(), calls, cold, at(0.5), at(0.99), sum / calls, millis.back(),
              answer.c_str());
  return 0;
}

int Report(v1::SupervisionService::Stub& stub) {
  v1::GetMonthlyReportRequest request;
  request.set_year(absl::GetFlag(FLAGS_year));
  request.set_month(absl::GetFlag(FLAGS_month));
  request.set_region_prefix(absl::GetFlag(FLAGS_region_prefix));
  return Time(
      absl::StrFormat("GetMonthlyReport/%04d-%02d", request.year(), request.month()),
      [&](std::string* answer) {
        grpc::ClientContext context;
        Authorize(context);
        v1::GetMonthlyReportResponse response;
        grpc::Status status = stub.GetMonthlyReport(&context, request, &response);
        int notices = 0;
        for (const v1::UnitNotices& unit : response.notices()) notices += unit.notices_size();
        *answer = absl::StrCat("response_bytes=", response.ByteSizeLong(), " notices=", notices,
                               " new=", response.total().new_cases(), " closed=",
                               response.total().closed(), " open_at_end=",
                               response.total().open_at_end(), " overdue=",
                               response.total().overdue());
        return status;
      });
}

int List(v1::SupervisionService::Stub& stub) {
  v1::GetRectificationListRequest request;
  request.set_list_id(absl::GetFlag(FLAGS_list_id));
  return Time(
      "GetRectificationList",
      [&](std::string* answer) {
        grpc::ClientContext context;
        Authorize(context);
        v1::GetRectificationListResponse response;
        grpc::Status status = stub.GetRectificationList(&context, request, &response);
        *answer = absl::StrCat("response_bytes=", response.ByteSizeLong(), " items=",
                               response.list().items_size(), " closed=",
                               response.progress().closed(), " overdue=",
                               response.progress().overdue(), " units=",
                               response.unit_progress_size());
        return status;
      });
}

int MakeList(const std::shared_ptr<grpc::Channel>& channel) {
  auto cases = v1::CaseService::NewStub(channel);
  auto supervision = v1::SupervisionService::NewStub(channel);
  v1::CaseSource source;
  if (!v1::CaseSource_Parse(absl::GetFlag(FLAGS_source), &source)) {
    std::fprintf(stderr, "supervision_client: unknown --source\n");
    return 2;
  }
  absl::Time found_from;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d", absl::GetFlag(FLAGS_found_from), rectify::ChinaTimeZone(),
                       &found_from, &error)) {
    std::fprintf(stderr, "supervision_client: --found_from: %s\n", error.c_str());
    return 2;
  }
  const int items = absl::GetFlag(FLAGS_items);
  std::vector<std::string> ids;
  v1::ListCasesRequest page;
  page.mutable_filter()->set_region_prefix(absl::GetFlag(FLAGS_region_prefix));
  page.mutable_filter()->add_sources(source);
  page.mutable_filter()->mutable_found_from()->set_seconds(absl::ToUnixSeconds(found_from));
  page.set_page_size(500);
  while (static_cast<int>(ids.size()) < items) {
    grpc::ClientContext context;
    Authorize(context);
    v1::ListCasesResponse response;
    if (grpc::Status status = cases->ListCases(&context, page, &response); !status.ok()) {
      return Fail("ListCases", status);
    }
    for (const v1::Case& found : response.cases()) {
      if (static_cast<int>(ids.size()) < items) ids.push_back(found.case_id());
    }
    if (response.next_page_token().empty()) break;
    page.set_page_token(response.next_page_token());
  }
  const std::string run = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  v1::CreateRectificationListRequest create;
  create.set_command_id(absl::StrCat("bench-list-", run));
  create.set_title("第三轮中央生态环境保护督察反馈问题整改清单");
  create.set_origin("中央生态环境保护督察 2026年转办件");
  create.set_owner_unit("minle-eeb");
  create.set_region_code(absl::GetFlag(FLAGS_region_prefix));
  v1::CreateRectificationListResponse created;
  {
    grpc::ClientContext context;
    Authorize(context);
    if (grpc::Status status = supervision->CreateRectificationList(&context, create, &created);
        !status.ok()) {
      return Fail("CreateRectificationList", status);
    }
  }
  v1::AddListItemsRequest add;
  add.set_command_id(absl::StrCat("bench-items-", run));
  add.set_list_id(created.list().list_id());
  for (const std::string& id : ids) add.add_case_ids(id);
  v1::AddListItemsResponse added;
  const auto start = Clock::now();
  {
    grpc::ClientContext context;
    Authorize(context);
    if (grpc::Status status = supervision->AddListItems(&context, add, &added); !status.ok()) {
      return Fail("AddListItems", status);
    }
  }
  std::printf("list_id=%s items=%d add_ms=%.1f\n", added.list().list_id().c_str(),
              added.list().items_size(), Millis(Clock::now() - start));
  return 0;
}

}  // namespace
}  // namespace rectify::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Times supervision RPCs.\n"
      "  supervision_client --server=HOST:PORT report|list|make-list [flags]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: supervision_client --server=HOST:PORT report|list|make-list\n");
    return 2;
  }
  const std::string mode = args[1];
  auto channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials());
  // Connected before anything is timed, so the first call's time is the
  // server's and not the TCP and HTTP/2 handshake.
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    std::fprintf(stderr, "supervision_client: cannot connect to %s\n",
                 absl::GetFlag(FLAGS_server).c_str());
    return 1;
  }
  auto stub = rectify::v1::SupervisionService::NewStub(channel);
  if (mode == "report") return rectify::bench::Report(*stub);
  if (mode == "list") return rectify::bench::List(*stub);
  if (mode == "make-list") return rectify::bench::MakeList(channel);
  std::fprintf(stderr, "supervision_client: unknown mode %s\n", mode.c_str());
  return 2;
}
