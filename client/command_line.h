// The command line of rectifyctl, parsed by CLI11: global flags, a
// subcommand of the table in ctl_specs.h, its flags and its positional
// arguments.
//
//   rectifyctl [--server=H:P] [--token=T] [--json] SUBCOMMAND [--flag=value ...] [ARG ...]
//
// Flags are `--name=value` or `--name value`; a flag without a value
// (`--json`, a request's bool field) may stand alone or take =true|false. A
// flag may repeat (`--tag=a --tag=b`); whether it may is checked where it is
// used. Each subcommand takes the flags of its request's fields (every
// settable field path, request_flags.h), its short aliases, its own extra
// flags and --help; anything else is an unknown flag.
//
// --server, --token and --client_dir fall back to $RECTIFY_SERVER,
// $RECTIFY_TOKEN and $RECTIFY_CLIENT_DIR (CLI11's envname); the config file
// comes after those (ctl_settings.h).
#ifndef RECTIFY_CLIENT_COMMAND_LINE_H_
#define RECTIFY_CLIENT_COMMAND_LINE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/ctl_specs.h"

namespace rectify::client {

struct CommandLine {
  // Global flags given (or taken from the environment), name → values.
  std::multimap<std::string, std::string> global_flags;
  // The subcommand ("referral approve"); nullptr when none was given or it
  // is not known (then `subcommand` holds what was typed, "" for none).
  const ctl::Spec* spec = nullptr;
  std::string subcommand;
  // --help was given, before or after the subcommand (or `rectifyctl help`).
  bool help = false;
  // Flags after the subcommand, name → values in the order given.
  std::multimap<std::string, std::string> flags;
  // Arguments after the subcommand that are not flags.
  std::vector<std::string> arguments;
  // Why the command line cannot be run (INVALID_ARGUMENT: an unknown flag
  // or command, a flag without its value); `spec` is set when the problem
  // is the subcommand's.
  absl::Status problem;
};

// Parses argv (without argv[0]).
CommandLine ParseCommandLine(const std::vector<std::string>& args);

// The flags a subcommand takes: name → whether it needs a value.
std::map<std::string, bool> SubcommandFlags(const ctl::Spec& spec);

// The one value of `name` in `flags`, or `fallback` when absent.
// INVALID_ARGUMENT when it is given more than once.
absl::StatusOr<std::string> SingleFlag(const std::multimap<std::string, std::string>& flags,
                                       const std::string& name, const std::string& fallback);

// Every value of `name`, in order.
std::vector<std::string> RepeatedFlag(const std::multimap<std::string, std::string>& flags,
                                      const std::string& name);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMAND_LINE_H_
