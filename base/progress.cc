// The progress bar and progress lines; see progress.h.
#include "base/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rectify {
namespace {

constexpr int kBarWidth = 30;

const char* UnitName(ProgressUnit unit) {
  switch (unit) {
    case ProgressUnit::kEvents:
      return "events";
    case ProgressUnit::kBytes:
      return "bytes";
    case ProgressUnit::kCases:
      return "cases";
    case ProgressUnit::kCommands:
      return "commands";
    case ProgressUnit::kItems:
      return "items";
  }
  return "items";
}

// "0:06", "12:34", "1:02:03".
std::string Clockface(absl::Duration duration) {
  const int64_t seconds = absl::ToInt64Seconds(absl::Ceil(duration, absl::Seconds(1)));
  if (seconds >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
  return absl::StrFormat("%d:%02d", seconds / 60, seconds % 60);
}

}  // namespace

absl::StatusOr<ProgressMode> ParseProgressMode(const std::string& text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "bar") return ProgressMode::kBar;
  if (text == "lines") return ProgressMode::kLines;
  if (text == "none") return ProgressMode::kNone;
  return absl::InvalidArgumentError(
      absl::StrCat("--progress must be auto, bar, lines or none, got \"", text, "\""));
}

ProgressStyle ChooseProgressStyle(ProgressMode mode, int fd) {
  switch (mode) {
    case ProgressMode::kBar:
      return ProgressStyle::kBar;
    case ProgressMode::kLines:
      return ProgressStyle::kLines;
    case ProgressMode::kNone:
      return ProgressStyle::kNone;
    case ProgressMode::kAuto:
      break;
  }
  return isatty(fd) == 1 ? ProgressStyle::kBar : ProgressStyle::kLines;
}

std::string HumanBytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  if (unit == 0) return absl::StrFormat("%.0f B", bytes);
  return absl::StrFormat("%.1f %s", bytes, kUnits[unit]);
}

ProgressReporter::ProgressReporter(std::ostream& out, ProgressStyle style, const Clock& clock,
                                   std::string label, ProgressUnit unit)
    : out_(out), style_(style), clock_(clock), label_(std::move(label)), unit_(unit) {}

ProgressReporter::~ProgressReporter() { Finish(); }

void ProgressReporter::Start(int64_t total) {
  absl::MutexLock lock(&mutex_);
  started_ = true;
  finished_ = false;
  start_ = clock_.Now();
  last_draw_ = absl::InfinitePast();
  total_ = std::max<int64_t>(total, 0);
  done_ = 0;
}

void ProgressReporter::SetTotal(int64_t total) {
  absl::MutexLock lock(&mutex_);
  total_ = std::max<int64_t>(total, 0);
}

void ProgressReporter::Update(int64_t done) {
  absl::MutexLock lock(&mutex_);
  if (!started_ || finished_) return;
  done_ = std::max(done_, done);
  const absl::Time now = clock_.Now();
  const absl::Duration interval =
      style_ == ProgressStyle::kBar ? kBarInterval : kLinesInterval;
  if (now - last_draw_ >= interval) DrawLocked(now, /*final=*/false);
}

void ProgressReporter::Finish() {
  absl::MutexLock lock(&mutex_);
  if (!started_ || finished_) return;
  DrawLocked(clock_.Now(), /*final=*/true);
  finished_ = true;
}

double ProgressReporter::Rate() const {
  absl::MutexLock lock(&mutex_);
  return RateLocked(clock_.Now());
}

absl::Duration ProgressReporter::Eta() const {
  absl::MutexLock lock(&mutex_);
  return EtaLocked(clock_.Now());
}

double ProgressReporter::RateLocked(absl::Time now) const {
  const double seconds = absl::ToDoubleSeconds(now - start_);
  if (seconds <= 0) return 0;
  return static_cast<double>(done_) / seconds;
}

absl::Duration ProgressReporter::EtaLocked(absl::Time now) const {
  const double rate = RateLocked(now);
  if (total_ <= 0 || rate <= 0) return absl::InfiniteDuration();
  const double left = static_cast<double>(std::max<int64_t>(total_ - done_, 0));
  return absl::Seconds(std::ceil(left / rate));
}

void ProgressReporter::DrawLocked(absl::Time now, bool final) {
  if (style_ == ProgressStyle::kNone) return;
  last_draw_ = now;
  const double rate = RateLocked(now);
  const absl::Duration eta = EtaLocked(now);
  const bool bytes = unit_ == ProgressUnit::kBytes;
  if (style_ == ProgressStyle::kLines) {
    std::string line = absl::StrCat("progress: ", label_, " done=", done_, " total=", total_,
                                    " unit=", UnitName(unit_),
                                    absl::StrFormat(" rate=%.1f/s", rate));
    if (final) {
      absl::StrAppend(&line, absl::StrFormat(" elapsed=%.1fs", absl::ToDoubleSeconds(now - start_)),
                      " finished");
    } else if (eta != absl::InfiniteDuration()) {
      absl::StrAppend(&line, " eta=", absl::ToInt64Seconds(eta), "s");
    }
    out_ << line << "\n";
    out_.flush();
    return;
  }
  // The bar: label [####------]  45%  450/1000 events  90.0 events/s  ETA 0:06
  std::string text = absl::StrCat("\r\x1b[K", label_, " ");
  if (total_ > 0) {
    // Whole marks and percent, rounded down, in integers (no 29% for 3/10).
    const int64_t done = std::min(done_, total_);
    const int filled = static_cast<int>(done * kBarWidth / total_);
    const int percent = static_cast<int>(done * 100 / total_);
    absl::StrAppend(&text, "[", std::string(filled, '#'), std::string(kBarWidth - filled, '-'),
                    "] ", absl::StrFormat("%3d%%", percent), "  ");
  }
  if (bytes) {
    absl::StrAppend(&text, HumanBytes(static_cast<double>(done_)));
    if (total_ > 0) absl::StrAppend(&text, " / ", HumanBytes(static_cast<double>(total_)));
    absl::StrAppend(&text, "  ", HumanBytes(rate), "/s");
  } else {
    absl::StrAppend(&text, done_);
    if (total_ > 0) absl::StrAppend(&text, "/", total_);
    absl::StrAppend(&text, " ", UnitName(unit_), absl::StrFormat("  %.1f %s/s", rate, UnitName(unit_)));
  }
  if (final) {
    absl::StrAppend(&text, "  in ", Clockface(now - start_), "\n");
  } else if (eta != absl::InfiniteDuration()) {
    absl::StrAppend(&text, "  ETA ", Clockface(eta));
  }
  out_ << text;
  out_.flush();
}

}  // namespace rectify
