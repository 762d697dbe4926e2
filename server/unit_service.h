// UnitService: the responsible units directory (责任单位; unit_service.proto,
// the rules in workflow/units.h). Thin handlers: the commands go through the
// pipeline like account commands (stream "U-<unit_id>"), the reads go to the
// `units` projections and their "ur/" index keys; GetRegionNames reads the
// region directory in use (base/regions.h). A unit is read by the
// principals whose jurisdiction covers its region (anyone else gets
// NOT_FOUND, as for a unit that does not exist); its contact person and
// phone only by a reader who may see personal data (access.h
// MaySeePersonalData).
//
//   UnitServiceImpl units(authenticator, pipeline, store);
//   builder.RegisterService(&units);
#ifndef RECTIFY_SERVER_UNIT_SERVICE_H_
#define RECTIFY_SERVER_UNIT_SERVICE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/unit_service.grpc.pb.h"
#include "server/authenticator.h"
#include "server/pipeline.h"
#include "storage/event_store.h"

namespace rectify::server {

class UnitServiceImpl final : public v1::UnitService::CallbackService {
 public:
  // All must outlive the service.
  UnitServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                  storage::EventStore& store)
      : principals_(principals), pipeline_(pipeline), store_(store) {}

  grpc::ServerUnaryReactor* CreateUnit(grpc::CallbackServerContext* context,
                                       const v1::CreateUnitRequest* request,
                                       v1::UnitResponse* response) override;
  grpc::ServerUnaryReactor* UpdateUnit(grpc::CallbackServerContext* context,
                                       const v1::UpdateUnitRequest* request,
                                       v1::UnitResponse* response) override;
  grpc::ServerUnaryReactor* RetireUnit(grpc::CallbackServerContext* context,
                                       const v1::RetireUnitRequest* request,
                                       v1::UnitResponse* response) override;
  grpc::ServerUnaryReactor* ReactivateUnit(grpc::CallbackServerContext* context,
                                           const v1::ReactivateUnitRequest* request,
                                           v1::UnitResponse* response) override;
  grpc::ServerUnaryReactor* GetUnit(grpc::CallbackServerContext* context,
                                    const v1::GetUnitRequest* request,
                                    v1::UnitResponse* response) override;
  grpc::ServerUnaryReactor* ListUnits(grpc::CallbackServerContext* context,
                                      const v1::ListUnitsRequest* request,
                                      v1::ListUnitsResponse* response) override;
  grpc::ServerUnaryReactor* GetUnitHistory(grpc::CallbackServerContext* context,
                                           const v1::GetUnitHistoryRequest* request,
                                           v1::GetUnitHistoryResponse* response) override;
  grpc::ServerUnaryReactor* GetRegionNames(grpc::CallbackServerContext* context,
                                           const v1::GetRegionNamesRequest* request,
                                           v1::GetRegionNamesResponse* response) override;

 private:
  // Submits a unit command and answers the unit as the caller may see it.
  grpc::ServerUnaryReactor* Submit(grpc::CallbackServerContext* context, absl::string_view method,
                                   v1::Command command, v1::UnitResponse* response);
  // The unit `unit_id` when `caller` may read it; NOT_FOUND when it does not
  // exist or lies outside the caller's jurisdiction.
  absl::StatusOr<v1::Unit> VisibleUnit(const v1::Principal& caller, absl::string_view unit_id);

  const Authenticator& principals_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
};

// `unit` with what `reader` may not see cleared (the contact, its salts).
v1::Unit RedactUnitForReader(const v1::Principal& reader, v1::Unit unit);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_UNIT_SERVICE_H_
