// The generic RPC half of rectify_web; see rpc_mapper.h.
#include "web/gateway/rpc_mapper.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/support/time.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/slice.h"
#include "grpcpp/support/stub_options.h"

namespace rectify::web {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// Tags of the completion queue of a streaming call: one operation is
// outstanding at a time, so the tag only names which.
void* const kStartTag = reinterpret_cast<void*>(1);
void* const kWriteTag = reinterpret_cast<void*>(2);
void* const kReadTag = reinterpret_cast<void*>(3);
void* const kFinishTag = reinterpret_cast<void*>(4);

grpc::ByteBuffer ToByteBuffer(const Message& message) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool FromByteBuffer(grpc::ByteBuffer* buffer, Message* message) {
  grpc::ProtoBufferReader reader(buffer);
  return message->ParseFromZeroCopyStream(&reader);
}

gpr_timespec DeadlineAfter(absl::Duration timeout) {
  return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                      gpr_time_from_micros(absl::ToInt64Microseconds(timeout), GPR_TIMESPAN));
}

}  // namespace

std::string MethodPath(const MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

RpcMapper::RpcMapper(std::shared_ptr<grpc::Channel> channel, std::vector<std::string> services,
                     absl::Duration default_unary_timeout)
    : channel_(channel),
      stub_(std::move(channel)),
      services_(services.begin(), services.end()),
      default_unary_timeout_(default_unary_timeout),
      factory_(google::protobuf::DescriptorPool::generated_pool()) {
  factory_.SetDelegateToGeneratedFactory(true);
}

const MethodDescriptor* RpcMapper::FindMethod(absl::string_view service,
                                              absl::string_view method) const {
  if (!services_.contains(service)) return nullptr;
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(std::string(service));
  if (descriptor == nullptr) return nullptr;
  return descriptor->FindMethodByName(std::string(method));
}

std::unique_ptr<Message> RpcMapper::NewMessage(const google::protobuf::Descriptor* type) const {
  return std::unique_ptr<Message>(factory_.GetPrototype(type)->New());
}

absl::Status RpcMapper::Decode(Codec codec, absl::string_view bytes, Message* message) {
  if (codec == Codec::kProto) {
    if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return absl::InvalidArgumentError(
          absl::StrCat("the request is not a valid ", message->GetTypeName()));
    }
    return absl::OkStatus();
  }
  if (bytes.empty()) return absl::OkStatus();  // an empty body is the empty message
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(bytes.data(), bytes.size()), message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request is not a valid ", message->GetTypeName(),
                     " in JSON: ", std::string(status.message())));
  }
  return absl::OkStatus();
}

std::string RpcMapper::Encode(Codec codec, const Message& message) {
  if (codec == Codec::kProto) return message.SerializeAsString();
  std::string json;
  // A message of the generated pool always converts.
  if (!google::protobuf::util::MessageToJsonString(message, &json).ok()) return "{}";
  return json;
}

void RpcMapper::Prepare(const CallOptions& options,
                        std::optional<absl::Duration> default_timeout,
                        grpc::ClientContext* context) const {
  if (!options.bearer_token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", options.bearer_token));
  }
  const std::optional<absl::Duration> timeout =
      options.timeout.has_value() ? options.timeout : default_timeout;
  if (timeout.has_value()) context->set_deadline(DeadlineAfter(*timeout));
}

grpc::Status RpcMapper::Unary(const MethodDescriptor& method, const Message& request,
                              Message* response, const CallOptions& options) {
  grpc::ClientContext context;
  Prepare(options, default_unary_timeout_, &context);
  // A blocking call on this thread, as a generated stub makes: the messages
  // are serialized straight from and parsed straight into `request` and
  // `response`, and no other thread has to wake this one. (The generic
  // stub's callback UnaryCall cost each call two thread hand-offs and two
  // copies: +0.2 ms p50, docs/benchmarks.md "Web gateway".)
  const std::string path = MethodPath(method);
  const grpc::internal::RpcMethod rpc(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
  return grpc::internal::BlockingUnaryCall<Message, Message>(channel_.get(), rpc, &context,
                                                              request, response);
}

std::unique_ptr<ServerStreamCall> RpcMapper::StartServerStream(const MethodDescriptor& method,
                                                               const Message& request,
                                                               const CallOptions& options) {
  std::unique_ptr<ServerStreamCall> call(new ServerStreamCall());
  Prepare(options, std::nullopt, &call->context_);
  call->call_ = stub_.PrepareCall(&call->context_, MethodPath(method), &call->queue_);
  bool timed_out = false;
  call->call_->StartCall(kStartTag);
  if (!call->Wait(kStartTag, std::nullopt, &timed_out)) {
    call->broken_ = true;
    return call;
  }
  call->call_->WriteLast(ToByteBuffer(request), grpc::WriteOptions(), kWriteTag);
  if (!call->Wait(kWriteTag, std::nullopt, &timed_out)) call->broken_ = true;
  return call;
}

bool ServerStreamCall::Wait(void* tag, std::optional<absl::Duration> limit, bool* timed_out) {
  *timed_out = false;
  void* got = nullptr;
  bool ok = false;
  const gpr_timespec deadline =
      limit.has_value() ? DeadlineAfter(*limit) : gpr_inf_future(GPR_CLOCK_MONOTONIC);
  switch (queue_.AsyncNext(&got, &ok, deadline)) {
    case grpc::CompletionQueue::TIMEOUT:
      *timed_out = true;
      return false;
    case grpc::CompletionQueue::SHUTDOWN:
      return false;
    case grpc::CompletionQueue::GOT_EVENT:
      break;
  }
  (void)tag;  // one operation at a time: `got` is `tag`
  return ok;
}

ServerStreamCall::Next ServerStreamCall::Read(google::protobuf::Message* out,
                                              absl::Duration poll) {
  if (broken_) return Next::kEnd;
  if (!read_pending_) {
    call_->Read(&incoming_, kReadTag);
    read_pending_ = true;
  }
  bool timed_out = false;
  const bool ok = Wait(kReadTag, poll, &timed_out);
  if (timed_out) return Next::kPending;
  read_pending_ = false;
  if (!ok) {
    broken_ = true;
    return Next::kEnd;
  }
  out->Clear();
  if (!FromByteBuffer(&incoming_, out)) {
    context_.TryCancel();
    broken_ = true;
    return Next::kEnd;
  }
  return Next::kMessage;
}

grpc::Status ServerStreamCall::Finish() {
  bool timed_out = false;
  if (read_pending_) {
    Wait(kReadTag, std::nullopt, &timed_out);
    read_pending_ = false;
  }
  grpc::Status status;
  call_->Finish(&status, kFinishTag);
  Wait(kFinishTag, std::nullopt, &timed_out);
  finished_ = true;
  return status;
}

ServerStreamCall::~ServerStreamCall() {
  if (call_ != nullptr && !finished_) {
    context_.TryCancel();
    Finish();
  }
  queue_.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue_.Next(&tag, &ok)) {
  }
}

}  // namespace rectify::web
