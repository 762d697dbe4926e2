// The one home of how documents are numbered: case ids
// ("620722-2026-000123"), list ids ("L-620722-2026-0001") and any later
// document stream (penalty decisions, complaints) that counts per county and
// calendar year in China Standard Time.
//
// An id is `letters` ‖ county (6 digits; a city's or province's shorter code
// padded with zeros, 620700 or 620000) ‖ "-" ‖ year ‖ "-" ‖ the sequence,
// zero-padded to `digits`. The sequence continues after the greatest id of
// the stream kind already stored under the same prefix (read once per
// prefix through `LastStoredId`), and a refused command gives its number
// back with Release, so refusals leave no gaps.
//
//   DocumentNumbers numbers([&store](v1::StreamKind kind, const std::string& prefix) {
//     return store.LastStreamIdWithPrefix(kind, prefix);
//   });
//   ASSIGN_OR_RETURN(std::string id, numbers.Allocate(kCaseNumbers, "620722", now));
//   ...  // the command is refused:
//   numbers.Release(id);
//   ...  // the commit failed: nothing handed out since the last commit was written
//   numbers.Forget();
//
// Not thread-safe: the pipeline's writer thread owns its one instance.
#ifndef RECTIFY_WORKFLOW_NUMBERING_H_
#define RECTIFY_WORKFLOW_NUMBERING_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/event.pb.h"

namespace rectify::workflow {

// One kind of numbered document.
struct NumberSeries {
  // The stream kind whose stored ids continue the sequence.
  v1::StreamKind kind;
  // Written before the county: "" for cases, "L-" for lists.
  absl::string_view letters;
  // Width of the sequence; at most 10^digits - 1 numbers per county and year.
  int digits;
  // The document in refusals: "case" / "案件".
  absl::string_view noun_english;
  absl::string_view noun_chinese;
};

// Cases: "620722-2026-000123", at most 999,999 per county and year.
inline constexpr NumberSeries kCaseNumbers{v1::STREAM_KIND_CASE, "", 6, "case", "案件"};
// Rectification lists: "L-620722-2026-0001", at most 9,999.
inline constexpr NumberSeries kListNumbers{v1::STREAM_KIND_RECTIFICATION_LIST, "L-", 4, "list",
                                           "清单"};

// The ids of `series` for `region_code` (2 to 12 digits, already checked)
// in the China year of `now` start with this: "620722-2026-", "L-620700-2026-".
std::string NumberPrefix(const NumberSeries& series, absl::string_view region_code,
                         absl::Time now);

class DocumentNumbers {
 public:
  // The greatest stored id of `kind` starting with `prefix`, "" when none.
  using LastStoredId =
      std::function<absl::StatusOr<std::string>(v1::StreamKind kind, const std::string& prefix)>;

  explicit DocumentNumbers(LastStoredId last_stored_id);

  // The next id of `series` for `region_code` (checked by the caller) at
  // `now`. RESOURCE_EXHAUSTED (with Chinese) when the county has used every
  // number of the year; DATA_LOSS when the stored last id is malformed; the
  // lookup's error as it is.
  absl::StatusOr<std::string> Allocate(const NumberSeries& series, absl::string_view region_code,
                                       absl::Time now);

  // Gives back `id`, which must be the id Allocate handed out last for its
  // prefix (the writer stages one command at a time, so a refused command's
  // id is always the latest of its prefix).
  void Release(const NumberSeries& series, absl::string_view id);

  // Forgets every sequence handed out (after a failed commit: none of them
  // was written); the next Allocate reads the store again.
  void Forget();

 private:
  LastStoredId last_stored_id_;
  // The last sequence handed out per prefix.
  absl::flat_hash_map<std::string, int64_t> last_sequence_;
};

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_NUMBERING_H_
