// The in-process server of the supervision tests: a real RocksDB store in a
// temporary directory, the command pipeline, CaseService,
// SupervisionService and UnitService on a gRPC server at 127.0.0.1 port 0, and stubs on one
// channel to it. Time is the test's SimulatedClock.
//
//   SupervisionServer server;
//   ASSERT_OK(server.Start(principals_text, policy, clock, dir.Sub("db")));
//   server.cases().ReportCase(&context, request, &response);
//   server.Stop();
#ifndef RECTIFY_TESTS_SERVER_SUPERVISION_SERVER_H_
#define RECTIFY_TESTS_SERVER_SUPERVISION_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/supervision_service.grpc.pb.h"
#include "rectify/v1/unit_service.grpc.pb.h"
#include "server/case_service.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "server/supervision_service.h"
#include "server/unit_service.h"
#include "storage/rocks_event_store.h"
#include "tests/server/loopback.h"
#include "workflow/policy.h"

namespace rectify::testing {

// One `principals { ... }` entry of a principals file, for a test to append
// to config/principals.demo.textproto.
inline std::string PrincipalEntry(const std::string& id, const std::string& role,
                                  const std::string& unit, const std::string& jurisdiction,
                                  const std::string& token) {
  return absl::StrCat("principals {\n  principal {\n    principal_id: \"", id, "\"\n    role: ",
                      role, "\n    unit_id: \"", unit, "\"\n    jurisdiction: \"", jurisdiction,
                      "\"\n  }\n  token_sha256: \"", HexEncode(Sha256(token)), "\"\n}\n");
}

class SupervisionServer {
 public:
  ~SupervisionServer() { Stop(); }

  // Opens the store in `data_dir` and starts everything. `policy` and
  // `clock` must outlive the server.
  absl::Status Start(const std::string& principals_text, const workflow::Policy& policy,
                     SimulatedClock& clock, const std::string& data_dir) {
    absl::Status opened =
        OpenRegistryAndStore(principals_text, clock, data_dir, principals_, store_);
    if (!opened.ok()) return opened;
    pipeline_ = std::make_unique<server::CommandPipeline>(*store_, policy, clock);
    pipeline_->Start();
    cases_ = std::make_unique<server::CaseServiceImpl>(*principals_, *pipeline_, *store_);
    supervision_ = std::make_unique<server::SupervisionServiceImpl>(*principals_, *pipeline_,
                                                                    *store_, *cases_, policy, clock);
    units_ = std::make_unique<server::UnitServiceImpl>(*principals_, *pipeline_, *store_);
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        ServeOnLoopback({cases_.get(), supervision_.get(), units_.get()}, server_);
    if (!channel.ok()) return channel.status();
    case_stub_ = v1::CaseService::NewStub(*channel);
    supervision_stub_ = v1::SupervisionService::NewStub(*channel);
    unit_stub_ = v1::UnitService::NewStub(*channel);
    return absl::OkStatus();
  }

  // Shuts the gRPC server down and stops the pipeline (finishing what it
  // holds); safe to call twice.
  void Stop() {
    ShutdownServer(server_);
    if (pipeline_ != nullptr) pipeline_->Stop();
  }

  storage::RocksEventStore& store() { return *store_; }
  server::CommandPipeline& pipeline() { return *pipeline_; }
  v1::CaseService::Stub& cases() { return *case_stub_; }
  v1::SupervisionService::Stub& supervision() { return *supervision_stub_; }
  v1::UnitService::Stub& units() { return *unit_stub_; }

 private:
  std::unique_ptr<server::PrincipalRegistry> principals_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<server::CommandPipeline> pipeline_;
  std::unique_ptr<server::CaseServiceImpl> cases_;
  std::unique_ptr<server::SupervisionServiceImpl> supervision_;
  std::unique_ptr<server::UnitServiceImpl> units_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CaseService::Stub> case_stub_;
  std::unique_ptr<v1::SupervisionService::Stub> supervision_stub_;
  std::unique_ptr<v1::UnitService::Stub> unit_stub_;
};

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_SUPERVISION_SERVER_H_
