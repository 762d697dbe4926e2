// The real rectify_server for end-to-end tests; see server_process.h.
#include "tests/server_process.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace rectify::testing {

void ServerProcess::Start() {
  const std::string port_file = dir_.Sub("port");
  std::remove(port_file.c_str());
  ++starts_;
  std::vector<std::string> argv = {
      Runfile("server/rectify_server"), "--listen=127.0.0.1:0", "--data_dir=" + data_dir(),
      "--principals_file=" + Runfile("config/principals.demo.textproto"),
      "--port_file=" + port_file};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  argv.insert(argv.end(), extra_flags_.begin(), extra_flags_.end());
  auto process = Subprocess::Start(argv,
      dir_.Sub(absl::StrCat("server.", starts_, ".out")),
      dir_.Sub(absl::StrCat("server.", starts_, ".err")));
  ASSERT_TRUE(process.ok()) << process.status();
  process_.emplace(std::move(*process));
  // Bounded wait (30 s) for the port file: the server writes it once serving.
  int port = 0;
  for (int i = 0; i < 3000 && port == 0; ++i) {
    const std::string text(absl::StripAsciiWhitespace(ReadFileOrEmpty(port_file)));
    if (!text.empty()) {
      ASSERT_TRUE(absl::SimpleAtoi(text, &port)) << text;
    }
    if (port == 0) usleep(10000);
  }
  ASSERT_NE(port, 0) << "the server did not start: " << last_stderr();
  absl::MutexLock lock(&mutex_);
  address_ = absl::StrCat("127.0.0.1:", port);
}

int ServerProcess::Stop() {
  if (!process_.has_value()) return -1;
  process_->Signal(SIGTERM);
  absl::StatusOr<int> code = process_->Wait(absl::Seconds(30));
  process_.reset();
  return code.ok() ? *code : -1;
}

void ServerProcess::Kill() {
  ASSERT_TRUE(process_.has_value());
  process_->Signal(SIGKILL);
  absl::StatusOr<int> code = process_->Wait(absl::Seconds(30));
  process_.reset();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 128 + SIGKILL);
}

std::string ServerProcess::address() const {
  absl::MutexLock lock(&mutex_);
  return address_;
}

std::string ServerProcess::last_stderr() const {
  return ReadFileOrEmpty(dir_.Sub(absl::StrCat("server.", starts_, ".err")));
}

}  // namespace rectify::testing
