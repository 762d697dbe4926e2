// Reading the 12369 platform's CSV export into ImportComplaints rows
// (rectifyctl import-complaints; the columns are documented in
// docs/rectifyctl.md, "import-complaints").
//
// Three steps, each bounded:
//   DecodeExport     the file's bytes to UTF-8: UTF-8 with or without a BOM
//                    is taken as it is; anything else is decoded as GBK
//                    (GB 18030, its superset) with ICU, strictly.
//   ParseCsv         RFC 4180 records with the line each starts on (quoted
//                    cells may hold commas, quotes and line breaks).
//   ToImportRows     the header names the columns (English or Chinese, any
//                    order); each data record becomes a ComplaintImportRow
//                    whose row_number is its line. Only what the file's
//                    form decides is checked here (a time, a channel or a
//                    category word that cannot be read, a cell too long);
//                    the rules on the complaint itself are the server's
//                    (workflow/complaints, CheckComplaintImport), which
//                    reports its bad rows by the same line numbers.
//
//   ASSIGN_OR_RETURN(std::string text, DecodeExport(bytes));
//   ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text));
//   ComplaintCsv csv = ToImportRows(records);  // csv.problems empty: send csv.rows
#ifndef RECTIFY_CLIENT_COMPLAINT_CSV_H_
#define RECTIFY_CLIENT_COMPLAINT_CSV_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/complaint_service.pb.h"

namespace rectify::client {

// Largest export file read. Default: 4 MiB.
inline constexpr size_t kMaxComplaintCsvBytes = 4 << 20;
// Most data rows in one file (one all-or-nothing ImportComplaints request).
// Default: 1,000 (the server's limit, workflow::kMaxComplaintImportRows).
inline constexpr int kMaxComplaintCsvRows = 1000;
// Longest cell in bytes of UTF-8 (the server bounds each field further).
// Default: 20,000.
inline constexpr size_t kMaxComplaintCsvCell = 20000;
// Most cells in a record. Default: 32.
inline constexpr size_t kMaxComplaintCsvCells = 32;

// Which encoding the file was in.
enum class CsvEncoding { kUtf8, kUtf8Bom, kGbk };

struct DecodedExport {
  std::string text;  // UTF-8, without a BOM
  CsvEncoding encoding = CsvEncoding::kUtf8;
};

// The export's text as UTF-8. INVALID_ARGUMENT when it is larger than
// kMaxComplaintCsvBytes, or neither valid UTF-8 nor valid GBK (the message
// names the byte offset where GBK decoding failed).
absl::StatusOr<DecodedExport> DecodeExport(absl::string_view bytes);

// One CSV record and the line (1-based) it starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> cells;
};

// The records of `text` (RFC 4180: comma-separated, CRLF or LF line ends,
// "" for a quote inside a quoted cell). Blank lines are skipped.
// INVALID_ARGUMENT naming the line for an unterminated quote, a quote inside
// an unquoted cell, text after a closing quote, a cell longer than
// kMaxComplaintCsvCell, a record of more than kMaxComplaintCsvCells cells,
// or more than kMaxComplaintCsvRows + 1 records.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

// A problem with one line of the file, found before anything is sent.
struct CsvProblem {
  int line = 0;
  std::string column;  // the header's name of the cell, or "" for the row
  std::string message;     // English
  std::string message_zh;  // Chinese, what the bureau reads
};

struct ComplaintCsv {
  std::vector<v1::ComplaintImportRow> rows;
  std::vector<CsvProblem> problems;  // in line order; when any, send nothing
};

// The rows of an export whose first record is the header. Every problem is
// collected (not only the first).
ComplaintCsv ToImportRows(const std::vector<CsvRecord>& records);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMPLAINT_CSV_H_
