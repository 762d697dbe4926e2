// Fuzzes the decoding of stored command outcomes (the idempotency records
// server/pipeline.h writes and reads back to answer a retried command), as a
// flipped bit or a foreign store would present them. Input: the stored
// outcome bytes, decoded once as a case command's and once as a list
// command's.
//
// Properties: decoding never crashes and refuses with DATA_LOSS; a record of
// the current format that decodes re-encodes to the same bytes (one record,
// one encoding); an old-format record (the case copied) re-encodes to bytes
// that decode to the same fingerprint, position, stream, version and state.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/pipeline.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using google::protobuf::util::MessageDifferencer;
using rectify::server::StoredOutcome;

void CheckKind(absl::string_view bytes, rectify::v1::StreamKind kind) {
  const absl::StatusOr<StoredOutcome> stored = rectify::server::DecodeOutcome(bytes, kind);
  if (!stored.ok()) {
    FUZZ_CHECK(stored.status().code() == absl::StatusCode::kDataLoss,
               "a bad stored outcome is DATA_LOSS");
    return;
  }
  FUZZ_CHECK(stored->fingerprint.size() == 32, "a fingerprint is a SHA-256");
  if (!stored->legacy.has_value()) {
    FUZZ_CHECK(rectify::server::EncodeOutcome(stored->fingerprint, stored->position, stored->kind,
                                              stored->stream_id, stored->version) == bytes,
               "a record re-encodes to itself");
    return;
  }
  const std::string again =
      rectify::server::EncodeLegacyOutcome(stored->fingerprint, *stored->legacy, kind);
  // A state that serializes to nothing (only default values) is a record no
  // server wrote; old records are only ever read, so it need not survive.
  if (again.size() <= 40) return;
  const absl::StatusOr<StoredOutcome> decoded = rectify::server::DecodeOutcome(again, kind);
  FUZZ_CHECK(decoded.ok() && decoded->legacy.has_value(), "a re-encoded old record decodes");
  FUZZ_CHECK(decoded->fingerprint == stored->fingerprint && decoded->position == stored->position &&
                 decoded->stream_id == stored->stream_id && decoded->version == stored->version,
             "the record's fields survive");
  FUZZ_CHECK(MessageDifferencer::Equals(decoded->legacy->state, stored->legacy->state) &&
                 MessageDifferencer::Equals(decoded->legacy->list, stored->legacy->list),
             "the state survives");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  CheckKind(bytes, rectify::v1::STREAM_KIND_CASE);
  CheckKind(bytes, rectify::v1::STREAM_KIND_RECTIFICATION_LIST);
  return 0;
}
