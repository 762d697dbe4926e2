// Fuzzes the decoding of stored command outcomes (the idempotency records
// server/pipeline.h writes and reads back to answer a retried command), as a
// flipped bit or a foreign store would present them. Input: the stored
// outcome bytes, decoded once as a case command's and once as a list
// command's.
//
// Properties: decoding never crashes and refuses with DATA_LOSS; an outcome
// that decodes re-encodes to bytes that decode to the same fingerprint,
// position and state.
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
using rectify::server::CommandOutcome;

void CheckKind(absl::string_view bytes, rectify::v1::StreamKind kind) {
  std::string fingerprint;
  const absl::StatusOr<CommandOutcome> outcome =
      rectify::server::DecodeOutcome(bytes, &fingerprint, kind);
  if (!outcome.ok()) {
    FUZZ_CHECK(outcome.status().code() == absl::StatusCode::kDataLoss,
               "a bad stored outcome is DATA_LOSS");
    return;
  }
  const std::string again = rectify::server::EncodeOutcome(fingerprint, *outcome, kind);
  std::string fingerprint_again;
  const absl::StatusOr<CommandOutcome> decoded =
      rectify::server::DecodeOutcome(again, &fingerprint_again, kind);
  FUZZ_CHECK(decoded.ok(), "a re-encoded outcome decodes");
  FUZZ_CHECK(fingerprint_again == fingerprint, "the fingerprint survives");
  FUZZ_CHECK(decoded->position == outcome->position, "the position survives");
  FUZZ_CHECK(MessageDifferencer::Equals(decoded->state, outcome->state) &&
                 MessageDifferencer::Equals(decoded->list, outcome->list),
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
