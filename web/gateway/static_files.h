// The built web app (web/app/dist), loaded into memory at start: Vite's
// hashed assets (/assets/index-3f9a1c.js) are cached for a year as
// immutable, index.html is never cached (so a new build reaches every
// browser on its next load), and an app route such as /cases/123 that is
// not a file gets index.html (the app's router shows the page). Only files
// under the folder are served; the folder is read once, so a path from a
// request never touches the file system.
#ifndef RECTIFY_WEB_GATEWAY_STATIC_FILES_H_
#define RECTIFY_WEB_GATEWAY_STATIC_FILES_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace rectify::web {

struct StaticFile {
  std::string content;
  std::string content_type;
  std::string cache_control;
};

class StaticFiles {
 public:
  // Reads every file under `dir`. NOT_FOUND when there is no dir/index.html;
  // RESOURCE_EXHAUSTED when the files add up to more than `max_total_bytes`
  // (default 64 MiB: the app is a few hundred KiB).
  static absl::StatusOr<StaticFiles> Load(const std::string& dir,
                                          int64_t max_total_bytes = int64_t{64} << 20);
  // An empty set: every lookup misses (rectify_web without --app_dir).
  StaticFiles() = default;

  // The file for a GET path: the file itself, else index.html for a path
  // that looks like an app route (no file extension, not under /assets/),
  // else nullptr (a 404).
  const StaticFile* Find(absl::string_view path) const;

 private:
  absl::flat_hash_map<std::string, StaticFile> files_;
};

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_STATIC_FILES_H_
