// Splits `key: value` text files into lines; see key_value_lines.h.
#include "workflow/key_value_lines.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rectify::workflow {

absl::StatusOr<std::vector<KeyValueLine>> SplitKeyValueLines(absl::string_view text,
                                                             absl::string_view what) {
  std::vector<KeyValueLine> lines;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const size_t hash = line.find('#');
    if (hash != absl::string_view::npos) line = line.substr(0, hash);
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(what, " line ", number,
                                                     ": expected \"key: value\", got \"", line,
                                                     "\""));
    }
    lines.push_back(KeyValueLine{number, absl::StripAsciiWhitespace(line.substr(0, colon)),
                                 absl::StripAsciiWhitespace(line.substr(colon + 1))});
  }
  return lines;
}

}  // namespace rectify::workflow
