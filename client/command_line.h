// The command line of rectifyctl: global flags, a subcommand, its flags and
// its positional arguments.
//
//   rectifyctl [--server=H:P] [--token=T] [--json] SUBCOMMAND [--flag=value ...] [ARG ...]
//
// Flags are `--name=value` or `--name value`; a boolean flag may stand alone
// (`--json`). A flag may repeat (`--tag=a --tag=b`). `--` ends the flags.
#ifndef RECTIFY_CLIENT_COMMAND_LINE_H_
#define RECTIFY_CLIENT_COMMAND_LINE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rectify::client {

struct CommandLine {
  // Flags before the subcommand.
  std::multimap<std::string, std::string> global_flags;
  // The subcommand, e.g. "report"; empty when none was given.
  std::string subcommand;
  // Flags after the subcommand.
  std::multimap<std::string, std::string> flags;
  // Arguments after the subcommand that are not flags.
  std::vector<std::string> arguments;
};

// Parses argv (without argv[0]). `boolean_flags` names the flags that take
// no value. INVALID_ARGUMENT for a malformed flag.
absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::set<std::string>& boolean_flags);

// The one value of `name` in `flags`, or `fallback` when absent.
// INVALID_ARGUMENT when it is given more than once.
absl::StatusOr<std::string> SingleFlag(const std::multimap<std::string, std::string>& flags,
                                       const std::string& name, const std::string& fallback);

// Every value of `name`, in order.
std::vector<std::string> RepeatedFlag(const std::multimap<std::string, std::string>& flags,
                                      const std::string& name);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMAND_LINE_H_
