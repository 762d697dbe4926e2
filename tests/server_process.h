// The real rectify_server binary for end-to-end tests: started on 127.0.0.1
// port 0 with a data directory inside the test's TempDir and the demo
// principals, its chosen port read back from --port_file; stopped cleanly
// (SIGTERM) or killed (SIGKILL) and started again on the same data.
//
//   ServerProcess server(dir);
//   server.Start();                      // ASSERTs inside: call from a test
//   Run({Runfile("client/rectifyctl"), "--server=" + server.address(), ...});
//   ASSERT_EQ(server.Stop(), 0);
#ifndef RECTIFY_TESTS_SERVER_PROCESS_H_
#define RECTIFY_TESTS_SERVER_PROCESS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

class ServerProcess {
 public:
  // `dir` must outlive the server; its data lives in dir/data.
  // `extra_args` are added to every start's command line.
  explicit ServerProcess(const TempDir& dir, std::vector<std::string> extra_args = {})
      : dir_(dir), extra_args_(std::move(extra_args)) {}

  // Flags added to the command line of the next starts, e.g.
  // {"--calendar_file=..."}.
  void set_extra_flags(std::vector<std::string> flags) { extra_flags_ = std::move(flags); }

  // Starts the server and waits (bounded) until it serves. Each start logs
  // to dir/server.N.err.
  void Start();
  // SIGTERM and the exit code of the clean shutdown (-1 if none runs).
  int Stop();
  // SIGKILL: no shutdown, no flush; expects death by the signal.
  void Kill();

  // host:port of the running server; before the first start, a port
  // nothing listens on. Thread-safe.
  std::string address() const;
  std::string data_dir() const { return dir_.Sub("data"); }
  // What the latest start wrote to stderr, for failure messages.
  std::string last_stderr() const;

 private:
  const TempDir& dir_;
  const std::vector<std::string> extra_args_;
  std::optional<Subprocess> process_;
  int starts_ = 0;
  std::vector<std::string> extra_flags_;
  mutable absl::Mutex mutex_;
  std::string address_ ABSL_GUARDED_BY(mutex_) = "127.0.0.1:1";
};

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_PROCESS_H_
