// The projector: what the store keeps beside a stream's events, derived from
// the stream's state. It is where the workflow (which folds events into a
// Case) and the store (which keeps keys) meet, so that the pipeline, verify
// and rebuild derive index and timer keys the same way.
//
// Index key layout (the `index` column family; every key ends with the case
// id so keys are unique and pages resume after the last key seen). NN is an
// enum number in 2 digits; a free-form id (unit, list) ends with 0x00 because
// it may hold '/'; T is an instant as 16 hex digits (sign-flipped micros, so
// byte order is time order).
//   "s/" NN "/" region_code "/" case_id     by status and region
//   "r/" region_code "/" case_id            by region (any status)
// In case-id order (ListCases): the case id starts with its county code, so
// a jurisdiction or region prefix of up to 6 digits narrows every one of
// these to a key prefix.
//   "id/" case_id                           every case
//   "st/" NN "/" case_id                    by status
//   "ca/" NN "/" case_id                    by category
//   "so/" NN "/" case_id                    by source
//   "un/" unit 0x00 case_id                 by responsible unit (once assigned)
//   "od/" case_id                           overdue cases
//   "li/" list_id 0x00 case_id              one per rectification list it is on
//   "rp/" police_unit 0x00 case_id          one per police unit a referral was sent to
//   "rs/" case_id                           cases with a referral sent
// In time order (ListCases with a time range):
//   "fa/" T(found_at) "/" case_id
//   "ua/" T(updated_at) "/" case_id
// Timer keys: one per OPEN deadline of the case.
// Rectification lists (ProjectListKeys), in region then list-id order:
//   "lr/" region_code "/" list_id           every list
//   "ls/" NN "/" region_code "/" list_id    by list status
//
// Accounts (ProjectAccountKeys):
//   "aj/" jurisdiction "/" account_name     every account, by jurisdiction
//   "aa/" account_name                      enabled ADMIN accounts
//
// Responsible units (ProjectUnitKeys):
//   "ur/" region_code "/" unit_id           every unit, by region
//
// Penalty cases (ProjectPenaltyKeys; workflow/penalties.h), in region then
// id order, and the document numbers (文号) their decisions used:
//   "pr/" region_code "/" penalty_case_id          every penalty case
//   "ps/" NN "/" region_code "/" penalty_case_id   by status
//   "po/" region_code "/" penalty_case_id          overdue ones
//   "pu/" unit 0x00 penalty_case_id                by the source case's unit
//   "pc/" source_case_id 0x00 penalty_case_id      by source case
//   "pn/" county "/" year "/" inverted sequence    one per document number
//        (10 digits, 9999999999 - n: the first key of a county-year is its
//        highest number, which the numbering reads at start)
//   Timer keys: one per OPEN deadline, as for cases.
//
//   ProjectedKeys before = ProjectKeys(old_state);
//   ProjectedKeys after = ProjectKeys(new_state);
//   KeyChanges changes = Diff(before, after);
#ifndef RECTIFY_PROJECTION_PROJECTOR_H_
#define RECTIFY_PROJECTION_PROJECTOR_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "rectify/v1/account.pb.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/penalty.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "rectify/v1/unit.pb.h"
#include "storage/event_store.h"

namespace rectify::projection {

// The keys a case's state calls for, each list sorted.
struct ProjectedKeys {
  std::vector<std::string> index_keys;
  std::vector<storage::TimerKey> timers;
};

// The keys `state` calls for; none for an empty (version 0) case.
ProjectedKeys ProjectKeys(const v1::Case& state);

// The index keys a rectification list's state calls for, sorted; none for
// an empty (version 0) list.
std::vector<std::string> ProjectListKeys(const v1::RectificationList& list);
// The index keys an account calls for, sorted; none for version 0.
std::vector<std::string> ProjectAccountKeys(const v1::Account& account);
// Prefixes of the account indexes: accounts whose jurisdiction starts with
// `jurisdiction_prefix`; enabled ADMIN accounts.
std::string AccountJurisdictionPrefix(const std::string& jurisdiction_prefix);
inline constexpr char kEnabledAdminPrefix[] = "aa/";

// The index keys a responsible unit calls for; none for version 0.
std::vector<std::string> ProjectUnitKeys(const v1::Unit& unit);
// The prefix of the units whose region starts with `region_prefix`.
std::string UnitRegionPrefix(const std::string& region_prefix);

// The keys a penalty case calls for, each list sorted; none for version 0.
ProjectedKeys ProjectPenaltyKeys(const v1::PenaltyCase& penalty);
// Prefixes of the penalty indexes (layout above).
std::string PenaltyRegionPrefix(const std::string& region_prefix);
std::string PenaltyStatusRegionPrefix(v1::PenaltyStatus status, const std::string& region_prefix);
std::string PenaltyOverduePrefix(const std::string& region_prefix);
std::string PenaltyUnitPrefix(const std::string& unit_id);
std::string PenaltySourceCasePrefix(const std::string& case_id);
// The document numbers of `county` (6 digits) in `year`: the first key
// under it holds the highest sequence (DocumentSequenceOfKey).
std::string PenaltyDocumentPrefix(const std::string& county, int year);
std::string PenaltyDocumentKey(const std::string& county, int year, int64_t sequence);
// The sequence a PenaltyDocumentKey holds; 0 when malformed.
int64_t DocumentSequenceOfKey(const std::string& key);

// Prefixes of the list indexes: lists whose region starts with
// `region_prefix`, of any status or of `status`.
std::string ListRegionPrefix(const std::string& region_prefix);
std::string ListStatusRegionPrefix(v1::ListStatus status, const std::string& region_prefix);

// The index key prefix of cases in `status` whose region starts with
// `region_prefix`.
std::string StatusRegionPrefix(v1::CaseStatus status, const std::string& region_prefix);

// The index key prefix of cases whose region starts with `region_prefix`.
std::string RegionPrefix(const std::string& region_prefix);

// Prefixes of the case-id-ordered indexes (see the layout above): append a
// case id prefix to narrow to a county, or a whole case id to resume.
std::string AllCasesPrefix();
std::string StatusPrefix(v1::CaseStatus status);
std::string CategoryPrefix(v1::Category category);
std::string SourcePrefix(v1::CaseSource source);
std::string UnitPrefix(const std::string& unit_id);
std::string OverduePrefix();
std::string ListPrefix(const std::string& list_id);
std::string PoliceUnitPrefix(const std::string& police_unit);
std::string ReferredPrefix();
// Township-level (the first 9 digits of a region: a township and its
// villages) indexes in case-id order, so that a township's page reads only
// its own cases: all of them, and by status.
inline constexpr size_t kTownshipDigits = 9;
std::string TownshipPrefix(const std::string& township);
std::string TownshipStatusPrefix(v1::CaseStatus status, const std::string& township);

// Prefixes of the time-ordered indexes; a key is the prefix, TimeKeyPart of
// the instant, "/" and the case id.
std::string FoundAtPrefix();
std::string UpdatedAtPrefix();
// `time` as 16 hex digits that sort in time order.
std::string TimeKeyPart(absl::Time time);

// The case id at the end of an index key (after its last '/' or 0x00).
std::string CaseIdOfIndexKey(const std::string& key);

// A condition that puts a case on the notice list (通报; docs/reports.md)
// and holds in the case's present state. Whether enough days have passed
// (NO_PROGRESS, NOT_STARTED) is judged when the notices are read, against
// the policy's N then.
struct NoticeCondition {
  v1::NoticeReason reason = v1::NOTICE_REASON_UNSPECIFIED;
  // When it began to hold: the first miss among the deadlines still MISSED
  // (OVERDUE), the last progress (NO_PROGRESS), the assignment (NOT_STARTED);
  // never before the latest (re)assignment, which starts it afresh under the
  // new unit.
  absl::Time start;
  // What the notice counts its days from: the earliest due instant among
  // the deadlines still MISSED (OVERDUE); `start` otherwise.
  absl::Time since;

  friend bool operator==(const NoticeCondition& a, const NoticeCondition& b) {
    return a.reason == b.reason && a.start == b.start && a.since == b.since;
  }
};

// The notice conditions that hold for `state`, in reason order.
std::vector<NoticeCondition> NoticeConditions(const v1::Case& state);

// Fills `append` with the index and timer changes from `before` to `after`.
void AddKeyChanges(const ProjectedKeys& before, const ProjectedKeys& after,
                   storage::StreamAppend& append);

}  // namespace rectify::projection

#endif  // RECTIFY_PROJECTION_PROJECTOR_H_
