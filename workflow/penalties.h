// The penalty case (处罚案件) as a pure decider beside the case, list, account
// and unit deciders (DOMAIN.md, "Orders, penalties and the daily penalty";
// docs/workflow.md, "The penalty path"). A penalty case is the stream
// "P-<county>-<year>-<seq>"; DecidePenalty turns a PenaltyService command (or
// the scheduler's MarkOverdue / RecountDeadline on that stream) into its
// events, EvolvePenalty folds them into the v1::PenaltyCase. No I/O, no
// clock: what the decider needs from the store (the source case, the next
// document number) comes in PenaltyFacts.
//
//   PenaltyFacts facts;
//   facts.source_case = &source;                // OpenPenaltyCase only
//   facts.next_document_sequence = last + 1;    // the county-year's next 文号
//   ASSIGN_OR_RETURN(PenaltyOutcome outcome,
//                    DecidePenalty(state, command, principal, now, policy, facts));
//
// The money rules (integer fen, never floating point) are here too, as
// their one home: LateSurcharge, DailyPenaltyDays, DailyPenaltyAmount.
#ifndef RECTIFY_WORKFLOW_PENALTIES_H_
#define RECTIFY_WORKFLOW_PENALTIES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"
#include "rectify/v1/penalty.pb.h"
#include "rectify/v1/penalty_service.pb.h"
#include "workflow/numbering.h"
#include "workflow/policy.h"

namespace rectify::workflow {

// The largest fine a decision may name: 1,000,000,000 yuan in fen.
inline constexpr int64_t kMaxFineFen = int64_t{100000000000};
// The late surcharge per day, in percent of the fine (APL art. 72).
inline constexpr int kSurchargePercentPerDay = 3;

// Penalty case ids, "P-620722-2026-0001" (at most 9,999 per county and
// year), and the decisions' document numbers (文号) of a county and year,
// counted by the pipeline's one numbering (workflow/numbering.h) as
// "D-620722-2026-000012" (at most 999,999): PenaltyDocumentNumber makes the
// 文号 people read from its sequence. The store keeps no "D-" stream: the
// pipeline's lookup reads the highest number from the "pn/" index.
inline constexpr NumberSeries kPenaltyCaseNumbers{v1::STREAM_KIND_PENALTY, "P-", 4,
                                                  "penalty case", "处罚案件"};
inline constexpr NumberSeries kPenaltyDocumentNumbers{v1::STREAM_KIND_PENALTY, "D-", 6,
                                                      "penalty decision", "处罚决定书"};

// True for the PenaltyService commands of v1::Command.
bool IsPenaltyCommand(const v1::Command& command);
// True for a penalty case's stream id ("P-..."): the scheduler's MarkOverdue
// and RecountDeadline on it go to DecidePenalty.
bool IsPenaltyStreamId(absl::string_view stream_id);
// The penalty case a PenaltyService command names ("" for OpenPenaltyCase).
const std::string& PenaltyCaseIdOf(const v1::Command& command);
// The id prefix of the penalty cases of `region_code`'s county opened at
// `now` (China time): "P-620722-2026-". The pipeline appends a 4-digit
// sequence.
std::string PenaltyCaseIdPrefix(absl::string_view region_code, absl::Time now);
// OK for "P-" + 6 digits + "-" + 4-digit year + "-" + 4 digits; else
// INVALID_ARGUMENT naming `field`.
absl::Status CheckPenaltyCaseId(absl::string_view field, absl::string_view id);

// The document number (文号): "民环罚〔2026〕12号" for ("民环罚", 2026, 12).
std::string PenaltyDocumentNumber(absl::string_view prefix, int year, int64_t sequence);
// The year a decision made at `now` is numbered in (China time).
int PenaltyDocumentYear(absl::Time now);
// True when a command (if decided) gives a new document number: DecidePenalty,
// and RecordCorrectionRecheck finding the violation CONTINUING.
bool UsesDocumentNumber(const v1::Command& command);

// Whole days a payment at `paid_at` is late for a fine due at `due_at`: 0
// before due_at (on or before the due day), else the local days (China
// time) from the due day (the day due_at's last moment falls in) to the
// payment's day: paid on the day after the due day is 1 day late.
int DaysLate(absl::Time due_at, absl::Time paid_at);
// The late surcharge (加处罚款) for `fine_fen` paid `days_late` days late:
// 3 % of the fine per day, rounded down to whole fen, never more than the
// fine (APL art. 72). Exact integer arithmetic.
int64_t LateSurcharge(int64_t fine_fen, int days_late);
// The days a daily penalty fines: from the day after the order was served to
// the recheck day, both inclusive, in China time (0 when the recheck is on
// the day of service).
int DailyPenaltyDays(absl::Time order_served_at, absl::Time rechecked_at);
// The daily penalty: the original fine × days. INVALID_ARGUMENT when the
// product would pass kMaxFineFen × 10,000 (no real case comes near).
absl::StatusOr<int64_t> DailyPenaltyAmount(int64_t original_fine_fen, int days);
// The fine a decision owes now: its terms', or the changed amount after a
// remedy CHANGED it; 0 when revoked.
int64_t EffectiveFine(const v1::PenaltyDecision& decision);
// The late surcharge a served decision owes at `at` on its unpaid fine, less
// what was paid towards it (never negative).
v1::SurchargeOwed SurchargeOwedAt(const v1::PenaltyDecision& decision, absl::Time at);

// What the decider needs from outside the penalty case.
struct PenaltyFacts {
  // OpenPenaltyCase: the source case as the batch leaves it (version 0 when
  // it does not exist), and the id the pipeline allocated for the new
  // penalty case.
  const v1::Case* source_case = nullptr;
  std::string new_penalty_case_id;
  // The next document number's sequence in the penalty case's county and
  // PenaltyDocumentYear(now): the pipeline's numbering gives it for a
  // command that UsesDocumentNumber. 0 otherwise.
  int64_t next_document_sequence = 0;
};

// The events of one command: on the penalty stream, and (OpenPenaltyCase)
// on the source case's stream.
struct PenaltyOutcome {
  std::vector<v1::Event> penalty_events;
  std::vector<v1::Event> case_events;
  // True when a document number of `next_document_sequence` was used.
  bool used_document_number = false;
};

// Decides `command` on `state` (an empty PenaltyCase, version 0, for
// OpenPenaltyCase). Errors, in this order: INVALID_ARGUMENT naming the field;
// NOT_FOUND (no such penalty case or source case); PERMISSION_DENIED (role or
// jurisdiction); FAILED_PRECONDITION (the step does not fit the state or a
// clock: the message names the case, its status and why).
absl::StatusOr<PenaltyOutcome> DecidePenalty(const v1::PenaltyCase& state,
                                             const v1::Command& command,
                                             const v1::Principal& principal, absl::Time now,
                                             const Policy& policy, const PenaltyFacts& facts);

// Folds a penalty-stream event into `state`. INVALID_ARGUMENT for an event
// that does not fit (wrong version or stream kind, not a penalty payload).
absl::Status EvolvePenalty(v1::PenaltyCase& state, const v1::Event& event);

// `deadline` of a penalty case counted again in `policy`'s calendar from its
// own start (FAILED_PRECONDITION when it is not OPEN or not counted in days
// or months); the server compares it with the deadline (RecountChanges).
absl::StatusOr<ComputedDeadline> RecountPenaltyDeadline(const v1::Deadline& deadline,
                                                        const Policy& policy);

// True when `principal` may read `penalty` (docs/workflow.md, "The penalty
// path", who sees what): SUPERVISOR, INSPECTOR, BUREAU_HEAD and AUDITOR of
// its region; a RECTIFIER of its responsible unit; POLICE and PROCURATOR
// only of a penalty case opened from a referral, in their jurisdiction;
// SYSTEM always. PERMISSION_DENIED otherwise (the server answers NOT_FOUND).
absl::Status CheckCanReadPenalty(const v1::Principal& principal, const v1::PenaltyCase& penalty);

// The publication entry (信息公开) of `decision` of `penalty` at `as_of`:
// a natural person's name masked (a party without a credit code: its first
// character and "某"), trade secrets (text the bureau marked between 【 and
// 】 in the facts) removed.
v1::PenaltyPublicationEntry PublicationEntry(const v1::PenaltyCase& penalty,
                                             const v1::PenaltyDecision& decision,
                                             absl::Time as_of);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_PENALTIES_H_
