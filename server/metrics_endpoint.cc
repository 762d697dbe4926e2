// The metrics endpoint; see metrics_endpoint.h.
#include "server/metrics_endpoint.h"

#include <exception>

#include "absl/strings/str_cat.h"

namespace rectify::server {

void ScrapeCollector::Add(std::function<void(std::vector<prometheus::MetricFamily>&)> produce) {
  producers_.push_back(std::move(produce));
}

void ScrapeCollector::AddGauge(std::string name, std::string help, std::function<double()> read) {
  Add([name = std::move(name), help = std::move(help), read = std::move(read)](
          std::vector<prometheus::MetricFamily>& out) {
    out.push_back(MakeFamily(name, help, prometheus::MetricType::Gauge, {{{}, read()}}));
  });
}

void ScrapeCollector::AddCounter(std::string name, std::string help,
                                 std::function<double()> read) {
  Add([name = std::move(name), help = std::move(help), read = std::move(read)](
          std::vector<prometheus::MetricFamily>& out) {
    out.push_back(MakeFamily(name, help, prometheus::MetricType::Counter, {{{}, read()}}));
  });
}

std::vector<prometheus::MetricFamily> ScrapeCollector::Collect() const {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& produce : producers_) produce(families);
  return families;
}

prometheus::MetricFamily MakeFamily(
    std::string name, std::string help, prometheus::MetricType type,
    const std::vector<std::pair<ScrapeCollector::Labels, double>>& samples) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  for (const auto& [labels, value] : samples) {
    prometheus::ClientMetric metric;
    for (const auto& [label, label_value] : labels) metric.label.push_back({label, label_value});
    if (type == prometheus::MetricType::Counter) {
      metric.counter.value = value;
    } else {
      metric.gauge.value = value;
    }
    family.metric.push_back(std::move(metric));
  }
  return family;
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& address,
    const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables) {
  // prometheus-cpp reports a failed bind with an exception (civetweb's);
  // it stops here, as a status.
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(
        std::vector<std::string>{"listening_ports", address, "num_threads", "2"});
  } catch (const std::exception& error) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", error.what()));
  }
  const std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.empty() || ports.front() <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address));
  }
  for (const auto& collectable : collectables) exposer->RegisterCollectable(collectable);
  return std::unique_ptr<MetricsEndpoint>(
      new MetricsEndpoint(std::move(exposer), ports.front(), collectables));
}

}  // namespace rectify::server
