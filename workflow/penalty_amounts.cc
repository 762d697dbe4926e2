// The penalty case's money and clocks, in integer fen (see penalties.h): days
// late and the late surcharge, the daily penalty, the fine in force after
// remedies, what is owed at an instant, and a deadline recounted on a new
// calendar.
#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "workflow/penalties.h"
#include "workflow/validation.h"

namespace rectify::workflow {

int DaysLate(absl::Time due_at, absl::Time paid_at) {
  if (paid_at < due_at) return 0;
  const absl::CivilDay due_day = DeadlineDay(due_at);
  const absl::CivilDay paid_day = absl::ToCivilDay(paid_at, ChinaTimeZone());
  return std::max<int>(0, static_cast<int>(paid_day - due_day));
}

int64_t LateSurcharge(int64_t fine_fen, int days_late) {
  if (fine_fen <= 0 || days_late <= 0) return 0;
  // Past 34 days 3 % a day passes 100 %: cap before multiplying, so the
  // product stays small (fine ≤ 10^11 fen, × 3 × 34).
  const int64_t days = std::min<int64_t>(days_late, 100 / kSurchargePercentPerDay + 1);
  const int64_t surcharge = fine_fen * kSurchargePercentPerDay * days / 100;
  return std::min(surcharge, fine_fen);
}

int DailyPenaltyDays(absl::Time order_served_at, absl::Time rechecked_at) {
  const absl::CivilDay served = absl::ToCivilDay(order_served_at, ChinaTimeZone());
  const absl::CivilDay rechecked = absl::ToCivilDay(rechecked_at, ChinaTimeZone());
  return std::max<int>(0, static_cast<int>(rechecked - served));
}

absl::StatusOr<int64_t> DailyPenaltyAmount(int64_t original_fine_fen, int days) {
  if (original_fine_fen < 0 || original_fine_fen > kMaxFineFen || days < 0 || days > 10000) {
    return InvalidField("daily_days", "is out of range", "按日计罚天数超出范围");
  }
  return original_fine_fen * days;
}

int64_t EffectiveFine(const v1::PenaltyDecision& decision) {
  if (decision.revoked()) return 0;
  int64_t fine = decision.terms().fine_fen();
  for (const v1::PenaltyRemedy& remedy : decision.remedies()) {
    if (remedy.outcome() == v1::REMEDY_OUTCOME_CHANGED) fine = remedy.changed_fine_fen();
  }
  return fine;
}

v1::SurchargeOwed SurchargeOwedAt(const v1::PenaltyDecision& decision, absl::Time at) {
  v1::SurchargeOwed owed;
  owed.set_decision_id(decision.decision_id());
  const int64_t fine = EffectiveFine(decision);
  owed.set_fine_unpaid_fen(std::max<int64_t>(0, fine - decision.fine_paid_fen()));
  if (!decision.has_payment_due_at()) return owed;
  if (owed.fine_unpaid_fen() == 0) {
    // The fine is paid: what was owed then, less what was paid towards it.
    owed.set_surcharge_unpaid_fen(
        std::max<int64_t>(0, decision.surcharge_owed_fen() - decision.surcharge_paid_fen()));
    return owed;
  }
  const int days = DaysLate(ToTime(decision.payment_due_at()), at);
  owed.set_days_late(days);
  owed.set_surcharge_unpaid_fen(
      std::max<int64_t>(0, LateSurcharge(fine, days) - decision.surcharge_paid_fen()));
  return owed;
}

absl::StatusOr<ComputedDeadline> RecountPenaltyDeadline(const v1::Deadline& deadline,
                                                        const Policy& policy) {
  if (deadline.state() != v1::DEADLINE_STATE_OPEN) {
    return absl::FailedPreconditionError(
        absl::StrCat("deadline ", deadline.deadline_id(), " no longer runs"));
  }
  const v1::DeadlineRule& rule = deadline.rule();
  if (rule.unit() != v1::DEADLINE_UNIT_CALENDAR_DAYS &&
      rule.unit() != v1::DEADLINE_UNIT_WORKING_DAYS &&
      rule.unit() != v1::DEADLINE_UNIT_CALENDAR_MONTHS) {
    return absl::FailedPreconditionError(
        absl::StrCat("deadline ", deadline.deadline_id(), " is not counted in days"));
  }
  if (policy.calendar == nullptr)
    return absl::FailedPreconditionError("the policy has no calendar");
  const absl::Time start =
      rule.has_counted_from() ? ToTime(rule.counted_from()) : ToTime(deadline.opened_at());
  ASSIGN_OR_RETURN(ComputedDeadline recounted,
                   CountDeadline(*policy.calendar, rule.unit(), rule.amount(), start));
  recounted.rule.set_basis(rule.basis());
  return recounted;
}

}  // namespace rectify::workflow
