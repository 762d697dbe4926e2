// The policy's defaults, its file parser and deadline arithmetic; see policy.h.
#include "workflow/policy.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "workflow/key_value_lines.h"

namespace rectify::workflow {
namespace {

DeadlineSpec Spec(v1::DeadlineUnit unit, int amount, std::string basis) {
  return DeadlineSpec{true, unit, amount, std::move(basis)};
}

absl::Status LineError(int line, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("policy line ", line, ": ", why));
}

// Days and hours past which a rule is surely a typo (ten years).
constexpr int kMaxAmount = 3650;

}  // namespace

std::array<DeadlineSpec, kDeadlineKindCount> DefaultDeadlineSpecs() {
  std::array<DeadlineSpec, kDeadlineKindCount> specs;
  specs[v1::DEADLINE_KIND_RECTIFICATION] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 30, "默认整改期限");
  specs[v1::DEADLINE_KIND_REFERRAL_APPROVAL] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 3, "国务院令第310号 第五条");
  specs[v1::DEADLINE_KIND_REFERRAL_SEND] = Spec(v1::DEADLINE_UNIT_HOURS, 24, "国务院令第310号 第五条");
  specs[v1::DEADLINE_KIND_REFERRAL_RECEIPT] =
      Spec(v1::DEADLINE_UNIT_HOURS, 24, "移送后应即签收，逾24小时提示");
  specs[v1::DEADLINE_KIND_REFERRAL_FILING_DECISION] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 3, "环环监〔2017〕17号 第十一条");
  specs[v1::DEADLINE_KIND_RECONSIDERATION_REQUEST] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 3, "国务院令第310号 第九条");
  specs[v1::DEADLINE_KIND_RECONSIDERATION_DECISION] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 3, "国务院令第310号 第九条");
  specs[v1::DEADLINE_KIND_SUPERVISION_REQUEST] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 3, "复议决定后3日内提请检察监督");
  specs[v1::DEADLINE_KIND_NON_FILING_EXPLANATION] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 7, "公安机关向检察院说明不立案理由");
  // The penalty path (DOMAIN.md, "Orders, penalties and the daily penalty").
  // APL art. 85: its "five, seven days" are working days.
  specs[v1::DEADLINE_KIND_PENALTY_FILING] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 15, "生态环境行政处罚办法（2023）第三十条");
  specs[v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST] =
      Spec(v1::DEADLINE_UNIT_WORKING_DAYS, 5, "行政处罚法 第六十四条");
  specs[v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE] =
      Spec(v1::DEADLINE_UNIT_WORKING_DAYS, 7, "行政处罚法 第六十四条");
  specs[v1::DEADLINE_KIND_PENALTY_DECISION] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 90, "行政处罚法 第六十条");
  specs[v1::DEADLINE_KIND_PENALTY_SERVICE] =
      Spec(v1::DEADLINE_UNIT_WORKING_DAYS, 7, "行政处罚法 第六十一条");
  specs[v1::DEADLINE_KIND_PENALTY_PAYMENT] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 15, "行政处罚法 第六十七条");
  specs[v1::DEADLINE_KIND_PENALTY_RECONSIDERATION_WINDOW] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 60, "行政复议法（2023）第二十条");
  specs[v1::DEADLINE_KIND_PENALTY_LAWSUIT_WINDOW] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_MONTHS, 6, "行政诉讼法 第四十六条");
  specs[v1::DEADLINE_KIND_PENALTY_EXECUTION] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_MONTHS, 3, "行政强制法 第五十三条");
  specs[v1::DEADLINE_KIND_PENALTY_PUBLICATION] =
      Spec(v1::DEADLINE_UNIT_WORKING_DAYS, 7, "政府信息公开 处罚决定 7 个工作日");
  specs[v1::DEADLINE_KIND_CORRECTION_RECHECK] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 30, "环境保护主管部门实施按日连续处罚办法 第十三条");
  specs[v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 15, "信访工作条例 受理告知 15日");
  specs[v1::DEADLINE_KIND_COMPLAINT_REPLY] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 60, "信访工作条例 第三十五条 60日内办结");
  specs[v1::DEADLINE_KIND_COMPLAINT_REPLY_EXTENSION] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 30, "信访工作条例 第三十五条 经批准延长不超过30日");
  specs[v1::DEADLINE_KIND_COMPLAINT_REVIEW_REQUEST] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 30, "信访工作条例 第三十六条 30日内请求复查");
  specs[v1::DEADLINE_KIND_COMPLAINT_REVIEW_ANSWER] =
      Spec(v1::DEADLINE_UNIT_CALENDAR_DAYS, 30, "信访工作条例 第三十六条 30日内提出复查意见");
  return specs;
}

absl::StatusOr<ComputedDeadline> CountDeadline(const Calendar& calendar, v1::DeadlineUnit unit,
                                               int amount, absl::Time start) {
  ComputedDeadline computed;
  computed.rule.set_unit(unit);
  computed.rule.set_amount(amount);
  *computed.rule.mutable_counted_from() = ToProto(start);
  bool provisional = false;
  switch (unit) {
    case v1::DEADLINE_UNIT_HOURS:
      computed.due_at = Calendar::AddHours(start, amount);
      break;
    case v1::DEADLINE_UNIT_CALENDAR_DAYS: {
      ASSIGN_OR_RETURN(computed.due_at, calendar.AddCalendarDays(start, amount, &provisional));
      break;
    }
    case v1::DEADLINE_UNIT_WORKING_DAYS: {
      ASSIGN_OR_RETURN(computed.due_at, calendar.AddWorkingDays(start, amount, &provisional));
      break;
    }
    case v1::DEADLINE_UNIT_CALENDAR_MONTHS: {
      // The same day `amount` months on (the month's last day when it is
      // shorter), then as calendar days: a last day off rolls to the next
      // working day.
      const absl::CivilDay first = absl::ToCivilDay(start, calendar.zone());
      const absl::CivilMonth target = absl::CivilMonth(first) + amount;
      const absl::CivilDay month_end = absl::CivilDay(target + 1) - 1;
      absl::CivilDay last = absl::CivilDay(target.year(), target.month(), first.day());
      if (last.month() != target.month()) last = month_end;  // normalized past the month
      ASSIGN_OR_RETURN(computed.due_at,
                       calendar.AddCalendarDays(start, static_cast<int>(last - first), &provisional));
      break;
    }
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("a ", v1::DeadlineUnit_Name(unit), " deadline is not counted"));
  }
  computed.rule.set_provisional(provisional);
  return computed;
}

absl::StatusOr<ComputedDeadline> ComputeDeadline(const Policy& policy, v1::DeadlineKind kind,
                                                 absl::Time start, int amount_override) {
  const DeadlineSpec& spec = policy.deadline(kind);
  if (!spec.enabled) {
    return absl::FailedPreconditionError(
        absl::StrCat("policy ", policy.name, " sets no ", v1::DeadlineKind_Name(kind), " period"));
  }
  const int amount = amount_override > 0 ? amount_override : spec.amount;
  if (policy.calendar == nullptr) return absl::FailedPreconditionError("the policy has no calendar");
  if (spec.unit != v1::DEADLINE_UNIT_HOURS && spec.unit != v1::DEADLINE_UNIT_CALENDAR_DAYS &&
      spec.unit != v1::DEADLINE_UNIT_WORKING_DAYS &&
      spec.unit != v1::DEADLINE_UNIT_CALENDAR_MONTHS) {
    return absl::FailedPreconditionError(
        absl::StrCat("policy ", policy.name, " has no unit for ", v1::DeadlineKind_Name(kind)));
  }
  ASSIGN_OR_RETURN(ComputedDeadline computed, CountDeadline(*policy.calendar, spec.unit, amount, start));
  // A person reads the basis (the console's 计算依据): Chinese, with the
  // policy that counted it.
  computed.rule.set_basis(policy.name == "default"
                              ? absl::StrCat(spec.basis, "（默认期限配置）")
                              : absl::StrCat(spec.basis, "（期限配置：", policy.name, "）"));
  return computed;
}

absl::Status CheckCaseLimits(const Policy& policy, const v1::Command& command,
                             const v1::Case& next) {
  const bool adds_content = command.has_report_progress() || command.has_request_extension() ||
                            command.has_record_evidence() || command.has_raise_objection();
  // Ninety per cent for content, the whole limit for the rest.
  const int64_t max_events =
      adds_content ? int64_t{policy.max_case_events} * 9 / 10 : policy.max_case_events;
  const int64_t max_bytes = adds_content ? policy.max_case_bytes * 9 / 10 : policy.max_case_bytes;
  const absl::string_view what =
      adds_content ? " (90% of it for progress reports, extension requests, evidence and "
                     "objections; the rest is kept to finish the case)"
                   : "";
  if (next.version() > max_events) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case ", next.case_id(), " would hold ", next.version(),
        " events, over the policy's limit max_case_events = ", policy.max_case_events, what,
        "; nothing was written"));
  }
  const int64_t bytes = static_cast<int64_t>(next.ByteSizeLong());
  if (bytes > max_bytes) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case ", next.case_id(), " would take ", bytes,
        " bytes, over the policy's limit max_case_bytes = ", policy.max_case_bytes, what,
        "; nothing was written"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Policy> ParsePolicy(absl::string_view text) {
  Policy policy;
  std::set<std::string> seen;
  ASSIGN_OR_RETURN(const std::vector<KeyValueLine> lines, SplitKeyValueLines(text, "policy"));
  for (const KeyValueLine& line : lines) {
    const int line_number = line.number;
    const std::string key(line.key);
    const absl::string_view value = line.value;
    if (key == "name") {
      if (value.empty()) return LineError(line_number, "name is empty");
      policy.name = std::string(value);
    } else if (key == "verifier_not_assigner" || key == "reporter_may_verify" ||
               key == "extension_grant_beyond_request") {
      if (value != "true" && value != "false") {
        return LineError(line_number,
                         absl::StrCat(key, " must be true or false, got \"", value, "\""));
      }
      const bool flag = value == "true";
      if (key == "verifier_not_assigner") {
        policy.verifier_not_assigner = flag;
      } else if (key == "reporter_may_verify") {
        policy.reporter_may_verify = flag;
      } else {
        policy.extension_grant_beyond_request = flag;
      }
    } else if (key == "penalty_document_prefix") {
      // The bureau's abbreviation in its decisions' numbers (文号), e.g.
      // 民环罚 for 民环罚〔2026〕12号: 1-10 characters, no brackets.
      if (value.empty() || value.size() > 40 || absl::StrContains(value, "〔") ||
          absl::StrContains(value, "〕")) {
        return LineError(line_number, "penalty_document_prefix must be 1-10 characters without 〔〕");
      }
      policy.penalty_document_prefix = std::string(value);
    } else if (key == "penalty_filing_extension_days" ||
               key == "penalty_decision_extension_days") {
      int number;
      if (!absl::SimpleAtoi(value, &number) || number < 1 || number > kMaxAmount) {
        return LineError(line_number, absl::StrCat(key, " must be a whole number from 1 to ",
                                                   kMaxAmount, ", got \"", value, "\""));
      }
      (key == "penalty_filing_extension_days" ? policy.penalty_filing_extension_days
                                              : policy.penalty_decision_extension_days) = number;
    } else if (key == "referral_review_check_days" || key == "referral_review_long_days") {
      int number;
      if (!absl::SimpleAtoi(value, &number) || number < 1 || number > kMaxAmount) {
        return LineError(line_number, absl::StrCat(key, " must be a whole number from 1 to ",
                                                   kMaxAmount, ", got \"", value, "\""));
      }
      (key == "referral_review_check_days" ? policy.referral_review_check_days
                                           : policy.referral_review_long_days) = number;
    } else if (key == "max_clock_skew_minutes" || key == "notice_no_progress_days" ||
               key == "notice_not_started_days") {
      int number;
      if (!absl::SimpleAtoi(value, &number) || number < 0 || number > kMaxAmount) {
        return LineError(line_number, absl::StrCat(key, " must be a whole number from 0 to ",
                                                   kMaxAmount, ", got \"", value, "\""));
      }
      if (key == "max_clock_skew_minutes") {
        policy.max_clock_skew = absl::Minutes(number);
      } else if (key == "notice_no_progress_days") {
        policy.notice_no_progress_days = number;
      } else {
        policy.notice_not_started_days = number;
      }
    } else if (key == "max_case_events" || key == "max_case_bytes") {
      // Bounds that keep a case inside one reply and the store's growth
      // linear; 100 events or 64 KiB at least, so that a case can be worked.
      const int64_t low = key == "max_case_events" ? 100 : int64_t{64} << 10;
      const int64_t high = key == "max_case_events" ? 1000000 : int64_t{64} << 20;
      int64_t number;
      if (!absl::SimpleAtoi(value, &number) || number < low || number > high) {
        return LineError(line_number, absl::StrCat(key, " must be a whole number from ", low,
                                                   " to ", high, ", got \"", value, "\""));
      }
      if (key == "max_case_events") {
        policy.max_case_events = static_cast<int>(number);
      } else {
        policy.max_case_bytes = number;
      }
    } else if (key == "session_idle_timeout_minutes" || key == "session_lifetime_days" ||
               key == "login_max_failures" || key == "login_lockout_minutes") {
      // Each at least 1: a zero would end every session at once or lock
      // every account on its first mistake.
      int number;
      if (!absl::SimpleAtoi(value, &number) || number < 1 || number > 525600) {
        return LineError(line_number, absl::StrCat(key, " must be a whole number from 1 to ",
                                                   525600, ", got \"", value, "\""));
      }
      if (key == "session_idle_timeout_minutes") {
        policy.session_idle_timeout = absl::Minutes(number);
      } else if (key == "session_lifetime_days") {
        policy.session_lifetime = absl::Hours(24) * number;
      } else if (key == "login_max_failures") {
        policy.login_max_failures = number;
      } else {
        policy.login_lockout = absl::Minutes(number);
      }
    } else if (key == "deadline") {
      std::vector<absl::string_view> words =
          absl::StrSplit(value, absl::ByAnyChar(" \t"), absl::SkipEmpty());
      if (words.empty()) {
        return LineError(line_number, "deadline needs a kind, e.g. \"deadline: START 5 WORKING_DAYS basis\"");
      }
      v1::DeadlineKind kind;
      if (!v1::DeadlineKind_Parse(absl::StrCat("DEADLINE_KIND_", words[0]), &kind) ||
          kind == v1::DEADLINE_KIND_UNSPECIFIED) {
        return LineError(line_number,
                         absl::StrCat("unknown deadline kind \"", words[0],
                                      "\"; expected e.g. RECTIFICATION, START, PUBLIC_NOTICE, "
                                      "REFERRAL_APPROVAL, REFERRAL_SEND"));
      }
      const std::string seen_key = absl::StrCat("deadline ", words[0]);
      if (!seen.insert(seen_key).second) {
        return LineError(line_number, absl::StrCat("deadline ", words[0], " is given twice"));
      }
      DeadlineSpec& spec = policy.deadlines[kind];
      if (words.size() == 2 && words[1] == "off") {
        spec = DeadlineSpec();
        continue;
      }
      if (words.size() < 4) {
        return LineError(line_number, absl::StrCat("deadline ", words[0],
                                                   " needs an amount, a unit and a basis, or \"off\""));
      }
      int amount;
      if (!absl::SimpleAtoi(words[1], &amount) || amount < 1 || amount > kMaxAmount) {
        return LineError(line_number, absl::StrCat("deadline amount must be a whole number from 1 to ",
                                                   kMaxAmount, ", got \"", words[1], "\""));
      }
      v1::DeadlineUnit unit;
      if (!v1::DeadlineUnit_Parse(absl::StrCat("DEADLINE_UNIT_", words[2]), &unit) ||
          (unit != v1::DEADLINE_UNIT_HOURS && unit != v1::DEADLINE_UNIT_CALENDAR_DAYS &&
           unit != v1::DEADLINE_UNIT_WORKING_DAYS && unit != v1::DEADLINE_UNIT_CALENDAR_MONTHS)) {
        return LineError(line_number,
                         absl::StrCat("unknown unit \"", words[2],
                                      "\"; expected HOURS, CALENDAR_DAYS, WORKING_DAYS or "
                                      "CALENDAR_MONTHS"));
      }
      // The basis is the rest of the line, spaces kept.
      const size_t basis_at = static_cast<size_t>(words[3].data() - value.data());
      spec = Spec(unit, amount, std::string(value.substr(basis_at)));
      continue;
    } else {
      return LineError(line_number,
                       absl::StrCat("unknown key \"", key,
                                    "\"; expected name, max_clock_skew_minutes, deadline, "
                                    "notice_no_progress_days, notice_not_started_days, "
                                    "max_case_events, max_case_bytes, "
                                    "session_idle_timeout_minutes, session_lifetime_days, "
                                    "login_max_failures or login_lockout_minutes"));
    }
    if (!seen.insert(key).second) {
      return LineError(line_number, absl::StrCat(key, " is given twice"));
    }
  }
  if (policy.referral_review_long_days <= policy.referral_review_check_days) {
    return absl::InvalidArgumentError(absl::StrCat(
        "policy: referral_review_long_days (", policy.referral_review_long_days,
        ") must be longer than referral_review_check_days (", policy.referral_review_check_days,
        ")"));
  }
  return policy;
}

}  // namespace rectify::workflow
