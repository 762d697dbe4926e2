// rectifyctl's case subcommands: the case commands (report, assign, ...,
// the referral steps; sent, or recorded in the outbox with --offline) and
// the case reads (get, list, history, watch, evidence upload|download). One
// handler per subcommand kind (ctl_specs.h).
#ifndef RECTIFY_CLIENT_CTL_CASE_HANDLERS_H_
#define RECTIFY_CLIENT_CTL_CASE_HANDLERS_H_

#include "client/ctl_context.h"

namespace rectify::client::ctl {

int RunCaseCommand(const Context& context, Invocation& call);  // kMutate, kReport
int RunGet(const Context& context, Invocation& call);
int RunList(const Context& context, Invocation& call);
int RunHistory(const Context& context, Invocation& call);
int RunWatch(const Context& context, Invocation& call);
int RunUpload(const Context& context, Invocation& call);
int RunDownload(const Context& context, Invocation& call);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_CASE_HANDLERS_H_
