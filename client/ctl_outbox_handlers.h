// rectifyctl's offline outbox subcommands: sync (send the pending commands
// in order) and outbox (show pending, sent and set-aside commands).
#ifndef RECTIFY_CLIENT_CTL_OUTBOX_HANDLERS_H_
#define RECTIFY_CLIENT_CTL_OUTBOX_HANDLERS_H_

#include "client/ctl_context.h"

namespace rectify::client::ctl {

int RunSync(const Context& context, Invocation& call);
int RunOutbox(const Context& context, Invocation& call);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_OUTBOX_HANDLERS_H_
