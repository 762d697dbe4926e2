// Tests of the server's log lines (issue 11): every value is escaped so that
// a value a client chose (an id, a status message quoting its input) can
// neither end a line, forge another, move a terminal's cursor nor reorder
// text, and each value is capped. Expectations are written out by hand.
#include "server/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify::server {
namespace {

TEST(EscapeLogValueTest, PlainValuesAreWrittenAsTheyAre) {
  EXPECT_EQ(EscapeLogValue("620722-2026-000001"), "620722-2026-000001");
  EXPECT_EQ(EscapeLogValue("洪水镇"), "洪水镇");
  EXPECT_EQ(EscapeLogValue(""), "\"\"");
  EXPECT_EQ(EscapeLogValue("two words"), "\"two words\"");
  EXPECT_EQ(EscapeLogValue("a=b"), "\"a=b\"");
}

TEST(EscapeLogValueTest, EveryControlCharacterIsEscaped) {
  EXPECT_EQ(EscapeLogValue("a\nb"), "\"a\\nb\"");
  EXPECT_EQ(EscapeLogValue("a\rb"), "\"a\\rb\"");
  EXPECT_EQ(EscapeLogValue("a\tb"), "\"a\\tb\"");
  EXPECT_EQ(EscapeLogValue("\x1b[2J"), "\"\\x1b[2J\"");
  EXPECT_EQ(EscapeLogValue(std::string("a\0b", 3)), "\"a\\x00b\"");
  EXPECT_EQ(EscapeLogValue("a\x7f"), "\"a\\x7f\"");
  EXPECT_EQ(EscapeLogValue("a\x01\x1f"), "\"a\\x01\\x1f\"");
  // C1: U+0085 NEXT LINE and U+009B CSI.
  EXPECT_EQ(EscapeLogValue("a\xc2\x85" "b"), "\"a\\u0085b\"");
  EXPECT_EQ(EscapeLogValue("\xc2\x9b" "2J"), "\"\\u009b2J\"");
  // U+2028 LINE SEPARATOR and U+202E RIGHT-TO-LEFT OVERRIDE.
  EXPECT_EQ(EscapeLogValue("a\xe2\x80\xa8" "b"), "\"a\\u2028b\"");
  EXPECT_EQ(EscapeLogValue("\xe2\x80\xae" "gpj.exe"), "\"\\u202egpj.exe\"");
  // Quotes and backslashes, so that the escapes above cannot be faked.
  EXPECT_EQ(EscapeLogValue("say \"hi\\n\""), "\"say \\\"hi\\\\n\\\"\"");
  // Bytes that are not UTF-8.
  EXPECT_EQ(EscapeLogValue("\xff\xfe"), "\"\\xff\\xfe\"");
  EXPECT_EQ(EscapeLogValue("\xc0\xaf"), "\"\\xc0\\xaf\"");
}

TEST(EscapeLogValueTest, LongValuesAreCut) {
  const std::string value(kMaxLogValueBytes + 500, 'x');
  EXPECT_EQ(EscapeLogValue(value),
            "\"" + std::string(kMaxLogValueBytes, 'x') + "...(500 more bytes)\"");
  EXPECT_EQ(EscapeLogValue(std::string(kMaxLogValueBytes, 'y')),
            std::string(kMaxLogValueBytes, 'y'));
}

// What `log` writes to stderr, stamped 2026-11-18T08:26:40Z by a simulated
// clock.
std::string CapturedLog(const std::function<void()>& log) {
  rectify::testing::TempDir dir;
  const std::string path = dir.Sub("stderr");
  const int file = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  EXPECT_GE(file, 0);
  const int saved = dup(STDERR_FILENO);
  EXPECT_GE(saved, 0);
  EXPECT_EQ(dup2(file, STDERR_FILENO), STDERR_FILENO);
  SimulatedClock clock(absl::FromUnixSeconds(1794990400));  // 2026-11-18T08:26:40Z
  SetLogClock(&clock);
  log();
  SetLogClock(nullptr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(file);
  return rectify::testing::ReadFileOrEmpty(path);
}

// A whole line as written to stderr: a value with a forged line in it stays
// on its one line.
TEST(LogTest, AForgedLineStaysInsideItsValue) {
  const std::string written = CapturedLog([] {
    Log(LogLevel::kWarning,
        {{"method", "AssignCase"},
         {"case", "x\r\n2026-11-18T08:26:41.000000Z INFO method=AdminLogin principal=admin"},
         {"code", "INVALID_ARGUMENT"}});
  });
  EXPECT_EQ(written,
            "2026-11-18T08:26:40.000000Z WARN method=AssignCase case=\"x\\r\\n2026-11-18T08:26:41."
            "000000Z INFO method=AdminLogin principal=admin\" code=INVALID_ARGUMENT\n");
}

// --log_format=json: a value is the same escaped text as in the text
// format, written as a JSON string (backslash and quote escaped once more).
TEST(JsonLogValueTest, IsTheEscapedTextAsAJsonString) {
  EXPECT_EQ(JsonLogValue("plain"), "\"plain\"");
  EXPECT_EQ(JsonLogValue(""), "\"\"");
  EXPECT_EQ(JsonLogValue("a b"), "\"a b\"");
  // The text format shows a"b as "a\"b"; JSON holds that text: a\"b.
  EXPECT_EQ(JsonLogValue("a\"b"), "\"a\\\\\\\"b\"");
  // A newline becomes the two characters \n, which JSON writes as \\n.
  EXPECT_EQ(JsonLogValue("a\nb"), "\"a\\\\nb\"");
  EXPECT_EQ(JsonLogValue(std::string("a\x01" "b", 3)), "\"a\\\\x01b\"");
  // Not UTF-8, and a right-to-left override: shown, never passed raw.
  EXPECT_EQ(JsonLogValue("\xff"), "\"\\\\xff\"");
  EXPECT_EQ(JsonLogValue("x\u202Ey"), "\"x\\\\u202ey\"");
  EXPECT_EQ(JsonLogValue("水质"), "\"水质\"");
}

TEST(LogTest, JsonLinesAreOneObjectEach) {
  const std::string written = CapturedLog([] {
    SetLogFormat(LogFormat::kJson);
    Log(LogLevel::kWarning, {{"method", "AssignCase"},
                             {"case", "x\r\n{\"forged\":1}"},
                             {"request_id", "r-1"}});
    SetLogFormat(LogFormat::kText);
  });
  EXPECT_EQ(written,
            "{\"time\":\"2026-11-18T08:26:40.000000Z\",\"level\":\"WARN\","
            "\"method\":\"AssignCase\",\"case\":\"x\\\\r\\\\n{\\\\\\\"forged\\\\\\\":1}\","
            "\"request_id\":\"r-1\"}\n");
}

}  // namespace
}  // namespace rectify::server
