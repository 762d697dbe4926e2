// Running the real rectifyctl (and the other binaries) in an end-to-end test:
// one call with the server, token and client folder flags the tests give it,
// its exit code and both outputs; and reading its --json output back into the
// reply message (unknown fields ignored: the JSON may add names beside ids).
//
//   CtlResult r = RunRectifyctl(server_.address(), "demo-inspector",
//                               dir_.Sub("client"), dir_.path(), {"--json", "get", id});
//   v1::Case c = ParseJson<v1::GetCaseResponse>(r.out).case_();
#ifndef RECTIFY_TESTS_E2E_RECTIFYCTL_RUN_H_
#define RECTIFY_TESTS_E2E_RECTIFYCTL_RUN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/subprocess.h"

namespace rectify::testing {

struct CtlResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// How a command runs, beyond its arguments.
struct RunOptions {
  // The folder it runs in (through /bin/sh, since Run keeps the test's own).
  // Default: empty, the test's own.
  std::string cwd;
  // Extra environment entries, "NAME=value". Default: none.
  std::vector<std::string> env;
  // How long it may run before the test fails it. Default: 30 seconds.
  absl::Duration timeout = absl::Seconds(30);
};

// rectifyctl --server=`server_address` --token=`token`
// --client_dir=`client_dir` ARGS...
inline std::vector<std::string> RectifyctlArgv(const std::string& server_address,
                                               const std::string& token,
                                               const std::string& client_dir,
                                               const std::vector<std::string>& args) {
  std::vector<std::string> argv = {Runfile("client/rectifyctl"), "--server=" + server_address,
                                   "--token=" + token, "--client_dir=" + client_dir};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// Runs `argv` to completion; `work_dir` keeps the captured output (Run's
// scratch files). A command that cannot be run or outlives the timeout fails
// the test and has exit code -1.
inline CtlResult RunCommand(const std::vector<std::string>& argv, const std::string& work_dir,
                            const RunOptions& options = {}) {
  std::vector<std::string> command;
  if (!options.cwd.empty()) command = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", options.cwd};
  command.insert(command.end(), argv.begin(), argv.end());
  CtlResult result;
  absl::StatusOr<int> code =
      Run(command, work_dir, &result.out, &result.err, options.env, options.timeout);
  EXPECT_TRUE(code.ok()) << code.status();
  result.exit_code = code.ok() ? *code : -1;
  return result;
}

// RunCommand(RectifyctlArgv(...), work_dir, options).
inline CtlResult RunRectifyctl(const std::string& server_address, const std::string& token,
                               const std::string& client_dir, const std::string& work_dir,
                               const std::vector<std::string>& args,
                               const RunOptions& options = {}) {
  return RunCommand(RectifyctlArgv(server_address, token, client_dir, args), work_dir, options);
}

// The reply printed with --json.
template <typename Message>
Message ParseJson(const std::string& json) {
  Message message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message, options);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_E2E_RECTIFYCTL_RUN_H_
