// What every rectifyctl handler is given: the settings of this run
// (Context: server, token, --json, --offline, ...) and the subcommand with
// its request filled from the command line (Invocation); and WithServer, the
// common start of a handler that calls the server.
//
//   int RunGet(const Context& context, Invocation& call) {
//     return WithServer(context, call, [&](RectifyClient& client) { ... });
//   }
#ifndef RECTIFY_CLIENT_CTL_CONTEXT_H_
#define RECTIFY_CLIENT_CTL_CONTEXT_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/progress.h"
#include "client/command_line.h"
#include "client/ctl_specs.h"
#include "client/rectify_client.h"
#include "google/protobuf/message.h"
#include "rectify/v1/command.pb.h"

namespace rectify::client::ctl {

// The settings every subcommand that talks to the server shares.
struct Context {
  ClientOptions options;
  // How long work shows its progress on standard error (--progress).
  ProgressStyle progress = ProgressStyle::kLines;
  bool json = false;
  // Tables show unit ids instead of names.
  bool ids = false;
  bool offline = false;
  bool dry_run = false;
  std::string client_dir;

  absl::StatusOr<std::unique_ptr<RectifyClient>> Client() const {
    return RectifyClient::Create(options);
  }
  std::string OutboxDir() const { return client_dir + "/outbox"; }
};

// One run of a subcommand.
struct Invocation {
  const Spec* spec = nullptr;
  // The parsed command line (its flags and arguments).
  const CommandLine* line = nullptr;
  // kMutate and kReport: the command whose request the flags filled.
  v1::Command command;
  // The request (inside `command`, or owned by `owned_request`); nullptr
  // for subcommands without one (sync, outbox, the file imports).
  google::protobuf::Message* request = nullptr;
  std::unique_ptr<google::protobuf::Message> owned_request;
  // Arguments whose placeholder maps to no field (a FILE).
  std::vector<std::string> own_args;

  template <typename T>
  const T& Request() const {
    return static_cast<const T&>(*request);
  }
  const std::multimap<std::string, std::string>& flags() const { return line->flags; }
};

// A handler runs one kind of subcommand and returns the exit code.
using Handler = int (*)(const Context&, Invocation&);

// The common start of a call to the server: a local case reference
// ("local:1") is replaced by the synced case id; --dry_run prints the
// request; --offline is refused (only case commands work offline); then
// `call` runs with a client. Returns the exit code.
int WithServer(const Context& context, Invocation& invocation,
               const std::function<int(RectifyClient&)>& call);

// Replaces a local reference ("local:1") in the request's case_id by the
// case id the server gave the case when the outbox was synced.
absl::Status ResolveLocalCase(const Context& context, google::protobuf::Message& request);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_CONTEXT_H_
