// Safe local names for files the server names; see file_names.h.
#include "client/file_names.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/utf8.h"

namespace rectify::client {
namespace {

constexpr size_t kMaxNameBytes = 255;

// Code points that have no place in a file name a person reads: controls,
// line separators and the bidirectional overrides and isolates (which can
// make "gpj.exe" look like "exe.jpg").
bool IsDropped(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

std::string SafeId(absl::string_view id) {
  std::string safe;
  for (char c : id.substr(0, 64)) {
    safe.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                           c == '.'
                       ? c
                       : '_');
  }
  return safe.empty() ? "evidence" : safe;
}

}  // namespace

std::string SafeLocalFileName(absl::string_view server_name, absl::string_view evidence_id) {
  const size_t separator = server_name.find_last_of("/\\");
  if (separator != absl::string_view::npos) server_name.remove_prefix(separator + 1);
  std::string name;
  size_t i = 0;
  while (i < server_name.size()) {
    char32_t c = 0;
    const size_t length = DecodeUtf8(server_name, i, &c);
    if (length == 0) {
      name.push_back('_');
      ++i;
      continue;
    }
    if (!IsDropped(c) && name.size() + length <= kMaxNameBytes) {
      name.append(server_name.data() + i, length);
    }
    i += length;
  }
  absl::StripAsciiWhitespace(&name);
  for (char& c : name) {
    if (c != '.' && c != '-') break;
    c = '_';
  }
  if (name.empty() || name.find_first_not_of('_') == std::string::npos) {
    return absl::StrCat("evidence-", SafeId(evidence_id));
  }
  return name;
}

absl::Status WriteNewFile(const std::string& path, absl::string_view bytes, bool overwrite) {
  const int flags =
      O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = open(path.c_str(), flags, 0644);
  if (fd < 0) {
    const int error = errno;
    if (error == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat(path, " exists; pass --force to overwrite it, or choose --out=FILE"));
    }
    if (error == ELOOP) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " is a symbolic link; rectifyctl does not write through one"));
    }
    return absl::InternalError(absl::StrCat("cannot create ", path, ": ", std::strerror(error)));
  }
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return absl::InternalError(absl::StrCat("cannot write ", path, ": ", std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  if (close(fd) != 0) {
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace rectify::client
