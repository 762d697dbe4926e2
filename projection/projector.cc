// Index and timer keys derived from a case's state; see projector.h.
#include "projection/projector.h"

#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/proto_time.h"
#include "workflow/decider.h"

namespace rectify::projection {
namespace {

std::string TwoDigits(int value) { return absl::StrFormat("%02d", value); }

// A referral counts as sent once it has left the bureau (it keeps counting
// after a withdrawal); CheckCanRead in server/access.cc has the last word.
bool WasSent(const v1::Referral& referral) { return referral.has_sent_at(); }

bool TimerLess(const storage::TimerKey& a, const storage::TimerKey& b) {
  return std::tie(a.due, a.stream_id, a.deadline_id) < std::tie(b.due, b.stream_id, b.deadline_id);
}

}  // namespace

std::vector<NoticeCondition> NoticeConditions(const v1::Case& state) {
  std::vector<NoticeCondition> conditions;
  if (state.version() == 0) return conditions;
  // A (re)assignment starts a condition afresh, so that a condition's
  // month-end records (reports.h) name the unit it held under.
  const absl::Time unit_since =
      state.has_assigned_at() ? ToTime(state.assigned_at()) : absl::InfinitePast();
  if (state.overdue() && state.status() != v1::CASE_STATUS_CLOSED) {
    std::optional<absl::Time> first_missed;
    std::optional<absl::Time> earliest_due;
    for (const v1::Deadline& deadline : state.deadlines()) {
      if (deadline.state() != v1::DEADLINE_STATE_MISSED ||
          !workflow::IsObligation(deadline.kind())) {
        continue;
      }
      const absl::Time missed = ToTime(deadline.ended_at());
      const absl::Time due = ToTime(deadline.due_at());
      if (!first_missed.has_value() || missed < *first_missed) first_missed = missed;
      if (!earliest_due.has_value() || due < *earliest_due) earliest_due = due;
    }
    if (first_missed.has_value()) {
      conditions.push_back(
          {v1::NOTICE_REASON_OVERDUE, std::max(*first_missed, unit_since), *earliest_due});
    }
  }
  // The no-progress clock runs while the unit has the case to move: not
  // while its completion waits for the bureau's verification. It restarts
  // at (re)assignment, each progress report, a failed verification, an
  // objection and a reopening (Case.progress_clock_since). While ASSIGNED
  // the not-started notice speaks for it.
  if (state.status() == v1::CASE_STATUS_RECTIFYING && !state.completion_pending()) {
    // A projection written before the clock was recorded (not yet rebuilt)
    // falls back to the old rule's instant rather than to 1970.
    const absl::Time since = ToTime(state.has_progress_clock_since() ? state.progress_clock_since()
                                                                     : state.last_progress_at());
    // The condition begins when the case is RECTIFYING with the clock
    // running: the clock may have started earlier, at the assignment.
    const absl::Time began = std::max({since, unit_since, ToTime(state.started_at())});
    conditions.push_back({v1::NOTICE_REASON_NO_PROGRESS, began, since});
  }
  if (state.status() == v1::CASE_STATUS_ASSIGNED) {
    const absl::Time assigned = ToTime(state.assigned_at());
    conditions.push_back({v1::NOTICE_REASON_NOT_STARTED, assigned, assigned});
  }
  return conditions;
}

std::vector<std::string> ProjectListKeys(const v1::RectificationList& list) {
  if (list.version() == 0) return {};
  std::vector<std::string> keys = {
      ListRegionPrefix(list.region_code()) + "/" + list.list_id(),
      ListStatusRegionPrefix(list.status(), list.region_code()) + "/" + list.list_id()};
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> ProjectAccountKeys(const v1::Account& account) {
  if (account.version() == 0) return {};
  std::vector<std::string> keys = {absl::StrCat(
      AccountJurisdictionPrefix(account.principal().jurisdiction()), "/", account.account_name())};
  if (!account.disabled() && account.principal().role() == v1::ROLE_ADMIN) {
    keys.push_back(absl::StrCat(kEnabledAdminPrefix, account.account_name()));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string AccountJurisdictionPrefix(const std::string& jurisdiction_prefix) {
  return absl::StrCat("aj/", jurisdiction_prefix);
}

std::vector<std::string> ProjectUnitKeys(const v1::Unit& unit) {
  if (unit.version() == 0) return {};
  return {absl::StrCat(UnitRegionPrefix(unit.details().region_code()), "/", unit.unit_id())};
}

std::string UnitRegionPrefix(const std::string& region_prefix) {
  return absl::StrCat("ur/", region_prefix);
}

std::string ListRegionPrefix(const std::string& region_prefix) {
  return absl::StrCat("lr/", region_prefix);
}

std::string ListStatusRegionPrefix(v1::ListStatus status, const std::string& region_prefix) {
  return absl::StrFormat("ls/%02d/%s", static_cast<int>(status), region_prefix);
}

std::string StatusRegionPrefix(v1::CaseStatus status, const std::string& region_prefix) {
  return absl::StrFormat("s/%02d/%s", static_cast<int>(status), region_prefix);
}

std::string RegionPrefix(const std::string& region_prefix) {
  return absl::StrCat("r/", region_prefix);
}

std::string AllCasesPrefix() { return "id/"; }
std::string StatusPrefix(v1::CaseStatus status) {
  return absl::StrCat("st/", TwoDigits(status), "/");
}
std::string CategoryPrefix(v1::Category category) {
  return absl::StrCat("ca/", TwoDigits(category), "/");
}
std::string SourcePrefix(v1::CaseSource source) {
  return absl::StrCat("so/", TwoDigits(source), "/");
}
std::string UnitPrefix(const std::string& unit_id) {
  return absl::StrCat("un/", unit_id, std::string(1, '\0'));
}
std::string OverduePrefix() { return "od/"; }
std::string ListPrefix(const std::string& list_id) {
  return absl::StrCat("li/", list_id, std::string(1, '\0'));
}
std::string PoliceUnitPrefix(const std::string& police_unit) {
  return absl::StrCat("rp/", police_unit, std::string(1, '\0'));
}
std::string ReferredPrefix() { return "rs/"; }
std::string TownshipPrefix(const std::string& township) {
  return absl::StrCat("tw/", township, "/");
}
std::string TownshipStatusPrefix(v1::CaseStatus status, const std::string& township) {
  return absl::StrCat("ts/", TwoDigits(status), "/", township, "/");
}
std::string FoundAtPrefix() { return "fa/"; }
std::string UpdatedAtPrefix() { return "ua/"; }

std::string TimeKeyPart(absl::Time time) {
  // Sign-flipped so that instants before 1970 sort first, as in the store's
  // timer keys; hex keeps index keys printable.
  const uint64_t micros = static_cast<uint64_t>(absl::ToUnixMicros(time)) ^ (uint64_t{1} << 63);
  return absl::StrFormat("%016x", micros);
}

std::string CaseIdOfIndexKey(const std::string& key) {
  const size_t separator = key.find_last_of(std::string("/\0", 2));
  return separator == std::string::npos ? key : key.substr(separator + 1);
}

ProjectedKeys ProjectKeys(const v1::Case& state) {
  ProjectedKeys keys;
  if (state.version() == 0) return keys;
  const std::string& region = state.location().region_code();
  keys.index_keys.push_back(
      absl::StrCat(StatusRegionPrefix(state.status(), region), "/", state.case_id()));
  keys.index_keys.push_back(absl::StrCat(RegionPrefix(region), "/", state.case_id()));
  const std::string& id = state.case_id();
  keys.index_keys.push_back(AllCasesPrefix() + id);
  keys.index_keys.push_back(StatusPrefix(state.status()) + id);
  if (region.size() >= kTownshipDigits) {
    const std::string township = region.substr(0, kTownshipDigits);
    keys.index_keys.push_back(TownshipPrefix(township) + id);
    keys.index_keys.push_back(TownshipStatusPrefix(state.status(), township) + id);
  }
  keys.index_keys.push_back(CategoryPrefix(state.category()) + id);
  keys.index_keys.push_back(SourcePrefix(state.source()) + id);
  if (!state.responsible_unit().empty()) {
    keys.index_keys.push_back(UnitPrefix(state.responsible_unit()) + id);
  }
  if (state.overdue()) keys.index_keys.push_back(OverduePrefix() + id);
  for (const std::string& list_id : state.list_ids()) {
    keys.index_keys.push_back(ListPrefix(list_id) + id);
  }
  bool referred = false;
  for (const v1::Referral& referral : state.referrals()) {
    if (!WasSent(referral)) continue;
    referred = true;
    if (!referral.police_unit().empty()) {
      keys.index_keys.push_back(PoliceUnitPrefix(referral.police_unit()) + id);
    }
  }
  if (referred) keys.index_keys.push_back(ReferredPrefix() + id);
  if (state.has_found_at()) {
    keys.index_keys.push_back(
        absl::StrCat(FoundAtPrefix(), TimeKeyPart(ToTime(state.found_at())), "/", id));
  }
  if (state.has_updated_at()) {
    keys.index_keys.push_back(
        absl::StrCat(UpdatedAtPrefix(), TimeKeyPart(ToTime(state.updated_at())), "/", id));
  }
  std::sort(keys.index_keys.begin(), keys.index_keys.end());
  // Two referrals to the same police unit call for one key.
  keys.index_keys.erase(std::unique(keys.index_keys.begin(), keys.index_keys.end()),
                        keys.index_keys.end());
  for (const v1::Deadline& deadline : state.deadlines()) {
    if (deadline.state() != v1::DEADLINE_STATE_OPEN) continue;
    keys.timers.push_back(
        storage::TimerKey{ToTime(deadline.due_at()), state.case_id(), deadline.deadline_id()});
  }
  std::sort(keys.timers.begin(), keys.timers.end(), TimerLess);
  return keys;
}

ProjectedKeys ProjectPenaltyKeys(const v1::PenaltyCase& penalty) {
  ProjectedKeys keys;
  if (penalty.version() == 0) return keys;
  const std::string& id = penalty.penalty_case_id();
  const std::string& region = penalty.region_code();
  keys.index_keys.push_back(absl::StrCat(PenaltyRegionPrefix(region), "/", id));
  keys.index_keys.push_back(absl::StrCat(PenaltyStatusRegionPrefix(penalty.status(), region), "/", id));
  if (penalty.overdue()) keys.index_keys.push_back(absl::StrCat(PenaltyOverduePrefix(region), "/", id));
  if (!penalty.responsible_unit().empty()) {
    keys.index_keys.push_back(absl::StrCat(PenaltyUnitPrefix(penalty.responsible_unit()), id));
  }
  keys.index_keys.push_back(absl::StrCat(PenaltySourceCasePrefix(penalty.source_case_id()), id));
  for (const v1::PenaltyDecision& decision : penalty.decisions()) {
    keys.index_keys.push_back(PenaltyDocumentKey(region.substr(0, 6), decision.document_year(),
                                                 decision.document_sequence()));
  }
  std::sort(keys.index_keys.begin(), keys.index_keys.end());
  for (const v1::Deadline& deadline : penalty.deadlines()) {
    if (deadline.state() != v1::DEADLINE_STATE_OPEN) continue;
    keys.timers.push_back(storage::TimerKey{ToTime(deadline.due_at()), id, deadline.deadline_id()});
  }
  std::sort(keys.timers.begin(), keys.timers.end(), TimerLess);
  return keys;
}

std::string PenaltyRegionPrefix(const std::string& region_prefix) {
  return absl::StrCat("pr/", region_prefix);
}
std::string PenaltyStatusRegionPrefix(v1::PenaltyStatus status, const std::string& region_prefix) {
  return absl::StrFormat("ps/%02d/%s", static_cast<int>(status), region_prefix);
}
std::string PenaltyOverduePrefix(const std::string& region_prefix) {
  return absl::StrCat("po/", region_prefix);
}
std::string PenaltyUnitPrefix(const std::string& unit_id) {
  return absl::StrCat("pu/", unit_id, std::string(1, '\0'));
}
std::string PenaltySourceCasePrefix(const std::string& case_id) {
  return absl::StrCat("pc/", case_id, std::string(1, '\0'));
}
std::string PenaltyDocumentPrefix(const std::string& county, int year) {
  return absl::StrCat("pn/", county, "/", year, "/");
}
std::string PenaltyDocumentKey(const std::string& county, int year, int64_t sequence) {
  return absl::StrFormat("%s%010d", PenaltyDocumentPrefix(county, year),
                         int64_t{9999999999} - sequence);
}
int64_t DocumentSequenceOfKey(const std::string& key) {
  int64_t inverted = 0;
  if (key.size() < 10 || !absl::SimpleAtoi(key.substr(key.size() - 10), &inverted)) return 0;
  return int64_t{9999999999} - inverted;
}

void AddKeyChanges(const ProjectedKeys& before, const ProjectedKeys& after,
                   storage::StreamAppend& append) {
  std::set_difference(before.index_keys.begin(), before.index_keys.end(),
                      after.index_keys.begin(), after.index_keys.end(),
                      std::back_inserter(append.index_deletes));
  std::set_difference(after.index_keys.begin(), after.index_keys.end(),
                      before.index_keys.begin(), before.index_keys.end(),
                      std::back_inserter(append.index_puts));
  std::set_difference(before.timers.begin(), before.timers.end(), after.timers.begin(),
                      after.timers.end(), std::back_inserter(append.timer_deletes), TimerLess);
  std::set_difference(after.timers.begin(), after.timers.end(), before.timers.begin(),
                      before.timers.end(), std::back_inserter(append.timer_puts), TimerLess);
}

}  // namespace rectify::projection
