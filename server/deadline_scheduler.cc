// The deadline scheduler; see deadline_scheduler.h.
#include "server/deadline_scheduler.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "server/log.h"
#include "server/system_commands.h"
#include "workflow/decider.h"

namespace rectify::server {
namespace {

// The outcomes of one pass's commands, which arrive on the writer thread.
struct PassOutcomes {
  absl::Mutex mutex;
  int pending ABSL_GUARDED_BY(mutex) = 0;
  int fired ABSL_GUARDED_BY(mutex) = 0;
  int not_yet_due ABSL_GUARDED_BY(mutex) = 0;
  int refused ABSL_GUARDED_BY(mutex) = 0;
};

}  // namespace

std::string DeadlineScheduler::CommandIdFor(const storage::TimerKey& timer) {
  std::string id = absl::StrCat("overdue:", timer.stream_id, ":", timer.deadline_id, ":",
                                absl::ToUnixMicros(timer.due));
  return FitCommandId("overdue:", std::move(id));
}

DeadlineScheduler::DeadlineScheduler(storage::EventStore& store, CommandPipeline& pipeline,
                                     const Clock& clock, DeadlineSchedulerOptions options)
    : store_(store), pipeline_(pipeline), clock_(clock), options_(options) {}

DeadlineScheduler::~DeadlineScheduler() { Stop(); }

absl::StatusOr<DeadlineScheduler::PassResult> DeadlineScheduler::RunOnce() {
  const absl::Time started = clock_.Now();
  auto outcomes = std::make_shared<PassOutcomes>();
  PassResult result;
  // Timers seen in this pass: a timer that stays (refused, or in flight from
  // another pass) must not make the pass read the same page forever.
  absl::flat_hash_set<std::string> seen;
  bool more = true;
  while (more && clock_.Now() - started < options_.pass_budget) {
    size_t skipped;
    {
      absl::MutexLock lock(&mutex_);
      skipped = refused_.size() + in_flight_.size() + seen.size();
    }
    const int limit = options_.timers_per_read + static_cast<int>(skipped);
    absl::StatusOr<std::vector<storage::TimerKey>> due = store_.DueTimers(clock_.Now(), limit);
    if (!due.ok()) return due.status();
    more = static_cast<int>(due->size()) == limit;

    std::vector<std::pair<storage::TimerKey, std::string>> to_submit;
    {
      absl::MutexLock lock(&mutex_);
      for (storage::TimerKey& timer : *due) {
        std::string command_id = CommandIdFor(timer);
        if (refused_.contains(command_id) || in_flight_.contains(command_id) ||
            !seen.insert(command_id).second) {
          continue;
        }
        in_flight_.insert(command_id);
        to_submit.emplace_back(std::move(timer), std::move(command_id));
      }
    }
    if (to_submit.empty()) break;
    {
      absl::MutexLock lock(&outcomes->mutex);
      outcomes->pending += static_cast<int>(to_submit.size());
    }
    result.submitted += static_cast<int>(to_submit.size());

    for (auto& [timer, command_id] : to_submit) {
      v1::Command command;
      command.set_command_id(command_id);
      command.set_stream_id(timer.stream_id);
      command.mutable_mark_overdue()->set_deadline_id(timer.deadline_id);
      // The callback runs on the writer thread (or at once here when the
      // pipeline refuses to queue); no lock is held around Submit.
      pipeline_.Submit(std::move(command), SystemPrincipal("system", "deadline scheduler"),
                       [this, outcomes, command_id, case_id = timer.stream_id,
                        deadline_id = timer.deadline_id](absl::StatusOr<CommandOutcome> outcome) {
                         const absl::Status& status = outcome.status();
                         const bool not_yet_due = workflow::NotYetDueUntil(status).has_value();
                         // Queue full or shutting down: the timer stays and a later pass
                         // (or the next start) retries it.
                         const bool retry_later =
                             absl::IsResourceExhausted(status) || absl::IsUnavailable(status);
                         if (status.ok()) {
                           Log(LogLevel::kInfo, {{"event", "deadline_missed"},
                                                 {"case", case_id},
                                                 {"deadline", deadline_id},
                                                 {"position", std::to_string(outcome->position)}});
                         } else if (!not_yet_due) {
                           Log(retry_later ? LogLevel::kWarning : LogLevel::kError,
                               {{"event", retry_later ? "overdue_deferred" : "overdue_refused"},
                                {"case", case_id},
                                {"deadline", deadline_id},
                                {"status", status.ToString()}});
                         }
                         {
                           absl::MutexLock lock(&mutex_);
                           in_flight_.erase(command_id);
                           if (!status.ok() && !not_yet_due && !retry_later)
                             refused_.insert(command_id);
                         }
                         absl::MutexLock lock(&outcomes->mutex);
                         --outcomes->pending;
                         if (status.ok()) {
                           ++outcomes->fired;
                         } else if (not_yet_due || retry_later) {
                           ++outcomes->not_yet_due;
                         } else {
                           ++outcomes->refused;
                         }
                       });
    }
    // Wait for this page's outcomes before reading the next: committed
    // timers are gone from the store by then.
    absl::MutexLock lock(&outcomes->mutex);
    outcomes->mutex.Await(absl::Condition(
        +[](PassOutcomes* o) ABSL_EXCLUSIVE_LOCKS_REQUIRED(o->mutex) { return o->pending == 0; },
        outcomes.get()));
  }
  absl::MutexLock lock(&outcomes->mutex);
  result.fired = outcomes->fired;
  result.not_yet_due = outcomes->not_yet_due;
  result.refused = outcomes->refused;
  fired_total_.fetch_add(result.fired, std::memory_order_relaxed);
  refused_total_.fetch_add(result.refused, std::memory_order_relaxed);
  deferred_total_.fetch_add(result.not_yet_due, std::memory_order_relaxed);
  return result;
}

DeadlineScheduler::Figures DeadlineScheduler::figures() {
  Figures figures;
  figures.fired_total = fired_total_.load(std::memory_order_relaxed);
  figures.refused_total = refused_total_.load(std::memory_order_relaxed);
  figures.deferred_total = deferred_total_.load(std::memory_order_relaxed);
  figures.passes_failed_total = passes_failed_total_.load(std::memory_order_relaxed);
  absl::StatusOr<std::vector<storage::TimerKey>> earliest =
      store_.DueTimers(absl::InfiniteFuture(), 1);
  if (!earliest.ok()) {
    figures.lag_known = false;
  } else if (!earliest->empty()) {
    figures.lag = std::max(absl::ZeroDuration(), clock_.Now() - earliest->front().due);
  }
  return figures;
}

void DeadlineScheduler::Start() {
  absl::MutexLock lock(&mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void DeadlineScheduler::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::Duration DeadlineScheduler::NextWait() {
  absl::StatusOr<std::vector<storage::TimerKey>> earliest =
      store_.DueTimers(absl::InfiniteFuture(), 1);
  if (!earliest.ok() || earliest->empty()) return options_.max_interval;
  const absl::Duration until = earliest->front().due - clock_.Now();
  // A timer already due that is refused or in flight must not make the
  // thread spin: wait at least a tenth of the interval.
  return std::max(options_.max_interval / 10, std::min(options_.max_interval, until));
}

void DeadlineScheduler::Run() {
  while (true) {
    absl::StatusOr<PassResult> pass = RunOnce();
    if (!pass.ok()) {
      passes_failed_total_.fetch_add(1, std::memory_order_relaxed);
      Log(LogLevel::kError,
          {{"event", "deadline_pass_failed"}, {"status", pass.status().ToString()}});
    } else if (pass->submitted > 0) {
      Log(LogLevel::kInfo, {{"event", "deadline_pass"},
                            {"submitted", std::to_string(pass->submitted)},
                            {"fired", std::to_string(pass->fired)},
                            {"refused", std::to_string(pass->refused)}});
    }
    const absl::Duration wait = NextWait();
    absl::MutexLock lock(&mutex_);
    // Woken early only by Stop; otherwise the bounded wait elapses.
    mutex_.AwaitWithTimeout(absl::Condition(&stopping_), wait);
    if (stopping_) return;
  }
}

}  // namespace rectify::server
