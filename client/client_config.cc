// The client's config file; see client_config.h.
#include "client/client_config.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace rectify::client {

absl::StatusOr<std::map<std::string, std::string>> ParseConfig(const std::string& text) {
  static const std::set<std::string> kKeys = {"server", "token",    "tls",        "tls_ca",
                                              "tls_cert", "tls_key", "client_dir",
                                              "timeout_seconds"};
  std::map<std::string, std::string> values;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t equals = line.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("config line ", number, ": expected `key = value`"));
    }
    const std::string key(absl::StripAsciiWhitespace(line.substr(0, equals)));
    const std::string value(absl::StripAsciiWhitespace(line.substr(equals + 1)));
    if (kKeys.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("config line ", number, ": unknown key \"", key, "\""));
    }
    values[key] = value;
  }
  return values;
}

std::string DefaultConfigPath() {
  if (const char* explicit_path = std::getenv("RECTIFY_CONFIG"); explicit_path != nullptr) {
    return explicit_path;
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return absl::StrCat(xdg, "/rectify/config");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return absl::StrCat(home, "/.config/rectify/config");
  }
  return "";
}

std::string DefaultClientDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return absl::StrCat(xdg, "/rectify");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return absl::StrCat(home, "/.local/share/rectify");
  }
  return "";
}

absl::StatusOr<std::map<std::string, std::string>> LoadConfig(const std::string& path,
                                                              bool must_exist) {
  if (path.empty()) return std::map<std::string, std::string>();
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) {
    if (must_exist) return text.status();
    return std::map<std::string, std::string>();
  }
  absl::StatusOr<std::map<std::string, std::string>> values = ParseConfig(*text);
  if (!values.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", values.status().message()));
  }
  return values;
}

}  // namespace rectify::client
