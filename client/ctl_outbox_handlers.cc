// rectifyctl's offline outbox subcommands; see ctl_outbox_handlers.h.
#include "client/ctl_outbox_handlers.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/progress.h"
#include "base/user_message.h"
#include "client/commands.h"
#include "client/ctl_usage.h"
#include "client/display_width.h"
#include "client/outbox.h"
#include "google/protobuf/struct.pb.h"

namespace rectify::client::ctl {
namespace {

std::string StateName(OutboxState state) {
  switch (state) {
    case OutboxState::kPending:
      return "pending";
    case OutboxState::kSent:
      return "sent";
    case OutboxState::kSetAside:
      return "set aside";
  }
  return "";
}

}  // namespace

int RunOutbox(const Context& context, Invocation& /*call*/) {
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(context.OutboxDir());
  if (!outbox.ok()) return ReportFailure(outbox.status());
  absl::StatusOr<std::vector<OutboxEntry>> entries = (*outbox)->Entries();
  if (!entries.ok()) return ReportFailure(entries.status());
  if (context.json) {
    google::protobuf::Struct reply;
    auto* list = (*reply.mutable_fields())["entries"].mutable_list_value();
    for (const OutboxEntry& entry : *entries) {
      auto& fields = *list->add_values()->mutable_struct_value()->mutable_fields();
      fields["seq"].set_number_value(static_cast<double>(entry.seq));
      fields["state"].set_string_value(StateName(entry.state));
      fields["command"].set_string_value(CommandName(entry.command));
      fields["command_id"].set_string_value(entry.command.command_id());
      fields["case_ref"].set_string_value(RequestString(entry.command, "case_id").empty()
                                              ? entry.local_ref
                                              : RequestString(entry.command, "case_id"));
      fields["case_id"].set_string_value(entry.case_id);
      if (entry.state == OutboxState::kSetAside) {
        fields["code"].set_string_value(absl::StatusCodeToString(entry.refusal.code()));
        fields["reason"].set_string_value(std::string(entry.refusal.message()));
        if (const auto reason = UserMessageOf(entry.refusal)) {
          fields["reason_zh"].set_string_value(reason->zh_cn());
        }
      }
    }
    return PrintJson(reply);
  }
  std::vector<std::vector<std::string>> rows;
  for (const OutboxEntry& entry : *entries) {
    const std::string ref = entry.local_ref.empty() ? RequestString(entry.command, "case_id")
                                                    : entry.local_ref;
    std::string note;
    if (entry.state == OutboxState::kSent) note = "→ " + entry.case_id;
    if (entry.state == OutboxState::kSetAside) {
      const auto reason = UserMessageOf(entry.refusal);
      note = absl::StrCat(absl::StatusCodeToString(entry.refusal.code()), ": ",
                          reason ? reason->zh_cn() : std::string(entry.refusal.message()));
    }
    rows.push_back({std::to_string(entry.seq), StateName(entry.state), CommandName(entry.command),
                    ref, entry.command.command_id(), note});
  }
  std::cout << FormatTable({"#", "STATE", "COMMAND", "CASE", "COMMAND ID", "RESULT"}, rows);
  return kExitOk;
}

int RunSync(const Context& context, Invocation& /*call*/) {
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(context.OutboxDir());
  if (!outbox.ok()) return ReportFailure(outbox.status());
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), GlobalUsage());
  int64_t pending = 0;
  if (absl::StatusOr<std::vector<OutboxEntry>> entries = (*outbox)->Entries(); entries.ok()) {
    for (const OutboxEntry& entry : *entries) pending += entry.state == OutboxState::kPending;
  }
  ProgressReporter progress(std::cerr, context.progress, SystemClock(), "sync",
                            ProgressUnit::kCommands);
  progress.Start(pending);
  int64_t tried = 0;
  const SyncResult result =
      (*outbox)->Sync([&](const v1::Command& command) -> absl::StatusOr<std::string> {
        absl::StatusOr<CommandReply> reply = SendCommand(**client, command);
        // Answered (sent or refused) counts; a stop leaves it pending.
        if (reply.ok() || IsRefusal(reply.status().code())) progress.Update(++tried);
        if (!reply.ok()) return reply.status();
        return reply->case_state.case_id();
      });
  progress.Finish();
  std::cout << "sent " << result.sent << ", set aside " << result.set_aside << ", pending "
            << result.pending << "\n";
  if (result.set_aside > 0) std::cout << "see `rectifyctl outbox` for the server's reasons\n";
  if (!result.stopped.ok()) return ReportFailure(result.stopped);
  return kExitOk;
}

}  // namespace rectify::client::ctl
