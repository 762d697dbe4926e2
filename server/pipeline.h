// The command pipeline (DESIGN.md, "The command path"): one writer thread
// decides and commits every command, as Zeebe's stream processor and LMAX do.
// It takes all commands waiting, and for each in order: answers a repeated
// command_id with the stored outcome; loads the case (from the batch, else
// the store); checks expected_version; calls workflow::Decide and Evolve;
// stages events, projection, index and timer keys and the idempotency
// record. Then it writes the whole batch with one Commit (one fsync shared by
// all commands in flight) and completes the callers.
//
// Because one thread decides, there are no per-case locks and positions are
// assigned in order. Handlers never block on it: they Submit with a callback.
//
//   pipeline.Submit(std::move(command), principal,
//                   [reactor](absl::StatusOr<CommandOutcome> outcome) { ... });
#ifndef RECTIFY_SERVER_PIPELINE_H_
#define RECTIFY_SERVER_PIPELINE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "rectify/v1/account.pb.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/penalty.pb.h"
#include "rectify/v1/complaint.pb.h"
#include "rectify/v1/complaint_service.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "rectify/v1/unit.pb.h"
#include "server/case_cache.h"
#include "storage/event_store.h"
#include "workflow/numbering.h"
#include "workflow/policy.h"

namespace rectify::server {

// What a committed command produced.
struct CommandOutcome {
  // The case right after the command (unredacted: the handler redacts).
  // Empty for a rectification-list command.
  v1::Case state;
  // The list right after a rectification-list command; empty otherwise.
  v1::RectificationList list;
  // The account right after an account command; empty otherwise.
  v1::Account account;
  // The unit right after a unit command (with its contact: the handler
  // redacts); empty otherwise.
  v1::Unit unit;
  // The penalty case right after a penalty command; empty otherwise.
  v1::PenaltyCase penalty;
  // The complaint right after a complaint command (with its complainant:
  // the handler redacts); empty otherwise. After OpenCaseFromComplaint
  // `state` is the new case.
  v1::Complaint complaint;
  // The answer to ImportComplaints (the rows' results, or the bad rows).
  v1::ImportComplaintsResponse import;
  // Global position of the command's last event.
  uint64_t position = 0;
};

// A command's idempotency record, decoded (below).
struct StoredOutcome;

using CommandCallback = std::function<void(absl::StatusOr<CommandOutcome>)>;

struct PipelineOptions {
  // Commands that may wait for the writer; past this Submit answers
  // RESOURCE_EXHAUSTED, so memory stays bounded under overload.
  // Default: 10,000.
  size_t max_queued_commands = 10000;
  // Commands decided and committed together at most. Default: 1,000.
  size_t max_batch_commands = 1000;
  // Case states the writer keeps after their commit, so that the next
  // command on a case is decided without reading its projection from the
  // store (server/case_cache.h). Default: 10,000 (a case's state is a few
  // KB: tens of MB at most).
  size_t cached_cases = 10000;
};

class CommandPipeline {
 public:
  // `store`, `policy` and `clock` must outlive the pipeline.
  CommandPipeline(storage::EventStore& store, const workflow::Policy& policy, const Clock& clock,
                  PipelineOptions options = PipelineOptions());
  // Stops (draining what was queued) if still running.
  ~CommandPipeline();
  CommandPipeline(const CommandPipeline&) = delete;
  CommandPipeline& operator=(const CommandPipeline&) = delete;

  // Called on the writer thread after each successful commit with the log
  // position of its last event (the event feed wakes its subscribers with
  // it). It must be quick and must not block. Set it before Start.
  void SetCommitListener(std::function<void(uint64_t last_position)> listener);

  // What one batch did, for the metrics endpoint.
  struct BatchReport {
    // Commands taken from the queue together.
    size_t commands = 0;
    // Of those, staged for the commit (the others were refused or answered
    // from their idempotency records).
    size_t staged = 0;
    // Whether a commit was written (false when nothing was staged), whether
    // it succeeded, and how long EventStore::Commit took (fsync included),
    // in seconds.
    bool committed = false;
    bool commit_ok = false;
    double commit_seconds = 0;
    // Events written by a successful commit, by the field number of their
    // payload in v1::Event (e.g. deadline_missed, case_closed).
    absl::flat_hash_map<int, int64_t> events_by_payload;
  };
  // Called on the writer thread after each batch, before its callbacks run.
  // It must be quick and must not block. Set it before Start.
  void SetBatchObserver(std::function<void(const BatchReport&)> observer);

  // Commands waiting for the writer now. Thread-safe.
  size_t queued() const;

  // Starts the writer thread.
  void Start();

  // Queues `command` from `principal`; `done` runs exactly once after the
  // commit, in the order of the commands, on the writer thread or, while
  // other commands wait to be decided, on the pipeline's completion thread
  // (so that the writer decides the next batch meanwhile), or at once, on
  // the calling thread, with
  // RESOURCE_EXHAUSTED when the queue is full or UNAVAILABLE after Stop).
  // `done` must not block. For ReportCase, command.stream_id is left empty:
  // the pipeline allocates the case id. For CreateAccount and ResetPassword,
  // `password_hash` is the new password's Argon2id hash (PHC string), which
  // goes into the account's stored projection and into no event, command
  // fingerprint or idempotency record; the command holds no password.
  void Submit(v1::Command command, v1::Principal principal, CommandCallback done,
              std::string password_hash = std::string());

  // Refuses new commands, finishes every queued one, and joins the writer.
  void Stop();

  // The policy and clock the writer decides with, for a handler that must
  // check a command before it accepts its payload (an evidence upload
  // refused before its bytes come): Decide is pure, so calling it from
  // another thread with these is safe.
  const workflow::Policy& policy() const { return policy_; }
  const Clock& clock() const { return clock_; }

 private:
  struct Pending {
    v1::Command command;
    v1::Principal principal;
    CommandCallback done;
    std::string password_hash;
    // CommandFingerprint(command), computed by Submit on the caller's thread.
    std::string fingerprint;
  };

  struct BatchState;
  // A committed batch's callbacks and their results, in command order.
  struct Completions {
    std::vector<CommandCallback> callbacks;
    std::vector<absl::StatusOr<CommandOutcome>> results;
    // Runs each callback with its result, in order.
    void RunAll();
  };

  void Run();
  // The completion thread: runs the batches handed to it, in order.
  void RunCompletions();
  // Runs `done`'s callbacks on this thread when no batch waits for the
  // completion thread and no command waits for the writer; else hands it
  // over (the callbacks of one batch and of successive batches keep their
  // order either way).
  void Complete(Completions done);
  // Decides and commits one batch, then hands every command's callback to
  // Complete.
  void ProcessBatch(std::deque<Pending>& pending_commands);
  // The answer to a retried command from its record: the stream as the
  // command left it, rebuilt from the projection (or the stream when later
  // commands changed it), after today's read check for `principal`.
  absl::StatusOr<CommandOutcome> Replay(const Pending& pending, const StoredOutcome& stored);
  // Decides one command into `batch`; its outcome, or why it is refused.
  absl::StatusOr<CommandOutcome> Stage(Pending& pending, const std::string& fingerprint,
                                       absl::Time now, BatchState& batch);
  absl::StatusOr<CommandOutcome> StageOnStream(Pending& pending, const std::string& fingerprint,
                                               absl::Time now, BatchState& batch);
  // A rectification-list command: decides it on the list and the cases it
  // touches, and stages the appends to all of them (one atomic commit).
  absl::StatusOr<CommandOutcome> StageList(Pending& pending, const std::string& fingerprint,
                                           absl::Time now, BatchState& batch);
  // An account command: decides it on the account's stream (accounts.h).
  absl::StatusOr<CommandOutcome> StageAccount(Pending& pending, const std::string& fingerprint,
                                              absl::Time now, BatchState& batch);
  // A unit command: decides it on the unit's stream (units.h).
  absl::StatusOr<CommandOutcome> StageUnit(Pending& pending, const std::string& fingerprint,
                                           absl::Time now, BatchState& batch);
  // A penalty command (workflow/penalties.h): decides it on the penalty
  // case's stream and, for OpenPenaltyCase, appends the link to the source
  // case in the same commit. MarkOverdue and RecountDeadline on a "P-"
  // stream come here too.
  absl::StatusOr<CommandOutcome> StagePenalty(Pending& pending, const std::string& fingerprint,
                                              absl::Time now, BatchState& batch);
  // The next document number's sequence (文号) of `county` in the China
  // year of `now`, from the one numbering (workflow::kPenaltyDocumentNumbers);
  // its id ("D-620722-2026-000012") goes in `id` for a Release when the
  // command using it is refused.
  absl::StatusOr<int64_t> AllocateDocumentSequence(const std::string& county, absl::Time now,
                                                   std::string* id);
  // A complaint command (complaints.h), or the scheduler's MarkOverdue /
  // the server's RecountDeadline on a complaint stream: decided on the
  // complaint with the cases it names, a new case staged with it for
  // OpenCaseFromComplaint (one atomic commit).
  absl::StatusOr<CommandOutcome> StageComplaint(Pending& pending, const std::string& fingerprint,
                                                absl::Time now, BatchState& batch);
  // ImportComplaints: every row checked first, then every new row staged as
  // a complaint of its own in this one commit; nothing when a row is bad.
  absl::StatusOr<CommandOutcome> StageComplaintImport(Pending& pending, absl::Time now,
                                                      BatchState& batch);
  // The complaint `complaint_id` as the batch leaves it (version 0 when
  // there is none).
  absl::StatusOr<v1::Complaint*> ComplaintAsBatchLeavesIt(const std::string& complaint_id,
                                                          BatchState& batch);
  // The site-check documents uploaded to complaint `complaint_id`, stored
  // and staged by this batch, in upload order.
  absl::StatusOr<std::vector<v1::SiteCheckDocument>> UploadedSiteCheckDocuments(
      const std::string& complaint_id, BatchState& batch);
  // The case `case_id` as the last commit left it: from the writer's cache,
  // else the store (NOT_FOUND when there is none). For a case not yet in
  // the batch.
  absl::StatusOr<v1::Case> LoadCase(const std::string& case_id);
  // The case `case_id` as the batch leaves it (version 0 when there is none).
  absl::StatusOr<v1::Case> CaseAsBatchLeavesIt(const std::string& case_id, BatchState& batch);
  // The complaint holding `ticket` (this batch's first), or "".
  absl::StatusOr<std::string> TicketOwner(const std::string& ticket, BatchState& batch);
  // The directory's unit `unit_id` as the batch leaves it (version 0 when
  // there is none).
  absl::StatusOr<const v1::Unit*> UnitAsBatchLeavesIt(const std::string& unit_id,
                                                      BatchState& batch);
  // True when the county (6 digits) has a unit in the directory, as the
  // batch leaves it.
  absl::StatusOr<bool> CountyHasDirectory(const std::string& county, BatchState& batch);
  storage::EventStore& store_;
  const workflow::Policy& policy_;
  const Clock& clock_;
  const PipelineOptions options_;

  mutable absl::Mutex mutex_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mutex_);
  bool accepting_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread writer_;
  // Batches whose callbacks wait for the completion thread (issue 20).
  absl::Mutex completion_mutex_;
  std::deque<Completions> completions_ ABSL_GUARDED_BY(completion_mutex_);
  // True while the completion thread runs a batch's callbacks.
  bool completing_ ABSL_GUARDED_BY(completion_mutex_) = false;
  bool completions_stopping_ ABSL_GUARDED_BY(completion_mutex_) = false;
  std::thread completer_;
  // Set before Start, then only read by the writer thread.
  std::function<void(uint64_t)> commit_listener_;
  std::function<void(const BatchReport&)> batch_observer_;

  // Owned by the writer thread: case and list numbers (workflow/numbering.h),
  // so that reports in one batch get distinct ids.
  workflow::DocumentNumbers numbers_;
  // Owned by the writer thread: recent case states as committed.
  CaseCache cases_;
};

// A command's idempotency record as stored (the `dedup` family's value after
// its recorded_at), so that a retry gets the original answer. It holds what
// identifies the answer, never the case: the request's fingerprint (so that
// a reused command_id with a different request is refused), the position of
// the command's last event, the stream and its version right after the
// command. The reply is rebuilt from the stream (docs/storage.md,
// "Idempotency records").
struct StoredOutcome {
  std::string fingerprint;
  uint64_t position = 0;
  v1::StreamKind kind = v1::STREAM_KIND_CASE;
  std::string stream_id;
  int64_t version = 0;
  // Set only for a record written before records stopped copying the case
  // (format 0): the case, or for a list command the list, after the command.
  std::optional<CommandOutcome> legacy;
};

// Format 1: fingerprint (32 bytes) ‖ be64 position ‖ 0x00 ‖ kind (1 byte) ‖
// be64 version ‖ stream id. Format 0, still read: fingerprint ‖ be64
// position ‖ the serialized Case or RectificationList, which never starts
// with a 0x00 byte (no protobuf field has number 0).
std::string EncodeOutcome(const std::string& fingerprint, uint64_t position,
                          v1::StreamKind kind, const std::string& stream_id, int64_t version);
// DATA_LOSS when `bytes` is not a record of either format. `kind` says what a
// format-0 record holds (the command's stream kind).
absl::StatusOr<StoredOutcome> DecodeOutcome(absl::string_view bytes,
                                            v1::StreamKind kind = v1::STREAM_KIND_CASE);
// The format-0 record (for the tests of old stores): the case or list copied.
std::string EncodeLegacyOutcome(const std::string& fingerprint, const CommandOutcome& outcome,
                                v1::StreamKind kind = v1::STREAM_KIND_CASE);

// SHA-256 of the command as the client sent it (deterministic serialization).
std::string CommandFingerprint(const v1::Command& command);

// The site-check documents uploaded to complaint `complaint_id` as stored
// (its SiteCheckDocumentUploaded events), in upload order; empty for a
// complaint with none or that does not exist. Thread-safe.
absl::StatusOr<std::vector<v1::SiteCheckDocument>> StoredSiteCheckDocuments(
    storage::EventStore& store, const std::string& complaint_id);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PIPELINE_H_
