// rectifyctl's 12369 complaint subcommands (ComplaintService, 信访件): the
// queue, one complaint, its history and its steps (one handler, by the
// spec's method name), and import-complaints (the platform's CSV export).
#ifndef RECTIFY_CLIENT_CTL_COMPLAINT_HANDLERS_H_
#define RECTIFY_CLIENT_CTL_COMPLAINT_HANDLERS_H_

#include "client/ctl_context.h"

namespace rectify::client::ctl {

int RunComplaint(const Context& context, Invocation& call);
int RunImportComplaints(const Context& context, Invocation& call);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_COMPLAINT_HANDLERS_H_
