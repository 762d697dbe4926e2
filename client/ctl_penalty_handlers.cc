// rectifyctl's penalty-case subcommands; see ctl_penalty_handlers.h.
#include "client/ctl_penalty_handlers.h"

#include <fstream>
#include <iostream>

#include "client/ctl_names.h"
#include "client/ctl_render.h"
#include "client/ctl_usage.h"
#include "client/display_width.h"
#include "client/penalty_calls.h"
#include "client/penalty_format.h"

namespace rectify::client::ctl {

using Stub = v1::PenaltyService::Stub;

int RunPenaltyStep(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    absl::StatusOr<PenaltyReply> reply = SendPenaltyStep(client, *call.request);
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply->response);
    std::cout << PenaltyCaseLine(reply->penalty_case);
    return kExitOk;
  });
}

int RunPenaltyShow(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::GetPenaltyCase, call.Request<v1::GetPenaltyCaseRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    const UnitLabels unit_label(context, client);
    std::cout << FormatPenaltyCase(*reply, unit_label(reply->penalty_case().responsible_unit()));
    return kExitOk;
  });
}

int RunPenaltyList(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply =
        client.Call(&Stub::ListPenaltyCases, call.Request<v1::ListPenaltyCasesRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    std::cout << FormatTable(PenaltyQueueHeader(), PenaltyQueueRows(*reply));
    PrintMore(reply->next_page_token());
    return kExitOk;
  });
}

int RunPenaltyHistory(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto reply = client.Call(&Stub::GetPenaltyCaseHistory,
                             call.Request<v1::GetPenaltyCaseHistoryRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    if (context.json) return PrintJsonWithNames(client, *reply);
    return PrintEvents(reply->events(), reply->next_page_token());
  });
}

int RunPenaltyExport(const Context& context, Invocation& call) {
  return WithServer(context, call, [&](RectifyClient& client) {
    auto out = SingleFlag(call.flags(), "out", "");
    if (!out.ok() || out->empty()) return Usage("--out=FILE is needed", SpecUsage(*call.spec));
    const std::string out_file = *out;
    auto reply = client.Call(&Stub::ExportPenaltyPublication,
                             call.Request<v1::ExportPenaltyPublicationRequest>());
    if (!reply.ok()) return ReportFailure(reply.status());
    // Written only once the server answered: a refusal leaves an earlier file.
    const std::string csv = PublicationCsv(*reply);
    std::ofstream file(out_file, std::ios::binary | std::ios::trunc);
    file << csv;
    file.close();
    if (!file) return ReportFailure(absl::InternalError("cannot write " + out_file));
    std::cout << "wrote " << reply->entries_size() << " entries (" << csv.size() << " bytes) to "
              << out_file << "\n";
    return kExitOk;
  });
}

}  // namespace rectify::client::ctl
