// The deadline scheduler (DESIGN.md, "Time and deadlines"): its own thread
// finds the timers that are due (EventStore::DueTimers) and submits a
// MarkOverdue command for each through the pipeline, as the system principal.
// The DeadlineMissed event and the removal of the timer key are committed in
// one batch, and Decide refuses a second overdue for the same deadline.
//
// Exactly once, also across restarts: each command's command_id is derived
// from (case, deadline, due), so a MarkOverdue submitted twice (before and
// after a crash, say) is answered from the pipeline's idempotency record
// instead of acting twice. Deadlines that fell due while the server was down
// fire at the first pass, which Start() runs at once.
//
// Time is read only from the Clock. Tests call RunOnce() after advancing a
// SimulatedClock, without starting the thread:
//
//   DeadlineScheduler scheduler(store, pipeline, clock);
//   clock.Advance(absl::Hours(24 * 31));
//   ASSIGN_OR_RETURN(DeadlineScheduler::PassResult pass, scheduler.RunOnce());
#ifndef RECTIFY_SERVER_DEADLINE_SCHEDULER_H_
#define RECTIFY_SERVER_DEADLINE_SCHEDULER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "server/pipeline.h"
#include "storage/event_store.h"

namespace rectify::server {

struct DeadlineSchedulerOptions {
  // Timers read from the store at a time. Default: 500.
  int timers_per_read = 500;
  // A pass stops reading more timers once this much time (by the clock) has
  // gone by since it started, so one pass never monopolizes the pipeline
  // after a long outage; the next pass goes on. Default: 500 ms.
  absl::Duration pass_budget = absl::Milliseconds(500);
  // Longest wait between passes of the background thread; it waits less
  // when the earliest timer is due sooner. Default: 1 s.
  absl::Duration max_interval = absl::Seconds(1);
};

class DeadlineScheduler {
 public:
  // `store`, `pipeline` and `clock` must outlive the scheduler.
  DeadlineScheduler(storage::EventStore& store, CommandPipeline& pipeline, const Clock& clock,
                    DeadlineSchedulerOptions options = DeadlineSchedulerOptions());
  // Stops the thread if it runs.
  ~DeadlineScheduler();
  DeadlineScheduler(const DeadlineScheduler&) = delete;
  DeadlineScheduler& operator=(const DeadlineScheduler&) = delete;

  // What one pass did.
  struct PassResult {
    // MarkOverdue commands submitted.
    int submitted = 0;
    // Of those, committed (or answered from an earlier commit).
    int fired = 0;
    // Refused as "not due until": kept for a later pass (clock skew).
    int not_yet_due = 0;
    // Refused otherwise (a stale timer: a projection bug), logged and skipped
    // by later passes of this process.
    int refused = 0;
  };

  // Runs one pass now: submits a MarkOverdue for every due timer that is not
  // already in flight and waits for their outcomes. Errors only when the
  // store cannot be read. Thread-safe (may run beside the thread's passes;
  // a timer in flight is never submitted twice).
  absl::StatusOr<PassResult> RunOnce();

  // Starts the background thread, whose first pass runs at once (deadlines
  // that fell due while the server was down).
  void Start();

  // Stops the thread after its current pass; idempotent. Call it before
  // stopping the pipeline.
  void Stop();

  // The command_id of the MarkOverdue for `timer`: the same for the same
  // (case, deadline, due) in every process.
  static std::string CommandIdFor(const storage::TimerKey& timer);

  // What the metrics endpoint shows: totals since start, and the lag: how
  // long ago the earliest timer still in the store fell due (zero when none
  // is due). A lag that keeps growing means deadlines are not being marked
  // overdue (the scheduler is stuck or refused a stale timer). Reads the
  // store; thread-safe.
  struct Figures {
    int64_t fired_total = 0;
    int64_t refused_total = 0;
    int64_t deferred_total = 0;
    int64_t passes_failed_total = 0;
    absl::Duration lag = absl::ZeroDuration();
    bool lag_known = true;
  };
  Figures figures();

 private:
  void Run();
  // How long the thread waits before the next pass.
  absl::Duration NextWait();

  storage::EventStore& store_;
  CommandPipeline& pipeline_;
  const Clock& clock_;
  const DeadlineSchedulerOptions options_;

  absl::Mutex mutex_;
  // Command ids submitted and not yet answered.
  absl::flat_hash_set<std::string> in_flight_ ABSL_GUARDED_BY(mutex_);
  // Command ids refused for a reason other than "not due": not resubmitted
  // by this process (verify and rebuild repair the stale timer).
  absl::flat_hash_set<std::string> refused_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::atomic<int64_t> fired_total_{0};
  std::atomic<int64_t> refused_total_{0};
  std::atomic<int64_t> deferred_total_{0};
  std::atomic<int64_t> passes_failed_total_{0};
  std::thread thread_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_DEADLINE_SCHEDULER_H_
