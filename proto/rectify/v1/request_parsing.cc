// Parsing Rectify requests off the wire; see request_parsing.h.
#include "rectify/v1/request_parsing.h"

#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/wire_format_lite.h"

namespace rectify {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

// Deeper than any Rectify request; protobuf's own limit is 100.
constexpr int kMaxDepth = 100;

bool Rewrite(const google::protobuf::Descriptor* descriptor, const std::string& bytes,
             std::string* rewritten, int* replaced, int depth) {
  if (depth > kMaxDepth) return false;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  google::protobuf::io::StringOutputStream sink(rewritten);
  google::protobuf::io::CodedOutputStream output(&sink);
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) break;
    const FieldDescriptor* field =
        descriptor->FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    const bool nested =
        field != nullptr &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED &&
        (field->type() == FieldDescriptor::TYPE_STRING ||
         field->type() == FieldDescriptor::TYPE_MESSAGE);
    if (!nested) {
      if (!WireFormatLite::SkipField(&input, tag, &output)) return false;
      continue;
    }
    std::string value;
    if (!WireFormatLite::ReadBytes(&input, &value)) return false;
    std::string out;
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!Rewrite(field->message_type(), value, &out, replaced, depth + 1)) return false;
    } else if (google::protobuf::internal::IsStructurallyValidUTF8(
                   value.data(), static_cast<int>(value.size()))) {
      out = std::move(value);
    } else {
      out = kInvalidUtf8Placeholder;
      ++*replaced;
    }
    output.WriteTag(tag);
    output.WriteVarint32(static_cast<uint32_t>(out.size()));
    output.WriteString(out);
  }
  // ReadTag gives 0 at the end and on a malformed tag: only the end is fine.
  return input.CurrentPosition() == static_cast<int>(bytes.size()) && !output.HadError();
}

}  // namespace

bool ReplaceInvalidUtf8(const grpc::protobuf::Descriptor* descriptor, const std::string& bytes,
                        std::string* rewritten, int* replaced) {
  rewritten->clear();
  *replaced = 0;
  return Rewrite(descriptor, bytes, rewritten, replaced, 0);
}

grpc::Status ParseRequest(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* message) {
  if (buffer == nullptr) return grpc::Status(grpc::StatusCode::INTERNAL, "No payload");
  {
    grpc::ProtoBufferReader reader(buffer);
    if (!reader.status().ok()) return reader.status();
    if (message->ParseFromZeroCopyStream(&reader)) {
      buffer->Clear();
      return grpc::Status::OK;
    }
  }
  // The slow path, for a request that did not parse: is it only text that
  // is not UTF-8?
  std::vector<grpc::Slice> slices;
  const grpc::Status dumped = buffer->Dump(&slices);
  buffer->Clear();
  if (!dumped.ok()) return dumped;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  const google::protobuf::Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          message->GetTypeName());
  std::string rewritten;
  int replaced = 0;
  if (descriptor == nullptr || !ReplaceInvalidUtf8(descriptor, bytes, &rewritten, &replaced) ||
      replaced == 0 || !message->ParseFromString(rewritten)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the request is not a valid message");
  }
  return grpc::Status::OK;
}

bool IsLenientlyParsed(const std::string& full_name) {
  static const char* const kNames[] = {
#define RECTIFY_REQUEST_NAME(Type) "rectify.v1." #Type,
      RECTIFY_REQUEST_TYPES(RECTIFY_REQUEST_NAME)
#undef RECTIFY_REQUEST_NAME
  };
  for (const char* name : kNames) {
    if (full_name == name) return true;
  }
  return false;
}

}  // namespace rectify
