// Where rectifyctl may write a file the server named: a downloaded piece of
// evidence is saved under the name its uploader chose, which is data from
// another party (possibly the enterprise under investigation), never a path
// to trust. SafeLocalFileName reduces it to a plain name in the current
// folder; WriteNewFile refuses to replace an existing file unless asked.
//
//   std::string name = SafeLocalFileName(evidence.file_name(), evidence.evidence_id());
//   RETURN_IF_ERROR(WriteNewFile(name, bytes, /*overwrite=*/force));
#ifndef RECTIFY_CLIENT_FILE_NAMES_H_
#define RECTIFY_CLIENT_FILE_NAMES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rectify::client {

// A plain file name for `server_name`: its last component after any '/' or
// '\'; without control characters (C0, DEL, C1), line separators or
// bidirectional overrides; bytes that are not UTF-8 and leading dots and
// dashes (hidden files, names read as options) become '_'; spaces trimmed;
// at most 255 bytes. When nothing is left (e.g. "..", "/"),
// "evidence-<evidence_id>" with the id reduced to letters, digits, '.', '-'
// and '_'.
std::string SafeLocalFileName(absl::string_view server_name, absl::string_view evidence_id);

// Writes `bytes` to a new file `path` (mode 0644 less the umask). Unless
// `overwrite`, ALREADY_EXISTS when anything is at `path` (nothing is
// changed); never follows a symbolic link at `path` (FAILED_PRECONDITION).
// Other failures: INTERNAL naming the path and the system's reason.
absl::Status WriteNewFile(const std::string& path, absl::string_view bytes, bool overwrite);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_FILE_NAMES_H_
