// SupervisionService over gRPC's callback API: rectification lists (整改清单)
// and the ledger export (DOMAIN.md, "Supervision"). List commands go through
// the command pipeline like case commands (workflow/lists.h decides them; one
// commit appends to the list's stream and to every case stream it touches).
// Reads come from the `lists` projections and the list index keys
// (projection/projector.h); progress from the list's progress cells, which
// the commits of its cases keep (projection/reports.h).
//
// Who reads lists: the bureau's own roles (INSPECTOR, SUPERVISOR,
// BUREAU_HEAD, AUDITOR) whose jurisdiction covers the list's region. A list
// id whose county lies outside the caller's jurisdiction is refused before
// any lookup, so NOT_FOUND never says which lists exist elsewhere.
//
// Notices (通报) and the monthly dispatch report (月调度) are read from the
// report counters and notice records the commits keep (projection/reports.h,
// docs/reports.md): they read no case.
#ifndef RECTIFY_SERVER_SUPERVISION_SERVICE_H_
#define RECTIFY_SERVER_SUPERVISION_SERVICE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rectify/v1/supervision_service.grpc.pb.h"
#include "server/case_service.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "storage/event_store.h"
#include "base/csv.h"
#include "base/clock.h"
#include "workflow/policy.h"

namespace rectify::server {

class SupervisionServiceImpl final : public v1::SupervisionService::CallbackService {
 public:
  // All must outlive the service; `cases` answers the ledger export of a
  // case filter with ListCases' scoping; `policy` gives the notice
  // thresholds, `clock` the instant of notices and reports.
  SupervisionServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                         storage::EventStore& store, CaseServiceImpl& cases,
                         const workflow::Policy& policy, const Clock& clock)
      : principals_(principals),
        pipeline_(pipeline),
        store_(store),
        cases_(cases),
        policy_(policy),
        clock_(clock) {}

  grpc::ServerUnaryReactor* CreateRectificationList(
      grpc::CallbackServerContext* context, const v1::CreateRectificationListRequest* request,
      v1::CreateRectificationListResponse* response) override;
  grpc::ServerUnaryReactor* AddListItems(grpc::CallbackServerContext* context,
                                         const v1::AddListItemsRequest* request,
                                         v1::AddListItemsResponse* response) override;
  grpc::ServerUnaryReactor* RemoveListItem(grpc::CallbackServerContext* context,
                                           const v1::RemoveListItemRequest* request,
                                           v1::RemoveListItemResponse* response) override;
  grpc::ServerUnaryReactor* CloseRectificationList(
      grpc::CallbackServerContext* context, const v1::CloseRectificationListRequest* request,
      v1::CloseRectificationListResponse* response) override;

  grpc::ServerUnaryReactor* GetRectificationList(
      grpc::CallbackServerContext* context, const v1::GetRectificationListRequest* request,
      v1::GetRectificationListResponse* response) override;
  grpc::ServerUnaryReactor* ListRectificationLists(
      grpc::CallbackServerContext* context, const v1::ListRectificationListsRequest* request,
      v1::ListRectificationListsResponse* response) override;
  grpc::ServerUnaryReactor* GetRectificationListHistory(
      grpc::CallbackServerContext* context, const v1::GetRectificationListHistoryRequest* request,
      v1::GetRectificationListHistoryResponse* response) override;
  // The CSV ledger: UTF-8 with a byte-order mark, a header row, then one row
  // per item (a list, in ledger order) or per case (a filter, in case-id
  // order), written a page of rows per message. Never complainant data.
  grpc::ServerWriteReactor<v1::ExportLedgerResponse>* ExportLedger(
      grpc::CallbackServerContext* context, const v1::ExportLedgerRequest* request) override;
  // The notices now, of the caller's jurisdiction (or the region_prefix
  // inside it), per responsible unit.
  grpc::ServerUnaryReactor* ListNotices(grpc::CallbackServerContext* context,
                                        const v1::ListNoticesRequest* request,
                                        v1::ListNoticesResponse* response) override;
  // The monthly dispatch report of a month that has begun.
  grpc::ServerUnaryReactor* GetMonthlyReport(grpc::CallbackServerContext* context,
                                             const v1::GetMonthlyReportRequest* request,
                                             v1::GetMonthlyReportResponse* response) override;

 private:
  // Submits a list command for `list_id` ("" for a create) and answers with
  // the list after it.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* MutateList(grpc::CallbackServerContext* context, const Request& request,
                                       Response* response, const std::string& list_id,
                                       absl::string_view method, Request* (v1::Command::*field)());
  // The list `list_id`, if `principal` may read it.
  absl::StatusOr<v1::RectificationList> ReadList(const v1::Principal& principal,
                                                 const std::string& list_id);

  const Authenticator& principals_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
  CaseServiceImpl& cases_;
  const workflow::Policy& policy_;
  const Clock& clock_;
};

// One CSV field (base/csv.h, shared with rectifyctl's publication export).
using ::rectify::CsvField;

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_SUPERVISION_SERVICE_H_
