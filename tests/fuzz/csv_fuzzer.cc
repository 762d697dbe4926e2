// Fuzzes the ledger export's CSV writer (CsvField in
// server/supervision_service.h). Input: the cells of one row, separated by
// the Parts separator.
//
// Properties: the row written from the cells (fields joined by commas, ended
// by CRLF, as the ledger writes it) parses back, with an RFC 4180 reader
// written here independently, into the same number of cells with the same
// text; a cell that a spreadsheet would take for a formula (starting with
// = + - @ tab or CR) may come back with a leading apostrophe that
// neutralises it (OWASP's advice), and then must; unquoted fields hold no
// quote, comma, CR or LF.
//
// The 12369 import reader (client/complaint_csv.h) reads that row back into
// the same cells as the independent reader (within its bounds); on the raw
// input, decoding (UTF-8 or GBK) and parsing either succeed or refuse, the
// records' lines rise, and the rows built from them keep those lines.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/complaint_csv.h"
#include "server/supervision_service.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Reads one RFC 4180 record that ends with CRLF and is all of `text`;
// nullopt when it is not well formed.
std::optional<std::vector<std::string>> ReadRecord(const std::string& text) {
  std::vector<std::string> cells;
  size_t at = 0;
  while (true) {
    std::string cell;
    if (at < text.size() && text[at] == '"') {
      ++at;
      while (true) {
        if (at >= text.size()) return std::nullopt;  // unterminated quote
        if (text[at] == '"') {
          if (at + 1 < text.size() && text[at + 1] == '"') {
            cell.push_back('"');
            at += 2;
            continue;
          }
          ++at;
          break;
        }
        cell.push_back(text[at++]);
      }
    } else {
      while (at < text.size() && text[at] != ',' && text[at] != '\r') {
        if (text[at] == '"' || text[at] == '\n') return std::nullopt;
        cell.push_back(text[at++]);
      }
    }
    cells.push_back(std::move(cell));
    if (at < text.size() && text[at] == ',') {
      ++at;
      continue;
    }
    if (text.compare(at, std::string::npos, "\r\n") == 0) return cells;
    return std::nullopt;  // a quote closed in mid-field, or a stray CR
  }
}

bool LooksLikeFormula(const std::string& cell) {
  return !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                           cell[0] == '\t' || cell[0] == '\r');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rectify::fuzz::Parts parts(data, size);
  std::vector<std::string> cells;
  while (!parts.done()) cells.emplace_back(parts.Next());

  std::string row;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) row.push_back(',');
    row += rectify::server::CsvField(cells[i]);
  }
  row += "\r\n";

  const std::optional<std::vector<std::string>> read = ReadRecord(row);
  FUZZ_CHECK(read.has_value(), "the row is well-formed RFC 4180");
  FUZZ_CHECK(read->size() == cells.size(), "the row has one field per cell");
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& got = (*read)[i];
    if (LooksLikeFormula(cells[i]) && got != cells[i]) {
      FUZZ_CHECK(got == "'" + cells[i], "a formula cell is neutralised by a leading apostrophe");
    } else {
      FUZZ_CHECK(got == cells[i], "a cell reads back as written");
    }
  }

  using namespace rectify::client;
  bool within = cells.size() <= kMaxComplaintCsvCells && row != "\r\n";
  for (const std::string& cell : *read) within = within && cell.size() <= kMaxComplaintCsvCell;
  if (within) {
    const auto records = ParseCsv(row);
    FUZZ_CHECK(records.ok(), "the import reader reads a written row");
    FUZZ_CHECK(records->size() == 1 && (*records)[0].line == 1, "one record, on line 1");
    FUZZ_CHECK((*records)[0].cells == *read, "the import reader's cells are the reader's");
  }

  const auto decoded =
      DecodeExport(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (decoded.ok()) {
    const auto records = ParseCsv(decoded->text);
    if (records.ok()) {
      int line = 0;
      for (const CsvRecord& record : *records) {
        FUZZ_CHECK(record.line > line, "records' lines rise");
        line = record.line;
      }
      const ComplaintCsv csv = ToImportRows(*records);
      for (const auto& imported : csv.rows) {
        FUZZ_CHECK(imported.row_number() > 1 && imported.row_number() <= line,
                   "a row keeps a data record's line");
      }
    }
  }
  return 0;
}
