// The real rectify_web for end-to-end tests; see web_process.h.
#include "tests/web/web_process.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace rectify::testing {
namespace {

int64_t StatusField(pid_t pid, absl::string_view field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, field) || !absl::ConsumePrefix(&rest, ":")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumeSuffix(&rest, " kB");
    int64_t kib = 0;
    if (absl::SimpleAtoi(rest, &kib)) return kib * 1024;
  }
  return -1;
}

}  // namespace

void WebProcess::Start() {
  const std::string port_file = dir_.Sub("web.port");
  std::remove(port_file.c_str());
  ++starts_;
  std::vector<std::string> argv = {Runfile("web/gateway/rectify_web"), "--listen=127.0.0.1:0",
                                   "--server=" + server_address_, "--port_file=" + port_file};
  argv.insert(argv.end(), extra_flags_.begin(), extra_flags_.end());
  auto process = Subprocess::Start(argv, dir_.Sub(absl::StrCat("web.", starts_, ".out")),
                                   dir_.Sub(absl::StrCat("web.", starts_, ".err")));
  ASSERT_TRUE(process.ok()) << process.status();
  process_.emplace(std::move(*process));
  absl::StatusOr<int> port = WaitForPortFile(port_file);
  ASSERT_TRUE(port.ok()) << "rectify_web did not start: " << last_stderr();
  port_ = *port;
}

int WebProcess::Stop() {
  if (!process_.has_value()) return -1;
  process_->Signal(SIGTERM);
  absl::StatusOr<int> code = process_->Wait(absl::Seconds(30));
  process_.reset();
  return code.ok() ? *code : -1;
}

std::string WebProcess::last_stderr() const {
  return ReadFileOrEmpty(dir_.Sub(absl::StrCat("web.", starts_, ".err")));
}

int64_t ResidentBytes(pid_t pid) { return StatusField(pid, "VmRSS"); }
int64_t PeakResidentBytes(pid_t pid) { return StatusField(pid, "VmHWM"); }

}  // namespace rectify::testing
