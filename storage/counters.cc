// Counter cells and their merge operator; see counters.h.
#include "storage/counters.h"

#include <utility>

namespace rectify::storage {
namespace {

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// Reads a varint as AppendVarint writes it; false for one cut short, longer
// than 64 bits, or padded with a trailing zero group (AppendVarint never
// writes those, so one cell has one encoding).
bool ReadVarint(absl::string_view& in, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return false;
    const uint8_t byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    if (shift == 63 && byte > 1) return false;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      if (byte == 0 && shift > 0) return false;
      *value = result;
      return true;
    }
  }
  return false;
}

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}
int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

class CounterMergeOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    CounterCell sum;
    if (existing_value != nullptr &&
        !DecodeCounterCell(absl::string_view(existing_value->data(), existing_value->size()),
                           &sum)) {
      return false;
    }
    CounterCell change;
    if (!DecodeCounterCell(absl::string_view(value.data(), value.size()), &change)) return false;
    AddCounterCell(change, sum);
    *new_value = EncodeCounterCell(sum);
    return true;
  }
  const char* Name() const override { return "rectify.CounterCellSum"; }
};

}  // namespace

std::string EncodeCounterCell(const CounterCell& cell) {
  std::string out;
  for (const auto& [number, count] : cell) {
    if (count == 0) continue;
    AppendVarint(out, number);
    AppendVarint(out, ZigZag(count));
  }
  return out;
}

bool VisitCounterCell(absl::string_view bytes,
                      absl::FunctionRef<void(uint32_t number, int64_t count)> visit) {
  int64_t last_number = -1;
  while (!bytes.empty()) {
    uint64_t number = 0;
    uint64_t count = 0;
    if (!ReadVarint(bytes, &number) || !ReadVarint(bytes, &count)) return false;
    if (number > UINT32_MAX || static_cast<int64_t>(number) <= last_number) return false;
    if (count == 0) return false;  // EncodeCounterCell leaves zero counts out
    last_number = static_cast<int64_t>(number);
    visit(static_cast<uint32_t>(number), UnZigZag(count));
  }
  return true;
}

bool DecodeCounterCell(absl::string_view bytes, CounterCell* cell) {
  cell->clear();
  return VisitCounterCell(bytes, [cell](uint32_t number, int64_t count) {
    cell->emplace_hint(cell->end(), number, count);
  });
}

void AddCounterCell(const CounterCell& change, CounterCell& cell) {
  for (const auto& [number, count] : change) {
    auto [it, inserted] = cell.emplace(number, count);
    // Two's-complement wrap-around instead of signed overflow (undefined):
    // only a corrupt cell comes near it, and wrapping keeps the merge
    // associative, as RocksDB needs.
    if (!inserted) {
      it->second = static_cast<int64_t>(static_cast<uint64_t>(it->second) +
                                        static_cast<uint64_t>(count));
    }
    if (it->second == 0) cell.erase(it);
  }
}

std::shared_ptr<rocksdb::MergeOperator> NewCounterMergeOperator() {
  return std::make_shared<CounterMergeOperator>();
}

}  // namespace rectify::storage
