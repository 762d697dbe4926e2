// The real rectify_web binary for end-to-end tests: started on 127.0.0.1
// port 0 in front of a running rectify_server, its port read back from
// --port_file, stopped with SIGTERM. `pid()` lets a test read its memory
// from /proc.
//
//   ServerProcess server(dir);  server.Start();
//   WebProcess web(dir, server.address(), {"--app_dir=" + app});  web.Start();
//   httplib::Client http(web.host(), web.port());
#ifndef RECTIFY_TESTS_WEB_WEB_PROCESS_H_
#define RECTIFY_TESTS_WEB_WEB_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

class WebProcess {
 public:
  WebProcess(const TempDir& dir, std::string server_address, std::vector<std::string> extra_flags = {})
      : dir_(dir), server_address_(std::move(server_address)), extra_flags_(std::move(extra_flags)) {}

  // Starts rectify_web and waits (bounded, 30 s) until it listens. ASSERTs.
  void Start();
  // SIGTERM and the exit code (-1 if none runs or it does not stop in 30 s).
  int Stop();

  int port() const { return port_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_.has_value() ? process_->pid() : -1; }
  std::string last_stderr() const;

 private:
  const TempDir& dir_;
  const std::string server_address_;
  const std::vector<std::string> extra_flags_;
  std::optional<Subprocess> process_;
  int port_ = 0;
  int starts_ = 0;
};

// A process's resident set now (VmRSS) and at its peak (VmHWM), in bytes,
// from /proc/<pid>/status; -1 when it cannot be read.
int64_t ResidentBytes(pid_t pid);
int64_t PeakResidentBytes(pid_t pid);

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_WEB_WEB_PROCESS_H_
