// Start-up checks of rectify_server's flags; see startup_checks.h.
#include "server/startup_checks.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace rectify::server {
namespace {

absl::Status Problem(absl::string_view flag, const std::string& path, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat("--", flag, ": ", path, " ", what));
}

}  // namespace

absl::StatusOr<std::string> ReadConfigFile(absl::string_view flag, const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return Problem(flag, path, "does not exist");
    return Problem(flag, path, absl::StrCat("cannot be read: ", std::strerror(error)));
  }
  struct stat info;
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    close(fd);
    return Problem(flag, path, absl::StrCat("cannot be read: ", std::strerror(error)));
  }
  if (S_ISDIR(info.st_mode)) {
    close(fd);
    return Problem(flag, path, "is a directory, not a file");
  }
  if (!S_ISREG(info.st_mode)) {
    close(fd);
    return Problem(flag, path, "is not a regular file");
  }
  if (info.st_size > kMaxConfigFileBytes) {
    close(fd);
    return Problem(flag, path,
                   absl::StrCat("is ", info.st_size, " bytes; at most ", kMaxConfigFileBytes,
                                " are read"));
  }
  std::string contents;
  char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return Problem(flag, path, absl::StrCat("cannot be read: ", std::strerror(error)));
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
    if (static_cast<int64_t>(contents.size()) > kMaxConfigFileBytes) {
      close(fd);
      return Problem(flag, path, absl::StrCat("grew past ", kMaxConfigFileBytes, " bytes"));
    }
  }
  close(fd);
  return contents;
}

absl::Status CheckDirectoryFlag(absl::string_view flag, const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return Problem(flag, path, absl::StrCat("cannot be used: ", std::strerror(errno)));
  }
  if (!S_ISDIR(info.st_mode)) return Problem(flag, path, "is a file, not a directory");
  return absl::OkStatus();
}

absl::Status CheckOutputFileFlag(absl::string_view flag, const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return Problem(flag, path, "is a directory, not a file");
  }
  const size_t slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  if (stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return Problem(flag, path, absl::StrCat("cannot be written: the folder ", folder,
                                            " does not exist"));
  }
  return absl::OkStatus();
}

absl::Status CheckFlagRange(absl::string_view flag, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, " is ", value, "; it must be ", min, " to ", max));
  }
  return absl::OkStatus();
}

}  // namespace rectify::server
