// UnitService handlers; see unit_service.h.
#include "server/unit_service.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/regions.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/projector.h"
#include "server/access.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/page_token.h"
#include "server/paged_scan.h"
#include "server/rpc_interceptor.h"
#include "storage/personal_data.h"
#include "workflow/decider.h"
#include "workflow/units.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

constexpr int kDefaultUnitPage = 100;
constexpr int kMaxUnitPage = 500;
constexpr int kDefaultHistoryPage = 100;
constexpr int kMaxHistoryPage = 1000;
// Codes one GetRegionNames call names at most.
constexpr int kMaxRegionCodes = 500;
// Index keys one ListUnits call examines at most (filters may skip many).
constexpr int kMaxExamined = 5000;

absl::Status NotVisible(const v1::Principal& caller, absl::string_view unit_id) {
  return WithUserMessage(absl::NotFoundError(absl::StrCat("unit_id: unit ", unit_id,
                                                          " does not exist or is not visible to ",
                                                          caller.principal_id())),
                         absl::StrCat("单位 ", unit_id, " 不存在或您无权查看"), "unit_id");
}

}  // namespace

v1::Unit RedactUnitForReader(const v1::Principal& reader, v1::Unit unit) {
  if (!MaySeePersonalData(reader, unit.details().region_code())) {
    unit.mutable_details()->clear_contact();
    unit.mutable_details()->clear_contact_salts();
  }
  return unit;
}

absl::StatusOr<v1::Unit> UnitServiceImpl::VisibleUnit(const v1::Principal& caller,
                                                      absl::string_view unit_id) {
  RETURN_IF_ERROR(workflow::CheckUnitId("unit_id", unit_id));
  absl::StatusOr<std::string> bytes =
      store_.GetProjection(v1::STREAM_KIND_UNIT, workflow::UnitStreamId(unit_id));
  if (absl::IsNotFound(bytes.status())) return NotVisible(caller, unit_id);
  RETURN_IF_ERROR(bytes.status());
  v1::Unit unit;
  if (!unit.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("unit ", unit_id, ": the projection is corrupt"));
  }
  if (caller.role() != v1::ROLE_SYSTEM &&
      (caller.jurisdiction().empty() ||
       !workflow::InJurisdiction(unit.details().region_code(), caller.jurisdiction()))) {
    return NotVisible(caller, unit_id);
  }
  return unit;
}

grpc::ServerUnaryReactor* UnitServiceImpl::Submit(grpc::CallbackServerContext* context,
                                                  absl::string_view method, v1::Command command,
                                                  v1::UnitResponse* response) {
  const CallStart started = StartCall(*context);
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  absl::Status shape = principal.status();
  if (shape.ok()) shape = workflow::CheckId("command_id", command.command_id(), true);
  if (shape.ok()) shape = workflow::CheckUnitId("unit_id", workflow::UnitIdOf(command));
  if (!shape.ok()) {
    if (principal.ok()) {
      LogCommand(method, principal->principal_id(), "unit", workflow::UnitIdOf(command), shape,
                 started);
    }
    return FinishUnary(context, shape);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const std::string unit_id = workflow::UnitIdOf(command);
  pipeline_.Submit(std::move(command), *principal,
                   [reactor, response, caller = *principal, started, method = std::string(method),
                    unit_id](absl::StatusOr<CommandOutcome> outcome) {
                     if (outcome.ok()) {
                       *response->mutable_unit() = RedactUnitForReader(caller, outcome->unit);
                     }
                     LogCommand(method, caller.principal_id(), "unit", unit_id, outcome.status(),
                                started);
                     reactor->Finish(ToGrpcStatus(outcome.status()));
                   });
  return reactor;
}

grpc::ServerUnaryReactor* UnitServiceImpl::CreateUnit(grpc::CallbackServerContext* context,
                                                      const v1::CreateUnitRequest* request,
                                                      v1::UnitResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  *command.mutable_create_unit() = *request;
  return Submit(context, "CreateUnit", std::move(command), response);
}

grpc::ServerUnaryReactor* UnitServiceImpl::UpdateUnit(grpc::CallbackServerContext* context,
                                                      const v1::UpdateUnitRequest* request,
                                                      v1::UnitResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_update_unit() = *request;
  return Submit(context, "UpdateUnit", std::move(command), response);
}

grpc::ServerUnaryReactor* UnitServiceImpl::RetireUnit(grpc::CallbackServerContext* context,
                                                      const v1::RetireUnitRequest* request,
                                                      v1::UnitResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_retire_unit() = *request;
  return Submit(context, "RetireUnit", std::move(command), response);
}

grpc::ServerUnaryReactor* UnitServiceImpl::ReactivateUnit(grpc::CallbackServerContext* context,
                                                          const v1::ReactivateUnitRequest* request,
                                                          v1::UnitResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  if (request->has_expected_version()) command.set_expected_version(request->expected_version());
  *command.mutable_reactivate_unit() = *request;
  return Submit(context, "ReactivateUnit", std::move(command), response);
}

grpc::ServerUnaryReactor* UnitServiceImpl::GetUnit(grpc::CallbackServerContext* context,
                                                   const v1::GetUnitRequest* request,
                                                   v1::UnitResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(v1::Unit unit, VisibleUnit(caller, request->unit_id()));
    *response->mutable_unit() = RedactUnitForReader(caller, std::move(unit));
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* UnitServiceImpl::ListUnits(grpc::CallbackServerContext* context,
                                                     const v1::ListUnitsRequest* request,
                                                     v1::ListUnitsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(int page_size, PageSizeOf(request->page_size(), kDefaultUnitPage, kMaxUnitPage));
    if (!v1::UnitKind_IsValid(request->kind())) {
      return absl::InvalidArgumentError("kind: is not a unit kind");
    }
    std::string region = request->region_prefix();
    if (region.empty()) region = caller.jurisdiction();
    if (region.empty()) {
      return absl::PermissionDeniedError(
          absl::StrCat(caller.principal_id(), " has no jurisdiction to list units of"));
    }
    RETURN_IF_ERROR(workflow::CheckRegionPrefixCode("region_prefix", region));
    if (caller.role() != v1::ROLE_SYSTEM && !absl::StartsWith(region, caller.jurisdiction())) {
      return WithUserMessage(
          absl::PermissionDeniedError(absl::StrCat(
              "region_prefix: ", region, " is outside your jurisdiction ", caller.jurisdiction())),
          "所选区域超出您的辖区", "region_prefix");
    }
    const uint64_t query = QueryFingerprint({"ListUnits", caller.principal_id(), region,
                                             std::to_string(request->kind()),
                                             request->include_retired() ? "all" : "active"});
    const std::string prefix = projection::UnitRegionPrefix(region);
    // Adds the item an index key names when it passes the filters.
    auto add = [&](const std::string& key) -> absl::Status {
      const std::string unit_id = key.substr(key.rfind('/') + 1);
      ASSIGN_OR_RETURN(std::string bytes,
                       store_.GetProjection(v1::STREAM_KIND_UNIT, workflow::UnitStreamId(unit_id)));
      v1::Unit unit;
      if (!unit.ParseFromString(bytes)) {
        return absl::DataLossError(absl::StrCat("unit ", unit_id, ": the projection is corrupt"));
      }
      if (unit.retired() && !request->include_retired()) return absl::OkStatus();
      if (request->kind() != v1::UNIT_KIND_UNSPECIFIED &&
          unit.details().kind() != request->kind()) {
        return absl::OkStatus();
      }
      *response->add_units() = RedactUnitForReader(caller, std::move(unit));
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string next_page_token,
                     ScanIndexPage(
                         store_, prefix, request->page_token(), query, kMaxExamined,
                         [&] { return response->units_size() >= page_size; }, add));
    response->set_next_page_token(std::move(next_page_token));
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* UnitServiceImpl::GetUnitHistory(grpc::CallbackServerContext* context,
                                                          const v1::GetUnitHistoryRequest* request,
                                                          v1::GetUnitHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(int page_size,
                     PageSizeOf(request->page_size(), kDefaultHistoryPage, kMaxHistoryPage));
    ASSIGN_OR_RETURN(v1::Unit unit, VisibleUnit(caller, request->unit_id()));
    const uint64_t query =
        QueryFingerprint({"GetUnitHistory", caller.principal_id(), request->unit_id()});
    ASSIGN_OR_RETURN(StreamPage page,
                     ReadStreamPage(store_, workflow::UnitStreamId(request->unit_id()),
                                    request->page_token(), query, page_size));
    // Stored sealed; opened for a reader who may see the contact of the
    // unit's region (each event's own region: a unit may have moved).
    for (v1::Event& event : page.events) {
      if (MaySeePersonalData(caller, event.region_code())) {
        RETURN_IF_ERROR(storage::OpenFromStore(store_, event));
      }
      *response->add_events() = std::move(event);
    }
    response->set_next_page_token(std::move(page.next_page_token));
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

grpc::ServerUnaryReactor* UnitServiceImpl::GetRegionNames(grpc::CallbackServerContext* context,
                                                          const v1::GetRegionNamesRequest* request,
                                                          v1::GetRegionNamesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller, principals_.Authenticate(*context));
    if (request->region_codes().empty()) {
      return workflow::InvalidField("region_codes", "name at least one code", "至少填写一个代码");
    }
    if (request->region_codes_size() > kMaxRegionCodes) {
      return workflow::InvalidField(
          "region_codes", absl::StrCat("at most ", kMaxRegionCodes, " codes a call"),
          absl::StrCat("每次最多 ", kMaxRegionCodes, " 个"));
    }
    for (const std::string& code : request->region_codes()) {
      const bool digits = std::all_of(code.begin(), code.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
      const size_t n = code.size();
      if (!digits || !(n == 2 || n == 4 || n == 6 || n == 9 || n == 12)) {
        return workflow::InvalidField(
            "region_codes",
            absl::StrCat("\"", absl::CHexEscape(code.substr(0, 16)),
                         "\" is not a region code of 2, 4, 6, 9 or 12 digits"),
            "须为 2、4、6、9 或 12 位半角数字");
      }
    }
    const RegionDirectory& regions = CurrentRegions();
    absl::flat_hash_set<std::string> seen;
    for (const std::string& code : request->region_codes()) {
      if (!seen.insert(code).second) continue;
      v1::RegionName* named = response->add_regions();
      named->set_region_code(code);
      named->set_name(regions.DisplayName(code));
      named->set_full_name(regions.FullName(code));
    }
    return absl::OkStatus();
  }();
  return FinishUnary(context, status);
}

}  // namespace rectify::server
