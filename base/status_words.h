// The one home of the words a bureau user reads for a case's status (the
// ledger's status column, the monthly report page, the CLI's tables in
// Chinese): 待交办, 已交办, 整改中, 已验收, 已销号, 查无实据, and 逾期 for an
// overdue case. Code, logs and refusals keep the enum names (FOUND, ...).
//
//   CaseStatusWords(state.status(), state.closure().unfounded())  // "查无实据"
//   LedgerStatus(state)                                         // "整改中（逾期）"
#ifndef RECTIFY_BASE_STATUS_WORDS_H_
#define RECTIFY_BASE_STATUS_WORDS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/common.pb.h"

namespace rectify {

// The word for an overdue case or notice: "逾期".
inline constexpr absl::string_view kOverdueWord = "逾期";

// 待交办 (FOUND), 已交办 (ASSIGNED), 整改中 (RECTIFYING), 已验收 (VERIFIED),
// 已销号 (CLOSED) or 查无实据 (CLOSED as unfounded); "—" for no status.
std::string CaseStatusWords(v1::CaseStatus status, bool closed_unfounded = false);

// A case's status as the ledger shows it: its words, then "（逾期）" while it
// is overdue, e.g. "整改中（逾期）".
std::string LedgerStatus(const v1::Case& state);

}  // namespace rectify

#endif  // RECTIFY_BASE_STATUS_WORDS_H_
