// Helpers shared by the RocksEventStore files; see rocks_support.h.
#include "storage/rocks_support.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/perf_level.h"

namespace rectify::storage {

// Maps a RocksDB status to the most specific absl code, with `context` first.
void WithoutPerfCounters() { rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable); }

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
    return absl::FailedPreconditionError(absl::StrCat(
        context, ": the data directory is in use by another process (", status.ToString(), ")"));
  }
  if (absl::StrContains(status.ToString(), "Permission denied")) {
    return absl::PermissionDeniedError(message);
  }
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsNoSpace()) {
    return absl::ResourceExhaustedError(
        absl::StrCat(context, ": the disk is full (", status.ToString(), "); free space"));
  }
  return absl::InternalError(message);
}

absl::StatusOr<uint64_t> StatvfsFreeBytes(const std::string& dir) {
  struct statvfs stats;
  if (statvfs(dir.c_str(), &stats) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot read the free space of ", dir, ": ", std::strerror(errno)));
  }
  return static_cast<uint64_t>(stats.f_bavail) * static_cast<uint64_t>(stats.f_frsize);
}

// Maps a filesystem error to an absl code, with `context` first.
absl::Status FromFilesystem(const std::error_code& error, absl::string_view context) {
  const std::string message = absl::StrCat(context, ": ", error.message());
  if (error == std::errc::permission_denied || error == std::errc::operation_not_permitted) {
    return absl::PermissionDeniedError(message);
  }
  if (error == std::errc::not_a_directory) return absl::FailedPreconditionError(message);
  return absl::InternalError(message);
}

absl::StatusOr<std::optional<v1::PersonalDataRecord>> ParsePersonalRecord(
    const rocksdb::Status& status, const std::string& value, absl::string_view stream_id,
    int64_t version) {
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading a personal data record"));
  v1::PersonalDataRecord record;
  if (!record.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("the personal data record of event ", stream_id, "#",
                                            version, " cannot be parsed"));
  }
  return record;
}

}  // namespace rectify::storage
