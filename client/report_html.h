// The monthly dispatch report (月调度) as one self-contained HTML page that a
// supervisor opens in a browser or prints on A4: the headline figures, a
// table and an inline-SVG chart per category, region and responsible unit,
// and the notice list grouped by unit, in Chinese. docs/reports.md defines
// every figure; this file only lays them out. The page's words and markup
// are the Mustache template client/templates/monthly_report.html.mustache
// (and its partials), embedded at build time; report_html.cc gives it the
// figures formatted and the charts laid out.
//
// The page needs nothing from outside: no scripts, no web fonts (it names
// fonts installed locally: Noto CJK, Source Han, YaHei, PingFang, WenQuanYi),
// no images but inline SVG. Every text from the data (units, titles, keys)
// is HTML-escaped by the template engine. The same report always gives the
// same bytes.
//
//   v1::GetMonthlyReportResponse report = ...;  // SupervisionService reply
//   std::ofstream("2026-03.html") << RenderMonthlyReportHtml(report);
#ifndef RECTIFY_CLIENT_REPORT_HTML_H_
#define RECTIFY_CLIENT_REPORT_HTML_H_

#include <string>

#include "rectify/v1/supervision_service.pb.h"

namespace rectify::client {

// Returns the report as one UTF-8 HTML document (with an A4 print
// stylesheet). Never fails: figures that are not finite numbers show as 0,
// rows with an unknown key show the key itself.
std::string RenderMonthlyReportHtml(const v1::GetMonthlyReportResponse& report);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_REPORT_HTML_H_
