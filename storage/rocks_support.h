// Small helpers shared by the files of the RocksEventStore (rocks_event_store*.cc):
// mapping RocksDB and filesystem errors to absl codes, the free-space probe and
// the parsing of a personal data record. Private to storage/.
#ifndef RECTIFY_STORAGE_ROCKS_SUPPORT_H_
#define RECTIFY_STORAGE_ROCKS_SUPPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/event.pb.h"
#include "rocksdb/status.h"

namespace rectify::storage {

// Turns off, for the calling thread, RocksDB's per-thread perf context
// counters (on by default: PerfLevel::kEnableCount), which count every key
// comparison, block read and seek in thread-local storage; nothing reads
// them here, and on the write path the counting was about 4 % of the
// writer's instructions (issue 20, bench/count_instructions.sh). Each public
// method of the store that reads or writes RocksDB calls it first: the
// setting is per thread, and the store does not own its callers' threads.
void WithoutPerfCounters();

// Maps a RocksDB status to the most specific absl code, with `context` first.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view context);

// The bytes free for an unprivileged writer on the file system of `dir`;
// INTERNAL when statvfs fails.
absl::StatusOr<uint64_t> StatvfsFreeBytes(const std::string& dir);

// Maps a filesystem error to an absl code, with `context` first.
absl::Status FromFilesystem(const std::error_code& error, absl::string_view context);

// The personal data record read with `status` and `value` for event
// `stream_id`#`version`: nullopt when there is none, DATA_LOSS when it cannot be
// parsed.
absl::StatusOr<std::optional<v1::PersonalDataRecord>> ParsePersonalRecord(
    const rocksdb::Status& status, const std::string& value, absl::string_view stream_id,
    int64_t version);

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_ROCKS_SUPPORT_H_
