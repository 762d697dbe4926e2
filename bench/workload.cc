// The benchmark and crash-loop clients; see workload.h.
#include "bench/workload.h"

#include <algorithm>
#include <memory>
#include <thread>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "bench/case_mix.h"
#include "bench/storage_dataset.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "rectify/v1/case_service.grpc.pb.h"

namespace rectify::bench {

void AckLog::Add(Acknowledged ack) {
  absl::MutexLock lock(&mutex_);
  acks_.push_back(std::move(ack));
}

std::vector<Acknowledged> AckLog::Snapshot() const {
  absl::MutexLock lock(&mutex_);
  return acks_;
}

double WorkloadResult::PerSecond() const {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? ok / seconds : 0;
}

double WorkloadResult::QuantileMs(double q) const {
  if (latencies_us.empty()) return 0;
  size_t index = static_cast<size_t>(q * latencies_us.size());
  index = std::min(index, latencies_us.size() - 1);
  return latencies_us[index] / 1000.0;
}

namespace {

// Codes a call gets when the server was killed or restarted under it.
bool ServerWentAway(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::CANCELLED || code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::INTERNAL;
}

// What one client thread measured; merged at the end.
struct ClientStats {
  int64_t ok = 0;
  int64_t errors = 0;
  int64_t retries = 0;
  std::map<std::string, int64_t> errors_by_code;
  std::vector<int64_t> latencies_us;
  double request_bytes = 0;
  double response_bytes = 0;
};

class Client {
 public:
  Client(const WorkloadOptions& options, int index, std::atomic<int64_t>& started,
         absl::Time end)
      : options_(options), index_(index), started_(started), end_(end) {}

  void Run() {
    Connect();
    if (options_.kind == WorkloadKind::kGetCase) {
      RunGetCase();
    } else if (options_.kind == WorkloadKind::kListCases) {
      RunListCases();
    } else {
      RunCaseCycles();
    }
  }

  ClientStats& stats() { return stats_; }

 private:
  void Connect() {
    grpc::ChannelArguments args;
    // One TCP connection per client (see workload.h).
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channel_ = grpc::CreateCustomChannel(options_.address(), grpc::InsecureChannelCredentials(),
                                         args);
    stub_ = v1::CaseService::NewStub(channel_);
  }

  // Whether another call may start: within the time and count bounds.
  bool Admit() {
    if (options_.stop != nullptr && options_.stop->load()) return false;
    if (absl::Now() >= end_) return false;
    return started_.fetch_add(1) < options_.max_commands;
  }

  std::string NextCommandId() {
    return absl::StrCat(options_.command_prefix, "-", index_, "-", next_command_++);
  }

  // Sends `request` (again with the same command id while the server is
  // away, in retry mode); true when answered OK.
  template <typename Request, typename Response, typename Invoke>
  bool Send(const char* token, const Request& request, Response* response, Invoke invoke) {
    const absl::Time first_sent = absl::Now();
    while (true) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_timeout));
      context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
      response->Clear();
      const grpc::Status status = invoke(stub_.get(), &context, request, response);
      if (status.ok()) {
        ++stats_.ok;
        stats_.latencies_us.push_back(absl::ToInt64Microseconds(absl::Now() - first_sent));
        stats_.request_bytes += request.ByteSizeLong();
        stats_.response_bytes += response->ByteSizeLong();
        if (options_.pause_between_commands > absl::ZeroDuration()) {
          absl::SleepFor(options_.pause_between_commands);
        }
        return true;
      }
      if (options_.retry_until_answered && ServerWentAway(status.error_code()) &&
          absl::Now() - first_sent < options_.give_up_after) {
        ++stats_.retries;
        absl::SleepFor(absl::Milliseconds(20));
        Connect();  // the server may be back on another port
        continue;
      }
      ++stats_.errors;
      // The code and the start of the message: enough to tell errors apart.
      ++stats_.errors_by_code[absl::StrCat(status.error_code(), ": ",
                                           status.error_message().substr(0, 240))];
      return false;
    }
  }

  template <typename Response>
  void Acknowledge(const std::string& command_id, int step, const Response& response) {
    if (options_.ack_log == nullptr) return;
    options_.ack_log->Add(Acknowledged{response.case_().case_id(), command_id, step,
                                       response.position(), response.case_().version()});
  }

  void RunCaseCycles() {
    using Stub = v1::CaseService::Stub;
    while (Admit()) {
      std::string command_id = NextCommandId();
      v1::ReportCaseResponse reported;
      if (!Send(kInspectorToken, MakeReport(command_id), &reported,
                [](Stub* stub, grpc::ClientContext* context, const v1::ReportCaseRequest& r,
                   v1::ReportCaseResponse* out) { return stub->ReportCase(context, r, out); })) {
        continue;
      }
      Acknowledge(command_id, 0, reported);
      const std::string case_id = reported.case_().case_id();
      for (int step = 1; step < kStepsPerCase; ++step) {
        if (!Admit()) return;
        command_id = NextCommandId();
        bool answered = false;
        if (step == 1) {
          v1::AssignCaseResponse out;
          answered = Send(kSupervisorToken, MakeAssign(command_id, case_id), &out,
                          [](Stub* stub, grpc::ClientContext* context,
                             const v1::AssignCaseRequest& r, v1::AssignCaseResponse* o) {
                            return stub->AssignCase(context, r, o);
                          });
          if (answered) Acknowledge(command_id, step, out);
        } else if (step == 2) {
          v1::StartRectificationResponse out;
          answered = Send(kRectifierToken, MakeStart(command_id, case_id), &out,
                          [](Stub* stub, grpc::ClientContext* context,
                             const v1::StartRectificationRequest& r,
                             v1::StartRectificationResponse* o) {
                            return stub->StartRectification(context, r, o);
                          });
          if (answered) Acknowledge(command_id, step, out);
        } else {
          v1::ReportProgressResponse out;
          answered = Send(kRectifierToken, MakeProgress(command_id, case_id, 40 * (step - 2)),
                          &out,
                          [](Stub* stub, grpc::ClientContext* context,
                             const v1::ReportProgressRequest& r, v1::ReportProgressResponse* o) {
                            return stub->ReportProgress(context, r, o);
                          });
          if (answered) Acknowledge(command_id, step, out);
        }
        if (!answered) break;  // the rest of this case's cycle would fail too
      }
    }
  }

  void RunGetCase() {
    absl::BitGen random;
    while (Admit()) {
      v1::GetCaseRequest request;
      request.set_case_id(CaseId(absl::Uniform<int64_t>(absl::IntervalClosed, random, 1,
                                                         options_.get_case_count)));
      v1::GetCaseResponse response;
      Send(kSupervisorToken, request, &response,
           [](v1::CaseService::Stub* stub, grpc::ClientContext* context,
              const v1::GetCaseRequest& r, v1::GetCaseResponse* o) {
             return stub->GetCase(context, r, o);
           });
    }
  }

  void RunListCases() {
    absl::BitGen random;
    while (Admit()) {
      v1::ListCasesRequest request;
      request.mutable_filter()->add_statuses(v1::CASE_STATUS_FOUND);
      request.mutable_filter()->set_region_prefix(RegionOf(absl::Uniform<int64_t>(random, 0, 20)));
      request.set_page_size(50);
      v1::ListCasesResponse response;
      Send(kSupervisorToken, request, &response,
           [](v1::CaseService::Stub* stub, grpc::ClientContext* context,
              const v1::ListCasesRequest& r, v1::ListCasesResponse* o) {
             return stub->ListCases(context, r, o);
           });
    }
  }

  const WorkloadOptions& options_;
  const int index_;
  std::atomic<int64_t>& started_;
  const absl::Time end_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
  int64_t next_command_ = 0;
  ClientStats stats_;
};

}  // namespace

WorkloadResult RunWorkload(const WorkloadOptions& options) {
  std::atomic<int64_t> started{0};
  const absl::Time begin = absl::Now();
  const absl::Time end = begin + options.duration;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < options.clients; ++i) {
    clients.push_back(std::make_unique<Client>(options, i, started, end));
  }
  std::vector<std::thread> threads;
  for (auto& client : clients) threads.emplace_back([&client] { client->Run(); });
  for (auto& thread : threads) thread.join();

  WorkloadResult result;
  result.elapsed = absl::Now() - begin;
  double request_bytes = 0;
  double response_bytes = 0;
  for (auto& client : clients) {
    ClientStats& stats = client->stats();
    result.ok += stats.ok;
    result.errors += stats.errors;
    result.retries += stats.retries;
    for (const auto& [code, count] : stats.errors_by_code) result.errors_by_code[code] += count;
    result.latencies_us.insert(result.latencies_us.end(), stats.latencies_us.begin(),
                               stats.latencies_us.end());
    request_bytes += stats.request_bytes;
    response_bytes += stats.response_bytes;
  }
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  if (result.ok > 0) {
    result.mean_request_bytes = request_bytes / result.ok;
    result.mean_response_bytes = response_bytes / result.ok;
  }
  return result;
}

}  // namespace rectify::bench
