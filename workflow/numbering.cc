// Document numbering; see numbering.h.
#include "workflow/numbering.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/dates.h"
#include "base/status_macros.h"
#include "base/user_message.h"

namespace rectify::workflow {
namespace {

int64_t MaxSequence(const NumberSeries& series) {
  int64_t max = 1;
  for (int i = 0; i < series.digits; ++i) max *= 10;
  return max - 1;
}

}  // namespace

std::string NumberPrefix(const NumberSeries& series, absl::string_view region_code,
                         absl::Time now) {
  std::string county(region_code.substr(0, 6));
  county.resize(6, '0');
  return absl::StrCat(series.letters, county, "-", absl::FormatTime("%Y", now, ChinaTimeZone()),
                      "-");
}

DocumentNumbers::DocumentNumbers(LastStoredId last_stored_id)
    : last_stored_id_(std::move(last_stored_id)) {}

absl::StatusOr<std::string> DocumentNumbers::Allocate(const NumberSeries& series,
                                                      absl::string_view region_code,
                                                      absl::Time now) {
  const std::string prefix = NumberPrefix(series, region_code, now);
  auto last = last_sequence_.find(prefix);
  if (last == last_sequence_.end()) {
    ASSIGN_OR_RETURN(std::string last_id, last_stored_id_(series.kind, prefix));
    int64_t sequence = 0;
    if (!last_id.empty() && !absl::SimpleAtoi(last_id.substr(prefix.size()), &sequence)) {
      return absl::DataLossError(
          absl::StrCat("stored ", series.noun_english, " id ", last_id, " is malformed"));
    }
    last = last_sequence_.emplace(prefix, sequence).first;
  }
  const int64_t max = MaxSequence(series);
  if (last->second >= max) {
    const absl::string_view county = region_code.substr(0, 6);
    return Refuse(absl::StatusCode::kResourceExhausted,
                  absl::StrCat("county ", county, " has used all ", max, " ",
                               series.noun_english, " numbers of the year"),
                  absl::StrCat("县区 ", county, " 今年的 ", max, " 个", series.noun_chinese,
                               "编号已全部用完，请联系系统管理员"));
  }
  ++last->second;
  return absl::StrCat(prefix, absl::StrFormat("%0*d", series.digits, last->second));
}

void DocumentNumbers::Release(const NumberSeries& series, absl::string_view id) {
  if (id.size() < static_cast<size_t>(series.digits)) return;
  auto last = last_sequence_.find(id.substr(0, id.size() - series.digits));
  if (last != last_sequence_.end()) --last->second;
}

void DocumentNumbers::Forget() { last_sequence_.clear(); }

}  // namespace rectify::workflow
