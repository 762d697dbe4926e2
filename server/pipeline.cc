// The single-writer command pipeline (see pipeline.h): the queue and
// Submit, the writer loop (Run), and ProcessBatch, which checks each command
// of a batch against its idempotency record, stages it (pipeline_stage*.cc),
// adds the projections and index key changes of every stream touched, and
// writes the batch with one Commit before running the callbacks in order.
// The other parts of the class live beside it:
//   pipeline_idempotency.cc  the idempotency record's format, the command
//                            fingerprint and Replay (a retried command's answer)
//   pipeline_stage.cc        Stage (dispatch by stream kind, case numbering)
//                            and StageOnStream (case commands)
//   pipeline_stage_lists.cc  rectification lists, accounts and units
//   pipeline_stage_complaints.cc  12369 complaints and their import
//   pipeline_stage_penalties.cc   penalty cases and document numbers
//   pipeline_batch.h         BatchState and the staging helpers they share
#include "server/pipeline.h"


#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "projection/complaint_keys.h"
#include "projection/projector.h"
#include "projection/reports.h"
#include "server/access.h"
#include "server/log.h"
#include "storage/personal_data.h"
#include "workflow/accounts.h"
#include "workflow/complaints.h"
#include "workflow/penalties.h"
#include "workflow/units.h"
#include "workflow/decider.h"
#include "workflow/lists.h"
#include "workflow/numbering.h"
#include "workflow/validation.h"
#include "server/pipeline_batch.h"

namespace rectify::server {

namespace {

// Identifies a command for duplicate detection within one batch.
std::string DedupKey(const v1::Principal& principal, const v1::Command& command) {
  return absl::StrCat(principal.principal_id(), "\n", command.command_id());
}

absl::Status ReusedCommandId(const v1::Command& command) {
  return Refuse(absl::StatusCode::kAlreadyExists,
                absl::StrCat("command_id ", command.command_id(),
                             " was already used for a different command; make a new id for a new "
                             "command"),
                "这项操作的编号已用于另一项操作，请重新提交（将生成新的编号）");
}


}  // namespace

namespace pipeline_internal {

storage::StreamAppend& AppendFor(storage::CommitBatch& commit, std::optional<size_t>& slot,
                                 const std::string& stream_id, v1::StreamKind kind,
                                 int64_t version) {
  if (!slot.has_value() || *slot + 1 != commit.appends.size()) {
    storage::StreamAppend append;
    append.stream_id = stream_id;
    append.kind = kind;
    append.expected_version = version;
    commit.appends.push_back(std::move(append));
    slot = commit.appends.size() - 1;
  }
  return commit.appends[*slot];
}

// Stages the index keys a stream gained and lost (both lists sorted).
void AddSortedKeyChanges(const std::vector<std::string>& before,
                         const std::vector<std::string>& after, storage::StreamAppend& append) {
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(append.index_deletes));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(append.index_puts));
}

}  // namespace pipeline_internal

using pipeline_internal::AddSortedKeyChanges;

CommandPipeline::CommandPipeline(storage::EventStore& store, const workflow::Policy& policy,
                                 const Clock& clock, PipelineOptions options)
    : store_(store),
      policy_(policy),
      clock_(clock),
      options_(options),
      numbers_([&store](v1::StreamKind kind, const std::string& prefix) -> absl::StatusOr<std::string> {
        if (kind == v1::STREAM_KIND_PENALTY &&
            absl::StartsWith(prefix, workflow::kPenaltyDocumentNumbers.letters)) {
          // Document numbers are no stream: the highest of a county-year is
          // the first key of its "pn/" index (projection/projector.h).
          const absl::string_view rest = absl::string_view(prefix).substr(
              workflow::kPenaltyDocumentNumbers.letters.size());  // "620722-2026-"
          int year = 0;
          if (rest.size() < 12 || !absl::SimpleAtoi(rest.substr(7, 4), &year)) {
            return absl::InternalError(absl::StrCat("a malformed document number prefix ", prefix));
          }
          ASSIGN_OR_RETURN(std::vector<std::string> keys,
                           store.ScanIndex(projection::PenaltyDocumentPrefix(
                                               std::string(rest.substr(0, 6)), year),
                                           "", 1));
          if (keys.empty()) return std::string();
          return absl::StrFormat("%s%0*d", prefix, workflow::kPenaltyDocumentNumbers.digits,
                                 projection::DocumentSequenceOfKey(keys.front()));
        }
        return store.LastStreamIdWithPrefix(kind, prefix);
      }),
      cases_(options.cached_cases) {}

CommandPipeline::~CommandPipeline() { Stop(); }

void CommandPipeline::SetCommitListener(std::function<void(uint64_t)> listener) {
  commit_listener_ = std::move(listener);
}

void CommandPipeline::Start() {
  absl::MutexLock lock(&mutex_);
  if (accepting_ || stopping_) return;
  accepting_ = true;
  writer_ = std::thread([this] { Run(); });
  completer_ = std::thread([this] { RunCompletions(); });
}

void CommandPipeline::Submit(v1::Command command, v1::Principal principal, CommandCallback done,
                             std::string password_hash) {
  // On the caller's thread, so that the writer does not hash every command.
  std::string fingerprint = CommandFingerprint(command);
  absl::Status refusal;
  {
    absl::MutexLock lock(&mutex_);
    if (!accepting_) {
      refusal = Refuse(absl::StatusCode::kUnavailable, "the server is shutting down; retry later",
                       "服务器正在停止，请稍后再试");
    } else if (queue_.size() >= options_.max_queued_commands) {
      refusal = Refuse(absl::StatusCode::kResourceExhausted,
                       absl::StrCat("the server has ", options_.max_queued_commands,
                                    " commands waiting; retry with backoff"),
                       "服务器正忙（待处理的操作过多），请稍后再试");
    } else {
      queue_.push_back(Pending{std::move(command), std::move(principal), std::move(done),
                               std::move(password_hash), std::move(fingerprint)});
      return;
    }
  }
  done(refusal);
}

void CommandPipeline::SetBatchObserver(std::function<void(const BatchReport&)> observer) {
  batch_observer_ = std::move(observer);
}

size_t CommandPipeline::queued() const {
  absl::MutexLock lock(&mutex_);
  return queue_.size();
}

void CommandPipeline::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    accepting_ = false;
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  {
    absl::MutexLock lock(&completion_mutex_);
    completions_stopping_ = true;
  }
  if (completer_.joinable()) completer_.join();
}

void CommandPipeline::RunCompletions() {
  while (true) {
    Completions done;
    {
      absl::MutexLock lock(&completion_mutex_);
      completion_mutex_.Await(absl::Condition(
          +[](CommandPipeline* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->completion_mutex_) {
            return !self->completions_.empty() || self->completions_stopping_;
          },
          this));
      if (completions_.empty()) return;  // stopping, and everything answered
      done = std::move(completions_.front());
      completions_.pop_front();
      completing_ = true;
    }
    done.RunAll();
    absl::MutexLock lock(&completion_mutex_);
    completing_ = false;
  }
}

void CommandPipeline::Complete(Completions done) {
  // Only the writer adds batches, so when none waits and none runs the
  // completion thread stays idle while this thread runs them: the order
  // holds. With no command waiting there is nothing to decide meanwhile,
  // and running them here saves a thread switch (one client's latency).
  const bool commands_waiting = queued() > 0;
  {
    absl::MutexLock lock(&completion_mutex_);
    if (commands_waiting || completing_ || !completions_.empty()) {
      completions_.push_back(std::move(done));
      return;
    }
  }
  done.RunAll();
}

void CommandPipeline::Completions::RunAll() {
  for (size_t i = 0; i < callbacks.size(); ++i) callbacks[i](std::move(results[i]));
}

void CommandPipeline::Run() {
  while (true) {
    std::deque<Pending> batch;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(
          +[](CommandPipeline* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
            return !self->queue_.empty() || self->stopping_;
          },
          this));
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < options_.max_batch_commands) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ProcessBatch(batch);
  }
}

void CommandPipeline::ProcessBatch(std::deque<Pending>& pending_commands) {
  const absl::Time now = clock_.Now();
  std::vector<std::optional<absl::StatusOr<CommandOutcome>>> results(pending_commands.size());
  // Commands staged for the commit.
  std::vector<size_t> staged;
  BatchReport report;
  report.commands = pending_commands.size();
  // A repeated command_id inside this batch is compared by fingerprint, as
  // one across batches: the same command waits for the first one's result,
  // a different one is refused.
  struct FirstInBatch {
    size_t index;
    std::string fingerprint;
  };
  absl::flat_hash_map<std::string, FirstInBatch> first_in_batch;
  std::vector<std::pair<size_t, size_t>> repeats;  // (repeat, first)
  BatchState batch;
  batch.next_position = store_.LastPosition() + 1;

  for (size_t i = 0; i < pending_commands.size(); ++i) {
    Pending& pending = pending_commands[i];
    const std::string dedup_key = DedupKey(pending.principal, pending.command);
    const std::string& fingerprint = pending.fingerprint;
    if (auto first = first_in_batch.find(dedup_key); first != first_in_batch.end()) {
      if (first->second.fingerprint == fingerprint) {
        repeats.emplace_back(i, first->second.index);
      } else {
        results[i] = ReusedCommandId(pending.command);
      }
      continue;
    }
    first_in_batch.emplace(dedup_key, FirstInBatch{i, fingerprint});

    absl::StatusOr<std::optional<storage::IdempotencyRecord>> record =
        store_.GetIdempotencyRecord(pending.principal.principal_id(),
                                    pending.command.command_id());
    if (!record.ok()) {
      results[i] = record.status();
      continue;
    }
    if (record->has_value()) {
      absl::StatusOr<StoredOutcome> stored = DecodeOutcome(
          (*record)->outcome,
          workflow::IsListCommand(pending.command)      ? v1::STREAM_KIND_RECTIFICATION_LIST
          : workflow::IsAccountCommand(pending.command) ? v1::STREAM_KIND_ACCOUNT
          : workflow::IsUnitCommand(pending.command)    ? v1::STREAM_KIND_UNIT
          : workflow::IsComplaintCommand(pending.command) ? v1::STREAM_KIND_COMPLAINT
          : workflow::IsPenaltyCommand(pending.command) ? v1::STREAM_KIND_PENALTY
                                                        : v1::STREAM_KIND_CASE);
      if (!stored.ok()) {
        results[i] = stored.status();
      } else if (stored->fingerprint != fingerprint) {
        results[i] = ReusedCommandId(pending.command);
      } else {
        results[i] = Replay(pending, *stored);
      }
      continue;
    }
    results[i] = Stage(pending, fingerprint, now, batch);
    if (results[i]->ok()) staged.push_back(i);
  }

  report.staged = staged.size();
  if (!staged.empty()) {
    for (auto& [stream_id, work] : batch.streams) {
      if (!work.append.has_value()) continue;
      storage::StreamAppend& append = batch.commit.appends[*work.append];
      append.projection = work.state.SerializeAsString();
      work.keys_after = projection::ProjectKeys(work.state);
      projection::AddKeyChanges(work.keys_before, work.keys_after, append);
    }
    for (auto& [list_id, work] : batch.lists) {
      if (!work.append.has_value()) continue;
      storage::StreamAppend& append = batch.commit.appends[*work.append];
      append.projection = work.state.SerializeAsString();
      AddSortedKeyChanges(work.keys_before, projection::ProjectListKeys(work.state), append);
    }
    for (auto& [stream_id, work] : batch.accounts) {
      if (!work.append.has_value()) continue;
      storage::StreamAppend& append = batch.commit.appends[*work.append];
      append.projection = work.record.SerializeAsString();
      AddSortedKeyChanges(work.keys_before, projection::ProjectAccountKeys(work.record.account()),
                          append);
    }
    for (auto& [stream_id, work] : batch.units) {
      if (!work.append.has_value()) continue;
      storage::StreamAppend& append = batch.commit.appends[*work.append];
      append.projection = work.unit.SerializeAsString();
      AddSortedKeyChanges(work.keys_before, projection::ProjectUnitKeys(work.unit), append);
    }
    for (auto& [stream_id, work] : batch.complaints) {
      if (!work.append.has_value()) continue;
      storage::StreamAppend& append = batch.commit.appends[*work.append];
      append.projection = work.complaint.SerializeAsString();
      projection::AddKeyChanges(work.keys_before, projection::ProjectComplaintKeys(work.complaint),
                                append);
    }
    for (auto& [stream_id, work] : batch.penalties) {
      if (!work.append.has_value()) continue;
      storage::StreamAppend& append = batch.commit.appends[*work.append];
      append.projection = work.state.SerializeAsString();
      projection::AddKeyChanges(work.keys_before, projection::ProjectPenaltyKeys(work.state),
                                append);
    }
    batch.reports.AddTo(batch.commit);
    absl::flat_hash_map<int, int64_t> events_by_payload;
    if (batch_observer_) {
      for (const storage::StreamAppend& append : batch.commit.appends) {
        for (const v1::Event& event : append.events) ++events_by_payload[event.payload_case()];
      }
    }
    const uint64_t expected_last = batch.next_position - 1;
    // An interval, so the monotonic clock rather than the injected Clock.
    const auto commit_started = std::chrono::steady_clock::now();
    absl::StatusOr<storage::CommitResult> committed = store_.Commit(std::move(batch.commit));
    report.committed = true;
    report.commit_ok = committed.ok();
    report.commit_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - commit_started).count();
    if (committed.ok()) report.events_by_payload = std::move(events_by_payload);
    if (!committed.ok()) {
      Log(LogLevel::kError, {{"event", "commit_failed"},
                             {"commands", std::to_string(staged.size())},
                             {"status", committed.status().ToString()}});
      // Sequence numbers handed out in this batch were not written.
      numbers_.Forget();
      for (size_t i : staged) results[i] = committed.status();
    } else if (committed->last_position != expected_last) {
      Log(LogLevel::kError, {{"event", "position_mismatch"},
                             {"expected", std::to_string(expected_last)},
                             {"committed", std::to_string(committed->last_position)}});
    }
    if (committed.ok() && commit_listener_) commit_listener_(committed->last_position);
  }
  // The cases this batch took from the cache or read go back as the store now
  // holds them: after a commit, each case's state as the batch left it (its
  // projection just written); after none or a failed one, only the cases no
  // command changed (the others are read again from the store when needed).
  // A case that does not exist is not cached (LoadCase answers NOT_FOUND).
  const bool batch_written = report.committed && report.commit_ok;
  for (auto& [case_id, work] : batch.streams) {
    if (work.state.version() == 0) continue;
    if (work.append.has_value() && !batch_written) continue;
    cases_.Put(case_id, std::move(work.state),
               work.append.has_value() ? std::move(work.keys_after) : std::move(work.keys_before));
  }
  if (batch_observer_) batch_observer_(report);
  for (const auto& [repeat, first] : repeats) results[repeat] = *results[first];
  Completions done;
  done.callbacks.reserve(pending_commands.size());
  done.results.reserve(pending_commands.size());
  for (size_t i = 0; i < pending_commands.size(); ++i) {
    done.callbacks.push_back(std::move(pending_commands[i].done));
    done.results.push_back(*std::move(results[i]));
  }
  Complete(std::move(done));
}

}  // namespace rectify::server
