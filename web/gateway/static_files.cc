// The built web app served from memory; see static_files.h.
#include "web/gateway/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rectify::web {
namespace {

std::string ContentTypeOf(absl::string_view path) {
  static const std::pair<absl::string_view, absl::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (absl::EndsWith(path, extension)) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace

absl::StatusOr<StaticFiles> StaticFiles::Load(const std::string& dir, int64_t max_total_bytes) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", error)) {
    return absl::NotFoundError(absl::StrCat(dir, "/index.html does not exist (build the app: "
                                                 "npm run build in web/app)"));
  }
  StaticFiles files;
  int64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    const std::string relative = fs::relative(it->path(), dir, error).generic_string();
    if (error) break;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    StaticFile file;
    file.content = content.str();
    total += static_cast<int64_t>(file.content.size());
    if (total > max_total_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat(dir, " holds more than ", max_total_bytes, " bytes"));
    }
    file.content_type = ContentTypeOf(relative);
    // Vite names every file under assets/ by its content's hash.
    file.cache_control = absl::StartsWith(relative, "assets/")
                             ? "public, max-age=31536000, immutable"
                             : "no-cache";
    files.files_.emplace("/" + relative, std::move(file));
  }
  if (error) return absl::InternalError(absl::StrCat("reading ", dir, ": ", error.message()));
  return files;
}

const StaticFile* StaticFiles::Find(absl::string_view path) const {
  if (files_.empty()) return nullptr;
  // No file has a ".." segment; such a path is not an app route either.
  if (absl::StrContains(path, "/..")) return nullptr;
  if (path == "/") path = "/index.html";
  if (auto it = files_.find(path); it != files_.end()) return &it->second;
  const size_t last_slash = path.rfind('/');
  const bool has_extension = path.find('.', last_slash) != absl::string_view::npos;
  if (has_extension || absl::StartsWith(path, "/assets/")) return nullptr;
  auto index = files_.find("/index.html");
  return index == files_.end() ? nullptr : &index->second;
}

}  // namespace rectify::web
