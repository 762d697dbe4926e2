// rectifyctl's command-line parser; see command_line.h.
#include "client/command_line.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rectify::client {

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::set<std::string>& boolean_flags) {
  CommandLine line;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto& flags = line.subcommand.empty() ? line.global_flags : line.flags;
    if (!flags_ended && arg == "--") {
      flags_ended = true;
      continue;
    }
    if (!flags_ended && absl::StartsWith(arg, "--")) {
      const size_t equals = arg.find('=');
      std::string name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
      if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("malformed flag ", arg));
      if (equals != std::string::npos) {
        flags.emplace(name, arg.substr(equals + 1));
      } else if (boolean_flags.count(name) > 0) {
        flags.emplace(name, "true");
      } else if (i + 1 < args.size()) {
        flags.emplace(name, args[++i]);
      } else {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
      continue;
    }
    if (line.subcommand.empty() && !flags_ended) {
      line.subcommand = arg;
    } else {
      line.arguments.push_back(arg);
    }
  }
  return line;
}

absl::StatusOr<std::string> SingleFlag(const std::multimap<std::string, std::string>& flags,
                                       const std::string& name, const std::string& fallback) {
  const auto range = flags.equal_range(name);
  if (range.first == range.second) return fallback;
  if (std::next(range.first) != range.second) {
    return absl::InvalidArgumentError(absl::StrCat("flag --", name, " is given more than once"));
  }
  return range.first->second;
}

std::vector<std::string> RepeatedFlag(const std::multimap<std::string, std::string>& flags,
                                      const std::string& name) {
  std::vector<std::string> values;
  const auto range = flags.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
  return values;
}

}  // namespace rectify::client
