// The pipeline's staging of rectification-list, account and unit commands
// (see pipeline.h): each decided on its stream as the batch leaves it, with
// the unit directory lookups (UnitAsBatchLeavesIt, CountyHasDirectory) that
// case assignment uses too.
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

using pipeline_internal::AddSortedKeyChanges;
using pipeline_internal::AppendFor;

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
    absl::StatusOr<v1::Case> stored = LoadCase(case_id);
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

}  // namespace rectify::server
