// The hash chain link of an event, with OpenSSL's SHA-256; see event_hash.h.
#include "storage/event_hash.h"

#include "base/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace rectify::storage {
namespace {

std::string DeterministicBytes(const v1::Event& event) {
  std::string bytes;
  google::protobuf::io::StringOutputStream output(&bytes);
  google::protobuf::io::CodedOutputStream coded(&output);
  coded.SetSerializationDeterministic(true);
  event.SerializeToCodedStream(&coded);
  return bytes;
}

}  // namespace

std::string ComputeEventHash(const v1::Event& event) {
  Sha256Hasher hasher;
  hasher.Update(event.prev_hash());
  if (event.hash().empty()) {
    // The commit path hashes events before their hash is set: no copy needed.
    hasher.Update(DeterministicBytes(event));
  } else {
    v1::Event unhashed = event;
    unhashed.clear_hash();
    hasher.Update(DeterministicBytes(unhashed));
  }
  return hasher.Finish();
}

}  // namespace rectify::storage
