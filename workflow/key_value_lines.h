// The line format shared by the policy and calendar files: one
// `key: value` per line, `#` starts a comment, blank lines are skipped.
// Splitting lives here once so both parsers number lines and report a
// line without a colon the same way.
//
//   ASSIGN_OR_RETURN(std::vector<KeyValueLine> lines, SplitKeyValueLines(text, "policy"));
//   for (const KeyValueLine& line : lines) { ... line.number, line.key, line.value ... }
#ifndef RECTIFY_WORKFLOW_KEY_VALUE_LINES_H_
#define RECTIFY_WORKFLOW_KEY_VALUE_LINES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::workflow {

struct KeyValueLine {
  // 1-based line number in the text.
  int number = 0;
  // The key and the value, trimmed; views into the text.
  absl::string_view key;
  absl::string_view value;
};

// The `key: value` lines of `text`. INVALID_ARGUMENT "<what> line N:
// expected "key: value", got "..."" for a line without a colon.
absl::StatusOr<std::vector<KeyValueLine>> SplitKeyValueLines(absl::string_view text,
                                                             absl::string_view what);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_KEY_VALUE_LINES_H_
