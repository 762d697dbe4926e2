// Evidence bytes over plain HTTP; see evidence_http.h.
#include "web/gateway/evidence_http.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "web/gateway/http_reply.h"
#include "web/gateway/rpc_mapper.h"
#include "web/gateway/web_security.h"

namespace rectify::web {
namespace {

constexpr size_t kMaxNameBytes = 150;

bool IsAttrChar(unsigned char c) {  // RFC 5987 attr-char
  return absl::ascii_isalnum(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '+' ||
         c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~';
}

bool IsMediaTypeChar(unsigned char c) {  // RFC 6838 restricted-name-chars
  return absl::ascii_isalnum(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '-' ||
         c == '^' || c == '_' || c == '.' || c == '+';
}

// The call's bearer token and the request id the gateway gave the HTTP
// request (its X-Request-Id reply header, set before routing).
void Authorize(grpc::ClientContext& context, const std::string& token,
               const httplib::Response& response) {
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  const std::string request_id = response.get_header_value("X-Request-Id");
  if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
}

// The upload's declared size from Content-Length, checked against `max`
// before any byte is read; nullopt when the error is replied already.
std::optional<int64_t> DeclaredSize(const httplib::Request& request, httplib::Response& response,
                                    int64_t max) {
  if (!request.has_header("Content-Length")) {
    ReplyError(absl::InvalidArgumentError("Content-Length is required: the size is checked"),
               response, 411);
    return std::nullopt;
  }
  int64_t size = 0;
  if (!absl::SimpleAtoi(request.get_header_value("Content-Length"), &size) || size < 0) {
    ReplyError(absl::InvalidArgumentError("Content-Length is not a size"), response);
    return std::nullopt;
  }
  if (size > max) {
    ReplyError(absl::InvalidArgumentError(
                   absl::StrCat("the file is ", size, " bytes; at most ", max, " are accepted")),
               response, 413);
    return std::nullopt;
  }
  return size;
}

// The media type of the body (Content-Type without parameters).
std::string BodyMediaType(const httplib::Request& request) {
  std::string media_type = request.get_header_value("Content-Type");
  if (const size_t semicolon = media_type.find(';'); semicolon != std::string::npos) {
    media_type.resize(semicolon);
  }
  return std::string(absl::StripAsciiWhitespace(media_type));
}

// Sets `kind` and `expected_version` from the query; false when one is bad
// (the error replied).
template <typename Metadata>
bool ParseKindAndVersion(const httplib::Request& request, httplib::Response& response,
                         Metadata& metadata) {
  if (request.has_param("kind")) {
    v1::EvidenceKind kind = v1::EVIDENCE_KIND_UNSPECIFIED;
    if (!v1::EvidenceKind_Parse(request.get_param_value("kind"), &kind)) {
      ReplyError(absl::InvalidArgumentError("kind is not an EvidenceKind name"), response);
      return false;
    }
    metadata.set_kind(kind);
  }
  if (request.has_param("expected_version")) {
    int64_t version = 0;
    if (!absl::SimpleAtoi(request.get_param_value("expected_version"), &version)) {
      ReplyError(absl::InvalidArgumentError("expected_version is not a number"), response);
      return false;
    }
    metadata.set_expected_version(version);
  }
  return true;
}

// Streams the body to the server: `first` (the metadata), then the bytes in
// chunks of `chunk_bytes` as they come off the socket; replies with the
// server's answer in JSON or its error.
template <typename Request, typename Reply, typename Open>
void StreamUpload(const httplib::ContentReader& reader, httplib::Response& response,
                  const std::string& token, size_t chunk_bytes, const Request& first, Open open) {
  grpc::ClientContext context;
  Reply reply;
  Authorize(context, token, response);
  std::unique_ptr<grpc::ClientWriter<Request>> writer = open(&context, &reply);
  bool server_open = writer->Write(first);
  bool body_read = false;
  if (server_open) {
    Request next;
    std::string& buffer = *next.mutable_chunk();
    buffer.reserve(chunk_bytes);
    body_read = reader([&](const char* data, size_t length) {
      while (length > 0) {
        const size_t take = std::min(length, chunk_bytes - buffer.size());
        buffer.append(data, take);
        data += take;
        length -= take;
        if (buffer.size() == chunk_bytes) {
          if (!writer->Write(next)) {
            server_open = false;
            return false;
          }
          buffer.clear();
        }
      }
      return true;
    });
    if (body_read && server_open && !buffer.empty()) server_open = writer->Write(next);
  }
  if (body_read && server_open) {
    writer->WritesDone();
  } else if (server_open) {
    context.TryCancel();  // the browser went away or sent less than it said
  }
  const grpc::Status status = writer->Finish();
  if (!status.ok()) {
    ReplyError(status, response);
    return;
  }
  if (body_read) response.headers.erase("Connection");
  response.set_content(RpcMapper::Encode(Codec::kJson, reply), "application/json");
}

// Streams a stored file to the browser: the record first (its file name,
// media type and `size_of` bytes), then the chunks as the browser takes
// them.
template <typename Response, typename Open, typename SizeOf>
void StreamDownload(httplib::Response& response, const std::string& token, Open open,
                    SizeOf size_of) {
  struct DownloadState {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<Response>> reader;
    Response message;
    bool finished = false;
  };
  auto state = std::make_shared<DownloadState>();
  Authorize(state->context, token, response);
  state->reader = open(&state->context);
  if (!state->reader->Read(&state->message) || !state->message.has_metadata()) {
    if (state->message.has_chunk()) state->context.TryCancel();
    state->finished = true;
    grpc::Status status = state->reader->Finish();
    if (status.ok()) {
      status = grpc::Status(grpc::StatusCode::INTERNAL, "the server sent no file metadata");
    }
    ReplyError(status, response);
    return;
  }
  const auto record = state->message.metadata();
  response.set_header("Content-Disposition", ContentDisposition(record.file_name()));
  response.headers.erase("Content-Security-Policy");  // the page's, set for every response
  response.set_header("Content-Security-Policy", std::string(kDownloadCsp));
  response.set_header("Cache-Control", "private, no-store");
  response.set_content_provider(
      static_cast<size_t>(size_of(record)), SafeMediaType(record.media_type()),
      [state](size_t, size_t, httplib::DataSink& sink) {
        if (!state->reader->Read(&state->message) || !state->message.has_chunk()) {
          // Ended before the size was sent: the browser sees a short body.
          return false;
        }
        return sink.write(state->message.chunk().data(), state->message.chunk().size());
      },
      [state](bool) {
        if (!state->finished) {
          state->context.TryCancel();
          (void)state->reader->Finish();
          state->finished = true;
        }
      });
}

}  // namespace

std::string ContentDisposition(absl::string_view file_name) {
  if (const size_t cut = file_name.find_last_of("/\\"); cut != absl::string_view::npos) {
    file_name.remove_prefix(cut + 1);
  }
  std::string name;
  for (const char c : file_name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) continue;
    name.push_back(c);
  }
  size_t start = 0;
  while (start < name.size() && (name[start] == '.' || name[start] == ' ')) ++start;
  name.erase(0, start);
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.pop_back();
  if (name.size() > kMaxNameBytes) {
    size_t end = kMaxNameBytes;
    // Do not cut a UTF-8 sequence: back up over continuation bytes.
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    name.resize(end);
  }
  if (name.empty()) name = "evidence";

  std::string ascii;
  std::string encoded;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\' && c != '%' &&
                       c != ';';
    // One '_' for each character the ASCII name cannot hold (a UTF-8
    // sequence's continuation bytes add none).
    if (plain) {
      ascii.push_back(c);
    } else if ((byte & 0xC0) != 0x80) {
      ascii.push_back('_');
    }
    if (IsAttrChar(byte)) {
      encoded.push_back(c);
    } else {
      absl::StrAppendFormat(&encoded, "%%%02X", byte);
    }
  }
  return absl::StrCat("attachment; filename=\"", ascii, "\"; filename*=UTF-8''", encoded);
}

std::string SafeMediaType(absl::string_view media_type) {
  const size_t slash = media_type.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 == media_type.size() ||
      media_type.size() > 127) {
    return "application/octet-stream";
  }
  for (size_t i = 0; i < media_type.size(); ++i) {
    if (i == slash) continue;
    if (!IsMediaTypeChar(static_cast<unsigned char>(media_type[i]))) {
      return "application/octet-stream";
    }
  }
  return absl::AsciiStrToLower(media_type);
}

EvidenceHttp::EvidenceHttp(std::shared_ptr<grpc::Channel> channel, EvidenceLimits limits)
    : stub_(v1::CaseService::NewStub(channel)),
      complaints_(v1::ComplaintService::NewStub(channel)),
      limits_(limits) {}

void EvidenceHttp::Upload(const httplib::Request& request, httplib::Response& response,
                          const httplib::ContentReader& reader, const std::string& case_id,
                          const std::string& token) {
  // Whatever is refused before the body is read leaves the body unread: the
  // connection cannot be reused.
  response.set_header("Connection", "close");
  const std::optional<int64_t> size = DeclaredSize(request, response, limits_.max_upload_bytes);
  if (!size.has_value()) return;

  v1::UploadEvidenceRequest first;
  v1::UploadEvidenceMetadata& metadata = *first.mutable_metadata();
  metadata.set_case_id(case_id);
  metadata.set_command_id(request.get_param_value("command_id"));
  metadata.set_file_name(request.get_param_value("file_name"));
  metadata.set_sha256(request.get_param_value("sha256"));
  metadata.set_description(request.get_param_value("description"));
  metadata.set_size_bytes(*size);
  metadata.set_media_type(BodyMediaType(request));
  if (!ParseKindAndVersion(request, response, metadata)) return;
  metadata.set_original_sha256(request.get_param_value("original_sha256"));
  if (request.has_param("original_size")) {
    int64_t original_size = 0;
    if (!absl::SimpleAtoi(request.get_param_value("original_size"), &original_size)) {
      ReplyError(absl::InvalidArgumentError("original_size is not a number"), response);
      return;
    }
    metadata.set_original_size_bytes(original_size);
  }
  if (request.has_param("captured_at") &&
      !google::protobuf::util::TimeUtil::FromString(request.get_param_value("captured_at"),
                                                    metadata.mutable_captured_at())) {
    ReplyError(absl::InvalidArgumentError("captured_at is not an RFC 3339 time"), response);
    return;
  }
  StreamUpload<v1::UploadEvidenceRequest, v1::UploadEvidenceResponse>(
      reader, response, token, limits_.chunk_bytes, first,
      [this](grpc::ClientContext* context, v1::UploadEvidenceResponse* reply) {
        return stub_->UploadEvidence(context, reply);
      });
}

void EvidenceHttp::Download(const httplib::Request&, httplib::Response& response,
                            const std::string& case_id, const std::string& evidence_id,
                            const std::string& token) {
  v1::DownloadEvidenceRequest download;
  download.set_case_id(case_id);
  download.set_evidence_id(evidence_id);
  StreamDownload<v1::DownloadEvidenceResponse>(
      response, token,
      [this, download](grpc::ClientContext* context) {
        return stub_->DownloadEvidence(context, download);
      },
      [](const v1::Evidence& evidence) { return evidence.size_bytes(); });
}

void EvidenceHttp::UploadSiteCheckDocument(const httplib::Request& request,
                                           httplib::Response& response,
                                           const httplib::ContentReader& reader,
                                           const std::string& complaint_id,
                                           const std::string& token) {
  response.set_header("Connection", "close");
  const std::optional<int64_t> size = DeclaredSize(request, response, limits_.max_upload_bytes);
  if (!size.has_value()) return;
  v1::UploadSiteCheckDocumentRequest first;
  v1::UploadSiteCheckDocumentMetadata& metadata = *first.mutable_metadata();
  metadata.set_complaint_id(complaint_id);
  metadata.set_command_id(request.get_param_value("command_id"));
  metadata.set_file_name(request.get_param_value("file_name"));
  metadata.set_sha256(request.get_param_value("sha256"));
  metadata.set_size_bytes(*size);
  metadata.set_media_type(BodyMediaType(request));
  if (!ParseKindAndVersion(request, response, metadata)) return;
  StreamUpload<v1::UploadSiteCheckDocumentRequest, v1::UploadSiteCheckDocumentResponse>(
      reader, response, token, limits_.chunk_bytes, first,
      [this](grpc::ClientContext* context, v1::UploadSiteCheckDocumentResponse* reply) {
        return complaints_->UploadSiteCheckDocument(context, reply);
      });
}

void EvidenceHttp::DownloadSiteCheckDocument(const httplib::Request&, httplib::Response& response,
                                             const std::string& complaint_id,
                                             const std::string& document_id,
                                             const std::string& token) {
  v1::DownloadSiteCheckDocumentRequest download;
  download.set_complaint_id(complaint_id);
  download.set_document_id(document_id);
  StreamDownload<v1::DownloadSiteCheckDocumentResponse>(
      response, token,
      [this, download](grpc::ClientContext* context) {
        return complaints_->DownloadSiteCheckDocument(context, download);
      },
      [](const v1::SiteCheckDocument& document) { return document.size(); });
}

}  // namespace rectify::web
