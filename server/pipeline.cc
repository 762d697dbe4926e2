// The single-writer command pipeline; see pipeline.h.
//
// Still one file (about 1,430 lines), for now: its seams are the staging of
// each stream kind (StageList, StageAccount, StageUnit, StageComplaint*,
// StagePenalty), which could move verbatim to files of their own beside the
// queue, Replay and ProcessBatch, with BatchState in a private header. That
// split waits until the envelope change being made in this file (issue 19,
// refactor-server) has landed, so the two do not collide in a merge.
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

namespace rectify::server {
namespace {

void AppendBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

uint64_t ReadBigEndian64(absl::string_view data) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(data[i]);
  return value;
}

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

std::string CommandFingerprint(const v1::Command& command) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    command.SerializeToCodedStream(&coded);
  }
  return Sha256(bytes);
}

std::string EncodeOutcome(const std::string& fingerprint, uint64_t position,
                          v1::StreamKind kind, const std::string& stream_id, int64_t version) {
  std::string bytes = fingerprint;
  AppendBigEndian64(bytes, position);
  bytes.push_back('\0');
  bytes.push_back(static_cast<char>(kind));
  AppendBigEndian64(bytes, static_cast<uint64_t>(version));
  bytes.append(stream_id);
  return bytes;
}

std::string EncodeLegacyOutcome(const std::string& fingerprint, const CommandOutcome& outcome,
                                v1::StreamKind kind) {
  std::string bytes = fingerprint;
  AppendBigEndian64(bytes, outcome.position);
  if (kind == v1::STREAM_KIND_RECTIFICATION_LIST) {
    outcome.list.AppendToString(&bytes);
  } else if (kind == v1::STREAM_KIND_ACCOUNT) {
    outcome.account.AppendToString(&bytes);
  } else {
    outcome.state.AppendToString(&bytes);
  }
  return bytes;
}

absl::StatusOr<StoredOutcome> DecodeOutcome(absl::string_view bytes, v1::StreamKind kind) {
  if (bytes.size() < 41) return absl::DataLossError("a stored command outcome is truncated");
  StoredOutcome stored;
  stored.fingerprint = std::string(bytes.substr(0, 32));
  stored.position = ReadBigEndian64(bytes.substr(32, 8));
  if (bytes[40] == '\0') {
    if (bytes.size() < 50) return absl::DataLossError("a stored command outcome is truncated");
    const int kind_number = static_cast<unsigned char>(bytes[41]);
    if (kind_number != v1::STREAM_KIND_CASE && kind_number != v1::STREAM_KIND_RECTIFICATION_LIST &&
        kind_number != v1::STREAM_KIND_UNIT && kind_number != v1::STREAM_KIND_PENALTY &&
        kind_number != v1::STREAM_KIND_COMPLAINT) {
      return absl::DataLossError(
          absl::StrCat("a stored command outcome names an unknown stream kind ", kind_number));
    }
    stored.kind = static_cast<v1::StreamKind>(kind_number);
    stored.version = static_cast<int64_t>(ReadBigEndian64(bytes.substr(42, 8)));
    stored.stream_id = std::string(bytes.substr(50));
    return stored;
  }
  // Format 0: the whole case (or list) after the command.
  CommandOutcome legacy;
  legacy.position = stored.position;
  const absl::string_view state = bytes.substr(40);
  const int size = static_cast<int>(state.size());
  const bool parsed =
      kind == v1::STREAM_KIND_RECTIFICATION_LIST ? legacy.list.ParseFromArray(state.data(), size)
      : kind == v1::STREAM_KIND_ACCOUNT          ? legacy.account.ParseFromArray(state.data(), size)
                                                 : legacy.state.ParseFromArray(state.data(), size);
  if (!parsed) {
    return absl::DataLossError("a stored command outcome cannot be parsed");
  }
  stored.kind = kind;
  if (kind == v1::STREAM_KIND_RECTIFICATION_LIST) {
    stored.stream_id = legacy.list.list_id();
    stored.version = legacy.list.version();
  } else if (kind == v1::STREAM_KIND_ACCOUNT) {
    stored.stream_id = legacy.account.account_name();
    stored.version = legacy.account.version();
  } else {
    stored.stream_id = legacy.state.case_id();
    stored.version = legacy.state.version();
  }
  stored.legacy = std::move(legacy);
  return stored;
}

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
      }) {}

CommandPipeline::~CommandPipeline() { Stop(); }

void CommandPipeline::SetCommitListener(std::function<void(uint64_t)> listener) {
  commit_listener_ = std::move(listener);
}

void CommandPipeline::Start() {
  absl::MutexLock lock(&mutex_);
  if (accepting_ || stopping_) return;
  accepting_ = true;
  writer_ = std::thread([this] { Run(); });
}

void CommandPipeline::Submit(v1::Command command, v1::Principal principal, CommandCallback done,
                             std::string password_hash) {
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
                               std::move(password_hash)});
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

// The work of one batch: per stream touched, its state as the batch leaves
// it, its keys before the batch and its append; the commit being built; the
// position the next event will get.
struct CommandPipeline::BatchState {
  struct StreamWork {
    v1::Case state;
    projection::ProjectedKeys keys_before;
    // Index of its latest append in `commit`, once a command on it was
    // staged; the projection and key changes go on that one.
    std::optional<size_t> append;
  };
  std::map<std::string, StreamWork> streams;
  struct ListWork {
    v1::RectificationList state;
    std::vector<std::string> keys_before;
    std::optional<size_t> append;
  };
  std::map<std::string, ListWork> lists;
  struct AccountWork {
    v1::AccountRecord record;
    std::vector<std::string> keys_before;
    std::optional<size_t> append;
  };
  std::map<std::string, AccountWork> accounts;
  struct UnitWork {
    v1::Unit unit;
    std::vector<std::string> keys_before;
    std::optional<size_t> append;
  };
  // By stream id ("U-<unit_id>").
  std::map<std::string, UnitWork> units;
  struct ComplaintWork {
    v1::Complaint complaint;
    projection::ProjectedKeys keys_before;
    std::optional<size_t> append;
  };
  // By complaint id.
  std::map<std::string, ComplaintWork> complaints;
  struct PenaltyWork {
    v1::PenaltyCase state;
    projection::ProjectedKeys keys_before;
    std::optional<size_t> append;
  };
  // By penalty case id.
  std::map<std::string, PenaltyWork> penalties;
  // Ticket numbers received by this batch's staged commands, and the
  // complaint that holds each.
  std::map<std::string, std::string> tickets;
  // The enabled ADMIN accounts as the batch leaves them, read from the
  // index when an account command first needs them.
  std::optional<std::set<std::string>> enabled_admins;
  storage::CommitBatch commit;
  uint64_t next_position = 0;
  // The report counters and records of the staged commands' case events.
  projection::ReportChanges reports;
};

namespace {

// The append a command's events for `stream_id` go to. The store numbers
// events in the order of the batch's appends, so a stream's append is
// reused only while it is the last one; after another stream's events a new
// append continues the stream. Reply positions and idempotency records are
// then those of the command's own events.
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

}  // namespace

absl::StatusOr<CommandOutcome> CommandPipeline::StageList(Pending& pending,
                                                          const std::string& fingerprint,
                                                          absl::Time now, BatchState& batch) {
  const v1::Command& command = pending.command;
  const std::string& list_id = command.stream_id();
  auto list_work = batch.lists.find(list_id);
  if (list_work == batch.lists.end()) {
    BatchState::ListWork fresh;
    absl::StatusOr<std::string> stored =
        store_.GetProjection(v1::STREAM_KIND_RECTIFICATION_LIST, list_id);
    if (stored.ok()) {
      if (!fresh.state.ParseFromString(*stored)) {
        return absl::DataLossError(absl::StrCat("list ", list_id, ": the projection is corrupt"));
      }
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    fresh.keys_before = projection::ProjectListKeys(fresh.state);
    list_work = batch.lists.emplace(list_id, std::move(fresh)).first;
  }
  v1::RectificationList& list = list_work->second.state;

  // The cases involved, as the batch leaves them so far.
  std::map<std::string, v1::Case> cases;
  for (const std::string& case_id : workflow::ListCommandCases(list, command)) {
    if (workflow::CheckId("case_id", case_id, true).ok() == false) continue;
    auto work = batch.streams.find(case_id);
    if (work != batch.streams.end()) {
      cases[case_id] = work->second.state;
      continue;
    }
    absl::StatusOr<v1::Case> stored = store_.GetCase(case_id);
    if (stored.ok()) {
      cases[case_id] = *std::move(stored);
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
  }
  ASSIGN_OR_RETURN(workflow::ListDecision decision,
                   workflow::DecideList(list, cases, command, pending.principal, now, policy_));
  if (decision.list_events.empty()) {
    return absl::InternalError(absl::StrCat("the workflow decided no events for ", list_id));
  }
  v1::RectificationList next_list = list;
  for (const v1::Event& event : decision.list_events) {
    if (absl::Status folded = workflow::EvolveList(next_list, event); !folded.ok()) {
      return absl::InternalError(absl::StrCat("the workflow produced events for ", list_id,
                                              " that do not fold: ", folded.message()));
    }
  }
  std::map<std::string, v1::Case> next_cases;
  projection::ReportChanges reports;
  for (const auto& [case_id, events] : decision.case_events) {
    v1::Case next = cases[case_id];
    projection::ReportSnapshot before = projection::ReportSnapshotOf(next);
    for (const v1::Event& event : events) {
      if (absl::Status folded = workflow::Evolve(next, event); !folded.ok()) {
        return absl::InternalError(absl::StrCat("the workflow produced events for ", case_id,
                                                " that do not fold: ", folded.message()));
      }
      projection::ReportSnapshot after = projection::ReportSnapshotOf(next);
      projection::ReportChangesForEvent(before, after, event, reports);
      before = std::move(after);
    }
    RETURN_IF_ERROR(workflow::CheckCaseLimits(policy_, command, next));
    next_cases.emplace(case_id, std::move(next));
  }
  batch.reports.MergeFrom(std::move(reports));

  // Decided: stage every append. Nothing below can refuse the command.
  storage::StreamAppend& list_append =
      AppendFor(batch.commit, list_work->second.append, list_id,
                v1::STREAM_KIND_RECTIFICATION_LIST, list.version());
  batch.next_position += decision.list_events.size();
  for (v1::Event& event : decision.list_events) list_append.events.push_back(std::move(event));
  list = std::move(next_list);
  for (auto& [case_id, events] : decision.case_events) {
    auto work = batch.streams.find(case_id);
    if (work == batch.streams.end()) {
      BatchState::StreamWork fresh;
      fresh.state = cases[case_id];
      fresh.keys_before = projection::ProjectKeys(fresh.state);
      work = batch.streams.emplace(case_id, std::move(fresh)).first;
    }
    storage::StreamAppend& case_append =
        AppendFor(batch.commit, work->second.append, case_id, v1::STREAM_KIND_CASE,
                  work->second.state.version());
    batch.next_position += events.size();
    for (v1::Event& event : events) case_append.events.push_back(std::move(event));
    work->second.state = std::move(next_cases[case_id]);
  }
  CommandOutcome outcome;
  outcome.list = list;
  outcome.position = batch.next_position - 1;
  batch.commit.idempotency_records.push_back(storage::IdempotencyRecord{
      pending.principal.principal_id(), command.command_id(), now,
      EncodeOutcome(fingerprint, outcome.position, v1::STREAM_KIND_RECTIFICATION_LIST, list_id,
                    list.version())});
  return outcome;
}

absl::StatusOr<CommandOutcome> CommandPipeline::StageAccount(Pending& pending,
                                                             const std::string& fingerprint,
                                                             absl::Time now, BatchState& batch) {
  v1::Command& command = pending.command;
  // The stream follows from the name; a malformed name is refused by the
  // decider before anything is read with it.
  RETURN_IF_ERROR(workflow::CheckAccountName("account_name", workflow::AccountNameOf(command)));
  const std::string stream_id = workflow::AccountStreamId(workflow::AccountNameOf(command));
  command.set_stream_id(stream_id);
  auto work = batch.accounts.find(stream_id);
  if (work == batch.accounts.end()) {
    BatchState::AccountWork fresh;
    absl::StatusOr<std::string> stored = store_.GetProjection(v1::STREAM_KIND_ACCOUNT, stream_id);
    if (stored.ok()) {
      if (!fresh.record.ParseFromString(*stored)) {
        return absl::DataLossError(absl::StrCat(stream_id, ": the projection is corrupt"));
      }
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    fresh.keys_before = projection::ProjectAccountKeys(fresh.record.account());
    work = batch.accounts.emplace(stream_id, std::move(fresh)).first;
  }
  v1::AccountRecord& record = work->second.record;
  if (command.has_expected_version() && command.expected_version() != record.account().version()) {
    return Refuse(absl::StatusCode::kAborted,
                  absl::StrCat("account ", record.account().account_name(), " is at version ",
                               record.account().version(), ", not the expected ",
                               command.expected_version()),
                  absl::StrCat("账号 ", record.account().account_name(),
                               " 已被他人修改，请刷新后重试"));
  }
  if (!batch.enabled_admins.has_value()) {
    ASSIGN_OR_RETURN(std::vector<std::string> keys,
                     store_.ScanIndex(projection::kEnabledAdminPrefix, "", 100000));
    batch.enabled_admins.emplace();
    for (const std::string& key : keys) {
      batch.enabled_admins->insert(key.substr(sizeof(projection::kEnabledAdminPrefix) - 1));
    }
  }
  workflow::AccountFacts facts;
  facts.other_enabled_admins = static_cast<int>(batch.enabled_admins->size()) -
                               (batch.enabled_admins->count(workflow::AccountNameOf(command)));
  const bool sets_password = command.has_create_account() || command.has_reset_password();
  if (sets_password) {
    if (pending.password_hash.empty()) {
      return absl::InternalError("an account command that sets a password came without its hash");
    }
    facts.password_hash_sha256 = Sha256(pending.password_hash);
  }
  ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                   workflow::DecideAccount(record.account(), command, pending.principal, now,
                                           facts));
  v1::Account next = record.account();
  for (const v1::Event& event : events) {
    if (absl::Status folded = workflow::EvolveAccount(next, event); !folded.ok()) {
      return absl::InternalError(absl::StrCat("the workflow produced events for ", stream_id,
                                              " that do not fold: ", folded.message()));
    }
  }
  // A RECTIFIER acts for a unit of the directory (workflow/units.h), checked
  // when the account gets the role or the unit.
  const v1::Principal& acting = next.principal();
  if (acting.role() == v1::ROLE_RECTIFIER &&
      (acting.role() != record.account().principal().role() ||
       acting.unit_id() != record.account().principal().unit_id())) {
    ASSIGN_OR_RETURN(const v1::Unit* unit, UnitAsBatchLeavesIt(acting.unit_id(), batch));
    bool county_has_directory = true;
    if (unit->version() == 0) {
      ASSIGN_OR_RETURN(county_has_directory,
                       CountyHasDirectory(acting.jurisdiction().substr(0, 6), batch));
    }
    RETURN_IF_ERROR(workflow::CheckAssignableUnit("unit_id", acting.unit_id(), *unit,
                                                  county_has_directory));
  }
  storage::StreamAppend& append = AppendFor(batch.commit, work->second.append, stream_id,
                                            v1::STREAM_KIND_ACCOUNT, record.account().version());
  batch.next_position += events.size();
  for (v1::Event& event : events) append.events.push_back(std::move(event));
  if (workflow::IsEnabledAdmin(next)) {
    batch.enabled_admins->insert(next.account_name());
  } else {
    batch.enabled_admins->erase(next.account_name());
  }
  *record.mutable_account() = std::move(next);
  if (sets_password) record.set_password_hash(pending.password_hash);
  CommandOutcome outcome;
  outcome.account = record.account();
  outcome.position = batch.next_position - 1;
  batch.commit.idempotency_records.push_back(storage::IdempotencyRecord{
      pending.principal.principal_id(), command.command_id(), now,
      EncodeLegacyOutcome(fingerprint, outcome, v1::STREAM_KIND_ACCOUNT)});
  return outcome;
}

absl::StatusOr<const v1::Unit*> CommandPipeline::UnitAsBatchLeavesIt(const std::string& unit_id,
                                                                     BatchState& batch) {
  const std::string stream_id = workflow::UnitStreamId(unit_id);
  auto work = batch.units.find(stream_id);
  if (work == batch.units.end()) {
    BatchState::UnitWork fresh;
    absl::StatusOr<std::string> stored = store_.GetProjection(v1::STREAM_KIND_UNIT, stream_id);
    if (stored.ok()) {
      if (!fresh.unit.ParseFromString(*stored)) {
        return absl::DataLossError(absl::StrCat(stream_id, ": the projection is corrupt"));
      }
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    fresh.keys_before = projection::ProjectUnitKeys(fresh.unit);
    work = batch.units.emplace(stream_id, std::move(fresh)).first;
  }
  return &work->second.unit;
}

absl::StatusOr<bool> CommandPipeline::CountyHasDirectory(const std::string& county,
                                                          BatchState& batch) {
  for (const auto& [stream_id, work] : batch.units) {
    if (work.unit.version() > 0 && absl::StartsWith(work.unit.details().region_code(), county)) {
      return true;
    }
  }
  ASSIGN_OR_RETURN(std::vector<std::string> keys,
                   store_.ScanIndex(projection::UnitRegionPrefix(county), "", 1));
  return !keys.empty();
}

absl::StatusOr<CommandOutcome> CommandPipeline::StageUnit(Pending& pending,
                                                          const std::string& fingerprint,
                                                          absl::Time now, BatchState& batch) {
  v1::Command& command = pending.command;
  // The stream follows from the id; a malformed id is refused before
  // anything is read with it.
  RETURN_IF_ERROR(workflow::CheckUnitId("unit_id", workflow::UnitIdOf(command)));
  const std::string stream_id = workflow::UnitStreamId(workflow::UnitIdOf(command));
  command.set_stream_id(stream_id);
  ASSIGN_OR_RETURN(const v1::Unit* loaded, UnitAsBatchLeavesIt(workflow::UnitIdOf(command), batch));
  BatchState::UnitWork& work = batch.units.at(stream_id);
  const v1::Unit& unit = *loaded;
  if (command.has_expected_version() && command.expected_version() != unit.version()) {
    return absl::AbortedError(absl::StrCat("unit ", workflow::UnitIdOf(command), " is at version ",
                                           unit.version(), ", not the expected ",
                                           command.expected_version()));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                   workflow::DecideUnit(unit, command, pending.principal, now));
  v1::Unit next = unit;
  for (const v1::Event& event : events) {
    if (absl::Status folded = workflow::EvolveUnit(next, event); !folded.ok()) {
      return absl::InternalError(absl::StrCat("the workflow produced events for ", stream_id,
                                              " that do not fold: ", folded.message()));
    }
  }
  storage::StreamAppend& append =
      AppendFor(batch.commit, work.append, stream_id, v1::STREAM_KIND_UNIT, unit.version());
  batch.next_position += events.size();
  for (v1::Event& event : events) append.events.push_back(std::move(event));
  work.unit = std::move(next);
  CommandOutcome outcome;
  outcome.unit = work.unit;
  outcome.position = batch.next_position - 1;
  batch.commit.idempotency_records.push_back(storage::IdempotencyRecord{
      pending.principal.principal_id(), command.command_id(), now,
      EncodeOutcome(fingerprint, outcome.position, v1::STREAM_KIND_UNIT, stream_id,
                    work.unit.version())});
  return outcome;
}

absl::StatusOr<v1::Complaint*> CommandPipeline::ComplaintAsBatchLeavesIt(
    const std::string& complaint_id, BatchState& batch) {
  auto work = batch.complaints.find(complaint_id);
  if (work == batch.complaints.end()) {
    BatchState::ComplaintWork fresh;
    absl::StatusOr<std::string> stored =
        store_.GetProjection(v1::STREAM_KIND_COMPLAINT, complaint_id);
    if (stored.ok()) {
      if (!fresh.complaint.ParseFromString(*stored)) {
        return absl::DataLossError(absl::StrCat(complaint_id, ": the projection is corrupt"));
      }
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    fresh.keys_before = projection::ProjectComplaintKeys(fresh.complaint);
    work = batch.complaints.emplace(complaint_id, std::move(fresh)).first;
  }
  return &work->second.complaint;
}

absl::StatusOr<std::vector<v1::SiteCheckDocument>> StoredSiteCheckDocuments(
    storage::EventStore& store, const std::string& complaint_id) {
  std::vector<v1::SiteCheckDocument> documents;
  // A complaint's stream is short (a few dozen events: one per step, clock
  // and upload), so it is read whole.
  constexpr int kPage = 256;
  int64_t from = 1;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::Event> events, store.ReadStream(complaint_id, from, kPage));
    for (const v1::Event& event : events) {
      if (event.has_site_check_document_uploaded()) {
        documents.push_back(event.site_check_document_uploaded().document());
      }
    }
    if (events.size() < static_cast<size_t>(kPage)) break;
    from = events.back().version() + 1;
  }
  return documents;
}

absl::StatusOr<std::vector<v1::SiteCheckDocument>> CommandPipeline::UploadedSiteCheckDocuments(
    const std::string& complaint_id, BatchState& batch) {
  ASSIGN_OR_RETURN(std::vector<v1::SiteCheckDocument> documents,
                   StoredSiteCheckDocuments(store_, complaint_id));
  for (const storage::StreamAppend& append : batch.commit.appends) {
    if (append.stream_id != complaint_id) continue;
    for (const v1::Event& event : append.events) {
      if (event.has_site_check_document_uploaded()) {
        documents.push_back(event.site_check_document_uploaded().document());
      }
    }
  }
  return documents;
}

absl::StatusOr<v1::Case> CommandPipeline::CaseAsBatchLeavesIt(const std::string& case_id,
                                                              BatchState& batch) {
  auto work = batch.streams.find(case_id);
  if (work != batch.streams.end()) return work->second.state;
  absl::StatusOr<v1::Case> stored = store_.GetCase(case_id);
  if (stored.ok()) return stored;
  if (absl::IsNotFound(stored.status())) return v1::Case();
  return stored.status();
}

absl::StatusOr<std::string> CommandPipeline::TicketOwner(const std::string& ticket,
                                                         BatchState& batch) {
  if (ticket.empty()) return std::string();
  if (auto found = batch.tickets.find(ticket); found != batch.tickets.end()) return found->second;
  ASSIGN_OR_RETURN(std::vector<std::string> keys,
                   store_.ScanIndex(projection::ComplaintTicketPrefix(ticket), "", 1));
  if (keys.empty()) return std::string();
  return projection::ComplaintIdOfIndexKey(keys.front());
}

absl::StatusOr<CommandOutcome> CommandPipeline::StageComplaint(Pending& pending,
                                                               const std::string& fingerprint,
                                                               absl::Time now, BatchState& batch) {
  v1::Command& command = pending.command;
  if (command.has_import_complaints()) return StageComplaintImport(pending, now, batch);
  workflow::ComplaintFacts facts;
  std::string allocated_complaint;
  std::string allocated_case;
  auto release = [&]() {
    if (!allocated_case.empty()) numbers_.Release(workflow::kCaseNumbers, allocated_case);
    if (!allocated_complaint.empty()) {
      numbers_.Release(workflow::kComplaintNumbers, allocated_complaint);
    }
  };
  if (command.has_receive_complaint()) {
    // The id is made from the region code: checked first, so that bad input
    // uses no number.
    const v1::ComplaintDetails& details = command.receive_complaint().details();
    RETURN_IF_ERROR(workflow::CheckRegionCode("details.location.region_code",
                                              details.location().region_code()));
    ASSIGN_OR_RETURN(allocated_complaint,
                     numbers_.Allocate(workflow::kComplaintNumbers,
                                       details.location().region_code(), now));
    command.set_stream_id(allocated_complaint);
    absl::StatusOr<std::string> owner = TicketOwner(details.ticket_number(), batch);
    if (!owner.ok()) {
      release();
      return owner.status();
    }
    facts.ticket_owner = *owner;
  } else if (workflow::IsComplaintCommand(command)) {
    RETURN_IF_ERROR(
        workflow::CheckComplaintIdFormat("complaint_id", workflow::ComplaintIdOf(command)));
    command.set_stream_id(workflow::ComplaintIdOf(command));
  }
  const std::string complaint_id = command.stream_id();
  absl::StatusOr<v1::Complaint*> loaded = ComplaintAsBatchLeavesIt(complaint_id, batch);
  if (!loaded.ok()) {
    release();
    return loaded.status();
  }
  BatchState::ComplaintWork& work = batch.complaints.at(complaint_id);
  const v1::Complaint& complaint = work.complaint;
  if (command.has_expected_version() && complaint.version() > 0 &&
      command.expected_version() != complaint.version() &&
      (pending.principal.role() == v1::ROLE_SYSTEM ||
       workflow::MayReadComplaint(pending.principal, workflow::ComplaintRegion(complaint)))) {
    return Refuse(absl::StatusCode::kAborted,
                  absl::StrCat("complaint ", complaint_id, " is at version ", complaint.version(),
                               ", not the expected ", command.expected_version(),
                               "; reload it and decide again"),
                  absl::StrCat("信访件 ", complaint_id, " 已被他人更新，请刷新后重试"));
  }
  // The cases the command needs, as the batch leaves them.
  std::vector<std::string> case_ids;
  if (command.has_attach_complaint_to_case() &&
      workflow::CheckCaseIdFormat("case_id", command.attach_complaint_to_case().case_id()).ok()) {
    case_ids.push_back(command.attach_complaint_to_case().case_id());
  }
  if (command.has_reply_to_complaint()) {
    for (const v1::ComplaintLink& link : complaint.links()) case_ids.push_back(link.case_id());
  }
  for (const std::string& case_id : case_ids) {
    absl::StatusOr<v1::Case> state = CaseAsBatchLeavesIt(case_id, batch);
    if (!state.ok()) {
      release();
      return state.status();
    }
    if (state->version() > 0) facts.cases[case_id] = *std::move(state);
  }
  if ((command.has_upload_site_check_document() || command.has_close_complaint_unfounded()) &&
      complaint.version() > 0) {
    absl::StatusOr<std::vector<v1::SiteCheckDocument>> uploaded =
        UploadedSiteCheckDocuments(complaint_id, batch);
    if (!uploaded.ok()) {
      release();
      return uploaded.status();
    }
    facts.uploaded_documents = *std::move(uploaded);
  }
  if (command.has_open_case_from_complaint() && complaint.version() > 0) {
    absl::StatusOr<std::string> case_id =
        numbers_.Allocate(workflow::kCaseNumbers, workflow::ComplaintRegion(complaint), now);
    if (!case_id.ok()) {
      release();
      return case_id.status();
    }
    allocated_case = *case_id;
    facts.new_case_id = allocated_case;
  }
  absl::StatusOr<workflow::ComplaintDecision> decided = workflow::DecideComplaint(
      complaint, command, pending.principal, now, policy_, facts);
  if (!decided.ok()) {
    release();
    return decided.status();
  }
  workflow::ComplaintDecision& decision = *decided;
  v1::Complaint next = complaint;
  projection::ReportChanges reports;
  for (const v1::Event& event : decision.complaint_events) {
    if (absl::Status folded = workflow::EvolveComplaint(next, event); !folded.ok()) {
      release();
      return absl::InternalError(absl::StrCat("the workflow produced events for ", complaint_id,
                                              " that do not fold: ", folded.message()));
    }
    projection::ComplaintReportChanges(next, event, reports);
  }
  v1::Case opened;
  if (!decision.case_id.empty()) {
    projection::ReportSnapshot before = projection::ReportSnapshotOf(opened);
    for (const v1::Event& event : decision.case_events) {
      if (absl::Status folded = workflow::Evolve(opened, event); !folded.ok()) {
        release();
        return absl::InternalError(absl::StrCat("the workflow produced events for ",
                                                decision.case_id,
                                                " that do not fold: ", folded.message()));
      }
      projection::ReportSnapshot after = projection::ReportSnapshotOf(opened);
      projection::ReportChangesForEvent(before, after, event, reports);
      before = std::move(after);
    }
  }
  // Decided: stage. Nothing below refuses the command.
  batch.reports.MergeFrom(std::move(reports));
  storage::StreamAppend& append = AppendFor(batch.commit, work.append, complaint_id,
                                            v1::STREAM_KIND_COMPLAINT, complaint.version());
  batch.next_position += decision.complaint_events.size();
  for (v1::Event& event : decision.complaint_events) append.events.push_back(std::move(event));
  if (!next.details().ticket_number().empty()) {
    batch.tickets.emplace(next.details().ticket_number(), complaint_id);
  }
  work.complaint = std::move(next);
  CommandOutcome outcome;
  if (!decision.case_id.empty()) {
    BatchState::StreamWork fresh;
    fresh.keys_before = projection::ProjectKeys(fresh.state);
    auto case_work = batch.streams.emplace(decision.case_id, std::move(fresh)).first;
    storage::StreamAppend& case_append = AppendFor(
        batch.commit, case_work->second.append, decision.case_id, v1::STREAM_KIND_CASE, 0);
    batch.next_position += decision.case_events.size();
    for (v1::Event& event : decision.case_events) case_append.events.push_back(std::move(event));
    case_work->second.state = opened;
    outcome.state = std::move(opened);
  }
  outcome.complaint = work.complaint;
  outcome.position = batch.next_position - 1;
  batch.commit.idempotency_records.push_back(storage::IdempotencyRecord{
      pending.principal.principal_id(), command.command_id(), now,
      EncodeOutcome(fingerprint, outcome.position, v1::STREAM_KIND_COMPLAINT, complaint_id,
                    work.complaint.version())});
  return outcome;
}

absl::StatusOr<CommandOutcome> CommandPipeline::StageComplaintImport(Pending& pending,
                                                                     absl::Time now,
                                                                     BatchState& batch) {
  const v1::Command& command = pending.command;
  const v1::ImportComplaintsRequest& request = command.import_complaints();
  CommandOutcome outcome;
  v1::ImportComplaintsResponse& response = outcome.import;
  ASSIGN_OR_RETURN(std::vector<v1::ComplaintImportProblem> problems,
                   workflow::CheckComplaintImport(request, pending.principal, now, policy_));
  if (!problems.empty()) {
    // Nothing written; the bad rows go back to the caller.
    response.set_committed(false);
    for (v1::ComplaintImportProblem& problem : problems) *response.add_problems() = std::move(problem);
    outcome.position = batch.next_position - 1;
    return outcome;
  }
  // Plan every row before staging any: a ticket already in the store (or
  // this batch) is answered with its complaint, the others get new ids.
  struct Planned {
    std::string complaint_id;
    std::vector<v1::Event> events;
  };
  std::vector<Planned> planned;
  std::vector<std::string> allocated;
  auto release = [&]() {
    for (auto it = allocated.rbegin(); it != allocated.rend(); ++it) {
      numbers_.Release(workflow::kComplaintNumbers, *it);
    }
  };
  for (const v1::ComplaintImportRow& row : request.rows()) {
    v1::ComplaintImportResult& result = *response.add_results();
    result.set_row_number(row.row_number());
    result.set_ticket_number(row.details().ticket_number());
    absl::StatusOr<std::string> owner = TicketOwner(row.details().ticket_number(), batch);
    if (!owner.ok()) {
      release();
      return owner.status();
    }
    if (!owner->empty()) {
      result.set_complaint_id(*owner);
      result.set_already_present(true);
      response.set_already_present(response.already_present() + 1);
      continue;
    }
    absl::StatusOr<std::string> id =
        numbers_.Allocate(workflow::kComplaintNumbers, row.details().location().region_code(), now);
    if (!id.ok()) {
      release();
      return id.status();
    }
    allocated.push_back(*id);
    absl::StatusOr<std::vector<v1::Event>> events =
        workflow::DecideImportedRow(row, *id, command, pending.principal, now, policy_);
    if (!events.ok()) {
      release();
      return events.status();
    }
    result.set_complaint_id(*id);
    planned.push_back(Planned{*id, *std::move(events)});
  }
  // Fold every new complaint before staging any.
  std::vector<v1::Complaint> folded(planned.size());
  projection::ReportChanges reports;
  for (size_t i = 0; i < planned.size(); ++i) {
    for (const v1::Event& event : planned[i].events) {
      if (absl::Status status = workflow::EvolveComplaint(folded[i], event); !status.ok()) {
        release();
        return absl::InternalError(absl::StrCat("an imported row does not fold: ", status.message()));
      }
      projection::ComplaintReportChanges(folded[i], event, reports);
    }
  }
  batch.reports.MergeFrom(std::move(reports));
  for (size_t i = 0; i < planned.size(); ++i) {
    BatchState::ComplaintWork fresh;
    auto work = batch.complaints.emplace(planned[i].complaint_id, std::move(fresh)).first;
    storage::StreamAppend& append = AppendFor(batch.commit, work->second.append,
                                              planned[i].complaint_id, v1::STREAM_KIND_COMPLAINT, 0);
    batch.next_position += planned[i].events.size();
    for (v1::Event& event : planned[i].events) append.events.push_back(std::move(event));
    batch.tickets.emplace(folded[i].details().ticket_number(), planned[i].complaint_id);
    work->second.complaint = std::move(folded[i]);
  }
  response.set_committed(true);
  response.set_imported(static_cast<int32_t>(planned.size()));
  outcome.position = batch.next_position - 1;
  // No idempotency record: a retried import finds every ticket present and
  // answers each row with its complaint (already_present), changing nothing.
  return outcome;
}

absl::StatusOr<int64_t> CommandPipeline::AllocateDocumentSequence(const std::string& county,
                                                                  absl::Time now,
                                                                  std::string* id) {
  ASSIGN_OR_RETURN(*id, numbers_.Allocate(workflow::kPenaltyDocumentNumbers, county, now));
  int64_t sequence = 0;
  if (!absl::SimpleAtoi(absl::string_view(*id).substr(
                            id->size() - workflow::kPenaltyDocumentNumbers.digits),
                        &sequence)) {
    return absl::InternalError(absl::StrCat("a malformed document number ", *id));
  }
  return sequence;
}

absl::StatusOr<CommandOutcome> CommandPipeline::StagePenalty(Pending& pending,
                                                             const std::string& fingerprint,
                                                             absl::Time now, BatchState& batch) {
  v1::Command& command = pending.command;
  workflow::PenaltyFacts facts;
  // The source case (OpenPenaltyCase), as the batch leaves it.
  BatchState::StreamWork* source_work = nullptr;
  std::string allocated_id;
  if (command.has_open_penalty_case()) {
    const std::string& case_id = command.open_penalty_case().source_case_id();
    RETURN_IF_ERROR(workflow::CheckCaseIdFormat("source_case_id", case_id));
    auto work = batch.streams.find(case_id);
    if (work == batch.streams.end()) {
      BatchState::StreamWork fresh;
      absl::StatusOr<v1::Case> stored = store_.GetCase(case_id);
      if (stored.ok()) {
        fresh.state = *std::move(stored);
      } else if (!absl::IsNotFound(stored.status())) {
        return stored.status();
      }
      fresh.keys_before = projection::ProjectKeys(fresh.state);
      work = batch.streams.emplace(case_id, std::move(fresh)).first;
    }
    source_work = &work->second;
    if (source_work->state.version() == 0) return CaseNotVisible(pending.principal, case_id);
    RETURN_IF_ERROR(CheckVisible(pending.principal, source_work->state));
    ASSIGN_OR_RETURN(allocated_id,
                     numbers_.Allocate(workflow::kPenaltyCaseNumbers,
                                       source_work->state.location().region_code(), now));
    command.set_stream_id(allocated_id);
    facts.source_case = &source_work->state;
    facts.new_penalty_case_id = allocated_id;
  } else if (workflow::IsPenaltyCommand(command)) {
    RETURN_IF_ERROR(workflow::CheckPenaltyCaseId("penalty_case_id", workflow::PenaltyCaseIdOf(command)));
    command.set_stream_id(workflow::PenaltyCaseIdOf(command));
  }
  const std::string stream_id = command.stream_id();
  auto release_id = [&]() {
    if (!allocated_id.empty()) numbers_.Release(workflow::kPenaltyCaseNumbers, allocated_id);
  };
  auto work = batch.penalties.find(stream_id);
  if (work == batch.penalties.end()) {
    BatchState::PenaltyWork fresh;
    absl::StatusOr<std::string> stored = store_.GetProjection(v1::STREAM_KIND_PENALTY, stream_id);
    if (stored.ok()) {
      if (!fresh.state.ParseFromString(*stored)) {
        release_id();
        return absl::DataLossError(absl::StrCat(stream_id, ": the projection is corrupt"));
      }
    } else if (!absl::IsNotFound(stored.status())) {
      release_id();
      return stored.status();
    }
    fresh.keys_before = projection::ProjectPenaltyKeys(fresh.state);
    work = batch.penalties.emplace(stream_id, std::move(fresh)).first;
  }
  v1::PenaltyCase& state = work->second.state;
  const absl::Status not_found = Refuse(
      absl::StatusCode::kNotFound, absl::StrCat("penalty case ", stream_id, " does not exist"),
      absl::StrCat("处罚案件 ", stream_id, " 不存在"));
  if (!command.has_open_penalty_case()) {
    // An unreadable penalty case answers as a missing one.
    if (state.version() == 0) return not_found;
    if (pending.principal.role() != v1::ROLE_SYSTEM &&
        !workflow::CheckCanReadPenalty(pending.principal, state).ok()) {
      return not_found;
    }
    if (command.has_expected_version() && command.expected_version() != state.version()) {
      return Refuse(absl::StatusCode::kAborted,
                    absl::StrCat("penalty case ", stream_id, " is at version ", state.version(),
                                 ", not the expected ", command.expected_version()),
                    absl::StrCat("处罚案件 ", stream_id, " 已被他人更新，请刷新后重试"));
    }
  }
  const std::string county = state.version() > 0
                                 ? state.region_code().substr(0, 6)
                                 : (facts.source_case != nullptr
                                        ? facts.source_case->location().region_code().substr(0, 6)
                                        : std::string());
  std::string document_id;
  if (workflow::UsesDocumentNumber(command) && state.version() > 0) {
    ASSIGN_OR_RETURN(facts.next_document_sequence,
                     AllocateDocumentSequence(county, now, &document_id));
  }
  absl::StatusOr<workflow::PenaltyOutcome> decided =
      workflow::DecidePenalty(state, command, pending.principal, now, policy_, facts);
  if (!document_id.empty() && (!decided.ok() || !decided->used_document_number)) {
    numbers_.Release(workflow::kPenaltyDocumentNumbers, document_id);
  }
  if (!decided.ok()) {
    release_id();
    return decided.status();
  }
  v1::PenaltyCase next = state;
  projection::ReportChanges reports;
  for (const v1::Event& event : decided->penalty_events) {
    if (absl::Status folded = workflow::EvolvePenalty(next, event); !folded.ok()) {
      return absl::InternalError(absl::StrCat("the workflow produced events for ", stream_id,
                                              " that do not fold: ", folded.message()));
    }
    projection::PenaltyReportChanges(next, event, reports);
  }
  std::optional<v1::Case> next_case;
  if (source_work != nullptr && !decided->case_events.empty()) {
    next_case = source_work->state;
    projection::ReportSnapshot before = projection::ReportSnapshotOf(*next_case);
    for (const v1::Event& event : decided->case_events) {
      if (absl::Status folded = workflow::Evolve(*next_case, event); !folded.ok()) {
        return absl::InternalError(absl::StrCat("the workflow produced events for ",
                                                next_case->case_id(),
                                                " that do not fold: ", folded.message()));
      }
      projection::ReportSnapshot after = projection::ReportSnapshotOf(*next_case);
      projection::ReportChangesForEvent(before, after, event, reports);
      before = std::move(after);
    }
  }
  batch.reports.MergeFrom(std::move(reports));
  storage::StreamAppend& append = AppendFor(batch.commit, work->second.append, stream_id,
                                            v1::STREAM_KIND_PENALTY, state.version());
  batch.next_position += decided->penalty_events.size();
  for (v1::Event& event : decided->penalty_events) append.events.push_back(std::move(event));
  state = std::move(next);
  if (next_case.has_value()) {
    storage::StreamAppend& case_append =
        AppendFor(batch.commit, source_work->append, next_case->case_id(), v1::STREAM_KIND_CASE,
                  source_work->state.version());
    batch.next_position += decided->case_events.size();
    for (v1::Event& event : decided->case_events) case_append.events.push_back(std::move(event));
    source_work->state = *std::move(next_case);
  }
  CommandOutcome outcome;
  outcome.penalty = state;
  outcome.position = batch.next_position - 1;
  batch.commit.idempotency_records.push_back(storage::IdempotencyRecord{
      pending.principal.principal_id(), command.command_id(), now,
      EncodeOutcome(fingerprint, outcome.position, v1::STREAM_KIND_PENALTY, stream_id,
                    state.version())});
  return outcome;
}

absl::StatusOr<CommandOutcome> CommandPipeline::Stage(Pending& pending,
                                                      const std::string& fingerprint,
                                                      absl::Time now, BatchState& batch) {
  v1::Command& command = pending.command;
  if (command.has_create_rectification_list()) {
    // The id is allocated only for a well-formed region, so that bad input
    // uses no number.
    RETURN_IF_ERROR(workflow::CheckRegionPrefixCode(
        "region_code", command.create_rectification_list().region_code()));
    ASSIGN_OR_RETURN(std::string list_id,
                     numbers_.Allocate(workflow::kListNumbers,
                                       command.create_rectification_list().region_code(), now));
    command.set_stream_id(list_id);
    absl::StatusOr<CommandOutcome> outcome = StageList(pending, fingerprint, now, batch);
    if (!outcome.ok()) numbers_.Release(workflow::kListNumbers, list_id);
    return outcome;
  }
  if (workflow::IsListCommand(command)) return StageList(pending, fingerprint, now, batch);
  if (workflow::IsAccountCommand(command)) return StageAccount(pending, fingerprint, now, batch);
  if (workflow::IsUnitCommand(command)) return StageUnit(pending, fingerprint, now, batch);
  if (workflow::IsPenaltyCommand(command) || workflow::IsPenaltyStreamId(command.stream_id())) {
    return StagePenalty(pending, fingerprint, now, batch);
  }
  if (workflow::IsComplaintCommand(command) ||
      ((command.has_mark_overdue() || command.has_recount_deadline()) &&
       workflow::IsComplaintStreamId(command.stream_id()))) {
    return StageComplaint(pending, fingerprint, now, batch);
  }
  if (command.has_report_case()) {
    // The case id is made from the region code, so the code is checked
    // first: bad input uses no number, and a code of other digits (e.g.
    // full-width "６２０７２２") is named as such, not as a bad stream id.
    RETURN_IF_ERROR(workflow::CheckRegionCode("location.region_code",
                                              command.report_case().location().region_code()));
    ASSIGN_OR_RETURN(std::string case_id,
                     numbers_.Allocate(workflow::kCaseNumbers,
                                       command.report_case().location().region_code(), now));
    command.set_stream_id(case_id);
    absl::StatusOr<CommandOutcome> outcome = StageOnStream(pending, fingerprint, now, batch);
    if (!outcome.ok()) numbers_.Release(workflow::kCaseNumbers, case_id);
    return outcome;
  }
  return StageOnStream(pending, fingerprint, now, batch);
}

absl::StatusOr<CommandOutcome> CommandPipeline::StageOnStream(Pending& pending,
                                                              const std::string& fingerprint,
                                                              absl::Time now,
                                                              BatchState& batch) {
  const v1::Command& command = pending.command;
  const std::string& stream_id = command.stream_id();
  auto work = batch.streams.find(stream_id);
  if (work == batch.streams.end()) {
    BatchState::StreamWork fresh;
    absl::StatusOr<v1::Case> stored = store_.GetCase(stream_id);
    if (stored.ok()) {
      fresh.state = *std::move(stored);
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    fresh.keys_before = projection::ProjectKeys(fresh.state);
    work = batch.streams.emplace(stream_id, std::move(fresh)).first;
  }
  v1::Case& state = work->second.state;
  if (!command.has_report_case()) {
    // Nothing about the case (its version, status, unit) is said to a
    // principal who may not read it, and an unreadable case answers as a
    // missing one. The scheduler's system principal reads no case content
    // but marks deadlines of every case.
    if (state.version() == 0) return CaseNotVisible(pending.principal, stream_id);
    if (pending.principal.role() != v1::ROLE_SYSTEM) {
      RETURN_IF_ERROR(CheckVisible(pending.principal, state));
    }
  }
  if (command.has_expected_version() && command.expected_version() != state.version()) {
    return Refuse(absl::StatusCode::kAborted,
                  absl::StrCat("case ", stream_id, " is at version ", state.version(),
                               ", not the expected ", command.expected_version(),
                               "; reload it and decide again"),
                  absl::StrCat("案件 ", stream_id, " 已被他人更新（当前为第 ", state.version(),
                               " 版，您看到的是第 ", command.expected_version(),
                               " 版），请刷新后重试"));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                   workflow::Decide(state, command, pending.principal, now, policy_));
  if (events.empty()) {
    return absl::InternalError(absl::StrCat("the workflow decided no events for ", stream_id));
  }
  // A case goes only to an active unit of the directory (workflow/units.h).
  for (const v1::Event& event : events) {
    const std::string* unit_id = event.has_case_assigned()     ? &event.case_assigned().responsible_unit()
                                 : event.has_case_reassigned() ? &event.case_reassigned().responsible_unit()
                                                               : nullptr;
    if (unit_id == nullptr) continue;
    ASSIGN_OR_RETURN(const v1::Unit* unit, UnitAsBatchLeavesIt(*unit_id, batch));
    bool county_has_directory = true;
    if (unit->version() == 0) {
      ASSIGN_OR_RETURN(county_has_directory, CountyHasDirectory(stream_id.substr(0, 6), batch));
    }
    RETURN_IF_ERROR(workflow::CheckAssignableUnit("responsible_unit", *unit_id, *unit,
                                                  county_has_directory));
  }
  v1::Case next = state;
  projection::ReportChanges reports;
  projection::ReportSnapshot before = projection::ReportSnapshotOf(next);
  for (const v1::Event& event : events) {
    if (absl::Status folded = workflow::Evolve(next, event); !folded.ok()) {
      return absl::InternalError(absl::StrCat("the workflow produced events for ", stream_id,
                                              " that do not fold: ", folded.message()));
    }
    projection::ReportSnapshot after = projection::ReportSnapshotOf(next);
    projection::ReportChangesForEvent(before, after, event, reports);
    before = std::move(after);
  }
  RETURN_IF_ERROR(workflow::CheckCaseLimits(policy_, command, next));
  batch.reports.MergeFrom(std::move(reports));
  storage::StreamAppend& append =
      AppendFor(batch.commit, work->second.append, stream_id, v1::STREAM_KIND_CASE,
                state.version());
  batch.next_position += events.size();
  for (v1::Event& event : events) append.events.push_back(std::move(event));
  state = std::move(next);
  CommandOutcome outcome;
  outcome.state = state;
  outcome.position = batch.next_position - 1;
  batch.commit.idempotency_records.push_back(storage::IdempotencyRecord{
      pending.principal.principal_id(), command.command_id(), now,
      EncodeOutcome(fingerprint, outcome.position, v1::STREAM_KIND_CASE, stream_id,
                    state.version())});
  return outcome;
}

absl::StatusOr<CommandOutcome> CommandPipeline::Replay(const Pending& pending,
                                                       const StoredOutcome& stored) {
  const v1::Principal& principal = pending.principal;
  // Account commands still write format-0 records (an account is small and
  // no principal can grow it); they answer from the copy, as before.
  if (stored.kind == v1::STREAM_KIND_ACCOUNT) {
    if (stored.legacy.has_value()) return *stored.legacy;
    return absl::DataLossError("an account command's idempotency record has no account");
  }
  CommandOutcome outcome;
  outcome.position = stored.position;
  // Events 1..stored.version of the stream, in pages.
  auto fold = [&](auto& state, auto evolve) -> absl::Status {
    constexpr int kPage = 1000;
    for (int64_t from = 1; from <= stored.version; from += kPage) {
      const int limit = static_cast<int>(std::min<int64_t>(kPage, stored.version - from + 1));
      ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                       store_.ReadStream(stored.stream_id, from, limit));
      if (events.size() != static_cast<size_t>(limit)) {
        return absl::DataLossError(absl::StrCat("stream ", stored.stream_id,
                                                " is shorter than its idempotency record says"));
      }
      for (v1::Event& event : events) {
        // Folded as it was decided: with its personal data (the reply is
        // redacted for the caller afterwards).
        RETURN_IF_ERROR(storage::OpenFromStore(store_, event));
        RETURN_IF_ERROR(evolve(state, event));
      }
    }
    return absl::OkStatus();
  };
  if (stored.kind == v1::STREAM_KIND_PENALTY) {
    ASSIGN_OR_RETURN(std::string bytes,
                     store_.GetProjection(v1::STREAM_KIND_PENALTY, stored.stream_id));
    v1::PenaltyCase penalty;
    if (!penalty.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(stored.stream_id, ": the projection is corrupt"));
    }
    if (principal.role() != v1::ROLE_SYSTEM) {
      RETURN_IF_ERROR(workflow::CheckCanReadPenalty(principal, penalty));
    }
    if (penalty.version() != stored.version) {
      penalty.Clear();
      RETURN_IF_ERROR(fold(penalty, [](v1::PenaltyCase& state, const v1::Event& event) {
        return workflow::EvolvePenalty(state, event);
      }));
    }
    outcome.penalty = std::move(penalty);
    return outcome;
  }
  if (stored.kind == v1::STREAM_KIND_UNIT) {
    ASSIGN_OR_RETURN(std::string bytes, store_.GetProjection(v1::STREAM_KIND_UNIT, stored.stream_id));
    v1::Unit unit;
    if (!unit.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(stored.stream_id, ": the projection is corrupt"));
    }
    if (unit.version() != stored.version) {
      unit.Clear();
      RETURN_IF_ERROR(fold(unit, [](v1::Unit& state, const v1::Event& event) {
        return workflow::EvolveUnit(state, event);
      }));
    }
    outcome.unit = std::move(unit);
    return outcome;
  }
  if (stored.kind == v1::STREAM_KIND_COMPLAINT) {
    ASSIGN_OR_RETURN(std::string bytes,
                     store_.GetProjection(v1::STREAM_KIND_COMPLAINT, stored.stream_id));
    v1::Complaint complaint;
    if (!complaint.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(stored.stream_id, ": the projection is corrupt"));
    }
    if (principal.role() != v1::ROLE_SYSTEM &&
        !workflow::MayReadComplaint(principal, workflow::ComplaintRegion(complaint))) {
      return workflow::ComplaintNotVisible(principal, stored.stream_id);
    }
    if (complaint.version() != stored.version) {
      complaint.Clear();
      RETURN_IF_ERROR(fold(complaint, [](v1::Complaint& state, const v1::Event& event) {
        return workflow::EvolveComplaint(state, event);
      }));
    }
    // OpenCaseFromComplaint answers with the case it opened as well.
    if (pending.command.has_open_case_from_complaint() && complaint.links_size() > 0) {
      absl::StatusOr<v1::Case> opened =
          store_.GetCase(complaint.links(complaint.links_size() - 1).case_id());
      if (opened.ok()) outcome.state = *std::move(opened);
    }
    outcome.complaint = std::move(complaint);
    return outcome;
  }
  if (stored.kind == v1::STREAM_KIND_RECTIFICATION_LIST) {
    ASSIGN_OR_RETURN(std::string bytes,
                     store_.GetProjection(v1::STREAM_KIND_RECTIFICATION_LIST, stored.stream_id));
    v1::RectificationList list;
    if (!list.ParseFromString(bytes)) {
      return absl::DataLossError(
          absl::StrCat("list ", stored.stream_id, ": the projection is corrupt"));
    }
    RETURN_IF_ERROR(CheckCanReadList(principal, list));
    if (stored.legacy.has_value()) return *stored.legacy;
    if (list.version() != stored.version) {
      list.Clear();
      RETURN_IF_ERROR(fold(list, [](v1::RectificationList& state, const v1::Event& event) {
        return workflow::EvolveList(state, event);
      }));
    }
    outcome.list = std::move(list);
    return outcome;
  }
  absl::StatusOr<v1::Case> current = store_.GetCase(stored.stream_id);
  if (principal.role() != v1::ROLE_SYSTEM) {
    current = VisibleCase(principal, stored.stream_id, std::move(current));
  }
  if (!current.ok()) return current.status();
  if (stored.legacy.has_value()) return *stored.legacy;
  if (current->version() == stored.version) {
    outcome.state = *std::move(current);
  } else {
    RETURN_IF_ERROR(fold(outcome.state, [](v1::Case& state, const v1::Event& event) {
      return workflow::Evolve(state, event);
    }));
  }
  return outcome;
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
    const std::string fingerprint = CommandFingerprint(pending.command);
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
      projection::AddKeyChanges(work.keys_before, projection::ProjectKeys(work.state), append);
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
  if (batch_observer_) batch_observer_(report);
  for (const auto& [repeat, first] : repeats) results[repeat] = *results[first];
  for (size_t i = 0; i < pending_commands.size(); ++i) {
    pending_commands[i].done(*std::move(results[i]));
  }
}

}  // namespace rectify::server
