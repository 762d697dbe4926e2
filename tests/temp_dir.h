// A fresh temporary directory per test, under Bazel's TEST_TMPDIR, removed
// when the test ends: every test gets a real, empty RocksDB directory.
#ifndef RECTIFY_TESTS_TEMP_DIR_H_
#define RECTIFY_TESTS_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace rectify::testing {

class TempDir {
 public:
  TempDir() {
    const char* root = getenv("TEST_TMPDIR");
    std::string pattern = std::string(root != nullptr ? root : "/tmp") + "/rectify-XXXXXX";
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory; empty if it could not be made (the test then fails on use).
  const std::string& path() const { return path_; }
  // A path inside it, not created.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_TEMP_DIR_H_
