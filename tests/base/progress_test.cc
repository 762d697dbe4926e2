// ProgressReporter: the plain lines (parsed back into key=value pairs) and
// the bar, with rate and ETA computed by hand from a simulated clock; the
// style chosen for a pseudo-terminal, a pipe and a forced flag.
#include "base/progress.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

// "progress: verify done=1 total=2 ... finished" -> {"label": "verify",
// "done": "1", ..., "finished": ""}.
std::vector<std::map<std::string, std::string>> ParseLines(const std::string& text) {
  std::vector<std::map<std::string, std::string>> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::map<std::string, std::string> fields;
    std::vector<std::string> words = absl::StrSplit(line, ' ');
    EXPECT_EQ(words[0], "progress:") << line;
    fields["label"] = words[1];
    for (size_t i = 2; i < words.size(); ++i) {
      std::vector<std::string> pair = absl::StrSplit(words[i], absl::MaxSplits('=', 1));
      fields[pair[0]] = pair.size() > 1 ? pair[1] : "";
    }
    lines.push_back(fields);
  }
  return lines;
}

TEST(ProgressLinesTest, EveryFiveSecondsAndAtTheEndWithRateAndEta) {
  SimulatedClock clock(kStart);
  std::ostringstream out;
  {
    ProgressReporter progress(out, ProgressStyle::kLines, clock, "verify", ProgressUnit::kEvents);
    progress.Start(1000);
    clock.Advance(absl::Seconds(2));
    progress.Update(100);  // first draw: 100 in 2 s = 50/s; 900 left = 18 s
    clock.Advance(absl::Seconds(3));
    progress.Update(400);  // 3 s after the last line: none
    clock.Advance(absl::Seconds(2));
    progress.Update(700);  // 5 s after: 700 in 7 s = 100/s; 300 left = 3 s
    progress.Update(50);   // never goes back
    clock.Advance(absl::Seconds(3));
    progress.Update(1000);  // 3 s after: none
    // Finish from the destructor: 1000 in 10 s.
  }
  const auto lines = ParseLines(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  EXPECT_EQ(lines[0].at("label"), "verify");
  EXPECT_EQ(lines[0].at("done"), "100");
  EXPECT_EQ(lines[0].at("total"), "1000");
  EXPECT_EQ(lines[0].at("unit"), "events");
  EXPECT_EQ(lines[0].at("rate"), "50.0/s");
  EXPECT_EQ(lines[0].at("eta"), "18s");
  EXPECT_EQ(lines[1].at("done"), "700");
  EXPECT_EQ(lines[1].at("rate"), "100.0/s");
  EXPECT_EQ(lines[1].at("eta"), "3s");
  EXPECT_EQ(lines[2].at("done"), "1000");
  EXPECT_EQ(lines[2].at("rate"), "100.0/s");
  EXPECT_EQ(lines[2].at("elapsed"), "10.0s");
  EXPECT_EQ(lines[2].count("finished"), 1u);
  EXPECT_EQ(lines[2].count("eta"), 0u);
}

TEST(ProgressLinesTest, UnknownTotalHasNoEta) {
  SimulatedClock clock(kStart);
  std::ostringstream out;
  ProgressReporter progress(out, ProgressStyle::kLines, clock, "sync", ProgressUnit::kCommands);
  progress.Start(0);
  clock.Advance(absl::Seconds(4));
  progress.Update(6);
  EXPECT_DOUBLE_EQ(progress.Rate(), 1.5);
  EXPECT_EQ(progress.Eta(), absl::InfiniteDuration());
  const auto lines = ParseLines(out.str());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("rate"), "1.5/s");
  EXPECT_EQ(lines[0].count("eta"), 0u);
}

TEST(ProgressBarTest, RedrawsInPlaceWithRateAndEta) {
  SimulatedClock clock(kStart);
  std::ostringstream out;
  ProgressReporter progress(out, ProgressStyle::kBar, clock, "verify", ProgressUnit::kEvents);
  progress.Start(200);
  clock.Advance(absl::Seconds(4));
  progress.Update(50);  // 12.5/s; 150 left = 12 s; 25% = 7 of 30 marks
  const std::string first = out.str();
  EXPECT_EQ(first, "\r\x1b[Kverify [#######-----------------------]  25%  50/200 events"
                   "  12.5 events/s  ETA 0:12");
  clock.Advance(absl::Milliseconds(50));
  progress.Update(60);  // 50 ms after the last draw: none
  EXPECT_EQ(out.str(), first);
  clock.Advance(absl::Milliseconds(50));
  progress.Update(81);  // 81 in 4.1 s = 19.756/s; 119 left = 6.02 s -> 7 s; 40% = 12 marks
  EXPECT_THAT(out.str().substr(first.size()),
              HasSubstr("[############------------------]  40%  81/200 events  19.8 events/s"
                        "  ETA 0:07"));
  clock.Advance(absl::Seconds(3.9));
  progress.Update(200);
  progress.Finish();  // 200 in 8 s: 25/s, ends the line
  EXPECT_THAT(out.str(), ::testing::EndsWith("100%  200/200 events  25.0 events/s  in 0:08\n"));
}

TEST(ProgressBarTest, BytesInBinaryUnits) {
  SimulatedClock clock(kStart);
  std::ostringstream out;
  ProgressReporter progress(out, ProgressStyle::kBar, clock, "backup", ProgressUnit::kBytes);
  progress.Start(10 << 20);
  clock.Advance(absl::Seconds(2));
  progress.Update(3 << 20);  // 1.5 MiB/s; 7 MiB left = 4.67 s -> 5 s
  EXPECT_THAT(out.str(), HasSubstr(" 30%  3.0 MiB / 10.0 MiB  1.5 MiB/s  ETA 0:05"));
  EXPECT_EQ(HumanBytes(512), "512 B");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(3.0 * (1 << 30)), "3.0 GiB");
}

TEST(ProgressStyleTest, TerminalGetsTheBarPipeGetsLinesFlagForces) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  const int terminal = open(ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);

  EXPECT_EQ(ChooseProgressStyle(ProgressMode::kAuto, terminal), ProgressStyle::kBar);
  EXPECT_EQ(ChooseProgressStyle(ProgressMode::kAuto, pipe_fds[1]), ProgressStyle::kLines);
  EXPECT_EQ(ChooseProgressStyle(ProgressMode::kBar, pipe_fds[1]), ProgressStyle::kBar);
  EXPECT_EQ(ChooseProgressStyle(ProgressMode::kLines, terminal), ProgressStyle::kLines);
  EXPECT_EQ(ChooseProgressStyle(ProgressMode::kNone, terminal), ProgressStyle::kNone);

  close(terminal);
  close(master);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

TEST(ProgressStyleTest, FlagValues) {
  ASSERT_OK_AND_ASSIGN(ProgressMode mode, ParseProgressMode("bar"));
  EXPECT_EQ(mode, ProgressMode::kBar);
  ASSERT_OK_AND_ASSIGN(mode, ParseProgressMode("lines"));
  EXPECT_EQ(mode, ProgressMode::kLines);
  EXPECT_THAT(ParseProgressMode("fancy").status().message(), HasSubstr("--progress"));
}

TEST(ProgressNoneTest, DrawsNothing) {
  SimulatedClock clock(kStart);
  std::ostringstream out;
  ProgressReporter progress(out, ProgressStyle::kNone, clock, "x", ProgressUnit::kItems);
  progress.Start(10);
  clock.Advance(absl::Seconds(10));
  progress.Update(10);
  progress.Finish();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace rectify
