// rectifyctl's settings for one run; see ctl_settings.h.
#include "client/ctl_settings.h"

#include <unistd.h>

#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "client/client_config.h"

namespace rectify::client::ctl {

absl::StatusOr<Context> MakeContext(const CommandLine& line) {
  std::map<std::string, std::string> given;
  for (const auto& [flag, value] : line.global_flags) {
    if (!given.emplace(flag, value).second) {
      return absl::InvalidArgumentError("flag --" + flag + " is given more than once");
    }
  }
  const bool explicit_config = given.count("config") > 0;
  ASSIGN_OR_RETURN(const auto config,
                   LoadConfig(explicit_config ? given["config"] : DefaultConfigPath(),
                              explicit_config));
  // A flag (or its environment variable), else the config file, else the default.
  auto setting = [&](const std::string& key, const std::string& fallback) -> std::string {
    if (given.count(key) > 0) return given[key];
    if (config.count(key) > 0) return config.at(key);
    return fallback;
  };
  auto given_true = [&](const std::string& key) {
    return given.count(key) > 0 && given[key] == "true";
  };
  Context context;
  context.options.server = setting("server", context.options.server);
  context.options.token = setting("token", "");
  context.options.tls = setting("tls", "false") == "true";
  context.options.tls_ca = setting("tls_ca", "");
  context.options.tls_cert = setting("tls_cert", "");
  context.options.tls_key = setting("tls_key", "");
  const std::string timeout =
      setting("timeout", config.count("timeout_seconds") > 0 ? config.at("timeout_seconds") : "10");
  double timeout_seconds = 0;
  if (!absl::SimpleAtod(timeout, &timeout_seconds) || timeout_seconds <= 0) {
    return absl::InvalidArgumentError("--timeout must be a positive number of seconds");
  }
  context.options.call_timeout = absl::Seconds(timeout_seconds);
  ASSIGN_OR_RETURN(const ProgressMode progress_mode,
                   ParseProgressMode(given.count("progress") > 0 ? given["progress"] : "auto"));
  context.progress = ChooseProgressStyle(progress_mode, STDERR_FILENO);
  context.json = given_true("json");
  context.offline = given_true("offline");
  context.dry_run = given_true("dry_run");
  context.ids = given_true("ids");
  context.client_dir = setting("client_dir", DefaultClientDir());
  const bool needs_outbox = context.offline || (line.spec != nullptr &&
                                                (line.spec->kind == Kind::kSync ||
                                                 line.spec->kind == Kind::kOutbox));
  if (context.client_dir.empty() && needs_outbox) {
    return absl::InvalidArgumentError("--client_dir is needed (no $HOME)");
  }
  return context;
}

}  // namespace rectify::client::ctl
