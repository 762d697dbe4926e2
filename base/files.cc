// Reading whole files; see files.h.
#include "base/files.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace rectify {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream contents;
  contents << file.rdbuf();
  if (file.bad()) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return contents.str();
}

}  // namespace rectify
