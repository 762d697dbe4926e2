// How rectifyctl shows penalty cases (处罚案件, penalty.proto) to a bureau
// user: money in yuan from integer fen (never a floating point), the words
// for penalty kinds, clocks and steps in Chinese, the queue's rows with each
// clock's days left as the server counted them, one case as a labelled
// block with its steps, and the publication export (信息公开) as CSV.
//
//   FenText(5000000)                    // "50,000.00 元"
//   ParseYuan("--fine", "50000.5")      // 5000050 fen
//   FormatPenaltyCase(reply)            // 处罚案件 P-620722-2026-0001 ...
//   PublicationCsv(export_reply)        // UTF-8 with BOM, one row per decision
#ifndef RECTIFY_CLIENT_PENALTY_FORMAT_H_
#define RECTIFY_CLIENT_PENALTY_FORMAT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rectify/v1/penalty_service.pb.h"

namespace rectify::client {

// "50,000.00 元": fen as yuan with two decimals and thousands separators.
std::string FenText(int64_t fen);
// The same without the unit: "50,000.00" (for a place that shows the unit
// apart, e.g. the report page's cards).
std::string YuanDigits(int64_t fen);

// Yuan as people type them ("50000", "50,000", "1234.5", "0.01") in fen.
// INVALID_ARGUMENT naming `label` for anything else: a sign, more than two
// decimals, more than 1,000,000,000 yuan.
absl::StatusOr<int64_t> ParseYuan(const std::string& label, const std::string& text);

// 警告, 罚款 5,000.00 元, 没收（what）, 责令停产停业, 吊销许可证件; joined by "、".
std::string TermsText(const v1::PenaltyTerms& terms);

// The Chinese name of a penalty clock (DEADLINE_KIND_PENALTY_* and
// DEADLINE_KIND_CORRECTION_*), e.g. 立案期限; "期限" for another kind.
std::string PenaltyClockWords(v1::DeadlineKind kind);

// A countdown as the server counted it: 「还剩 3 天（2 个工作日）」 or
// 「已逾期 2 个工作日」.
std::string CountdownText(const v1::DeadlineCountdown& countdown);

// The queue as table rows (PENALTY_CASE, STATUS, PARTY, SOURCE_CASE, CLOCK,
// DUE, LEFT): one per listed case, its most pressing clock when it has one.
std::vector<std::string> PenaltyQueueHeader();
std::vector<std::vector<std::string>> PenaltyQueueRows(const v1::ListPenaltyCasesResponse& reply);

// One penalty case as a bureau user reads it: its party and source, then
// its steps in order (filing, investigation, prior notice, hearing, each
// decision with its service, payment, remedies, execution and publication,
// each order to correct with its recheck, closing), then its running clocks
// with the days left and the late surcharge owed. The responsible unit
// reads "洪水镇人民政府（minle-hongshui-town）" when `unit_name` gives its name.
std::string FormatPenaltyCase(const v1::GetPenaltyCaseResponse& reply,
                              const std::string& unit_name = "");

// The short line after a step: "P-620722-2026-0001  已告知  v4".
std::string PenaltyCaseLine(const v1::PenaltyCase& penalty_case);

// The publication export as CSV (UTF-8 with BOM, CRLF, RFC 4180 via
// base/csv.h): 文号, 当事人, 统一社会信用代码, 违法事实摘要, 处罚依据, 处罚内容,
// 罚款金额（元）, 决定日期, 决定类型, 公开期限, 公开日期, 是否逾期. Only what the
// server put in the entries (personal data and trade secrets already removed).
std::string PublicationCsv(const v1::ExportPenaltyPublicationResponse& reply);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_PENALTY_FORMAT_H_
