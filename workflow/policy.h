// The per-jurisdiction policy: which deadline each stage opens and how it is
// counted (hours, calendar days, working days), the public-notice period,
// the notice thresholds and the working-day calendar. The workflow reads it;
// it never reads a file or a clock itself.
//
// A default-constructed Policy is DOMAIN.md's defaults with the built-in
// 2025/2026 calendar, so a server runs without any file. A policy file
// (config/policy_default.txt, config/policy_620722.txt) lists only what
// differs; ParsePolicy applies it on top of the defaults:
//
//   ASSIGN_OR_RETURN(Policy policy, ParsePolicy(file_text));
//   ASSIGN_OR_RETURN(Calendar calendar, ParseCalendar(calendar_text));
//   policy.calendar = std::make_shared<const Calendar>(std::move(calendar));
#ifndef RECTIFY_WORKFLOW_POLICY_H_
#define RECTIFY_WORKFLOW_POLICY_H_

#include <array>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "workflow/calendar.h"

namespace rectify::workflow {

// How one stage's deadline is counted.
struct DeadlineSpec {
  // False when the stage opens no deadline.
  bool enabled = false;
  // HOURS, CALENDAR_DAYS or WORKING_DAYS.
  v1::DeadlineUnit unit = v1::DEADLINE_UNIT_UNSPECIFIED;
  // How many units; 1 or more when enabled.
  int amount = 0;
  // Where the rule comes from, shown to users, e.g. "国务院令第310号 第五条".
  std::string basis;
};

// Number of DeadlineKind values (the array index is the enum number).
inline constexpr int kDeadlineKindCount = v1::DeadlineKind_ARRAYSIZE;

// DOMAIN.md's defaults, per kind:
//   RECTIFICATION           30 calendar days (used when the supervisor sets no due instant)
//   START                   off
//   PUBLIC_NOTICE           off (a jurisdiction's file may set e.g. 5 working days)
//   REFERRAL_APPROVAL        3 calendar days  (Decree 310 art. 5: "3日内"; APL art. 85's
//                                             working days are that law's own periods)
//   REFERRAL_SEND           24 hours          (Decree 310 art. 5)
//   REFERRAL_RECEIPT        24 hours          ("at once"; flagged after a day = 24 hours)
//   REFERRAL_FILING_DECISION 3 calendar days  (环环监〔2017〕17号 art. 11; the check and long
//                                             periods below on extension)
//   RECONSIDERATION_REQUEST  3 calendar days  (Decree 310 art. 9)
//   RECONSIDERATION_DECISION 3 calendar days  (Decree 310 art. 9)
//   SUPERVISION_REQUEST      3 calendar days  (DOMAIN.md)
//   NON_FILING_EXPLANATION   7 calendar days  (DOMAIN.md)
//   PENALTY_FILING          15 calendar days  (from discovery; 2023 measures)
//   PENALTY_HEARING_REQUEST  5 working days   (APL art. 64, art. 85)
//   PENALTY_HEARING_NOTICE   7 working days   (the least notice before a hearing)
//   PENALTY_DECISION        90 calendar days  (from filing; APL art. 60)
//   PENALTY_SERVICE          7 working days   (APL art. 61)
//   PENALTY_PAYMENT         15 calendar days  (from service; APL art. 67)
//   PENALTY_RECONSIDERATION_WINDOW 60 calendar days (Reconsideration Law 2023)
//   PENALTY_LAWSUIT_WINDOW   6 calendar months (Administrative Litigation Law)
//   PENALTY_EXECUTION        3 calendar months (after the windows; Coercion Law art. 53)
//   PENALTY_PUBLICATION      7 working days   (from the decision)
//   CORRECTION_DEADLINE      none: the order sets it by hand (FIXED)
//   CORRECTION_RECHECK      30 calendar days  (from the order's service)
//   COMPLAINT_ACCEPTANCE    15 calendar days  (信访工作条例 2022; DOMAIN.md "12369 complaints")
//   COMPLAINT_REPLY         60 calendar days  (信访工作条例 art. 35), from the acceptance
//   COMPLAINT_REPLY_EXTENSION 30 calendar days added once with approval (art. 35)
//   COMPLAINT_REVIEW_REQUEST 30 calendar days (art. 36), from the final reply
//   COMPLAINT_REVIEW_ANSWER  30 calendar days (art. 36), from the review request
std::array<DeadlineSpec, kDeadlineKindCount> DefaultDeadlineSpecs();

struct Policy {
  // A name shown in deadline rules ("policy 620722"). Default: "default".
  std::string name = "default";
  // How far in the future a client's found_at or occurred_at may lie (tablet
  // clock skew). Default: 10 minutes.
  absl::Duration max_clock_skew = absl::Minutes(10);
  // The deadline each stage opens, indexed by v1::DeadlineKind.
  // Default: DefaultDeadlineSpecs().
  std::array<DeadlineSpec, kDeadlineKindCount> deadlines = DefaultDeadlineSpecs();
  // The notice (通报) of cases with no progress report for this many
  // calendar days. Default: 15.
  int notice_no_progress_days = 15;
  // The notice of cases ASSIGNED and not started for this many calendar
  // days. Default: 7.
  int notice_not_started_days = 7;
  // The most events one case's stream may hold. A command that would take a
  // case past it is refused with FAILED_PRECONDITION naming the limit, before
  // anything is written; see CheckCaseLimits. Default: 1,000 (a case
  // worked to its end has a few dozen).
  int max_case_events = 1000;
  // The most bytes one case's state (its projection, what GetCase returns)
  // may take. Every commit on a case rewrites its projection, so this also
  // bounds what one case can write. Default: 1 MiB (about 33 progress
  // reports of 10,000 CJK characters each), well inside the server's 8 MiB
  // message limit; at most 64 MiB.
  int64_t max_case_bytes = int64_t{1} << 20;
  // The police's review period when clues need checking, in
  // REFERRAL_FILING_DECISION's unit, counted from the receipt
  // (环环监〔2017〕17号 art. 11). Default: 7.
  int referral_review_check_days = 7;
  // The review period of a complex case, which needs the approval of the
  // head of the police unit (ApproveReviewExtension) first. Default: 30.
  int referral_review_long_days = 30;
  // The bureau's abbreviation in its penalty decisions' document numbers
  // (文号), "<prefix>〔<year>〕<n>号"; a county's file sets its own, e.g.
  // 民环罚 for Minle. Default: "环罚".
  std::string penalty_document_prefix = "环罚";
  // Calendar days the BUREAU_HEAD's approval adds to the filing clock
  // (2023 measures: 15 days, +15 with approval). Default: 15.
  int penalty_filing_extension_days = 15;
  // Calendar days the BUREAU_HEAD's approval adds to the decision period
  // (APL art. 60: 90 days, longer per the rules with approval). Default: 30.
  int penalty_decision_extension_days = 30;
  // Separation of duties at verification (谁验收、谁负责). The verifier is
  // never the one who submitted completion, nor of the unit that did.
  // True: the supervisor who (last) assigned the case may not verify it.
  // Default: false.
  bool verifier_not_assigner = false;
  // False: the inspector who reported the case may not verify it.
  // Default: true (DOMAIN.md does not forbid it).
  bool reporter_may_verify = true;
  // True: a supervisor may grant an extension to a later due than the one
  // requested. Default: false (a grant lies after the current due and at
  // most at the requested one).
  bool extension_grant_beyond_request = false;
  // Login sessions (server/sessions.h). A session ends after this long
  // without a call; 12 h lets a field device's shift offline still sync.
  // Default: 12 hours.
  absl::Duration session_idle_timeout = absl::Hours(12);
  // A session ends this long after login whatever happens. Default: 30 days.
  absl::Duration session_lifetime = absl::Hours(24 * 30);
  // Failed logins in a row after which an account is locked. Default: 5.
  int login_max_failures = 5;
  // How long a locked account stays locked. Default: 15 minutes.
  absl::Duration login_lockout = absl::Minutes(15);
  // The working-day calendar. Default: DefaultCalendar() (2025 and 2026).
  std::shared_ptr<const Calendar> calendar = DefaultCalendar();

  const DeadlineSpec& deadline(v1::DeadlineKind kind) const { return deadlines[kind]; }
};

// A due instant and the rule that gave it (its unit, amount, start
// instant, and whether it is provisional: counted over a year the calendar
// has no published arrangement for).
struct ComputedDeadline {
  absl::Time due_at;
  v1::DeadlineRule rule;
};

// `amount` `unit`s (HOURS, CALENDAR_DAYS or WORKING_DAYS) from `start` in
// `calendar`; the rule has unit, amount, counted_from and provisional set,
// no basis. FAILED_PRECONDITION for another unit; OUT_OF_RANGE when the
// calendar does not cover the dates.
absl::StatusOr<ComputedDeadline> CountDeadline(const Calendar& calendar, v1::DeadlineUnit unit,
                                               int amount, absl::Time start);

// The due instant of `kind`'s deadline for a stage starting at `start`, with
// `amount_override` units instead of the policy's amount when positive (the
// police's 7 or 30 review days). FAILED_PRECONDITION when the policy opens
// no such deadline; OUT_OF_RANGE when the calendar does not cover the dates.
absl::StatusOr<ComputedDeadline> ComputeDeadline(const Policy& policy, v1::DeadlineKind kind,
                                                 absl::Time start, int amount_override = 0);

// OK when `next`, a case's state after `command`, stays inside the policy's
// case limits. The commands that only add content and can repeat while the
// case stays where it is (ReportProgress, RequestExtension, evidence,
// RaiseObjection) may fill a case to 90% of max_case_events and
// max_case_bytes; the last tenth is kept for the commands that move, refer or
// close a case, so that a case one principal filled can still be finished.
// FAILED_PRECONDITION naming the limit (max_case_events or max_case_bytes)
// and the figures otherwise.
absl::Status CheckCaseLimits(const Policy& policy, const v1::Command& command,
                             const v1::Case& next);

// Parses a policy file on top of the defaults. One directive per line, '#'
// starts a comment; every directive is optional:
//
//   name: 620722
//   max_clock_skew_minutes: 10
//   deadline: PUBLIC_NOTICE 5 WORKING_DAYS 民乐县整改销号公示办法
//   deadline: START off
//   notice_no_progress_days: 15
//   notice_not_started_days: 7
//   max_case_events: 1000
//   max_case_bytes: 1048576
//   referral_review_check_days: 7
//   referral_review_long_days: 30
//   penalty_document_prefix: 民环罚
//   penalty_filing_extension_days: 15
//   penalty_decision_extension_days: 30
//   verifier_not_assigner: true
//   reporter_may_verify: false
//   extension_grant_beyond_request: false
//   session_idle_timeout_minutes: 720
//   session_lifetime_days: 30
//   login_max_failures: 5
//   login_lockout_minutes: 15
//
// A deadline line names a DeadlineKind without its prefix, an amount, a unit
// (HOURS, CALENDAR_DAYS, WORKING_DAYS) and the rest of the line as its
// basis; or "off". Errors are INVALID_ARGUMENT "policy line 4: ...".
absl::StatusOr<Policy> ParsePolicy(absl::string_view text);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_POLICY_H_
