// Writes the HTML page of the sample monthly report (sample_monthly_report.h)
// to the file named by its one argument, for the headless-Chromium
// screenshot test and for a person who wants to look at the page.
//
//   bazel run //tests/client:render_sample_report -- /tmp/report.html
#include <cstdio>
#include <fstream>
#include <string>

#include "client/report_html.h"
#include "tests/client/sample_monthly_report.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: render_sample_report OUT.html\n");
    return 2;
  }
  const std::string html =
      rectify::client::RenderMonthlyReportHtml(rectify::testing::SampleMonthlyReport());
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << html;
  out.close();
  if (!out) {
    std::fprintf(stderr, "render_sample_report: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
