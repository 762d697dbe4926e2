// The request-id and metrics interceptor; see rpc_interceptor.h.
#include "server/rpc_interceptor.h"

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/request_id.h"
#include "google/protobuf/descriptor.h"
#include "server/log.h"

namespace rectify::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

const std::string& RequestIdKey() {
  static const auto* key = new std::string(kRequestIdKey);
  return *key;
}

const char* MethodTypeLabel(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming()) return method.server_streaming() ? "bidi_stream" : "client_stream";
  return method.server_streaming() ? "server_stream" : "unary";
}

class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, RpcMethodMetrics& metrics,
                 bool log_failures)
      : info_(info),
        metrics_(metrics),
        log_failures_(log_failures),
        started_(std::chrono::steady_clock::now()) {
    metrics_.Started();
  }

  // A call that never sent a status (the client went away first) is
  // counted as CANCELLED.
  ~RpcInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      std::multimap<grpc::string_ref, grpc::string_ref>* received =
          methods->GetRecvInitialMetadata();
      absl::string_view sent;
      auto it = received->find(RequestIdKey());
      if (it != received->end()) sent = absl::string_view(it->second.data(), it->second.size());
      request_id_ = AcceptOrMakeRequestId(sent);
      // The handler reads the id from the client metadata: replace what
      // the caller sent (which may be unacceptable, or several) by the id.
      received->erase(RequestIdKey());
      received->emplace(grpc::string_ref(RequestIdKey()), grpc::string_ref(request_id_));
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      if (request_id_.empty()) request_id_ = MakeRequestId();
      methods->GetSendTrailingMetadata()->emplace(RequestIdKey(), request_id_);
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
    metrics_.Handled(code, elapsed.count());
    if (log_failures_ && code != grpc::StatusCode::OK) {
      Log(LogLevel::kWarning,
          {{"event", "rpc"},
           {"method", info_->method() != nullptr ? info_->method() : "?"},
           {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(code))},
           {"latency_us", std::to_string(static_cast<int64_t>(elapsed.count() * 1e6))},
           {"request_id", request_id_.empty() ? "-" : request_id_}});
    }
  }

  grpc::experimental::ServerRpcInfo* const info_;
  RpcMethodMetrics& metrics_;
  const bool log_failures_;
  const std::chrono::steady_clock::time_point started_;
  std::string request_id_;
  bool recorded_ = false;
};

}  // namespace

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(RequestIdKey());
  if (it == metadata.end()) return "-";
  const absl::string_view id(it->second.data(), it->second.size());
  // Without the interceptor the caller's text is unchecked: never log it raw.
  return IsAcceptableRequestId(id) ? std::string(id) : "-";
}

CallStart StartCall(const grpc::ServerContextBase& context) {
  return CallStart{std::chrono::steady_clock::now(), RequestIdOf(context)};
}

const std::vector<double>& RpcLatencyBuckets() {
  static const auto* buckets = new std::vector<double>{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

RpcMethodMetrics::RpcMethodMetrics(const std::string& service, const std::string& method,
                                   const std::string& type,
                                   prometheus::Family<prometheus::Counter>& started,
                                   prometheus::Family<prometheus::Counter>& handled,
                                   prometheus::Family<prometheus::Histogram>& latency)
    : started_(&started.Add(
          {{"grpc_service", service}, {"grpc_method", method}, {"grpc_type", type}})),
      handled_family_(handled),
      latency_family_(latency),
      service_(service),
      method_(method),
      type_(type) {}

void RpcMethodMetrics::Handled(grpc::StatusCode code, double seconds) {
  int index = static_cast<int>(code);
  if (index < 0 || index >= kCodes) index = static_cast<int>(grpc::StatusCode::UNKNOWN);
  prometheus::Counter* counter = handled_[index].load(std::memory_order_acquire);
  prometheus::Histogram* histogram = latency_[index].load(std::memory_order_acquire);
  if (counter == nullptr || histogram == nullptr) {
    // Family::Add returns the one series of these labels, also when two
    // threads get here at once.
    const std::string code_name =
        absl::StatusCodeToString(static_cast<absl::StatusCode>(index));
    counter = &handled_family_.Add({{"grpc_service", service_},
                                    {"grpc_method", method_},
                                    {"grpc_type", type_},
                                    {"grpc_code", code_name}});
    histogram = &latency_family_.Add({{"grpc_service", service_},
                                      {"grpc_method", method_},
                                      {"grpc_type", type_},
                                      {"grpc_code", code_name}},
                                     RpcLatencyBuckets());
    handled_[index].store(counter, std::memory_order_release);
    latency_[index].store(histogram, std::memory_order_release);
  }
  counter->Increment();
  histogram->Observe(seconds);
}

RpcInterceptorFactory::RpcInterceptorFactory(prometheus::Registry& registry,
                                             const std::vector<std::string>& services,
                                             bool log_failures)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("RPCs started on the server, by method.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed on the server, by method and gRPC status code.")
                   .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("grpc_server_handling_seconds")
                   .Help("Time from the start of an RPC to its status, in seconds, by method "
                         "and code.")
                   .Register(registry)),
      log_failures_(log_failures) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& service_name : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      methods_.emplace(absl::StrCat("/", service_name, "/", method->name()),
                       std::make_unique<RpcMethodMetrics>(service_name, method->name(),
                                                          MethodTypeLabel(*method), started_,
                                                          handled_, latency_));
    }
  }
  unknown_ = std::make_unique<RpcMethodMetrics>("unknown", "unknown", "unknown",
                                                started_, handled_, latency_);
}

RpcMethodMetrics& RpcInterceptorFactory::MetricsFor(absl::string_view full_method) {
  auto it = methods_.find(full_method);
  return it != methods_.end() ? *it->second : *unknown_;
}

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  RpcMethodMetrics& metrics =
      MetricsFor(info->method() != nullptr ? absl::string_view(info->method()) : "");
  return new RpcInterceptor(info, metrics, log_failures_);
}

}  // namespace rectify::server
