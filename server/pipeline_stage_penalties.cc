// The pipeline's staging of penalty-case commands (see pipeline.h): the
// document number (文号) allocation and the decision on the penalty case's
// stream, with the link appended to the source case for OpenPenaltyCase.
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
      absl::StatusOr<v1::Case> stored = LoadCase(case_id);
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

}  // namespace rectify::server
