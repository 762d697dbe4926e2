// rectifyctl's supervision subcommands; see ctl_supervision_handlers.h.
#include "client/ctl_supervision_handlers.h"

#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/clock.h"
#include "base/dates.h"
#include "base/progress.h"
#include "base/proto_time.h"
#include "client/case_format.h"
#include "client/ctl_names.h"
#include "client/ctl_render.h"
#include "client/ctl_usage.h"
#include "client/display_width.h"
#include "client/report_html.h"

namespace rectify::client::ctl {
namespace {

using Stub = v1::SupervisionService::Stub;

// The list after a change, as one line (or the reply as JSON).
template <typename Reply>
int PrintChangedList(const Context& context, RectifyClient& client,
                     const absl::StatusOr<Reply>& reply) {
  if (!reply.ok()) return ReportFailure(reply.status());
  if (context.json) return PrintJsonWithNames(client, *reply);
  const v1::RectificationList& list = reply->list();
  std::cout << list.list_id() << "  "
            << ShortEnumName(v1::ListStatus_Name(list.status()), "LIST_STATUS_") << "  "
            << list.items_size() << " items  " << list.title() << "\n";
  return kExitOk;
}

std::vector<std::string> ProgressRow(const std::string& unit, const v1::ListProgress& p) {
  return {unit, std::to_string(p.closed()), std::to_string(p.total()),
          std::to_string(p.overdue()),
          p.total() == 0 ? std::string("no items")
                         : absl::StrFormat("%.1f%%", p.closure_rate() * 100)};
}

std::vector<std::string> FiguresRow(const std::string& group, const std::string& key,
                                    const v1::ReportFigures& f) {
  return {group,
          key,
          std::to_string(f.new_cases()),
          std::to_string(f.assigned()),
          std::to_string(f.rectifying()),
          std::to_string(f.verified()),
          std::to_string(f.closed()),
          std::to_string(f.overdue()),
          std::to_string(f.closed_to_date()),
          std::to_string(f.open_at_end()),
          absl::StrFormat("%.1f%%", f.closure_rate() * 100),
          absl::StrFormat("%g", f.median_days_to_close())};
}

// The monthly report as tables: the figures by category, region and unit,
// then the notices at the month's end.
void PrintMonthlyTables(const Context& context, RectifyClient& client,
                        const v1::GetMonthlyReportResponse& reply) {
  std::vector<std::vector<std::string>> rows = {FiguresRow("total", "", reply.total())};
  for (const auto& r : reply.by_category()) {
    rows.push_back(FiguresRow("category", ShortEnumName(r.key(), "CATEGORY_"), r.figures()));
  }
  // A region row reads "620722101 洪水镇": the code and the name the
  // server's region directory gives.
  for (const auto& r : reply.by_region()) {
    rows.push_back(FiguresRow(
        "region", r.name().empty() ? r.key() : absl::StrCat(r.key(), " ", r.name()), r.figures()));
  }
  const UnitLabels unit_label(context, client);
  for (const auto& r : reply.by_unit()) {
    rows.push_back(
        FiguresRow("unit", r.key().empty() ? "(unassigned)" : unit_label(r.key()), r.figures()));
  }
  // The region as "620722 甘肃省张掖市民乐县": its code and its full name.
  const std::string region = reply.region_name().empty() || context.ids
                                 ? reply.region_prefix()
                                 : absl::StrCat(reply.region_prefix(), " ", reply.region_name());
  std::cout << absl::StrFormat(
      "monthly report %04d-%02d, region %s, as of %s (China time)\n", reply.year(), reply.month(),
      region, absl::FormatTime("%Y-%m-%d %H:%M", ToTime(reply.as_of()), rectify::ChinaTimeZone()));
  std::cout << FormatTable({"GROUP", "KEY", "NEW", "ASSIGNED", "RECTIFYING", "VERIFIED", "CLOSED",
                            "OVERDUE", "CLOSED_TO_DATE", "OPEN", "CLOSURE", "MEDIAN_DAYS"},
                           rows);
  size_t notices = 0;
  const std::string notice_table = NoticeTable(reply.notices(), unit_label, &notices);
  std::cout << absl::StrFormat(
      "\nnotices at the month's end (no progress: %d days, not started: %d days): %d\n",
      reply.no_progress_days(), reply.not_started_days(), notices);
  if (notices > 0) std::cout << notice_table;
}

}  // namespace

int RunLists(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::ListRectificationLists,
                             call.Request<v1::ListRectificationListsRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    // Names: the owner unit's, the region's beside its code (ids with --ids).
    const UnitLabels unit_label(context, client);
    std::set<std::string> codes;
    for (const v1::RectificationList& list : reply->lists()) codes.insert(list.region_code());
    const auto region_names =
        context.ids ? std::map<std::string, std::string>() : RegionNamesFor(client, codes);
    std::vector<std::vector<std::string>> rows;
    for (const v1::RectificationList& list : reply->lists()) {
      rows.push_back({list.list_id(),
                      ShortEnumName(v1::ListStatus_Name(list.status()), "LIST_STATUS_"),
                      RegionWithName(list.region_code(), region_names),
                      unit_label(list.owner_unit()), list.title()});
    }
    std::cout << FormatTable({"LIST", "STATUS", "REGION", "OWNER", "TITLE"}, rows);
    return kExitOk;
  });
}

int RunListChange(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    const std::string& name = call.spec->name;
    if (name == "list-create") {
      return PrintChangedList(context, client,
                              client.Call(&Stub::CreateRectificationList,
                                          call.Request<v1::CreateRectificationListRequest>()));
    }
    if (name == "list-add") {
      return PrintChangedList(
          context, client,
          client.Call(&Stub::AddListItems, call.Request<v1::AddListItemsRequest>()));
    }
    if (name == "list-remove") {
      return PrintChangedList(
          context, client,
          client.Call(&Stub::RemoveListItem, call.Request<v1::RemoveListItemRequest>()));
    }
    return PrintChangedList(context, client,
                            client.Call(&Stub::CloseRectificationList,
                                        call.Request<v1::CloseRectificationListRequest>()));
  });
}

int RunListShow(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::GetRectificationList,
                             call.Request<v1::GetRectificationListRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    const v1::RectificationList& list = reply->list();
    const UnitLabels unit_label(context, client);
    const auto region_names = context.ids ? std::map<std::string, std::string>()
                                          : RegionNamesFor(client, {list.region_code()});
    std::cout << list.list_id() << "  "
              << ShortEnumName(v1::ListStatus_Name(list.status()), "LIST_STATUS_") << "  "
              << list.title() << "\n"
              << "origin: " << list.origin() << "  owner: " << unit_label(list.owner_unit())
              << "  region: " << RegionWithName(list.region_code(), region_names) << "\n\n";
    std::vector<std::vector<std::string>> items;
    for (const v1::ListItem& item : list.items()) {
      items.push_back(
          {std::to_string(item.item_number()), item.case_id(), ShortTime(item.added_at())});
    }
    std::cout << FormatTable({"NO", "CASE", "ADDED"}, items) << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const v1::UnitProgress& unit : reply->unit_progress()) {
      rows.push_back(ProgressRow(
          unit.responsible_unit().empty() ? "(unassigned)" : unit_label(unit.responsible_unit()),
          unit.progress()));
    }
    rows.push_back(ProgressRow("total", reply->progress()));
    std::cout << FormatTable({"UNIT", "CLOSED", "TOTAL", "OVERDUE", "CLOSURE"}, rows);
    return kExitOk;
  });
}

int RunListExport(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto out = SingleFlag(call.flags(), "out", "");
    if (!out.ok() || out->empty()) return Usage("--out=FILE is needed", SpecUsage(*call.spec));
    std::ofstream file(*out, std::ios::binary | std::ios::trunc);
    if (!file) return ReportFailure(absl::InternalError("cannot write " + *out));
    int64_t bytes = 0;
    // The ledger's size is not known before its end: bytes and rate only.
    ProgressReporter progress(std::cerr, context.progress, SystemClock(), "export",
                              ProgressUnit::kBytes);
    progress.Start(0);
    const absl::Status status =
        client.ExportLedger(call.Request<v1::ExportLedgerRequest>(), [&](const std::string& chunk) {
          file << chunk;
          bytes += static_cast<int64_t>(chunk.size());
          progress.Update(bytes);
        });
    progress.Finish();
    file.close();
    if (!status.ok()) return ReportFailure(status);
    if (!file) return ReportFailure(absl::InternalError("cannot write " + *out));
    std::cout << "wrote " << bytes << " bytes to " << *out << "\n";
    return kExitOk;
  });
}

int RunNotices(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::ListNotices, call.Request<v1::ListNoticesRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    const UnitLabels unit_label(context, client);
    std::cout << NoticeTable(reply->units(), unit_label);
    return kExitOk;
  });
}

int RunMonthlyReport(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto html_file = SingleFlag(call.flags(), "html", "");
    if (!html_file.ok() || (call.flags().count("html") > 0 && html_file->empty())) {
      return Usage("--html takes one FILE", SpecUsage(*call.spec));
    }
    auto reply =
        client.Call(&Stub::GetMonthlyReport, call.Request<v1::GetMonthlyReportRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (!html_file->empty()) {
      // Written only once the report is in hand, so a refused call leaves
      // an earlier page in place.
      const std::string page = RenderMonthlyReportHtml(*reply);
      std::ofstream file(*html_file, std::ios::binary | std::ios::trunc);
      file << page;
      file.close();
      if (!file) return ReportFailure(absl::InternalError("cannot write " + *html_file));
      std::cout << "wrote " << page.size() << " bytes to " << *html_file << "\n";
      return kExitOk;
    }
    if (context.json) return PrintJsonWithNames(client, *reply);
    PrintMonthlyTables(context, client, *reply);
    return kExitOk;
  });
}

}  // namespace rectify::client::ctl
