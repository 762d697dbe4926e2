// Reading scrapes in tests; see prometheus_text.h.
#include "tests/prometheus_text.h"

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/subprocess.h"

namespace rectify::testing {

std::vector<Sample> ParseSamples(const std::string& text) {
  std::vector<Sample> samples;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    Sample sample;
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) continue;
    const std::string value(line.substr(space + 1));
    if (value == "+Inf") {
      sample.value = 1e300;
    } else if (!absl::SimpleAtod(value, &sample.value)) {
      continue;
    }
    const absl::string_view head = line.substr(0, space);
    const size_t brace = head.find('{');
    sample.name = std::string(head.substr(0, brace));
    if (brace != absl::string_view::npos && head.back() == '}') {
      const absl::string_view labels = head.substr(brace + 1, head.size() - brace - 2);
      for (absl::string_view pair : absl::StrSplit(labels, ',', absl::SkipEmpty())) {
        const size_t eq = pair.find('=');
        if (eq == absl::string_view::npos) continue;
        sample.labels[std::string(pair.substr(0, eq))] =
            std::string(absl::StripSuffix(absl::StripPrefix(pair.substr(eq + 1), "\""), "\""));
      }
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

std::optional<double> Find(const std::vector<Sample>& samples, const std::string& name,
                           const Labels& labels) {
  for (const Sample& sample : samples) {
    if (sample.name != name) continue;
    bool match = true;
    for (const auto& [key, value] : labels) {
      auto it = sample.labels.find(key);
      if (it == sample.labels.end() || it->second != value) match = false;
    }
    if (match) return sample.value;
  }
  return std::nullopt;
}

double ValueOr0(const std::vector<Sample>& samples, const std::string& name,
                const Labels& labels) {
  return Find(samples, name, labels).value_or(0);
}

double Sum(const std::vector<Sample>& samples, const std::string& name) {
  double sum = 0;
  for (const Sample& sample : samples) {
    if (sample.name == name) sum += sample.value;
  }
  return sum;
}

absl::StatusOr<std::string> PromtoolCheckMetrics(const std::string& text,
                                                 const std::string& work_dir, int* exit_code) {
  const std::string path = work_dir + "/scrape.txt";
  {
    std::ofstream out(path);
    out << text;
  }
  std::string out;
  std::string err;
  absl::StatusOr<int> code =
      Run({"/bin/sh", "-c", "promtool check metrics < \"$0\"", path}, work_dir, &out, &err);
  if (!code.ok()) return code.status();
  *exit_code = *code;
  return out + err;
}

}  // namespace rectify::testing
