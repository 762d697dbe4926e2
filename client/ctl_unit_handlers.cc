// rectifyctl's responsible-unit subcommands; see ctl_unit_handlers.h.
#include "client/ctl_unit_handlers.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "client/client_config.h"
#include "client/ctl_names.h"
#include "client/ctl_render.h"
#include "client/ctl_usage.h"
#include "client/display_width.h"
#include "google/protobuf/text_format.h"

namespace rectify::client::ctl {

using Stub = v1::UnitService::Stub;

int RunUnits(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::ListUnits, call.Request<v1::ListUnitsRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    std::vector<std::vector<std::string>> rows;
    const auto region_names = UnitRegionNames(context, client, reply->units());
    for (const v1::Unit& unit : reply->units()) rows.push_back(UnitRow(unit, region_names));
    std::cout << FormatTable(UnitHeader(), rows);
    PrintMore(reply->next_page_token());
    return kExitOk;
  });
}

int RunUnitShow(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::GetUnit, call.Request<v1::GetUnitRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    return PrintUnit(context, client, *reply);
  });
}

int RunUnitChange(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    const std::string& name = call.spec->name;
    absl::StatusOr<v1::UnitResponse> reply;
    if (name == "unit-create") {
      reply = client.Call(&Stub::CreateUnit, call.Request<v1::CreateUnitRequest>());
    } else if (name == "unit-update") {
      reply = client.Call(&Stub::UpdateUnit, call.Request<v1::UpdateUnitRequest>());
    } else if (name == "unit-retire") {
      reply = client.Call(&Stub::RetireUnit, call.Request<v1::RetireUnitRequest>());
    } else {
      reply = client.Call(&Stub::ReactivateUnit, call.Request<v1::ReactivateUnitRequest>());
    }
    if (!reply.ok()) return ReportFailure(reply.status());
    return PrintUnit(context, client, *reply);
  });
}

int RunUnitHistory(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::GetUnitHistory, call.Request<v1::GetUnitHistoryRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    return PrintEvents(reply->events(), reply->next_page_token());
  });
}

// Creates each unit of the units file; one line per unit.
int RunImportUnits(const Context& context, Invocation& call) {
  const std::string& path = call.own_args[0];
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return Usage(std::string(text.status().message()), GlobalUsage());
  v1::UnitsFile file;
  if (!google::protobuf::TextFormat::ParseFromString(*text, &file)) {
    return Usage(absl::StrCat(path, " is not a units file (text format of rectify.v1.UnitsFile)"),
                 GlobalUsage());
  }
  if (context.dry_run) return PrintJson(file);
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), GlobalUsage());
  int created = 0;
  int existing = 0;
  for (const v1::UnitsFileEntry& entry : file.units()) {
    v1::GetUnitRequest get;
    get.set_unit_id(entry.unit_id());
    auto found = (*client)->Call(&Stub::GetUnit, get);
    if (found.ok()) {
      ++existing;
      std::cout << "exists  " << entry.unit_id() << "\n";
      continue;
    }
    if (found.status().code() != absl::StatusCode::kNotFound) return ReportFailure(found.status());
    v1::CreateUnitRequest request;
    // The same id for the same unit and description, so that a second
    // import after a lost reply is answered, not refused.
    request.set_command_id(absl::StrCat(
        "import-", entry.unit_id(), "-",
        HexEncode(Sha256(entry.details().SerializeAsString())).substr(0, 16)));
    request.set_unit_id(entry.unit_id());
    *request.mutable_details() = entry.details();
    auto reply = (*client)->Call(&Stub::CreateUnit, request);
    if (reply.ok()) {
      ++created;
      std::cout << "created " << entry.unit_id() << "  " << entry.details().full_name() << "\n";
    } else if (reply.status().code() == absl::StatusCode::kAlreadyExists) {
      ++existing;
      std::cout << "exists  " << entry.unit_id() << "\n";
    } else {
      std::cout << "refused " << entry.unit_id() << "\n";
      return ReportFailure(reply.status());
    }
  }
  std::cout << created << " created, " << existing << " already in the directory\n";
  return kExitOk;
}

}  // namespace rectify::client::ctl
