// The one home of writing a CSV cell for a spreadsheet: the ledger export
// (server/supervision_service.cc) and the publication export rectifyctl
// writes (client/penalty_format.cc) quote and neutralise cells the same way.
//
//   CsvField("民乐县,洪水镇")  // "\"民乐县,洪水镇\""
//   CsvField("=1+1")           // "'=1+1"
#ifndef RECTIFY_BASE_CSV_H_
#define RECTIFY_BASE_CSV_H_

#include <string>

namespace rectify {

// One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180).
// A field that starts with '=', '+', '-', '@', tab or CR gets a leading
// apostrophe ("'=1+1"), so that a spreadsheet shows it as text instead of
// running it as a formula (OWASP, CSV Injection).
std::string CsvField(const std::string& text);

}  // namespace rectify

#endif  // RECTIFY_BASE_CSV_H_
