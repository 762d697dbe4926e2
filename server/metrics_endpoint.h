// The HTTP endpoint rectify_server serves its metrics on (--metrics_listen),
// in the Prometheus text exposition format, with prometheus-cpp's Exposer
// (Debian prometheus-cpp-dev, on civetweb), and ScrapeCollector: figures
// read when Prometheus scrapes (queue depths, RocksDB properties, free disk)
// rather than kept up to date on every change.
//
//   auto registry = std::make_shared<prometheus::Registry>();
//   auto scraped = std::make_shared<ScrapeCollector>();
//   scraped->AddGauge("rectify_pipeline_queued_commands", "...", [&] { return pipeline.queued(); });
//   ASSIGN_OR_RETURN(auto endpoint, MetricsEndpoint::Start("127.0.0.1:9464", {registry, scraped}));
//   endpoint->port();
#ifndef RECTIFY_SERVER_METRICS_ENDPOINT_H_
#define RECTIFY_SERVER_METRICS_ENDPOINT_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "prometheus/metric_family.h"

namespace rectify::server {

// Metric families produced at each scrape by functions added before the
// endpoint serves (Add* is not thread-safe; Collect is, as far as the
// functions are).
class ScrapeCollector : public prometheus::Collectable {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;
  // Adds the families `produce` appends to its argument at each scrape.
  void Add(std::function<void(std::vector<prometheus::MetricFamily>&)> produce);
  // One gauge (or counter, with `counter`) without labels, read by `read`.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  void AddCounter(std::string name, std::string help, std::function<double()> read);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::vector<std::function<void(std::vector<prometheus::MetricFamily>&)>> producers_;
};

// A family of one gauge or counter sample per entry of `samples`.
prometheus::MetricFamily MakeFamily(std::string name, std::string help, prometheus::MetricType type,
                                    const std::vector<std::pair<ScrapeCollector::Labels, double>>& samples);

class MetricsEndpoint {
 public:
  // Serves GET /metrics on `address` (host:port; port 0 picks a free port)
  // with two threads, from `collectables` (kept alive by the endpoint).
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& address,
      const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables);

  // The port it listens on.
  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port,
                  std::vector<std::shared_ptr<prometheus::Collectable>> collectables)
      : collectables_(std::move(collectables)), exposer_(std::move(exposer)), port_(port) {}

  // Declared before the exposer, so that it stops serving before they go.
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_METRICS_ENDPOINT_H_
