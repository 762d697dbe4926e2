// Running the real rectifyctl in an end-to-end test: one call with the
// server, token and client folder flags the tests give it, its exit code
// and both outputs; and reading its --json output back into the reply
// message (unknown fields ignored: the JSON may add names beside ids).
#ifndef RECTIFY_TESTS_E2E_RECTIFYCTL_RUN_H_
#define RECTIFY_TESTS_E2E_RECTIFYCTL_RUN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/subprocess.h"

namespace rectify::testing {

struct CtlResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// rectifyctl --server=`server_address` --token=`token`
// --client_dir=`client_dir` ARGS..., run in `cwd`.
inline CtlResult RunRectifyctl(const std::string& server_address, const std::string& token,
                               const std::string& client_dir, const std::string& cwd,
                               const std::vector<std::string>& args) {
  std::vector<std::string> argv = {Runfile("client/rectifyctl"), "--server=" + server_address,
                                   "--token=" + token, "--client_dir=" + client_dir};
  argv.insert(argv.end(), args.begin(), args.end());
  CtlResult result;
  absl::StatusOr<int> code = Run(argv, cwd, &result.out, &result.err);
  EXPECT_TRUE(code.ok()) << code.status();
  result.exit_code = code.ok() ? *code : -1;
  return result;
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
