// Where rectifyctl and the client library get their settings: a flag, else
// an environment variable, else the config file, else the default.
//
// The config file (--config=PATH, else $RECTIFY_CONFIG, else
// $XDG_CONFIG_HOME/rectify/config, else ~/.config/rectify/config) is lines of
// `key = value`; '#' starts a comment line; blank lines are ignored; values
// run to the end of the line with surrounding spaces trimmed. Keys:
//
//   server     = rectify.example.gov.cn:443     # host:port
//   token      = ...                            # bearer token (keep the file 0600)
//   tls        = true                           # use TLS (implied by tls_ca)
//   tls_ca     = /etc/rectify/ca.pem            # CA certificates to verify the server
//   tls_cert   = /home/zhang/.config/rectify/client.pem   # client certificate (optional)
//   tls_key    = /home/zhang/.config/rectify/client.key   # its private key
//   client_dir = /home/zhang/.local/share/rectify         # the offline outbox
//   timeout_seconds = 10                        # per-call deadline
//
// An unknown key is an error (INVALID_ARGUMENT naming the line), so a typo
// does not silently fall back to a default.
#ifndef RECTIFY_CLIENT_CLIENT_CONFIG_H_
#define RECTIFY_CLIENT_CLIENT_CONFIG_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "base/files.h"

namespace rectify::client {

// key → value of a config file's text. INVALID_ARGUMENT "config line N: ..."
// for a malformed line or an unknown key.
absl::StatusOr<std::map<std::string, std::string>> ParseConfig(const std::string& text);

// The default config file path from the environment ($RECTIFY_CONFIG,
// $XDG_CONFIG_HOME, $HOME); empty when none can be made.
std::string DefaultConfigPath();

// The default outbox directory: $XDG_DATA_HOME/rectify, else
// ~/.local/share/rectify; empty when none can be made.
std::string DefaultClientDir();

// Reads and parses a config file. A missing file is an empty config when
// `must_exist` is false (the default path), NOT_FOUND when true (--config).
absl::StatusOr<std::map<std::string, std::string>> LoadConfig(const std::string& path,
                                                              bool must_exist);

// Reads a whole file; NOT_FOUND when it cannot be read (base/files.h).
using ::rectify::ReadWholeFile;

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_CLIENT_CONFIG_H_
