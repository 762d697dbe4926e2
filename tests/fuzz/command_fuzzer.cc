// Fuzzes request validation and the deciders (workflow/validation.h,
// workflow/decider.h, workflow/lists.h, workflow/accounts.h, workflow/units.h) with what a client controls: any
// command of any kind, by any principal, at any time, on the state earlier
// commands left. Input: records, each
//   [principal byte][hours byte][2-byte big-endian length][v1::Command]
// where the principal byte picks a role (1 + b % 9; bit 0x10 moves the
// principal to another county, bit 0x20 to another unit) and the hours byte
// moves the clock forward. Every stream a command names starts empty, as the
// pipeline would load it, and accepted events are folded in.
//
// Properties: nothing crashes; a refused validation is INVALID_ARGUMENT with
// a message naming a field, and Decide refuses that command with the same
// status (list and account commands are validated by DecideList and
// DecideAccount instead); a command a decider accepts passed validation and
// gives events for its stream at the next versions, carrying its command id,
// which Evolve (EvolveList, EvolveAccount) folds without error. Penalty
// commands (workflow/penalties.h): the caller of an accepted one reads the
// penalty case; no decision's surcharge, payments or remedied fine pass its
// fine, and a daily penalty is the original fine × its days.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"
#include "rectify/v1/account.pb.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/event.pb.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/workflow/case_builder.h"
#include "workflow/accounts.h"
#include "absl/strings/str_format.h"
#include "workflow/complaints.h"
#include "workflow/penalties.h"
#include "workflow/units.h"
#include "workflow/decider.h"
#include "workflow/lists.h"
#include "workflow/policy.h"
#include "workflow/validation.h"

namespace {

namespace v1 = rectify::v1;
namespace workflow = rectify::workflow;

v1::Principal PrincipalFor(uint8_t selector) {
  v1::Principal principal =
      rectify::testing::PrincipalOf(static_cast<v1::Role>(1 + selector % 9));
  if (selector & 0x10) principal.set_jurisdiction("620702");
  if (selector & 0x20) principal.set_unit_id("another-unit");
  return principal;
}

// The events of one stream, checked and folded into `state` (a v1::Case or
// a v1::RectificationList) with `evolve`.
template <typename State, typename Evolve>
void Fold(State& state, const std::string& stream_id, const std::vector<v1::Event>& events,
          const v1::Command& command, Evolve evolve) {
  for (const v1::Event& event : events) {
    FUZZ_CHECK(event.stream_id() == stream_id, "an event belongs to its stream");
    FUZZ_CHECK(event.version() == state.version() + 1, "events come at the next version");
    FUZZ_CHECK(event.command_id() == command.command_id(), "an event carries its command id");
    const absl::Status folded = evolve(state, event);
    FUZZ_CHECK(folded.ok(), "Evolve folds every event Decide made");
    FUZZ_CHECK(state.version() == event.version(), "folding moves to the event's version");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  static const workflow::Policy* const policy = new workflow::Policy(rectify::testing::NoticePolicy());

  std::map<std::string, v1::Case> cases;
  std::map<std::string, v1::RectificationList> lists;
  std::map<std::string, v1::Account> accounts;
  std::map<std::string, v1::Unit> units;
  std::map<std::string, v1::PenaltyCase> penalties;
  int64_t penalty_numbers = 0;
  int64_t document_numbers = 0;
  std::map<std::string, v1::Complaint> complaints;
  // The site-check documents uploaded to each complaint, in upload order (the
  // pipeline's UploadedSiteCheckDocuments).
  std::map<std::string, std::vector<v1::SiteCheckDocument>> uploaded_documents;
  int complaint_numbers = 0;
  int opened_case_numbers = 0;
  absl::Time now = rectify::testing::StartTime();
  size_t at = 0;
  while (size - at >= 4) {
    const v1::Principal principal = PrincipalFor(data[at]);
    now += absl::Hours(data[at + 1]);
    const size_t length = (size_t{data[at + 2]} << 8) | data[at + 3];
    at += 4;
    if (size - at < length) break;
    v1::Command command;
    const bool parsed = command.ParseFromArray(data + at, static_cast<int>(length));
    at += length;
    if (!parsed) continue;

    const bool list_command = workflow::IsListCommand(command);
    const bool account_command = workflow::IsAccountCommand(command);
    const bool unit_command = workflow::IsUnitCommand(command);
    const bool complaint_command = workflow::IsComplaintCommand(command);
    const bool penalty_command = workflow::IsPenaltyCommand(command);
    const absl::Status validation = workflow::ValidateCommand(command, now, *policy);
    if (!validation.ok()) {
      if ((list_command || account_command || unit_command || complaint_command ||
           penalty_command) &&
          validation.code() == absl::StatusCode::kUnimplemented) {
        // The envelope is fine; DecideList (DecideAccount) validates the
        // request itself.
      } else {
        if (validation.code() != absl::StatusCode::kInvalidArgument) {
          std::fprintf(stderr, "validation refused with: %s\n", validation.ToString().c_str());
        }
        FUZZ_CHECK(validation.code() == absl::StatusCode::kInvalidArgument,
                   "a refused request is INVALID_ARGUMENT");
        FUZZ_CHECK(validation.message().find(": ") != absl::string_view::npos,
                   "a refusal names the field");
      }
    }
    FUZZ_CHECK(!list_command || !validation.ok(),
               "the case workflow leaves list commands to the list workflow");
    FUZZ_CHECK(!account_command || !validation.ok(),
               "the case workflow leaves account commands to the account workflow");
    FUZZ_CHECK(!unit_command || !validation.ok(),
               "the case workflow leaves unit commands to the units workflow");

    FUZZ_CHECK(!complaint_command || !validation.ok(),
               "the case workflow leaves complaint commands to the complaints workflow");

    if (complaint_command) {
      auto said_why = [](const absl::Status& status) {
        FUZZ_CHECK(status.code() != absl::StatusCode::kInternal &&
                       status.code() != absl::StatusCode::kUnknown,
                   "a refused complaint command says why");
        FUZZ_CHECK(status.code() != absl::StatusCode::kInvalidArgument ||
                       status.message().find(": ") != absl::string_view::npos,
                   "a refused complaint command names the field");
      };
      if (command.has_import_complaints()) {
        // As the pipeline does: every row checked, then each decided.
        const absl::StatusOr<std::vector<v1::ComplaintImportProblem>> problems =
            workflow::CheckComplaintImport(command.import_complaints(), principal, now, *policy);
        if (!problems.ok()) {
          said_why(problems.status());
          continue;
        }
        if (!problems->empty()) continue;
        for (const v1::ComplaintImportRow& row : command.import_complaints().rows()) {
          const std::string id = workflow::FormatComplaintId(
              workflow::ComplaintIdPrefix(row.details().location().region_code(), 2026),
              ++complaint_numbers);
          const absl::StatusOr<std::vector<v1::Event>> events =
              workflow::DecideImportedRow(row, id, command, principal, now, *policy);
          FUZZ_CHECK(events.ok(), "a row CheckComplaintImport passed is decided");
          Fold(complaints[id], id, *events, command, workflow::EvolveComplaint);
        }
        continue;
      }
      std::string id = workflow::ComplaintIdOf(command);
      if (command.has_receive_complaint()) {
        const std::string& region = command.receive_complaint().details().location().region_code();
        if (!workflow::CheckRegionCode("details.location.region_code", region).ok()) continue;
        id = workflow::FormatComplaintId(workflow::ComplaintIdPrefix(region, 2026),
                                         complaint_numbers + 1);
        command.set_stream_id(id);
      }
      v1::Complaint& complaint = complaints[id];
      workflow::ComplaintFacts facts;
      facts.new_case_id = absl::StrFormat("620722-2026-9%05d", opened_case_numbers + 1);
      for (const auto& [case_id, state] : cases) {
        if (state.version() > 0) facts.cases.emplace(case_id, state);
      }
      facts.uploaded_documents = uploaded_documents[id];
      const absl::StatusOr<workflow::ComplaintDecision> decision =
          workflow::DecideComplaint(complaint, command, principal, now, *policy, facts);
      if (!decision.ok()) {
        said_why(decision.status());
        continue;
      }
      FUZZ_CHECK(!decision->complaint_events.empty(),
                 "an accepted complaint command changes something");
      if (command.has_receive_complaint()) ++complaint_numbers;
      for (const v1::Event& event : decision->complaint_events) {
        if (event.has_site_check_document_uploaded()) {
          uploaded_documents[id].push_back(event.site_check_document_uploaded().document());
        }
      }
      if (command.has_close_complaint_unfounded()) {
        // Only documents uploaded to this complaint, as stored.
        for (const v1::SiteCheckDocument& named :
             command.close_complaint_unfounded().check_documents()) {
          bool stored = false;
          for (const v1::SiteCheckDocument& uploaded : uploaded_documents[id]) {
            stored = stored || (uploaded.document_id() == named.document_id() &&
                                uploaded.sha256() == named.sha256() &&
                                uploaded.size() == named.size());
          }
          FUZZ_CHECK(stored, "a complaint is closed as unfounded only on documents uploaded to it");
        }
      }
      Fold(complaint, id, decision->complaint_events, command, workflow::EvolveComplaint);
      if (!decision->case_id.empty()) {
        ++opened_case_numbers;
        Fold(cases[decision->case_id], decision->case_id, decision->case_events, command,
             workflow::Evolve);
        FUZZ_CHECK(cases[decision->case_id].complainant().name().empty() &&
                       cases[decision->case_id].complainant().phone().empty(),
                   "a case opened from a complaint never carries the complainant");
      }
      continue;
    }

    FUZZ_CHECK(!penalty_command || !validation.ok(),
               "the case workflow leaves penalty commands to the penalty workflow");

    if (penalty_command) {
      // The penalty workflow (workflow/penalties.h): the pipeline's numbers
      // and source case as facts.
      workflow::PenaltyFacts facts;
      facts.new_penalty_case_id = absl::StrFormat("P-620722-2026-%04d", penalty_numbers + 1);
      facts.next_document_sequence = document_numbers + 1;
      const std::string stream_id = command.has_open_penalty_case()
                                        ? facts.new_penalty_case_id
                                        : workflow::PenaltyCaseIdOf(command);
      v1::Case* source = nullptr;
      if (command.has_open_penalty_case()) {
        auto found = cases.find(command.open_penalty_case().source_case_id());
        if (found != cases.end()) source = &found->second;
      }
      v1::Case empty_case;
      facts.source_case = source != nullptr ? source : &empty_case;
      v1::PenaltyCase& penalty = penalties[stream_id];
      const absl::StatusOr<workflow::PenaltyOutcome> decision =
          workflow::DecidePenalty(penalty, command, principal, now, *policy, facts);
      if (!decision.ok()) {
        FUZZ_CHECK(decision.status().code() != absl::StatusCode::kInternal &&
                       decision.status().code() != absl::StatusCode::kUnknown,
                   "a refused penalty command says why");
        FUZZ_CHECK(decision.status().code() != absl::StatusCode::kInvalidArgument ||
                       decision.status().message().find(": ") != absl::string_view::npos,
                   "a refused penalty command names the field");
        continue;
      }
      FUZZ_CHECK(!decision->penalty_events.empty(), "an accepted penalty command changes something");
      Fold(penalty, stream_id, decision->penalty_events, command, workflow::EvolvePenalty);
      FUZZ_CHECK(workflow::CheckCanReadPenalty(principal, penalty).ok(),
                 "whoever a penalty command was accepted from reads the penalty case");
      for (const v1::PenaltyDecision& made : penalty.decisions()) {
        // The money rules (APL art. 72; remedies never heavier; the daily
        // penalty is the original fine × its days).
        const int64_t fine = made.terms().fine_fen();
        FUZZ_CHECK(workflow::EffectiveFine(made) <= fine, "a remedy never makes a fine heavier");
        FUZZ_CHECK(made.surcharge_owed_fen() <= fine, "the late surcharge never passes the fine");
        FUZZ_CHECK(made.fine_paid_fen() <= fine, "nobody pays more than the fine");
        if (made.kind() == v1::PENALTY_DECISION_KIND_DAILY) {
          const v1::PenaltyDecision* original = nullptr;
          for (const v1::PenaltyDecision& other : penalty.decisions()) {
            if (other.decision_id() == made.original_decision_id()) original = &other;
          }
          FUZZ_CHECK(original != nullptr && made.daily_days() >= 1 &&
                         fine == original->terms().fine_fen() * made.daily_days(),
                     "a daily penalty is the original fine × its days");
        }
      }
      if (source != nullptr && !decision->case_events.empty()) {
        for (const v1::Event& event : decision->case_events) {
          FUZZ_CHECK(workflow::Evolve(*source, event).ok(), "the case folds its penalty link");
        }
      }
      if (command.has_open_penalty_case()) ++penalty_numbers;
      if (decision->used_document_number) ++document_numbers;
      continue;
    }

    if (unit_command) {
      const std::string stream_id = workflow::UnitStreamId(workflow::UnitIdOf(command));
      v1::Unit& unit = units[stream_id];
      const absl::StatusOr<std::vector<v1::Event>> decision =
          workflow::DecideUnit(unit, command, principal, now);
      if (!decision.ok()) {
        FUZZ_CHECK(decision.status().code() != absl::StatusCode::kInternal &&
                       decision.status().code() != absl::StatusCode::kUnknown,
                   "a refused unit command says why");
        FUZZ_CHECK(decision.status().code() != absl::StatusCode::kInvalidArgument ||
                       decision.status().message().find(": ") != absl::string_view::npos,
                   "a refused unit command names the field");
        continue;
      }
      FUZZ_CHECK(!decision->empty(), "an accepted unit command changes something");
      Fold(unit, stream_id, *decision, command, workflow::EvolveUnit);
      continue;
    }

    if (account_command) {
      const std::string stream_id = workflow::AccountStreamId(workflow::AccountNameOf(command));
      v1::Account& account = accounts[stream_id];
      workflow::AccountFacts facts;
      for (const auto& [id, other] : accounts) {
        if (id != stream_id && workflow::IsEnabledAdmin(other)) ++facts.other_enabled_admins;
      }
      // The pipeline passes the SHA-256 of the new password's hash.
      facts.password_hash_sha256 = std::string(32, '\x5a');
      const absl::StatusOr<std::vector<v1::Event>> decision =
          workflow::DecideAccount(account, command, principal, now, facts);
      if (!decision.ok()) {
        FUZZ_CHECK(decision.status().code() != absl::StatusCode::kInternal &&
                       decision.status().code() != absl::StatusCode::kUnknown,
                   "a refused account command says why");
        continue;
      }
      FUZZ_CHECK(!decision->empty(), "an accepted account command changes something");
      Fold(account, stream_id, *decision, command, workflow::EvolveAccount);
      continue;
    }

    if (list_command) {
      v1::RectificationList& list = lists[command.stream_id()];
      std::map<std::string, v1::Case> named;
      for (const std::string& id : workflow::ListCommandCases(list, command)) {
        const auto found = cases.find(id);
        if (found != cases.end() && found->second.version() > 0) named.emplace(id, found->second);
      }
      const absl::StatusOr<workflow::ListDecision> decision =
          workflow::DecideList(list, named, command, principal, now, *policy);
      if (!decision.ok()) {
        FUZZ_CHECK(decision.status().code() != absl::StatusCode::kInternal &&
                       decision.status().code() != absl::StatusCode::kUnknown,
                   "a refused list command says why");
        continue;
      }
      Fold(list, command.stream_id(), decision->list_events, command, workflow::EvolveList);
      for (const auto& [case_id, events] : decision->case_events) {
        FUZZ_CHECK(named.count(case_id) == 1, "a list command touches only the cases it named");
        Fold(cases[case_id], case_id, events, command, workflow::Evolve);
      }
      continue;
    }

    v1::Case& state = cases[command.stream_id()];
    const absl::StatusOr<std::vector<v1::Event>> events =
        workflow::Decide(state, command, principal, now, *policy);
    if (!validation.ok()) {
      FUZZ_CHECK(!events.ok() && events.status() == validation,
                 "Decide refuses what validation refuses, with the same status");
      continue;
    }
    if (!events.ok()) continue;
    FUZZ_CHECK(!events->empty(), "an accepted command changes something");
    Fold(state, command.stream_id(), *events, command, workflow::Evolve);
  }
  return 0;
}
