// The words users read for case statuses; see status_words.h.
#include "base/status_words.h"

#include "absl/strings/str_cat.h"

namespace rectify {

std::string CaseStatusWords(v1::CaseStatus status, bool closed_unfounded) {
  switch (status) {
    case v1::CASE_STATUS_FOUND:
      return "待交办";
    case v1::CASE_STATUS_ASSIGNED:
      return "已交办";
    case v1::CASE_STATUS_RECTIFYING:
      return "整改中";
    case v1::CASE_STATUS_VERIFIED:
      return "已验收";
    case v1::CASE_STATUS_CLOSED:
      return closed_unfounded ? "查无实据" : "已销号";
    default:
      return "—";
  }
}

std::string LedgerStatus(const v1::Case& state) {
  std::string words = CaseStatusWords(
      state.status(), state.status() == v1::CASE_STATUS_CLOSED && state.closure().unfounded());
  if (state.overdue()) absl::StrAppend(&words, "（", kOverdueWord, "）");
  return words;
}

}  // namespace rectify
