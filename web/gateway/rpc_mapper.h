// The generic half of rectify_web: finds an exposed RPC by its Connect path
// in the generated descriptor pool, turns request bytes (protobuf JSON or
// binary) into a message, calls rectify_server with grpc::GenericStub, and
// turns replies back into bytes. It knows no RPC by name: every method of an
// exposed service works the same way, so a new RPC needs no gateway change.
//
//   RpcMapper mapper(channel, {"rectify.v1.CaseService"});
//   const MethodDescriptor* m = mapper.FindMethod("rectify.v1.CaseService", "GetCase");
//   auto request = mapper.NewMessage(m->input_type());
//   RETURN_IF_ERROR(mapper.Decode(Codec::kJson, body, request.get()));
//   grpc::Status status = mapper.Unary(*m, *request, response.get(), options);
//
// Thread-safe: any number of HTTP threads call it at once.
#ifndef RECTIFY_WEB_GATEWAY_RPC_MAPPER_H_
#define RECTIFY_WEB_GATEWAY_RPC_MAPPER_H_

#include <memory>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace rectify::web {

// How message bytes are written on the HTTP side.
enum class Codec {
  kJson,   // protobuf's JSON mapping (application/json, application/connect+json)
  kProto,  // binary protobuf (application/proto, application/connect+proto)
};

// What every call carries from the HTTP request.
struct CallOptions {
  // Sent as `authorization: Bearer <token>` when not empty. Default: none.
  std::string bearer_token;
  // From Connect-Timeout-Ms; none means the mapper's default for unary
  // calls and no deadline for streams.
  std::optional<absl::Duration> timeout;
};

// One server-streaming call in progress. Not thread-safe: one HTTP thread
// reads it. Destroying it cancels the call if it has not finished.
class ServerStreamCall {
 public:
  ~ServerStreamCall();
  // Waits for the next message (at most `poll` at a time, so a caller can
  // check its HTTP client is still there): kMessage with `out` filled,
  // kEnd when the stream is over (then Finish), kPending after `poll`.
  enum class Next { kMessage, kEnd, kPending };
  Next Read(google::protobuf::Message* out, absl::Duration poll);
  // The call's final status; call once, after Read returned kEnd.
  grpc::Status Finish();
  // Ends the call early (the HTTP client went away).
  void Cancel() { context_.TryCancel(); }

 private:
  friend class RpcMapper;
  ServerStreamCall() = default;
  bool Wait(void* tag, std::optional<absl::Duration> limit, bool* timed_out);

  grpc::ClientContext context_;
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  grpc::ByteBuffer incoming_;
  bool read_pending_ = false;
  bool finished_ = false;
  bool broken_ = false;
};

class RpcMapper {
 public:
  // `services`: full names of the services exposed; every other service of
  // the pool (reflection, health, anything added later) is not found.
  // `default_unary_timeout`: the deadline of a unary call whose HTTP request
  // names none.
  RpcMapper(std::shared_ptr<grpc::Channel> channel, std::vector<std::string> services,
            absl::Duration default_unary_timeout = absl::Seconds(30));

  // The method, or nullptr when the service is not exposed or has no such
  // method.
  const google::protobuf::MethodDescriptor* FindMethod(absl::string_view service,
                                                       absl::string_view method) const;

  // An empty message of `type` (from the generated pool).
  std::unique_ptr<google::protobuf::Message> NewMessage(
      const google::protobuf::Descriptor* type) const;

  // Parses `bytes` into `message`. INVALID_ARGUMENT with the parser's reason
  // for malformed JSON, unknown fields or bad binary.
  static absl::Status Decode(Codec codec, absl::string_view bytes,
                             google::protobuf::Message* message);
  // Writes `message` in `codec` (JSON in protobuf's mapping, field names in
  // lowerCamelCase as Connect clients expect).
  static std::string Encode(Codec codec, const google::protobuf::Message& message);

  // One unary call; blocks the calling thread until the reply.
  grpc::Status Unary(const google::protobuf::MethodDescriptor& method,
                     const google::protobuf::Message& request,
                     google::protobuf::Message* response, const CallOptions& options);

  // Starts a server-streaming call with its one request. The call's errors
  // (including a refused start) come from ServerStreamCall::Finish.
  std::unique_ptr<ServerStreamCall> StartServerStream(
      const google::protobuf::MethodDescriptor& method, const google::protobuf::Message& request,
      const CallOptions& options);

 private:
  void Prepare(const CallOptions& options, std::optional<absl::Duration> default_timeout,
               grpc::ClientContext* context) const;

  // Unary calls go through the channel as blocking calls on the HTTP worker
  // thread (as a generated stub's do); the generic stub starts streams.
  const std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  const absl::flat_hash_set<std::string> services_;
  const absl::Duration default_unary_timeout_;
  // Guarded internally: DynamicMessageFactory is thread-safe for GetPrototype.
  mutable google::protobuf::DynamicMessageFactory factory_;
};

// "/rectify.v1.CaseService/GetCase" for a method: the gRPC and Connect path.
std::string MethodPath(const google::protobuf::MethodDescriptor& method);

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_RPC_MAPPER_H_
