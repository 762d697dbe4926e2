// How rectifyctl shows penalty cases; see penalty_format.h.
#include "client/penalty_format.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "base/csv.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/status_words.h"

namespace rectify::client {
namespace {

// The largest fine the API takes (penalty.proto, PenaltyTerms.fine_fen).
constexpr int64_t kMaxFen = 100'000'000'000;

bool IsSet(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

// "2026-12-02 09:30" in China time; "" when unset.
std::string When(const google::protobuf::Timestamp& t) {
  if (!IsSet(t)) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", ToTime(t), ChinaTimeZone());
}

// A deadline as people write it (base/dates.h): "2027-01-04".
std::string Due(const google::protobuf::Timestamp& t) {
  return IsSet(t) ? DeadlineIso(ToTime(t)) : "";
}

std::string Who(const v1::Actor& actor) {
  return actor.display_name().empty() ? actor.principal_id() : actor.display_name();
}

std::string PenaltyKindWords(v1::PenaltyKind kind) {
  switch (kind) {
    case v1::PENALTY_KIND_WARNING: return "警告";
    case v1::PENALTY_KIND_FINE: return "罚款";
    case v1::PENALTY_KIND_CONFISCATION: return "没收违法所得、没收非法财物";
    case v1::PENALTY_KIND_STOP_PRODUCTION: return "责令停产停业";
    case v1::PENALTY_KIND_LICENCE_REVOKED: return "吊销许可证件";
    default: return "";
  }
}

std::string RemedyWords(v1::RemedyKind kind) {
  return kind == v1::REMEDY_KIND_RECONSIDERATION ? "行政复议"
         : kind == v1::REMEDY_KIND_LAWSUIT       ? "行政诉讼"
                                                 : "";
}

std::string OutcomeWords(v1::RemedyOutcome outcome) {
  switch (outcome) {
    case v1::REMEDY_OUTCOME_PENDING: return "审理中";
    case v1::REMEDY_OUTCOME_UPHELD: return "维持";
    case v1::REMEDY_OUTCOME_REVOKED: return "撤销";
    case v1::REMEDY_OUTCOME_CHANGED: return "变更";
    case v1::REMEDY_OUTCOME_WITHDRAWN: return "撤回";
    default: return "";
  }
}

std::string OrderStateWords(v1::CorrectionOrderState state) {
  switch (state) {
    case v1::CORRECTION_ORDER_STATE_ISSUED: return "已下达待送达";
    case v1::CORRECTION_ORDER_STATE_SERVED: return "已送达待复查";
    case v1::CORRECTION_ORDER_STATE_CORRECTED: return "复查已改正";
    case v1::CORRECTION_ORDER_STATE_CONTINUING: return "复查仍在违法";
    case v1::CORRECTION_ORDER_STATE_CANCELLED: return "已撤销";
    default: return "";
  }
}

std::string ClosingWords(v1::PenaltyClosingReason reason) {
  switch (reason) {
    case v1::PENALTY_CLOSING_REASON_PERFORMED: return "履行完毕";
    case v1::PENALTY_CLOSING_REASON_EXECUTED: return "法院强制执行";
    case v1::PENALTY_CLOSING_REASON_REVOKED: return "决定被撤销";
    case v1::PENALTY_CLOSING_REASON_NOT_PENALIZED: return "不予处罚";
    default: return "";
  }
}

std::string DecisionKindWords(v1::PenaltyDecisionKind kind) {
  return kind == v1::PENALTY_DECISION_KIND_DAILY ? "按日连续处罚" : "处罚决定";
}

}  // namespace

std::string YuanDigits(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string yuan = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(yuan.size()) - 3; i > 0; i -= 3) yuan.insert(i, ",");
  return absl::StrFormat("%s%s.%02d", negative ? "-" : "", yuan, magnitude % 100);
}

std::string FenText(int64_t fen) { return YuanDigits(fen) + " 元"; }

absl::StatusOr<int64_t> ParseYuan(const std::string& label, const std::string& text) {
  const std::string plain = absl::StrReplaceAll(absl::StripAsciiWhitespace(text), {{",", ""}});
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        label, "=", text,
        " is not an amount in yuan (digits, at most two decimals, at most 1,000,000,000)"));
  };
  const size_t dot = plain.find('.');
  const std::string whole = plain.substr(0, dot);
  const std::string cents = dot == std::string::npos ? "" : plain.substr(dot + 1);
  if (whole.empty() || whole.size() > 10 || cents.size() > 2 ||
      (dot != std::string::npos && cents.empty())) {
    return bad();
  }
  int64_t fen = 0;
  for (char c : whole) {
    if (!absl::ascii_isdigit(c)) return bad();
    fen = fen * 10 + (c - '0');
  }
  fen *= 100;
  int64_t tenths = 10;
  for (char c : cents) {
    if (!absl::ascii_isdigit(c)) return bad();
    fen += (c - '0') * tenths;
    tenths /= 10;
  }
  if (fen > kMaxFen) return bad();
  return fen;
}

std::string TermsText(const v1::PenaltyTerms& terms) {
  std::vector<std::string> parts;
  for (int kind : terms.kinds()) {
    const auto k = static_cast<v1::PenaltyKind>(kind);
    if (k == v1::PENALTY_KIND_FINE) {
      parts.push_back(absl::StrCat("罚款 ", FenText(terms.fine_fen())));
    } else if (k == v1::PENALTY_KIND_CONFISCATION && !terms.confiscation().empty()) {
      parts.push_back(absl::StrCat(PenaltyKindWords(k), "（", terms.confiscation(), "）"));
    } else {
      parts.push_back(PenaltyKindWords(k));
    }
  }
  return absl::StrJoin(parts, "、");
}

std::string PenaltyClockWords(v1::DeadlineKind kind) {
  switch (kind) {
    case v1::DEADLINE_KIND_PENALTY_FILING: return "立案期限";
    case v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST: return "申请听证期限";
    case v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE: return "听证通知期";
    case v1::DEADLINE_KIND_PENALTY_DECISION: return "处罚决定期限";
    case v1::DEADLINE_KIND_PENALTY_SERVICE: return "送达期限";
    case v1::DEADLINE_KIND_PENALTY_PAYMENT: return "缴纳罚款期限";
    case v1::DEADLINE_KIND_PENALTY_RECONSIDERATION_WINDOW: return "申请行政复议期限";
    case v1::DEADLINE_KIND_PENALTY_LAWSUIT_WINDOW: return "提起行政诉讼期限";
    case v1::DEADLINE_KIND_PENALTY_EXECUTION: return "申请强制执行期限";
    case v1::DEADLINE_KIND_PENALTY_PUBLICATION: return "信息公开期限";
    case v1::DEADLINE_KIND_CORRECTION_DEADLINE: return "改正期限";
    case v1::DEADLINE_KIND_CORRECTION_RECHECK: return "复查期限";
    default: return "期限";
  }
}

std::string CountdownText(const v1::DeadlineCountdown& c) {
  if (c.overdue()) {
    return c.working_days_left() < 0
               ? absl::StrCat("已逾期 ", -c.working_days_left(), " 个工作日")
               : std::string("已逾期");
  }
  return absl::StrCat("还剩 ", c.calendar_days_left(), " 天（", c.working_days_left(),
                      " 个工作日）");
}

std::vector<std::string> PenaltyQueueHeader() {
  return {"PENALTY_CASE", "STATUS", "PARTY", "SOURCE_CASE", "CLOCK", "DUE", "LEFT"};
}

std::vector<std::vector<std::string>> PenaltyQueueRows(const v1::ListPenaltyCasesResponse& reply) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::PenaltyCase& p : reply.penalty_cases()) {
    std::vector<std::string> row = {p.penalty_case_id(), PenaltyStatusWords(p.status()),
                                    p.subject().name(), p.source_case_id(), "", "", ""};
    for (const v1::DeadlineCountdown& c : reply.countdowns()) {
      if (c.case_id() != p.penalty_case_id()) continue;
      row[4] = PenaltyClockWords(c.kind());
      row[5] = c.last_day().empty() ? Due(c.due_at()) : c.last_day();
      row[6] = CountdownText(c);
      break;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string PenaltyCaseLine(const v1::PenaltyCase& p) {
  return absl::StrCat(p.penalty_case_id(), "  ", PenaltyStatusWords(p.status()), "  v",
                      p.version(), "\n");
}

std::string FormatPenaltyCase(const v1::GetPenaltyCaseResponse& reply,
                              const std::string& unit_name) {
  const v1::PenaltyCase& p = reply.penalty_case();
  std::string out;
  const auto line = [&out](const std::string& label, const std::string& value) {
    if (!value.empty()) absl::StrAppend(&out, label, "：", value, "\n");
  };
  line("处罚案件", p.penalty_case_id());
  line("状态", absl::StrCat(PenaltyStatusWords(p.status()), p.overdue() ? "（逾期）" : ""));
  line("版本", std::to_string(p.version()));
  line("来源问题", p.source_case_id());
  line("退回的移送", p.source_referral_id());
  line("当事人", p.subject().name());
  line("统一社会信用代码", p.subject().unified_social_credit_code());
  line("责任单位", unit_name.empty() || unit_name == p.responsible_unit()
                       ? p.responsible_unit()
                       : absl::StrCat(unit_name, "（", p.responsible_unit(), "）"));
  line("违法行为", p.violation());

  // The steps, in the order the procedure takes them.
  std::vector<std::vector<std::string>> steps;
  const auto step = [&steps](const google::protobuf::Timestamp& at, const std::string& what,
                             const std::string& detail) {
    steps.push_back({IsSet(at) ? When(at) : "", what, detail});
  };
  const v1::PenaltyFiling& filing = p.filing();
  step(filing.proposed_at(), "提请立案",
       absl::StrCat(Who(filing.proposed_by()), "；发现于 ", When(filing.discovered_at())));
  if (filing.extended()) step({}, "延长立案期限", "局领导批准");
  if (IsSet(filing.decided_at())) {
    step(filing.decided_at(),
         p.status() == v1::PENALTY_STATUS_NOT_FILED ? "不予立案" : "批准立案",
         absl::StrCat(Who(filing.decided_by()), filing.remark().empty() ? "" : "；",
                      filing.remark()));
  }
  if (p.has_investigation()) {
    step(p.investigation().recorded_at(), "调查终结",
         absl::StrCat("执法人员 ", absl::StrJoin(p.investigation().officers(), "、")));
  }
  if (p.has_prior_notice()) {
    step(p.prior_notice().served_at(), "处罚事先告知",
         absl::StrCat("拟处罚：", TermsText(p.prior_notice().intended()), "；申请听证截止 ",
                      Due(p.prior_notice().hearing_request_ends_at())));
  }
  if (p.has_hearing()) {
    const v1::PenaltyHearing& h = p.hearing();
    step(h.requested_at(), "当事人申请听证", "");
    if (IsSet(h.notified_at())) {
      step(h.notified_at(), "通知听证",
           absl::StrCat("定于 ", When(h.scheduled_for()), "，", h.place()));
    }
    if (IsSet(h.held_at())) step(h.held_at(), h.waived() ? "听证终止（放弃）" : "举行听证", "");
  }
  if (p.decision_period_extended()) step({}, "延长处罚决定期限", "局领导批准");
  for (const v1::PenaltyDecision& d : p.decisions()) {
    std::string detail = absl::StrCat(d.decision_id(), "  ", TermsText(d.terms()), "；依据 ",
                                      d.legal_basis());
    if (d.kind() == v1::PENALTY_DECISION_KIND_DAILY) {
      absl::StrAppend(&detail, "；", d.daily_first_day(), " 至 ", d.daily_last_day(), " 共 ",
                      d.daily_days(), " 日");
    }
    step(d.decided_at(), absl::StrCat(DecisionKindWords(d.kind()), " ", d.document_number()),
         detail);
    if (IsSet(d.served_at())) {
      step(d.served_at(), absl::StrCat("送达 ", d.document_number()),
           absl::StrCat("缴纳期限 ", Due(d.payment_due_at())));
    }
    if (d.fine_paid_fen() > 0 || d.surcharge_paid_fen() > 0) {
      step(d.paid_at(), absl::StrCat("缴纳 ", d.document_number()),
           absl::StrCat("罚款 ", FenText(d.fine_paid_fen()), "，加处罚款 ",
                        FenText(d.surcharge_paid_fen()), d.settled() ? "；已缴清" : ""));
    }
    for (const v1::PenaltyRemedy& r : d.remedies()) {
      step(r.filed_at(), absl::StrCat(RemedyWords(r.kind()), " ", d.document_number()),
           absl::StrCat(r.body(), "；", OutcomeWords(r.outcome()), r.late() ? "；超过期限" : ""));
    }
    if (IsSet(d.execution_applied_at())) {
      step(d.execution_applied_at(), absl::StrCat("申请强制执行 ", d.document_number()),
           d.execution_court());
    }
    if (IsSet(d.published_at())) {
      step(d.published_at(), absl::StrCat("信息公开 ", d.document_number()), "");
    }
  }
  for (const v1::CorrectionOrder& o : p.orders()) {
    step(o.issued_at(), absl::StrCat("责令改正 ", o.order_id()),
         absl::StrCat(o.requirements(), "；改正期限 ", Due(o.correct_by()), "；",
                      OrderStateWords(o.state())));
    if (IsSet(o.served_at())) {
      step(o.served_at(), absl::StrCat("送达责令改正 ", o.order_id()),
           absl::StrCat("复查期限 ", Due(o.recheck_due_at())));
    }
    if (IsSet(o.rechecked_at())) {
      step(o.rechecked_at(), absl::StrCat("复查 ", o.order_id()),
           absl::StrCat(o.recheck_result() == v1::RECHECK_RESULT_CORRECTED ? "已改正" : "仍在违法",
                        "；", o.recheck_findings(),
                        o.daily_decision_id().empty() ? "" : "；按日连续处罚 ",
                        o.daily_decision_id()));
    }
  }
  if (p.has_closing()) {
    step(p.closing().closed_at(), "结案",
         absl::StrCat(ClosingWords(p.closing().reason()), p.closing().remark().empty() ? "" : "；",
                      p.closing().remark()));
  }
  absl::StrAppend(&out, "\n办理步骤：\n");
  for (const auto& s : steps) {
    absl::StrAppend(&out, "  ", s[0].empty() ? "                " : s[0], "  ", s[1],
                    s[2].empty() ? "" : "  ", s[2], "\n");
  }
  if (!reply.countdowns().empty()) {
    absl::StrAppend(&out, "\n期限（截至 ", When(reply.as_of()), "）：\n");
    for (const v1::DeadlineCountdown& c : reply.countdowns()) {
      absl::StrAppend(&out, "  ", PenaltyClockWords(c.kind()), "  截止 ",
                      c.last_day().empty() ? Due(c.due_at()) : c.last_day(), "  ",
                      CountdownText(c), "\n");
    }
  }
  for (const v1::SurchargeOwed& s : reply.surcharges()) {
    if (s.fine_unpaid_fen() == 0 && s.surcharge_unpaid_fen() == 0) continue;
    absl::StrAppend(&out, "\n", s.decision_id(), " 未缴罚款 ", FenText(s.fine_unpaid_fen()),
                    "，逾期 ", s.days_late(), " 日，加处罚款 ", FenText(s.surcharge_unpaid_fen()),
                    "\n");
  }
  return out;
}

std::string PublicationCsv(const v1::ExportPenaltyPublicationResponse& reply) {
  std::string out = "\xEF\xBB\xBF";
  const std::vector<std::string> header = {
      "文号",     "当事人",   "统一社会信用代码", "违法事实摘要", "处罚依据", "处罚内容",
      "罚款金额（元）", "决定日期", "决定类型", "公开期限", "公开日期", "是否逾期"};
  std::vector<std::string> cells;
  for (const std::string& h : header) cells.push_back(CsvField(h));
  absl::StrAppend(&out, absl::StrJoin(cells, ","), "\r\n");
  for (const v1::PenaltyPublicationEntry& e : reply.entries()) {
    const bool fined = std::find(e.terms().kinds().begin(), e.terms().kinds().end(),
                                 v1::PENALTY_KIND_FINE) != e.terms().kinds().end();
    std::string fine;
    if (fined) {
      fine = FenText(e.terms().fine_fen());
      fine.resize(fine.size() - std::string(" 元").size());
    }
    const std::vector<std::string> row = {
        e.document_number(), e.subject_name(),  e.unified_social_credit_code(),
        e.facts_summary(),   e.legal_basis(),   TermsText(e.terms()),
        fine,                e.decision_date(), DecisionKindWords(e.kind()),
        Due(e.publication_due_at()), When(e.published_at()), e.late() ? "逾期" : ""};
    cells.clear();
    for (const std::string& cell : row) cells.push_back(CsvField(cell));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\r\n");
  }
  return out;
}

}  // namespace rectify::client
