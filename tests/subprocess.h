// Runs the real binaries in end-to-end tests: start a process with its
// output sent to files, wait for it with a bound, signal it. Paths of
// binaries come from Bazel's runfiles (Runfile("server/rectify_server")).
#ifndef RECTIFY_TESTS_SUBPROCESS_H_
#define RECTIFY_TESTS_SUBPROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace rectify::testing {

// The absolute path of a file of this workspace in the test's runfiles,
// e.g. Runfile("server/rectify_server").
std::string Runfile(const std::string& path);

// Reads a whole file; empty when it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

class Subprocess {
 public:
  // Starts `argv[0]` with `argv`, stdout and stderr to the given files, extra
  // environment entries ("NAME=value") added to the test's own.
  static absl::StatusOr<Subprocess> Start(const std::vector<std::string>& argv,
                                          const std::string& stdout_path,
                                          const std::string& stderr_path,
                                          const std::vector<std::string>& extra_env = {});
  Subprocess(Subprocess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  Subprocess& operator=(Subprocess&& other) noexcept;
  // Kills (SIGKILL) and reaps the process if it is still running.
  ~Subprocess();

  // Waits up to `timeout` for the process to exit; its exit code, or
  // 128 + signal when a signal ended it. DEADLINE_EXCEEDED when it runs on.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // Sends `signal` to the process.
  void Signal(int signal);
  pid_t pid() const { return pid_; }

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

// Waits (at most `timeout`) until `path` holds a port number, as the real
// binaries' --port_file writes once they listen; the port, or
// DEADLINE_EXCEEDED.
absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    absl::Duration timeout = absl::Seconds(30));

// Runs a command to completion (at most `timeout`) and returns its exit code,
// with its stdout and stderr in `out` and `err`.
absl::StatusOr<int> Run(const std::vector<std::string>& argv, const std::string& work_dir,
                        std::string* out, std::string* err,
                        const std::vector<std::string>& extra_env = {},
                        absl::Duration timeout = absl::Seconds(30));

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SUBPROCESS_H_
