// Progress of long work on an operator's or user's terminal: one home for
// the progress bar of rectify_admin (verify, rebuild, backup, restore) and
// rectifyctl (list export, sync, evidence transfers).
//
// Two styles. kBar, for a terminal: one line redrawn in place ("\r" and
// erase to the end of the line) with a bar, done/total, the rate and the
// ETA, redrawn at most every 100 ms. kLines, when the output is not a
// terminal (a pipe, a log file, journald): a plain line of key=value pairs
// at most every 5 s and once at the end, for scripts and log readers:
//
//   progress: verify done=450 total=1000 unit=events rate=90.0/s eta=6s
//   progress: verify done=1000 total=1000 unit=events rate=100.0/s elapsed=10s finished
//
// The rate is the average since Start (done / elapsed seconds); the ETA is
// (total - done) / rate, rounded up to a whole second, and is printed only
// when the total is known and the rate is above 0. Time comes from the
// injected Clock, so tests compute both by hand.
//
//   ProgressReporter progress(std::cerr, ChooseProgressStyle(ProgressMode::kAuto, 2),
//                             SystemClock(), "verify", ProgressUnit::kEvents);
//   progress.Start(total_events);
//   ... progress.Update(done); ...
//   progress.Finish();
#ifndef RECTIFY_BASE_PROGRESS_H_
#define RECTIFY_BASE_PROGRESS_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace rectify {

enum class ProgressStyle { kBar, kLines, kNone };

// What the --progress flag asks for. kAuto: a bar when the output is a
// terminal, else plain lines.
enum class ProgressMode { kAuto, kBar, kLines, kNone };

// Parses a --progress flag value: "auto", "bar", "lines" or "none".
// INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<ProgressMode> ParseProgressMode(const std::string& text);

// The style for `mode` on file descriptor `fd` (isatty decides kAuto).
ProgressStyle ChooseProgressStyle(ProgressMode mode, int fd);

// What is counted; bytes are shown as KiB/MiB/GiB on the bar.
enum class ProgressUnit { kEvents, kBytes, kCases, kCommands, kItems };

// Draws the progress of one piece of work. Thread-safe: Update may be
// called from any thread (a RocksDB callback, a gRPC reader).
class ProgressReporter {
 public:
  // `out` and `clock` must outlive the reporter. `label` names the work
  // ("verify", "backup"); plain ASCII, no spaces.
  ProgressReporter(std::ostream& out, ProgressStyle style, const Clock& clock, std::string label,
                   ProgressUnit unit);
  ~ProgressReporter();

  // Starts the clock; `total` 0 when unknown. Draws nothing yet.
  void Start(int64_t total);
  // Sets or corrects the total (e.g. a server sends it with its first
  // message).
  void SetTotal(int64_t total);
  // Sets what is done so far (values below the last one are ignored, so the
  // figure never goes back); draws when the last draw is old enough.
  void Update(int64_t done);
  // Draws the final state (a bar ends with a newline; lines end with
  // "finished"). Called by the destructor if not before. Idempotent.
  void Finish();

  // The rate in units per second since Start and the ETA, as drawn; for
  // tests and for callers that print a summary. eta is absl::InfiniteDuration()
  // when the total or the rate is unknown.
  double Rate() const;
  absl::Duration Eta() const;

  // How often each style draws.
  static constexpr absl::Duration kBarInterval = absl::Milliseconds(100);
  static constexpr absl::Duration kLinesInterval = absl::Seconds(5);

 private:
  double RateLocked(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Duration EtaLocked(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void DrawLocked(absl::Time now, bool final) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  std::ostream& out_;
  const ProgressStyle style_;
  const Clock& clock_;
  const std::string label_;
  const ProgressUnit unit_;

  mutable absl::Mutex mutex_;
  bool started_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  absl::Time start_ ABSL_GUARDED_BY(mutex_);
  absl::Time last_draw_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  int64_t total_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t done_ ABSL_GUARDED_BY(mutex_) = 0;
};

// "1.5 MiB", "512 B": bytes for people (binary units, one decimal).
std::string HumanBytes(double bytes);

}  // namespace rectify

#endif  // RECTIFY_BASE_PROGRESS_H_
