// Reading a scrape of a real /metrics endpoint in tests: the samples of the
// Prometheus text format, a sample's value by name and labels, and Debian's
// promtool's verdict on the text.
//
//   std::vector<Sample> samples = ParseSamples(body);
//   double ok = ValueOr0(samples, "grpc_server_handled_total", {{"grpc_code", "OK"}});
#ifndef RECTIFY_TESTS_PROMETHEUS_TEXT_H_
#define RECTIFY_TESTS_PROMETHEUS_TEXT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rectify::testing {

using Labels = std::map<std::string, std::string>;

// One sample line: name{a="x",b="y"} value (+Inf read as 1e300).
struct Sample {
  std::string name;
  Labels labels;
  double value = 0;
};

// The samples of a scrape. Label values holding '"' or ',' are not
// supported (ours are method names, codes, routes and versions).
std::vector<Sample> ParseSamples(const std::string& text);

// The value of the first sample `name` whose labels include `labels`;
// nullopt when there is none.
std::optional<double> Find(const std::vector<Sample>& samples, const std::string& name,
                           const Labels& labels = {});
// Find's value, or 0 (a series not made yet counts as 0 for deltas).
double ValueOr0(const std::vector<Sample>& samples, const std::string& name,
                const Labels& labels = {});
// The sum over every sample of `name`.
double Sum(const std::vector<Sample>& samples, const std::string& name);

// Runs `promtool check metrics` on `text` (written into `work_dir`): its
// output (empty when the exposition is clean) and exit code in `*exit_code`.
absl::StatusOr<std::string> PromtoolCheckMetrics(const std::string& text,
                                                 const std::string& work_dir, int* exit_code);

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_PROMETHEUS_TEXT_H_
