// Reading a CSV file in a test: RFC 4180 records (quoted fields with
// doubled quotes, CRLF between records), written independently of the
// writers under test (the ledger export, server/supervision_service.cc).
#ifndef RECTIFY_TESTS_CSV_ROWS_H_
#define RECTIFY_TESTS_CSV_ROWS_H_

#include <string>
#include <vector>

namespace rectify::testing {

// The records of `text` (without a BOM), each a list of its fields.
inline std::vector<std::vector<std::string>> ParseCsvRows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(field);
      field.clear();
      rows.push_back(row);
      row.clear();
      ++i;
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_CSV_ROWS_H_
