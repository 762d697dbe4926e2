// The common start of a server call; see ctl_context.h.
#include "client/ctl_context.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "client/ctl_usage.h"
#include "client/outbox.h"

namespace rectify::client::ctl {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status ResolveLocalCase(const Context& context, Message& request) {
  const FieldDescriptor* field = request.GetDescriptor()->FindFieldByName("case_id");
  if (field == nullptr) return absl::OkStatus();
  const std::string case_id = request.GetReflection()->GetString(request, field);
  if (!IsLocalRef(case_id)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::unique_ptr<Outbox> outbox, Outbox::Open(context.OutboxDir()));
  absl::StatusOr<std::string> resolved = outbox->Resolve(case_id);
  if (!resolved.ok()) return absl::InvalidArgumentError(std::string(resolved.status().message()));
  request.GetReflection()->SetString(&request, field, *resolved);
  return absl::OkStatus();
}

int WithServer(const Context& context, Invocation& invocation,
               const std::function<int(RectifyClient&)>& call) {
  const Spec& spec = *invocation.spec;
  if (absl::Status resolved = ResolveLocalCase(context, *invocation.request); !resolved.ok()) {
    return Usage(std::string(resolved.message()), SpecUsage(spec));
  }
  if (context.dry_run) return PrintJson(*invocation.request);
  if (context.offline) {
    return Usage(absl::StrCat(spec.name, " needs the server; only case commands work offline"),
                 SpecUsage(spec));
  }
  absl::StatusOr<std::unique_ptr<RectifyClient>> client = context.Client();
  if (!client.ok()) return Usage(std::string(client.status().message()), GlobalUsage());
  return call(**client);
}

}  // namespace rectify::client::ctl
