// Fuzzes the decoding of what the store holds (storage/keys.h,
// storage/counters.h, the events folded by workflow/decider.h and
// workflow/lists.h), as a flipped bit or a foreign store would present it.
// Input: a first byte choosing the decoder, then its bytes:
//   0  a stream's events: records of [2-byte big-endian length][v1::Event]
//   1  an event key          2  a timer key
//   3  two counter cells, each [2-byte big-endian length][cell]
//
// Properties: nothing crashes or reads out of bounds; a folded event that is
// accepted moves the case (or list) to that event's version, in order; a key
// or cell that decodes re-encodes to the same bytes (the encodings are
// canonical, so one record has one key); adding two cells gives the sum of
// their counts, without zeros.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "google/protobuf/stubs/logging.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/event.pb.h"
#include "storage/counters.h"
#include "storage/keys.h"
#include "tests/fuzz/fuzz_check.h"
#include "workflow/decider.h"
#include "workflow/lists.h"

namespace {

namespace keys = rectify::storage::keys;

// Takes a [2-byte length][bytes] record from the front of `in`; false at
// the end or on a short record.
bool TakeRecord(absl::string_view& in, absl::string_view* record) {
  if (in.size() < 2) return false;
  const size_t length = (static_cast<uint8_t>(in[0]) << 8) | static_cast<uint8_t>(in[1]);
  in.remove_prefix(2);
  if (in.size() < length) return false;
  *record = in.substr(0, length);
  in.remove_prefix(length);
  return true;
}

void FoldEvents(absl::string_view in) {
  rectify::v1::Case state;
  rectify::v1::RectificationList list;
  bool case_stream_ok = true;
  bool list_stream_ok = true;
  absl::string_view record;
  while (TakeRecord(in, &record)) {
    rectify::v1::Event event;
    if (!event.ParseFromArray(record.data(), static_cast<int>(record.size()))) continue;
    if (case_stream_ok) {
      const int64_t before = state.version();
      if (rectify::workflow::Evolve(state, event).ok()) {
        FUZZ_CHECK(state.version() == before + 1 && state.version() == event.version(),
                   "an accepted case event is the next version");
      } else {
        case_stream_ok = false;
      }
    }
    if (list_stream_ok) {
      const int64_t before = list.version();
      if (rectify::workflow::EvolveList(list, event).ok()) {
        FUZZ_CHECK(list.version() == before + 1 && list.version() == event.version(),
                   "an accepted list event is the next version");
      } else {
        list_stream_ok = false;
      }
    }
  }
}

void EventKey(absl::string_view in) {
  std::string stream_id;
  int64_t version = 0;
  if (!keys::ParseEventKey(in, &stream_id, &version)) return;
  FUZZ_CHECK(keys::EventKey(stream_id, version) == in, "an event key re-encodes to itself");
}

void TimerKey(absl::string_view in) {
  rectify::storage::TimerKey timer;
  if (!keys::ParseTimerKey(in, &timer)) return;
  FUZZ_CHECK(keys::TimerKeyBytes(timer) == in, "a timer key re-encodes to itself");
  FUZZ_CHECK(timer.stream_id.find('\0') == std::string::npos, "a stream id holds no NUL");
}

void CounterCells(absl::string_view in) {
  absl::string_view first_bytes, second_bytes;
  if (!TakeRecord(in, &first_bytes)) return;
  if (!TakeRecord(in, &second_bytes)) second_bytes = absl::string_view();
  rectify::storage::CounterCell first, second;
  const bool first_ok = rectify::storage::DecodeCounterCell(first_bytes, &first);
  const bool second_ok = rectify::storage::DecodeCounterCell(second_bytes, &second);
  std::vector<std::pair<uint32_t, int64_t>> visited;
  const bool visit_ok = rectify::storage::VisitCounterCell(
      first_bytes, [&](uint32_t number, int64_t count) { visited.emplace_back(number, count); });
  FUZZ_CHECK(visit_ok == first_ok, "visiting and decoding agree on what is malformed");
  if (!first_ok) return;
  FUZZ_CHECK((std::vector<std::pair<uint32_t, int64_t>>(first.begin(), first.end()) == visited),
             "visiting and decoding give the same counts");
  FUZZ_CHECK(rectify::storage::EncodeCounterCell(first) == first_bytes,
             "a cell that decodes was made by EncodeCounterCell");
  if (!second_ok) return;
  rectify::storage::CounterCell sum = second;
  rectify::storage::AddCounterCell(first, sum);
  for (const auto& [number, count] : sum) {
    FUZZ_CHECK(count != 0, "a sum holds no zero counts");
    const auto a = first.find(number);
    const auto b = second.find(number);
    const uint64_t expected = static_cast<uint64_t>(a == first.end() ? 0 : a->second) +
                              static_cast<uint64_t>(b == second.end() ? 0 : b->second);
    FUZZ_CHECK(static_cast<uint64_t>(count) == expected, "a sum adds the counts");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  if (size == 0) return 0;
  const absl::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      FoldEvents(in);
      break;
    case 1:
      EventKey(in);
      break;
    case 2:
      TimerKey(in);
      break;
    default:
      CounterCells(in);
      break;
  }
  return 0;
}
