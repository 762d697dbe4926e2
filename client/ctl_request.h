// Filling a subcommand's request from its command line: positional
// arguments and flags onto the request's fields by reflection
// (request_flags.h), short aliases, money typed in yuan, a complaint's
// site-check documents, a report's defaults, and a random command id when
// none is given.
#ifndef RECTIFY_CLIENT_CTL_REQUEST_H_
#define RECTIFY_CLIENT_CTL_REQUEST_H_

#include <string>

#include "absl/status/status.h"
#include "client/command_line.h"
#include "client/ctl_context.h"

namespace rectify::client::ctl {

// Makes the invocation of `line`'s subcommand with its request filled.
// INVALID_ARGUMENT naming the argument or flag at fault.
absl::Status BuildInvocation(const CommandLine& line, Invocation* invocation);

// A fresh command id, "ctl-" and 16 hex digits.
std::string RandomCommandId();

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_REQUEST_H_
