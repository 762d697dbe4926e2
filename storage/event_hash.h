// The hash chain of a stream: hash = SHA-256(prev_hash || canonical bytes of
// the event with `hash` unset). The canonical bytes are the deterministic
// protobuf serialization (fields in number order), so a case file handed to
// the police can be checked link by link by anyone with the .proto files.
#ifndef RECTIFY_STORAGE_EVENT_HASH_H_
#define RECTIFY_STORAGE_EVENT_HASH_H_

#include <string>

#include "rectify/v1/event.pb.h"

namespace rectify::storage {

// The 32-byte SHA-256 link of `event`, which must already carry its
// prev_hash; its own `hash` field is ignored.
std::string ComputeEventHash(const v1::Event& event);

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_EVENT_HASH_H_
