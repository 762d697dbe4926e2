// rectify_web's HTTP routes; see gateway.h.
#include "web/gateway/gateway.h"

#include <chrono>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/request_id.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "rectify/v1/admin_service.pb.h"
#include "rectify/v1/auth_service.pb.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/complaint_service.pb.h"
#include "rectify/v1/penalty_service.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "rectify/v1/unit_service.pb.h"
#include "web/gateway/connect_protocol.h"
#include "web/gateway/http_reply.h"

namespace rectify::web {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// When the request this thread serves began (its headers read, before its
// body): set by the pre-routing handler, taken by the logger for the
// request latency histogram. cpp-httplib serves a connection's requests one
// after another on one thread and calls both on it; a request answered
// before routing (malformed) has no start and is counted without a time.
thread_local std::optional<std::chrono::steady_clock::time_point> request_started;

constexpr absl::string_view kLoginMethod = "rectify.v1.AuthService.Login";
constexpr absl::string_view kLogoutMethod = "rectify.v1.AuthService.Logout";

// The media type of a Content-Type header, lowercased, without parameters.
std::string MediaTypeOf(const httplib::Request& request) {
  std::string type = request.get_header_value("Content-Type");
  if (const size_t semicolon = type.find(';'); semicolon != std::string::npos) {
    type.resize(semicolon);
  }
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

// Reads the body, at most `limit` bytes. RESOURCE_EXHAUSTED past it.
absl::StatusOr<std::string> ReadBody(const httplib::Request& request,
                                     const httplib::ContentReader& reader, size_t limit) {
  const std::string too_big =
      absl::StrCat("the request body is larger than ", limit, " bytes");
  if (request.has_header("Content-Length")) {
    size_t declared = 0;
    if (!absl::SimpleAtoi(request.get_header_value("Content-Length"), &declared)) {
      return absl::InvalidArgumentError("Content-Length is not a size");
    }
    if (declared > limit) return absl::ResourceExhaustedError(too_big);
  }
  std::string body;
  bool over = false;
  const bool read = reader([&](const char* data, size_t length) {
    if (body.size() + length > limit) {
      over = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (over) return absl::ResourceExhaustedError(too_big);
  if (!read) return absl::DataLossError("the request body could not be read");
  return body;
}

// Moves the session token of a Login reply into the cookie.
void TakeSessionToken(Message& reply, bool tls, httplib::Response& response) {
  const google::protobuf::Descriptor* type = reply.GetDescriptor();
  const google::protobuf::FieldDescriptor* token_field = type->FindFieldByName("session_token");
  const google::protobuf::FieldDescriptor* expires_field = type->FindFieldByName("expires_at");
  if (token_field == nullptr || expires_field == nullptr) return;
  const google::protobuf::Reflection* reflection = reply.GetReflection();
  const std::string token = reflection->GetString(reply, token_field);
  reflection->ClearField(&reply, token_field);
  google::protobuf::Timestamp expires;
  expires.CopyFrom(reflection->GetMessage(reply, expires_field));
  absl::StatusOr<std::string> cookie = SessionCookie(
      token, absl::FromUnixSeconds(expires.seconds()), tls);
  if (cookie.ok()) response.set_header("Set-Cookie", *cookie);
}

// The generated code of every exposed service, named so the linker keeps it:
// its descriptors are then in the generated pool RpcMapper searches.
void LinkExposedServices() {
  (void)v1::LoginRequest::descriptor();
  (void)v1::GetCaseRequest::descriptor();
  (void)v1::ListNoticesRequest::descriptor();
  (void)v1::CreateBackupRequest::descriptor();
  (void)v1::GetUnitRequest::descriptor();
  (void)v1::GetComplaintRequest::descriptor();
  (void)v1::GetPenaltyCaseRequest::descriptor();
}

}  // namespace

Gateway::Gateway(std::shared_ptr<grpc::Channel> channel, StaticFiles app,
                 GatewayOptions options)
    : mapper_(channel, ExposedServices(), options.default_unary_timeout),
      evidence_(channel, options.evidence),
      reports_(channel),
      health_(grpc::health::v1::Health::NewStub(channel)),
      app_(std::move(app)),
      options_(std::move(options)),
      csrf_{options_.extra_origins, options_.tls} {
  LinkExposedServices();
}

void Gateway::Register(httplib::Server& server) {
  // cpp-httplib writes a reply's head and body separately: without
  // TCP_NODELAY, Nagle's algorithm holds the body until the client's delayed
  // ACK (40 ms) for every small reply.
  server.set_tcp_nodelay(true);
  // A page makes many small calls on one connection; cpp-httplib's default
  // closes it after 5 requests.
  server.set_keep_alive_max_count(100);
  // Evidence uploads are the largest bodies; Connect bodies are checked
  // against their own, smaller limit while they are read.
  server.set_payload_max_length(
      std::max<size_t>(static_cast<size_t>(options_.evidence.max_upload_bytes),
                       options_.max_request_bytes));
  server.set_pre_routing_handler([this](const httplib::Request& request,
                                        httplib::Response& response) {
    request_started = std::chrono::steady_clock::now();
    for (const auto& [name, value] : SecurityHeaders(options_.tls)) {
      response.set_header(name, value);
    }
    // One id per request (base/request_id.h), sent on to rectify_server
    // and back to the client, so that both logs and the user's report of a
    // refusal meet.
    response.set_header("X-Request-Id",
                        AcceptOrMakeRequestId(request.get_header_value("X-Request-Id")));
    if (request.method != "GET" && request.method != "HEAD" && request.method != "POST" &&
        request.method != "PUT") {
      response.set_header("Allow", "GET, HEAD, POST, PUT");
      ReplyError(absl::UnimplementedError("method not allowed"), response, 405);
      return httplib::Server::HandlerResponse::Handled;
    }
    const absl::Status csrf = CheckStateChange(
        csrf_, request.method, request.get_header_value("Connect-Protocol-Version"),
        request.get_header_value("Origin"), request.get_header_value("Host"),
        !SessionTokenFromCookies(request.get_header_value("Cookie"), options_.tls).empty());
    if (!csrf.ok()) {
      response.set_header("Connection", "close");
      ReplyError(csrf, response);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  if (options_.metrics != nullptr) {
    server.set_logger([metrics = options_.metrics](const httplib::Request& request,
                                                   const httplib::Response& response) {
      std::optional<double> seconds;
      if (request_started.has_value()) {
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                *request_started)
                      .count();
        request_started.reset();
      }
      metrics->Request(request.method, request.path, response.status, seconds);
    });
  }

  server.Post(R"(/([A-Za-z_][A-Za-z0-9_.]*)/([A-Za-z_][A-Za-z0-9_]*))",
              [this](const httplib::Request& request, httplib::Response& response,
                     const httplib::ContentReader& reader) { Connect(request, response, reader); });
  server.Put(R"(/evidence/([^/]+))",
             [this](const httplib::Request& request, httplib::Response& response,
                    const httplib::ContentReader& reader) {
               evidence_.Upload(request, response, reader, request.matches[1].str(),
                                TokenOf(request));
             });
  server.Get(R"(/evidence/([^/]+)/([^/]+))",
             [this](const httplib::Request& request, httplib::Response& response) {
               evidence_.Download(request, response, request.matches[1].str(),
                                  request.matches[2].str(), TokenOf(request));
             });
  server.Put(R"(/complaint-documents/([^/]+))",
             [this](const httplib::Request& request, httplib::Response& response,
                    const httplib::ContentReader& reader) {
               evidence_.UploadSiteCheckDocument(request, response, reader,
                                                 request.matches[1].str(), TokenOf(request));
             });
  server.Get(R"(/complaint-documents/([^/]+)/([^/]+))",
             [this](const httplib::Request& request, httplib::Response& response) {
               evidence_.DownloadSiteCheckDocument(request, response, request.matches[1].str(),
                                                   request.matches[2].str(), TokenOf(request));
             });
  server.Get("/reports/monthly", [this](const httplib::Request& request, httplib::Response& response) {
    reports_.Monthly(request, response, TokenOf(request));
  });
  server.Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
    Health(response);
  });
  // An RPC path asked with GET is not a page of the app.
  server.Get(R"(/([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z0-9_.]*)/([A-Za-z_][A-Za-z0-9_]*))",
             [](const httplib::Request&, httplib::Response& response) {
               response.set_header("Allow", "POST");
               ReplyError(absl::UnimplementedError("Connect calls are POSTed"), response, 405);
             });
  server.Get(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
    Static(request, response);
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (response.body.empty() && !response.content_provider_) {
      response.set_content(absl::StrCat("HTTP ", response.status, "\n"), "text/plain");
    }
  });
}

std::string Gateway::TokenOf(const httplib::Request& request) const {
  const std::string header = request.get_header_value("Authorization");
  absl::string_view authorization = header;
  if (absl::ConsumePrefix(&authorization, "Bearer ")) {
    return std::string(absl::StripAsciiWhitespace(authorization));
  }
  return SessionTokenFromCookies(request.get_header_value("Cookie"), options_.tls);
}

void Gateway::Connect(const httplib::Request& request, httplib::Response& response,
                      const httplib::ContentReader& reader) {
  const MethodDescriptor* method =
      mapper_.FindMethod(request.matches[1].str(), request.matches[2].str());
  if (method == nullptr) {
    response.set_header("Connection", "close");
    ReplyError(absl::UnimplementedError(absl::StrCat(request.path, " is not a method of an "
                                                     "exposed service")),
               response, 404);
    return;
  }
  if (method->client_streaming()) {
    response.set_header("Connection", "close");
    ReplyError(absl::UnimplementedError("client streaming is not served over Connect; "
                                        "evidence is uploaded with PUT /evidence/{case_id}"),
               response, 415);
    return;
  }
  const std::string media_type = MediaTypeOf(request);
  const bool streaming = method->server_streaming();
  Codec codec;
  if (media_type == (streaming ? "application/connect+json" : "application/json")) {
    codec = Codec::kJson;
  } else if (media_type == (streaming ? "application/connect+proto" : "application/proto")) {
    codec = Codec::kProto;
  } else {
    response.set_header("Connection", "close");
    response.set_header("Accept-Post", streaming
                                           ? "application/connect+json, application/connect+proto"
                                           : "application/json, application/proto");
    ReplyError(absl::InvalidArgumentError(absl::StrCat(
                   "Content-Type ", media_type, " is not served for ", method->full_name())),
               response, 415);
    return;
  }
  const std::string encoding = request.get_header_value(
      streaming ? "Connect-Content-Encoding" : "Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    response.set_header("Connection", "close");
    ReplyError(absl::UnimplementedError(absl::StrCat("content encoding ", encoding,
                                                     " is not supported; send identity")),
               response);
    return;
  }
  absl::StatusOr<std::optional<absl::Duration>> timeout =
      ParseTimeoutMs(request.get_header_value("Connect-Timeout-Ms"));
  absl::StatusOr<std::string> body = ReadBody(request, reader, options_.max_request_bytes);
  if (!body.ok()) {
    response.set_header("Connection", "close");
    ReplyError(body.status(), response,
               body.status().code() == absl::StatusCode::kResourceExhausted ? 413 : 0);
    return;
  }
  const std::string response_type =
      streaming ? std::string(codec == Codec::kJson ? "application/connect+json"
                                                    : "application/connect+proto")
                : std::string(codec == Codec::kJson ? "application/json" : "application/proto");

  CallOptions call;
  call.bearer_token = TokenOf(request);
  call.request_id = response.get_header_value("X-Request-Id");
  std::unique_ptr<Message> input = mapper_.NewMessage(method->input_type());
  absl::Status decoded = timeout.status();
  if (decoded.ok()) {
    call.timeout = *timeout;
    if (streaming) {
      absl::StatusOr<std::string> payload = ParseSingleEnvelope(*body);
      decoded = payload.ok() ? RpcMapper::Decode(codec, *payload, input.get()) : payload.status();
    } else {
      decoded = RpcMapper::Decode(codec, *body, input.get());
    }
  }

  if (!streaming) {
    if (!decoded.ok()) {
      ReplyError(decoded, response);
      return;
    }
    std::unique_ptr<Message> output = mapper_.NewMessage(method->output_type());
    const auto started = std::chrono::steady_clock::now();
    const grpc::Status status = mapper_.Unary(*method, *input, output.get(), call);
    if (options_.metrics != nullptr) {
      options_.metrics->Upstream(
          *method, status.error_code(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    if (method->full_name() == kLogoutMethod) {
      response.set_header("Set-Cookie", ClearedSessionCookie(options_.tls));
    }
    if (!status.ok()) {
      ReplyError(status, response);
      return;
    }
    if (method->full_name() == kLoginMethod) TakeSessionToken(*output, options_.tls, response);
    response.set_content(RpcMapper::Encode(codec, *output), response_type);
    return;
  }

  // Server streaming: HTTP 200 whatever happens; the end-stream message
  // carries the outcome.
  if (!decoded.ok()) {
    response.set_content(Envelope(kEnvelopeEndStream, EndStreamMessage(ToGrpc(decoded))),
                         response_type);
    return;
  }
  if (!call.timeout.has_value()) call.timeout = options_.max_stream_duration;
  std::shared_ptr<ServerStreamCall> stream = mapper_.StartServerStream(*method, *input, call);
  std::shared_ptr<Message> message = mapper_.NewMessage(method->output_type());
  const absl::Duration poll = options_.stream_poll;
  response.set_chunked_content_provider(
      response_type, [stream, message, codec, poll](size_t, httplib::DataSink& sink) {
        switch (stream->Read(message.get(), poll)) {
          case ServerStreamCall::Next::kMessage: {
            const std::string frame = Envelope(0, RpcMapper::Encode(codec, *message));
            if (!sink.write(frame.data(), frame.size())) {
              stream->Cancel();
              return false;
            }
            return true;
          }
          case ServerStreamCall::Next::kPending:
            if (!sink.is_writable()) {
              stream->Cancel();
              return false;
            }
            return true;
          case ServerStreamCall::Next::kEnd: {
            const std::string frame =
                Envelope(kEnvelopeEndStream, EndStreamMessage(stream->Finish()));
            sink.write(frame.data(), frame.size());
            sink.done();
            return true;
          }
        }
        return false;
      });
}

void Gateway::Health(httplib::Response& response) {
  grpc::ClientContext context;
  context.set_deadline(gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                    gpr_time_from_seconds(2, GPR_TIMESPAN)));
  grpc::health::v1::HealthCheckRequest check;
  grpc::health::v1::HealthCheckResponse reply;
  const grpc::Status status = health_->Check(&context, check, &reply);
  response.set_header("Cache-Control", "no-store");
  if (status.ok() && reply.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
    response.set_content("ok\n", "text/plain");
    return;
  }
  response.status = 503;
  response.set_content(absl::StrCat("rectify_server is not serving: ",
                                    status.ok() ? "NOT_SERVING" : status.error_message(), "\n"),
                       "text/plain");
}

void Gateway::Static(const httplib::Request& request, httplib::Response& response) {
  const StaticFile* file = app_.Find(request.path);
  if (file == nullptr) {
    response.status = 404;
    response.set_content("not found\n", "text/plain");
    return;
  }
  response.set_header("Cache-Control", file->cache_control);
  response.set_content(file->content, file->content_type);
}

}  // namespace rectify::web
