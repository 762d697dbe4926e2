// Counter cells: small maps from a counter number to a count, stored as the
// values of the `reports` column family and added together by RocksDB's merge
// operator. The commit path writes only the change of a cell (a Merge), so
// keeping the report counters in the same atomic batch as the events costs no
// read; RocksDB adds the changes up when the cell is read or compacted.
//
// What the counter numbers mean is the caller's business
// (projection/reports.h); the store only adds them. A count that adds up to
// zero is dropped, so a cell whose changes cancel out reads as empty.
//
//   CounterCell change;
//   change[kNewCases] = 1;
//   write.Merge(reports, key, EncodeCounterCell(change));
#ifndef RECTIFY_STORAGE_COUNTERS_H_
#define RECTIFY_STORAGE_COUNTERS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "rocksdb/merge_operator.h"

namespace rectify::storage {

// Counter number -> count. Ordered, so that the encoding is canonical.
using CounterCell = std::map<uint32_t, int64_t>;

// Pairs of varints (number, zigzag count) in number order; zero counts are
// left out.
std::string EncodeCounterCell(const CounterCell& cell);
// False when `bytes` is not an encoding made by EncodeCounterCell.
bool DecodeCounterCell(absl::string_view bytes, CounterCell* cell);
// Calls `visit(number, count)` for each count of the encoded cell, in number
// order, without building a map; false (after visiting a prefix) when
// `bytes` is malformed.
bool VisitCounterCell(absl::string_view bytes,
                      absl::FunctionRef<void(uint32_t number, int64_t count)> visit);
// Adds `change` into `cell`, dropping counts that become zero. A sum past
// the int64 range wraps around (only a corrupt cell gets there).
void AddCounterCell(const CounterCell& change, CounterCell& cell);

// The merge operator of the `reports` column family: adds cells. A value that
// cannot be decoded fails the merge (RocksDB reports corruption) rather than
// being counted as zero.
std::shared_ptr<rocksdb::MergeOperator> NewCounterMergeOperator();

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_COUNTERS_H_
