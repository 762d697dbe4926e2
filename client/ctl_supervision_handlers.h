// rectifyctl's supervision subcommands (SupervisionService): the
// rectification lists (lists, list-create|add|remove|close, list-show, list
// export), the notices and the monthly dispatch report. One handler per
// subcommand kind (ctl_specs.h).
#ifndef RECTIFY_CLIENT_CTL_SUPERVISION_HANDLERS_H_
#define RECTIFY_CLIENT_CTL_SUPERVISION_HANDLERS_H_

#include "client/ctl_context.h"

namespace rectify::client::ctl {

int RunLists(const Context& context, Invocation& call);
int RunListChange(const Context& context, Invocation& call);  // list-create|add|remove|close
int RunListShow(const Context& context, Invocation& call);
int RunListExport(const Context& context, Invocation& call);
int RunNotices(const Context& context, Invocation& call);
int RunMonthlyReport(const Context& context, Invocation& call);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_SUPERVISION_HANDLERS_H_
