// What rectifyctl tells its user outside a reply: the usage texts (the
// program's, and one per subcommand made from its request's fields), the
// exit codes, a usage error, a failed call (the server's Chinese reason
// first), and a reply as JSON.
#ifndef RECTIFY_CLIENT_CTL_USAGE_H_
#define RECTIFY_CLIENT_CTL_USAGE_H_

#include <string>

#include "absl/status/status.h"
#include "client/ctl_specs.h"
#include "google/protobuf/message.h"

namespace rectify::client::ctl {

// Exit codes: 0 done; 2 bad usage or bad input (also when the server says
// INVALID_ARGUMENT); 3 refused by the server; 4 the server cannot be reached.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRefused = 3;
inline constexpr int kExitUnreachable = 4;

// `rectifyctl --help`: every subcommand, the global flags, the exit codes.
const std::string& GlobalUsage();

// `rectifyctl SUBCOMMAND --help`: its arguments, its flags (the request's
// fields, their aliases, its own flags) and a line on times.
std::string SpecUsage(const Spec& spec);

// Prints "rectifyctl: PROBLEM" and the usage on standard error; kExitUsage.
int Usage(const std::string& problem, const std::string& usage);

// Prints a failed call's status (the server's Chinese reason first, then the
// code and the English message) and returns the exit code it calls for.
int ReportFailure(const absl::Status& status);

// Prints `message` as JSON on standard output; kExitOk.
int PrintJson(const google::protobuf::Message& message);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_USAGE_H_
