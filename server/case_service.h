// CaseService over gRPC's callback API: thin handlers (grpc's
// greeter_callback_server is the model). Each authenticates the caller,
// checks the request's shape, hands a Command to the pipeline (writes) or
// reads the store (reads), redacts what the caller may not see, and
// finishes. No business rule lives here: Decide has them.
//
// Implemented so far: ReportCase and GetCase. The other RPCs answer
// UNIMPLEMENTED (the generated base class does) until their issues land.
#ifndef RECTIFY_SERVER_CASE_SERVICE_H_
#define RECTIFY_SERVER_CASE_SERVICE_H_

#include "rectify/v1/case_service.grpc.pb.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "storage/event_store.h"

namespace rectify::server {

class CaseServiceImpl final : public v1::CaseService::CallbackService {
 public:
  // All three must outlive the service.
  CaseServiceImpl(const PrincipalRegistry& principals, CommandPipeline& pipeline,
                  storage::EventStore& store)
      : principals_(principals), pipeline_(pipeline), store_(store) {}

  grpc::ServerUnaryReactor* ReportCase(grpc::CallbackServerContext* context,
                                       const v1::ReportCaseRequest* request,
                                       v1::ReportCaseResponse* response) override;

  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context,
                                    const v1::GetCaseRequest* request,
                                    v1::GetCaseResponse* response) override;

 private:
  const PrincipalRegistry& principals_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_CASE_SERVICE_H_
