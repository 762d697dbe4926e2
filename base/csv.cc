// CSV cells; see csv.h.
#include "base/csv.h"

namespace rectify {

std::string CsvField(const std::string& text) {
  // A cell that starts with one of these is a formula (or may become one) in
  // Excel, WPS and LibreOffice; OWASP's "CSV Injection" advice is to prefix
  // it with an apostrophe, which spreadsheets show as text and do not
  // evaluate. Titles and summaries are typed by users, some of them outside
  // the bureau.
  const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
                                         text[0] == '@' || text[0] == '\t' || text[0] == '\r');
  const std::string cell = formula ? "'" + text : text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace rectify
