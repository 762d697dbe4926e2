// SupervisionService handlers; see supervision_service.h.
#include "server/supervision_service.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "projection/projector.h"
#include "projection/reports.h"
#include "server/access.h"
#include "server/event_feed.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/rpc_interceptor.h"
#include "server/unit_names.h"
#include "server/page_token.h"
#include "workflow/decider.h"
#include "workflow/reading_rules.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

constexpr int kDefaultListsPageSize = 50;
constexpr int kMaxListsPageSize = 500;
constexpr int kDefaultHistoryPageSize = 100;
constexpr int kMaxHistoryPageSize = 1000;
// Ledger rows per streamed message.
constexpr int kRowsPerChunk = 200;
// The UTF-8 byte-order mark: spreadsheet programs read the file as UTF-8
// (and show Chinese text right) only with it.
constexpr char kBom[] = "\xEF\xBB\xBF";
// 编号, 问题, 责任单位, 整改时限, 整改措施, 整改进展, 状态: the ledger's columns
// (DOMAIN.md: number, problem, responsible unit, deadline, measures,
// progress, status), in the words the bureau's ledgers use.
constexpr char kHeader[] =
    "\xE7\xBC\x96\xE5\x8F\xB7,\xE9\x97\xAE\xE9\xA2\x98,\xE8\xB4\xA3\xE4\xBB\xBB\xE5\x8D\x95\xE4"
    "\xBD\x8D,\xE6\x95\xB4\xE6\x94\xB9\xE6\x97\xB6\xE9\x99\x90,\xE6\x95\xB4\xE6\x94\xB9\xE6\x8E"
    "\xAA\xE6\x96\xBD,\xE6\x95\xB4\xE6\x94\xB9\xE8\xBF\x9B\xE5\xB1\x95,\xE7\x8A\xB6\xE6\x80\x81"
    "\r\n";

void LogReadFailure(absl::string_view method, const absl::Status& status,
                    const std::string& request_id) {
  if (absl::IsInternal(status) || absl::IsDataLoss(status)) {
    Log(LogLevel::kError, {{"method", std::string(method)},
                           {"status", status.ToString()},
                           {"request_id", request_id}});
  }
}

// Answers a unary read with what `read` put in `response`, or with its error
// (the response cleared, a storage fault logged).
template <typename Response>
grpc::ServerUnaryReactor* AnswerRead(grpc::CallbackServerContext* context, Response* response,
                                     absl::string_view method,
                                     absl::FunctionRef<absl::Status()> read) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status status = read();
  if (!status.ok()) {
    response->Clear();
    LogReadFailure(method, status, RequestIdOf(*context));
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

projection::NoticeThresholds ThresholdsOf(const workflow::Policy& policy) {
  projection::NoticeThresholds thresholds;
  thresholds.no_progress_days = policy.notice_no_progress_days;
  thresholds.not_started_days = policy.notice_not_started_days;
  return thresholds;
}

// PERMISSION_DENIED when the county code in a list id ("L-620722-2026-0001")
// alone shows the list is outside the jurisdiction: refused before lookup.
absl::Status CheckListIdInScope(const v1::Principal& principal, const std::string& list_id) {
  if (!absl::StartsWith(list_id, "L-") || list_id.size() < 8) {
    return workflow::InvalidField(
        "list_id", absl::StrCat("\"", list_id, "\" is not a list id such as L-620722-2026-0001"),
        "格式不对，清单编号形如 L-620722-2026-0001");
  }
  const std::string& jurisdiction = principal.jurisdiction();
  if (!workflow::CountyMayBeInJurisdiction(list_id.substr(2, 6), jurisdiction)) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat("list ", list_id, " is outside the jurisdiction \"", jurisdiction,
                               "\""),
                  absl::StrCat("整改清单 ", list_id, " 不在您的辖区（", jurisdiction, "）内"));
  }
  return absl::OkStatus();
}

// The name people read for a case's unit: the directory's full name, else
// the id (a unit not in the directory). `names` caches the lookups of one
// export.
absl::StatusOr<std::string> LedgerUnitName(storage::EventStore& store, const v1::Case& state,
                                           std::map<std::string, std::string>& names) {
  const std::string& id = state.responsible_unit();
  if (id.empty()) return std::string();
  auto known = names.find(id);
  if (known != names.end()) return known->second;
  ASSIGN_OR_RETURN(auto found, UnitNames(store, {id}));
  const std::string name = found.count(id) > 0 ? found[id] : id;
  if (names.size() < 10000) names[id] = name;
  return name;
}

// One ledger row for `state`, numbered `number`; its unit written as
// `unit_name` (洪水镇人民政府, not minle-hongshui-town).
std::string LedgerRow(const std::string& number, const v1::Case& state,
                      const std::string& unit_name) {
  // As people write a deadline: "2027年1月4日" (base/dates.h).
  const std::string deadline = state.has_rectification_due_at()
                                   ? DeadlineChinese(ToTime(state.rectification_due_at()))
                                   : std::string();
  const std::string& measures =
      state.completion().summary().empty() ? state.requirements() : state.completion().summary();
  std::string progress;
  if (!state.progress_reports().empty()) {
    const v1::ProgressReport& last = *state.progress_reports().rbegin();
    progress = absl::StrCat(last.percent_complete(), "% ", last.text());
  }
  const std::string status = LedgerStatus(state);
  return absl::StrCat(CsvField(number), ",", CsvField(state.title()), ",",
                      CsvField(unit_name), ",", CsvField(deadline), ",",
                      CsvField(measures), ",", CsvField(progress), ",", CsvField(status), "\r\n");
}

// Writes the chunks `next` produces until it says it is done; `next` runs on
// gRPC's threads, one call at a time (each after the previous write).
class LedgerWriter final : public grpc::ServerWriteReactor<v1::ExportLedgerResponse> {
 public:
  // Sets `*done` with the last chunk (which may be empty).
  using Producer = std::function<absl::StatusOr<std::string>(bool* done)>;

  LedgerWriter(Producer next, std::string request_id)
      : next_(std::move(next)), request_id_(std::move(request_id)) {
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    if (finished_producing_) {
      Finish(grpc::Status::OK);
      return;
    }
    WriteNext();
  }
  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    std::string chunk;
    while (chunk.empty() && !finished_producing_) {
      absl::StatusOr<std::string> produced = next_(&finished_producing_);
      if (!produced.ok()) {
        LogReadFailure("ExportLedger", produced.status(), request_id_);
        Finish(ToGrpcStatus(produced.status()));
        return;
      }
      chunk = *std::move(produced);
    }
    if (chunk.empty()) {
      Finish(grpc::Status::OK);
      return;
    }
    message_.set_chunk(std::move(chunk));
    StartWrite(&message_);
  }

  Producer next_;
  const std::string request_id_;
  bool finished_producing_ = false;
  v1::ExportLedgerResponse message_;
};

class RefusedLedger final : public grpc::ServerWriteReactor<v1::ExportLedgerResponse> {
 public:
  explicit RefusedLedger(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

absl::StatusOr<v1::RectificationList> SupervisionServiceImpl::ReadList(
    const v1::Principal& principal, const std::string& list_id) {
  RETURN_IF_ERROR(CheckListReader(principal));
  RETURN_IF_ERROR(workflow::CheckId("list_id", list_id, true));
  RETURN_IF_ERROR(CheckListIdInScope(principal, list_id));
  ASSIGN_OR_RETURN(std::string bytes,
                   store_.GetProjection(v1::STREAM_KIND_RECTIFICATION_LIST, list_id));
  v1::RectificationList list;
  if (!list.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("list ", list_id, ": the projection is corrupt"));
  }
  if (!workflow::InJurisdiction(list.region_code(), principal.jurisdiction())) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat("list ", list_id, " (region ", list.region_code(),
                               ") is outside the jurisdiction \"", principal.jurisdiction(), "\""),
                  absl::StrCat("整改清单 ", list_id, " 不在您的辖区（", principal.jurisdiction(),
                               "）内"));
  }
  return list;
}

template <typename Request, typename Response>
grpc::ServerUnaryReactor* SupervisionServiceImpl::MutateList(
    grpc::CallbackServerContext* context, const Request& request, Response* response,
    const std::string& list_id, absl::string_view method, Request* (v1::Command::*field)()) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const CallStart started = StartCall(*context);
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  absl::Status shape = principal.status();
  if (shape.ok()) shape = workflow::CheckId("command_id", request.command_id(), true);
  if (shape.ok() && !list_id.empty()) shape = workflow::CheckId("list_id", list_id, true);
  if (shape.ok() && !list_id.empty()) shape = CheckListIdInScope(*principal, list_id);
  if (!shape.ok()) {
    if (principal.ok())
      LogCommand(method, principal->principal_id(), "list", list_id, shape, started);
    reactor->Finish(ToGrpcStatus(shape));
    return reactor;
  }
  v1::Command command;
  command.set_stream_id(list_id);
  command.set_command_id(request.command_id());
  // A new list has no version to expect; the others' is checked by
  // DecideList (ABORTED when stale), as a case's is.
  if constexpr (!std::is_same_v<Request, v1::CreateRectificationListRequest>) {
    if (request.has_expected_version()) command.set_expected_version(request.expected_version());
  }
  *(command.*field)() = request;
  v1::Principal caller = *principal;
  pipeline_.Submit(std::move(command), caller,
                   [reactor, response, caller, started, method,
                    list_id](absl::StatusOr<CommandOutcome> outcome) {
                     if (outcome.ok()) *response->mutable_list() = outcome->list;
                     LogCommand(method, caller.principal_id(), "list",
                                outcome.ok() ? outcome->list.list_id() : list_id, outcome.status(),
                                started);
                     reactor->Finish(ToGrpcStatus(outcome.status()));
                   });
  return reactor;
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::CreateRectificationList(
    grpc::CallbackServerContext* context, const v1::CreateRectificationListRequest* request,
    v1::CreateRectificationListResponse* response) {
  return MutateList(context, *request, response, "", "CreateRectificationList",
                    &v1::Command::mutable_create_rectification_list);
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::AddListItems(
    grpc::CallbackServerContext* context, const v1::AddListItemsRequest* request,
    v1::AddListItemsResponse* response) {
  return MutateList(context, *request, response, request->list_id(), "AddListItems",
                    &v1::Command::mutable_add_list_items);
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::RemoveListItem(
    grpc::CallbackServerContext* context, const v1::RemoveListItemRequest* request,
    v1::RemoveListItemResponse* response) {
  return MutateList(context, *request, response, request->list_id(), "RemoveListItem",
                    &v1::Command::mutable_remove_list_item);
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::CloseRectificationList(
    grpc::CallbackServerContext* context, const v1::CloseRectificationListRequest* request,
    v1::CloseRectificationListResponse* response) {
  return MutateList(context, *request, response, request->list_id(), "CloseRectificationList",
                    &v1::Command::mutable_close_rectification_list);
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::GetRectificationList(
    grpc::CallbackServerContext* context, const v1::GetRectificationListRequest* request,
    v1::GetRectificationListResponse* response) {
  return AnswerRead(context, response, "GetRectificationList", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    ASSIGN_OR_RETURN(v1::RectificationList list, ReadList(principal, request->list_id()));
    // From the list's progress cells (projection/reports.h), kept in the
    // commits of the cases: a few keys, however long the list.
    ASSIGN_OR_RETURN(projection::ListProgressFigures progress,
                     projection::ListProgressOf(store_, list.list_id()));
    *response->mutable_progress() = std::move(progress.total);
    for (v1::UnitProgress& unit : progress.per_unit) {
      *response->add_unit_progress() = std::move(unit);
    }
    *response->mutable_list() = std::move(list);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::ListRectificationLists(
    grpc::CallbackServerContext* context, const v1::ListRectificationListsRequest* request,
    v1::ListRectificationListsResponse* response) {
  return AnswerRead(context, response, "ListRectificationLists", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    RETURN_IF_ERROR(CheckListReader(principal));
    if (request->page_size() < 0) {
      return workflow::InvalidField("page_size", "must not be negative", "不能为负数");
    }
    if (!v1::ListStatus_IsValid(request->status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("status holds ", request->status(), ", which is not a ListStatus"));
    }
    ASSIGN_OR_RETURN(const std::string region,
                     ScopeRegion(principal, request->region_prefix(), "region_prefix"));
    const std::string prefix = request->status() == v1::LIST_STATUS_UNSPECIFIED
                                   ? projection::ListRegionPrefix(region)
                                   : projection::ListStatusRegionPrefix(request->status(), region);
    const uint64_t fingerprint =
        QueryFingerprint({"ListRectificationLists", principal.principal_id(), prefix});
    ASSIGN_OR_RETURN(std::string resume, DecodePageToken(request->page_token(), fingerprint));
    if (!resume.empty() && !absl::StartsWith(resume, prefix)) {
      return workflow::InvalidField("page_token", "is not a token this server made",
                                    "无效，请从第一页重新查询");
    }
    const int page_size = request->page_size() == 0
                              ? kDefaultListsPageSize
                              : std::min(request->page_size(), kMaxListsPageSize);
    ASSIGN_OR_RETURN(std::vector<std::string> keys,
                     store_.ScanIndex(prefix, resume, page_size + 1));
    const bool more = keys.size() > static_cast<size_t>(page_size);
    if (more) keys.resize(page_size);
    for (const std::string& key : keys) {
      const std::string list_id = key.substr(key.rfind('/') + 1);
      ASSIGN_OR_RETURN(std::string bytes,
                       store_.GetProjection(v1::STREAM_KIND_RECTIFICATION_LIST, list_id));
      v1::RectificationList& list = *response->add_lists();
      if (!list.ParseFromString(bytes)) {
        return absl::DataLossError(absl::StrCat("list ", list_id, ": the projection is corrupt"));
      }
      list.clear_items();
    }
    if (more) response->set_next_page_token(EncodePageToken(keys.back(), fingerprint));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::GetRectificationListHistory(
    grpc::CallbackServerContext* context, const v1::GetRectificationListHistoryRequest* request,
    v1::GetRectificationListHistoryResponse* response) {
  return AnswerRead(context, response, "GetRectificationListHistory", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    if (request->page_size() < 0) {
      return workflow::InvalidField("page_size", "must not be negative", "不能为负数");
    }
    // Checks access on the list as it is now.
    RETURN_IF_ERROR(ReadList(principal, request->list_id()).status());
    const uint64_t fingerprint = QueryFingerprint(
        {"GetRectificationListHistory", principal.principal_id(), request->list_id()});
    ASSIGN_OR_RETURN(std::string resume, DecodePageToken(request->page_token(), fingerprint));
    int64_t from_version = 1;
    if (!resume.empty() && (!absl::SimpleAtoi(resume, &from_version) || from_version < 1)) {
      return workflow::InvalidField("page_token", "is not a token this server made",
                                    "无效，请从第一页重新查询");
    }
    const int page_size = request->page_size() == 0
                              ? kDefaultHistoryPageSize
                              : std::min(request->page_size(), kMaxHistoryPageSize);
    ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                     store_.ReadStream(request->list_id(), from_version, page_size + 1));
    if (events.size() > static_cast<size_t>(page_size)) {
      response->set_next_page_token(
          EncodePageToken(std::to_string(events[page_size].version()), fingerprint));
      events.resize(page_size);
    }
    for (v1::Event& event : events) *response->add_events() = std::move(event);
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::ExportLedgerResponse>* SupervisionServiceImpl::ExportLedger(
    grpc::CallbackServerContext* context, const v1::ExportLedgerRequest* request) {
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  if (!principal.ok()) return new RefusedLedger(principal.status());
  if (request->selection_case() == v1::ExportLedgerRequest::kListId) {
    absl::StatusOr<v1::RectificationList> list = ReadList(*principal, request->list_id());
    if (!list.ok()) return new RefusedLedger(list.status());
    // The producer's state: the list as read, and the next item to write.
    auto shared = std::make_shared<std::pair<v1::RectificationList, int>>(*std::move(list), 0);
    auto unit_names = std::make_shared<std::map<std::string, std::string>>();
    return new LedgerWriter([this, shared, unit_names](bool* done) -> absl::StatusOr<std::string> {
      auto& [items, next] = *shared;
      std::string chunk;
      if (next == 0) chunk = absl::StrCat(kBom, kHeader);
      const int first = next;
      const int end = std::min(items.items_size(), next + kRowsPerChunk);
      std::vector<std::string> case_ids;
      for (int i = first; i < end; ++i) case_ids.push_back(items.items(i).case_id());
      ASSIGN_OR_RETURN(std::vector<std::string> projections,
                       store_.GetCaseProjections(case_ids));
      for (; next < end; ++next) {
        v1::Case state;
        if (!state.ParseFromString(projections[next - first])) {
          return absl::DataLossError(absl::StrCat("the stored case ",
                                                  items.items(next).case_id(),
                                                  " cannot be parsed"));
        }
        ASSIGN_OR_RETURN(std::string unit_name, LedgerUnitName(store_, state, *unit_names));
        absl::StrAppend(&chunk, LedgerRow(std::to_string(items.items(next).item_number()), state,
                                          unit_name));
      }
      if (next >= items.items_size()) *done = true;
      return chunk;
    }, RequestIdOf(*context));
  }
  // A case filter: ListCases' pages (and its scoping and access checks),
  // one page per message.
  v1::ListCasesRequest first;
  *first.mutable_filter() = request->filter();
  first.set_page_size(kRowsPerChunk);
  // Checked now so that a refused filter gets its status before any byte.
  v1::ListCasesResponse page;
  if (absl::Status checked = cases_.ListCasesAs(*principal, first, page); !checked.ok()) {
    return new RefusedLedger(checked);
  }
  auto shared = std::make_shared<std::pair<v1::ListCasesRequest, v1::ListCasesResponse>>(
      std::move(first), std::move(page));
  auto started = std::make_shared<bool>(false);
  v1::Principal caller = *principal;
  auto unit_names = std::make_shared<std::map<std::string, std::string>>();
  return new LedgerWriter(
      [this, shared, started, caller, unit_names](bool* done) -> absl::StatusOr<std::string> {
        auto& [query, current] = *shared;
        std::string chunk;
        if (!*started) {
          *started = true;
          chunk = absl::StrCat(kBom, kHeader);
        } else {
          current.Clear();
          RETURN_IF_ERROR(cases_.ListCasesAs(caller, query, current));
        }
        for (const v1::Case& state : current.cases()) {
          ASSIGN_OR_RETURN(std::string unit_name, LedgerUnitName(store_, state, *unit_names));
          absl::StrAppend(&chunk, LedgerRow(state.case_id(), state, unit_name));
        }
        if (current.next_page_token().empty()) {
          *done = true;
        } else {
          query.set_page_token(current.next_page_token());
        }
        return chunk;
      },
      RequestIdOf(*context));
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::ListNotices(
    grpc::CallbackServerContext* context, const v1::ListNoticesRequest* request,
    v1::ListNoticesResponse* response) {
  return AnswerRead(context, response, "ListNotices", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    RETURN_IF_ERROR(CheckListReader(principal));
    ASSIGN_OR_RETURN(const std::string region,
                     ScopeRegion(principal, request->region_prefix(), "region_prefix"));
    std::vector<v1::NoticeReason> reasons;
    for (int reason : request->reasons()) {
      if (reason == v1::NOTICE_REASON_UNSPECIFIED || !v1::NoticeReason_IsValid(reason)) {
        return workflow::InvalidField("reasons", absl::StrCat(reason, " is not a notice reason"),
                                      absl::StrCat("含有无效的选项 ", reason));
      }
      reasons.push_back(static_cast<v1::NoticeReason>(reason));
    }
    ASSIGN_OR_RETURN(*response, projection::CurrentNotices(store_, region, reasons,
                                                           ThresholdsOf(policy_), clock_.Now()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::GetMonthlyReport(
    grpc::CallbackServerContext* context, const v1::GetMonthlyReportRequest* request,
    v1::GetMonthlyReportResponse* response) {
  return AnswerRead(context, response, "GetMonthlyReport", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    RETURN_IF_ERROR(CheckListReader(principal));
    ASSIGN_OR_RETURN(const std::string region,
                     ScopeRegion(principal, request->region_prefix(), "region_prefix"));
    ASSIGN_OR_RETURN(*response,
                     projection::MonthlyReport(store_, request->year(), request->month(), region,
                                               ThresholdsOf(policy_), clock_.Now()));
    // A unit row's name: the unit's full name in the directory (issue 21).
    std::vector<std::string> unit_ids;
    for (const v1::ReportRow& row : response->by_unit()) unit_ids.push_back(row.key());
    ASSIGN_OR_RETURN(auto unit_names, UnitNames(store_, unit_ids));
    for (v1::ReportRow& row : *response->mutable_by_unit()) {
      auto found = unit_names.find(row.key());
      if (found != unit_names.end()) row.set_name(found->second);
    }
    return absl::OkStatus();
  });
}

}  // namespace rectify::server
