// rectifyctl's settings for one run: each one from its flag (or, for
// --server, --token and --client_dir, the environment, which CLI11 reads:
// command_line.h), else the config file (client_config.h), else the default.
#ifndef RECTIFY_CLIENT_CTL_SETTINGS_H_
#define RECTIFY_CLIENT_CTL_SETTINGS_H_

#include "absl/status/statusor.h"
#include "client/command_line.h"
#include "client/ctl_context.h"

namespace rectify::client::ctl {

// The context of `line`'s run. INVALID_ARGUMENT for a flag given twice, a
// bad config file, a bad --timeout or --progress, or no outbox folder
// where one is needed.
absl::StatusOr<Context> MakeContext(const CommandLine& line);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_SETTINGS_H_
