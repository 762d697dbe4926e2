// The C++ client library; see rectify_client.h.
#include "client/rectify_client.h"

#include <algorithm>
#include <utility>

#include "base/user_message.h"
#include "client/client_config.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "rectify/v1/user_message.pb.h"

namespace rectify::client {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(static_cast<int>(status.error_code())),
                      status.error_message());
  // The server's Chinese user message, from the details (server/grpc_status.h).
  v1::RpcStatus details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : details.details()) {
      v1::UserMessage message;
      if (detail.Is<v1::UserMessage>() && detail.UnpackTo(&message) && !message.zh_cn().empty()) {
        return WithUserMessage(std::move(result), message.zh_cn(), message.field());
      }
    }
  }
  return result;
}

absl::StatusOr<std::unique_ptr<RectifyClient>> RectifyClient::Create(
    const ClientOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls || !options.tls_ca.empty() || !options.tls_cert.empty()) {
    if (options.tls_cert.empty() != options.tls_key.empty()) {
      return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
    }
    grpc::SslCredentialsOptions ssl;
    if (!options.tls_ca.empty()) {
      absl::StatusOr<std::string> ca = ReadWholeFile(options.tls_ca);
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *ca;
    }
    if (!options.tls_cert.empty()) {
      absl::StatusOr<std::string> cert = ReadWholeFile(options.tls_cert);
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = ReadWholeFile(options.tls_key);
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  return std::unique_ptr<RectifyClient>(
      new RectifyClient(options, grpc::CreateChannel(options.server, credentials)));
}

RectifyClient::RectifyClient(const ClientOptions& options)
    : RectifyClient(options,
                    grpc::CreateChannel(options.server, grpc::InsecureChannelCredentials())) {}

RectifyClient::RectifyClient(const ClientOptions& options, std::shared_ptr<grpc::Channel> channel)
    : options_(options),
      case_stub_(v1::CaseService::NewStub(channel)),
      supervision_stub_(v1::SupervisionService::NewStub(channel)),
      unit_stub_(v1::UnitService::NewStub(channel)),
      complaint_stub_(v1::ComplaintService::NewStub(channel)),
      penalty_stub_(v1::PenaltyService::NewStub(channel)) {
  if (options_.clock == nullptr) options_.clock = &SystemClock();
  if (!options_.sleep) options_.sleep = RealSleeper();
}

void RectifyClient::Prepare(grpc::ClientContext& context, absl::Time deadline) const {
  // gRPC deadlines are system_clock instants; the clock in use may be
  // simulated, so pass the remaining duration rather than the instant.
  const absl::Duration left = std::max(deadline - options_.clock->Now(), absl::ZeroDuration());
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMicroseconds(left));
  if (!options_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
}

absl::Status RectifyClient::WithRetries(
    const std::function<absl::Status(absl::Time deadline)>& attempt) {
  // The generator is shared by calls from many threads; jitter is drawn
  // under the lock, the calls themselves are not.
  absl::BitGen local;
  {
    absl::MutexLock lock(&bits_mutex_);
    local = absl::BitGen(std::seed_seq{absl::Uniform<uint32_t>(bits_)});
  }
  return RunWithRetries(options_.retry, options_.call_timeout, *options_.clock, options_.sleep,
                        local, attempt);
}

absl::StatusOr<v1::GetCaseResponse> RectifyClient::GetCase(const std::string& case_id) {
  v1::GetCaseRequest request;
  request.set_case_id(case_id);
  return Call(&v1::CaseService::Stub::GetCase, request);
}

absl::Status RectifyClient::WatchEvents(
    const v1::WatchEventsRequest& request, absl::Duration max_duration,
    const std::function<bool(const v1::WatchEventsResponse&)>& on_event) {
  grpc::ClientContext context;
  if (max_duration != absl::InfiniteDuration()) {
    Prepare(context, options_.clock->Now() + max_duration);
  } else if (!options_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader =
      case_stub_->WatchEvents(&context, request);
  v1::WatchEventsResponse response;
  while (reader->Read(&response)) {
    if (!on_event(response)) {
      context.TryCancel();
      reader->Finish().ok();  // the CANCELLED status is ours, not an error
      return absl::OkStatus();
    }
  }
  const absl::Status status = FromGrpcStatus(reader->Finish());
  // The caller's own time limit ending the stream is a normal end.
  if (status.code() == absl::StatusCode::kDeadlineExceeded &&
      max_duration != absl::InfiniteDuration()) {
    return absl::OkStatus();
  }
  return status;
}

absl::Status RectifyClient::ExportLedger(
    const v1::ExportLedgerRequest& request,
    const std::function<void(const std::string&)>& on_chunk) {
  grpc::ClientContext context;
  // One attempt's deadline per export; a county's ledger is a few MB.
  Prepare(context, options_.clock->Now() + options_.call_timeout * 6);
  std::unique_ptr<grpc::ClientReader<v1::ExportLedgerResponse>> reader =
      supervision_stub_->ExportLedger(&context, request);
  v1::ExportLedgerResponse response;
  while (reader->Read(&response)) on_chunk(response.chunk());
  return FromGrpcStatus(reader->Finish());
}

template <typename Request, typename Response, typename Metadata, typename Open>
absl::StatusOr<Response> RectifyClient::UploadFile(
    const Metadata& metadata, const std::string& bytes, Open open,
    const std::function<void(int64_t sent)>& on_bytes) {
  Response response;
  const absl::Status status = WithRetries([&](absl::Time deadline) {
    grpc::ClientContext context;
    Prepare(context, deadline);
    response.Clear();
    std::unique_ptr<grpc::ClientWriter<Request>> writer = open(&context, &response);
    Request part;
    *part.mutable_metadata() = metadata;
    bool open_stream = writer->Write(part);
    for (size_t offset = 0; open_stream && offset < bytes.size(); offset += kChunkBytes) {
      part.set_chunk(bytes.substr(offset, kChunkBytes));
      open_stream = writer->Write(part);
      if (open_stream && on_bytes) {
        on_bytes(static_cast<int64_t>(std::min(bytes.size(), offset + kChunkBytes)));
      }
    }
    writer->WritesDone();
    return FromGrpcStatus(writer->Finish());
  });
  if (!status.ok()) return status;
  return response;
}

template <typename Response, typename Record, typename Open, typename SizeOf>
absl::StatusOr<std::pair<Record, std::string>> RectifyClient::DownloadFile(
    Open open, SizeOf size_of,
    const std::function<void(int64_t received, int64_t size)>& on_bytes) {
  std::pair<Record, std::string> result;
  const absl::Status status = WithRetries([&](absl::Time deadline) {
    grpc::ClientContext context;
    Prepare(context, deadline);
    result = {};
    std::unique_ptr<grpc::ClientReader<Response>> reader = open(&context);
    Response part;
    while (reader->Read(&part)) {
      if (part.has_metadata()) {
        result.first = part.metadata();
      } else {
        result.second += part.chunk();
      }
      if (on_bytes) on_bytes(static_cast<int64_t>(result.second.size()), size_of(result.first));
    }
    return FromGrpcStatus(reader->Finish());
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::UploadEvidenceResponse> RectifyClient::UploadEvidence(
    const v1::UploadEvidenceMetadata& metadata, const std::string& bytes,
    const std::function<void(int64_t sent)>& on_bytes) {
  return UploadFile<v1::UploadEvidenceRequest, v1::UploadEvidenceResponse>(
      metadata, bytes,
      [this](grpc::ClientContext* context, v1::UploadEvidenceResponse* response) {
        return case_stub_->UploadEvidence(context, response);
      },
      on_bytes);
}

absl::StatusOr<std::pair<v1::Evidence, std::string>> RectifyClient::DownloadEvidence(
    const v1::DownloadEvidenceRequest& request,
    const std::function<void(int64_t received, int64_t size)>& on_bytes) {
  return DownloadFile<v1::DownloadEvidenceResponse, v1::Evidence>(
      [this, &request](grpc::ClientContext* context) {
        return case_stub_->DownloadEvidence(context, request);
      },
      [](const v1::Evidence& evidence) { return evidence.size_bytes(); }, on_bytes);
}

absl::StatusOr<v1::UploadSiteCheckDocumentResponse> RectifyClient::UploadSiteCheckDocument(
    const v1::UploadSiteCheckDocumentMetadata& metadata, const std::string& bytes,
    const std::function<void(int64_t sent)>& on_bytes) {
  return UploadFile<v1::UploadSiteCheckDocumentRequest, v1::UploadSiteCheckDocumentResponse>(
      metadata, bytes,
      [this](grpc::ClientContext* context, v1::UploadSiteCheckDocumentResponse* response) {
        return complaint_stub_->UploadSiteCheckDocument(context, response);
      },
      on_bytes);
}

absl::StatusOr<std::pair<v1::SiteCheckDocument, std::string>>
RectifyClient::DownloadSiteCheckDocument(
    const v1::DownloadSiteCheckDocumentRequest& request,
    const std::function<void(int64_t received, int64_t size)>& on_bytes) {
  return DownloadFile<v1::DownloadSiteCheckDocumentResponse, v1::SiteCheckDocument>(
      [this, &request](grpc::ClientContext* context) {
        return complaint_stub_->DownloadSiteCheckDocument(context, request);
      },
      [](const v1::SiteCheckDocument& document) { return document.size(); }, on_bytes);
}

}  // namespace rectify::client
