// Checks rectify_server makes of its flags before it opens anything, so that
// a wrong setting stops the start with one clear line naming the flag and
// exit 1, instead of a server that runs with an empty principals file, a
// cache of 16 EiB, or fails at the first request.
//
//   ASSIGN_OR_RETURN(std::string text, ReadConfigFile("principals_file", path));
//   RETURN_IF_ERROR(CheckFlagRange("max_queued_commands", value, 1, 10'000'000));
#ifndef RECTIFY_SERVER_STARTUP_CHECKS_H_
#define RECTIFY_SERVER_STARTUP_CHECKS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::server {

// The largest configuration file read whole: 64 MiB.
inline constexpr int64_t kMaxConfigFileBytes = int64_t{64} << 20;

// The contents of the regular file `path` given by --`flag`. FAILED_PRECONDITION
// naming the flag and the path when it does not exist, is a directory or
// not a regular file (a FIFO, a device), is larger than kMaxConfigFileBytes,
// or cannot be read (with the system's reason, e.g. "Permission denied").
absl::StatusOr<std::string> ReadConfigFile(absl::string_view flag, const std::string& path);

// OK when --`flag`'s `path` is a directory or does not exist yet (it is
// created); FAILED_PRECONDITION when something else is there.
absl::Status CheckDirectoryFlag(absl::string_view flag, const std::string& path);

// OK when a file may be written at --`flag`'s `path`: its folder exists and
// `path` is not a directory. FAILED_PRECONDITION otherwise.
absl::Status CheckOutputFileFlag(absl::string_view flag, const std::string& path);

// OK when `min` <= `value` <= `max`; else INVALID_ARGUMENT:
// "--block_cache_mb is -1; it must be 1 to 1048576".
absl::Status CheckFlagRange(absl::string_view flag, int64_t value, int64_t min, int64_t max);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_STARTUP_CHECKS_H_
