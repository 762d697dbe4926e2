// Tests of the names rectifyctl gives downloaded files (issue 11, item 1):
// a name the server gives is reduced to a plain name in the current folder,
// and an existing file is never replaced unless asked.
#include "client/file_names.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify::client {
namespace {

using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::StatusIs;

TEST(SafeLocalFileNameTest, PlainNamesAreKept) {
  EXPECT_EQ(SafeLocalFileName("IMG_0042.jpg", "ev-1"), "IMG_0042.jpg");
  EXPECT_EQ(SafeLocalFileName("黑河排污口_整改前.jpg", "ev-1"), "黑河排污口_整改前.jpg");
  EXPECT_EQ(SafeLocalFileName("a..b.pdf", "ev-1"), "a..b.pdf");
}

TEST(SafeLocalFileNameTest, PathsAreReducedToTheirLastComponent) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/tmp/x", "x"},
      {"../../x", "x"},
      {"../../.bashrc", "_bashrc"},
      {"..\\..\\x.jpg", "x.jpg"},
      {"C:\\Windows\\System32\\evil.dll", "evil.dll"},
      {"/etc/cron.d/", "evidence-ev-3"},
      {"..", "evidence-ev-3"},
      {".", "evidence-ev-3"},
      {"", "evidence-ev-3"},
      {"   ", "evidence-ev-3"},
      {"-rf", "_rf"},
      {"...x", "___x"},
  };
  for (const auto& [given, expected] : cases) {
    EXPECT_EQ(SafeLocalFileName(given, "ev-3"), expected) << given;
  }
}

TEST(SafeLocalFileNameTest, ControlCharactersAndBadBytesAreRemoved) {
  EXPECT_EQ(SafeLocalFileName("a\nb\rc\td.jpg", "ev-1"), "abcd.jpg");
  EXPECT_EQ(SafeLocalFileName(std::string("a\0b.jpg", 7), "ev-1"), "ab.jpg");
  EXPECT_EQ(SafeLocalFileName("\x1b[31mred.jpg", "ev-1"), "[31mred.jpg");
  EXPECT_EQ(SafeLocalFileName("a\x7f\xc2\x85" "b.jpg", "ev-1"), "ab.jpg");
  // U+202E RIGHT-TO-LEFT OVERRIDE would show "photo\u202Egpj.exe" as "photoexe.jpg".
  EXPECT_EQ(SafeLocalFileName("photo\xe2\x80\xaegpj.exe", "ev-1"), "photogpj.exe");
  EXPECT_EQ(SafeLocalFileName("a\xff" "b.jpg", "ev-1"), "a_b.jpg");
  // A hostile evidence id is reduced too.
  EXPECT_EQ(SafeLocalFileName("/", "../x y"), "evidence-.._x_y");
}

TEST(SafeLocalFileNameTest, LongNamesAreCutAtACharacterBoundary) {
  std::string long_name;
  for (int i = 0; i < 100; ++i) long_name += "污";  // 300 bytes
  const std::string safe = SafeLocalFileName(long_name, "ev-1");
  EXPECT_EQ(safe.size(), 255u);  // 85 whole characters
  std::string expected;
  for (int i = 0; i < 85; ++i) expected += "污";
  EXPECT_EQ(safe, expected);
}

TEST(WriteNewFileTest, RefusesToReplaceAFileUnlessAsked) {
  rectify::testing::TempDir dir;
  const std::string path = dir.Sub("photo.jpg");
  ASSERT_OK(WriteNewFile(path, "first", /*overwrite=*/false));
  EXPECT_EQ(ReadFileOrEmpty(path), "first");
  EXPECT_THAT(WriteNewFile(path, "second", /*overwrite=*/false),
              StatusIs(absl::StatusCode::kAlreadyExists, ::testing::HasSubstr("--force")));
  EXPECT_EQ(ReadFileOrEmpty(path), "first");
  ASSERT_OK(WriteNewFile(path, "third", /*overwrite=*/true));
  EXPECT_EQ(ReadFileOrEmpty(path), "third");
}

TEST(WriteNewFileTest, NeverWritesThroughASymbolicLink) {
  rectify::testing::TempDir dir;
  const std::string target = dir.Sub("target");
  ASSERT_OK(WriteNewFile(target, "keep", /*overwrite=*/false));
  const std::string link = dir.Sub("link.jpg");
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  EXPECT_THAT(WriteNewFile(link, "evil", /*overwrite=*/false),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(WriteNewFile(link, "evil", /*overwrite=*/true),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReadFileOrEmpty(target), "keep");
}

}  // namespace
}  // namespace rectify::client
