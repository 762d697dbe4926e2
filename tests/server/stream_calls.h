// The client side of the streamed file calls, for the in-process server
// tests: an upload (the metadata, then the bytes in chunks) and a download
// (the record, then the bytes), with a demo bearer token. Used for case
// evidence (case_evidence_test) and a complaint's site-check documents
// (complaints_test).
//
//   grpc::Status status = UploadStream(*stub, &v1::CaseService::Stub::UploadEvidence,
//                                      "demo-inspector", metadata, bytes, &response);
#ifndef RECTIFY_TESTS_SERVER_STREAM_CALLS_H_
#define RECTIFY_TESTS_SERVER_STREAM_CALLS_H_

#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace rectify::testing {

// Sends `metadata` then `bytes` in messages of `chunk_bytes` (default 1 MiB)
// on `method` of `stub`; the call's status.
template <typename Stub, typename Request, typename Response, typename Metadata>
grpc::Status UploadStream(
    Stub& stub,
    std::unique_ptr<grpc::ClientWriter<Request>> (Stub::*method)(grpc::ClientContext*, Response*),
    const std::string& token, const Metadata& metadata, const std::string& bytes,
    Response* response, size_t chunk_bytes = size_t{1} << 20) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  std::unique_ptr<grpc::ClientWriter<Request>> writer = (stub.*method)(&context, response);
  Request message;
  *message.mutable_metadata() = metadata;
  bool open = writer->Write(message);
  for (size_t offset = 0; open && offset < bytes.size(); offset += chunk_bytes) {
    message.set_chunk(bytes.substr(offset, chunk_bytes));
    open = writer->Write(message);
  }
  if (open) writer->WritesDone();
  return writer->Finish();
}

// Asks `method` of `stub` for `request`: the first message's record into
// `record`, the later ones' bytes appended to `bytes`; the call's status.
template <typename Stub, typename Request, typename Response, typename Record>
grpc::Status DownloadStream(Stub& stub,
                            std::unique_ptr<grpc::ClientReader<Response>> (Stub::*method)(
                                grpc::ClientContext*, const Request&),
                            const std::string& token, const Request& request, Record* record,
                            std::string* bytes) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  std::unique_ptr<grpc::ClientReader<Response>> reader = (stub.*method)(&context, request);
  Response message;
  bool first = true;
  while (reader->Read(&message)) {
    if (first) {
      EXPECT_TRUE(message.has_metadata());
      *record = message.metadata();
      first = false;
    } else {
      EXPECT_TRUE(!message.has_metadata());
      bytes->append(message.chunk());
    }
  }
  return reader->Finish();
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_STREAM_CALLS_H_
