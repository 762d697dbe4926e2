// Stored files over plain HTTP (case evidence and a complaint's site-check
// documents), so a browser can upload a photo with one
// streamed PUT and show or save it with one GET:
//
//   PUT /evidence/{case_id}?command_id=..&kind=EVIDENCE_KIND_PHOTO
//       &file_name=..&sha256=<hex>[&description=..][&expected_version=N]
//       [&captured_at=<RFC 3339>]
//     Content-Type: the media type; Content-Length: the size (required)
//     → 200 with the UploadEvidenceResponse in JSON, or a Connect error body.
//   GET /evidence/{case_id}/{evidence_id}
//     → the bytes, Content-Type from the stored media type,
//       Content-Disposition: attachment from the sanitised file name.
//
//   PUT /complaint-documents/{complaint_id}?command_id=..
//       &kind=EVIDENCE_KIND_INSPECTION_RECORD&file_name=..&sha256=<hex>
//       [&expected_version=N]
//     Content-Type, Content-Length as above
//     → 200 with the UploadSiteCheckDocumentResponse in JSON (the document
//       with its document_id), or a Connect error body.
//   GET /complaint-documents/{complaint_id}/{document_id}
//     → the bytes of a complaint's site-check document, headers as above.
//
// Both kinds go through the same two streaming steps (the same limits,
// chunking, headers and errors); only the RPCs differ.
//
// Neither side holds a whole file: the upload is read from the socket and
// written to UploadEvidence a chunk at a time (gRPC's flow control makes
// the browser wait when the server is slower), the download the other way.
#ifndef RECTIFY_WEB_GATEWAY_EVIDENCE_HTTP_H_
#define RECTIFY_WEB_GATEWAY_EVIDENCE_HTTP_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "httplib.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/complaint_service.grpc.pb.h"

namespace rectify::web {

// The Content-Disposition of a download: `attachment`, an ASCII `filename`
// and the exact UTF-8 name in RFC 6266's `filename*=UTF-8''...`. The name
// is the last path segment of `file_name` (no '/' or '\\' survives, so
// "../../etc/passwd" becomes "passwd"), without control characters,
// leading dots or trailing dots and spaces, at most 150 bytes; "evidence"
// when nothing is left.
std::string ContentDisposition(absl::string_view file_name);

// A stored media type fit for Content-Type: "type/subtype" of RFC 6838
// characters, lowercased; "application/octet-stream" otherwise.
std::string SafeMediaType(absl::string_view media_type);

struct EvidenceLimits {
  // The largest upload accepted, checked against Content-Length before any
  // byte is read. Default: 64 MiB, the server's own limit.
  int64_t max_upload_bytes = int64_t{64} << 20;
  // The bytes sent to the server in one UploadEvidence message. Default:
  // 256 KiB (the server accepts at most 1 MiB).
  size_t chunk_bytes = 256 << 10;
};

class EvidenceHttp {
 public:
  EvidenceHttp(std::shared_ptr<grpc::Channel> channel, EvidenceLimits limits);

  // PUT /evidence/{case_id}: `case_id` from the path, `token` the caller's.
  void Upload(const httplib::Request& request, httplib::Response& response,
              const httplib::ContentReader& reader, const std::string& case_id,
              const std::string& token);
  // GET /evidence/{case_id}/{evidence_id}.
  void Download(const httplib::Request& request, httplib::Response& response,
                const std::string& case_id, const std::string& evidence_id,
                const std::string& token);
  // PUT /complaint-documents/{complaint_id}.
  void UploadSiteCheckDocument(const httplib::Request& request, httplib::Response& response,
                               const httplib::ContentReader& reader,
                               const std::string& complaint_id, const std::string& token);
  // GET /complaint-documents/{complaint_id}/{document_id}.
  void DownloadSiteCheckDocument(const httplib::Request& request, httplib::Response& response,
                                 const std::string& complaint_id, const std::string& document_id,
                                 const std::string& token);

 private:
  std::unique_ptr<v1::CaseService::Stub> stub_;
  std::unique_ptr<v1::ComplaintService::Stub> complaints_;
  const EvidenceLimits limits_;
};

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_EVIDENCE_HTTP_H_
