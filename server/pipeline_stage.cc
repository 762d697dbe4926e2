// The pipeline's staging of one command (see pipeline.h): Stage sends each
// command to its stream kind's staging (the other pipeline_stage_*.cc files)
// and numbers new cases and lists; StageOnStream decides a case command on
// the case as the batch leaves it and stages its events, report counters
// and idempotency record.
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

absl::StatusOr<v1::Case> CommandPipeline::LoadCase(const std::string& case_id) {
  if (const v1::Case* cached = cases_.Find(case_id)) return *cached;
  return store_.GetCase(case_id);
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
    // Taken out of the cache rather than copied, with its keys: ProcessBatch
    // puts it back.
    if (std::optional<CaseCache::Cached> cached = cases_.Take(stream_id)) {
      fresh.state = std::move(cached->state);
      fresh.keys_before = std::move(cached->keys);
    } else {
      if (absl::StatusOr<v1::Case> stored = store_.GetCase(stream_id); stored.ok()) {
        fresh.state = *std::move(stored);
      } else if (!absl::IsNotFound(stored.status())) {
        return stored.status();
      }
      fresh.keys_before = projection::ProjectKeys(fresh.state);
    }
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

}  // namespace rectify::server
