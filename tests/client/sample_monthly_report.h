// A realistic monthly dispatch report for tests of its HTML page: Minle
// County (620722), March 2026, about 160 cases in ten townships, Chinese
// unit names (one very long), case titles with characters HTML gives meaning
// to, and notices of every reason. The figures are aggregated here from a
// fixed list of made-up cases by docs/reports.md's definitions, so every
// table adds up the way the server's would.
#ifndef RECTIFY_TESTS_CLIENT_SAMPLE_MONTHLY_REPORT_H_
#define RECTIFY_TESTS_CLIENT_SAMPLE_MONTHLY_REPORT_H_

#include "rectify/v1/supervision_service.pb.h"

namespace rectify::testing {

// The same report on every call.
v1::GetMonthlyReportResponse SampleMonthlyReport();

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_CLIENT_SAMPLE_MONTHLY_REPORT_H_
