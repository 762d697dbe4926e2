// The pipeline's staging of 12369 complaint commands (see pipeline.h): a
// complaint decided with the cases it names (a new case staged with it for
// OpenCaseFromComplaint), the ticket lookups, and ImportComplaints (every
// row checked, then every new row staged in one commit).
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
  absl::StatusOr<v1::Case> stored = LoadCase(case_id);
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

}  // namespace rectify::server
