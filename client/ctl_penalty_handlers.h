// rectifyctl's penalty-case subcommands (PenaltyService, 处罚案件): the
// steps (penalty open ... close) and the reads (penalty show, list, history,
// export). One handler per subcommand kind (ctl_specs.h).
#ifndef RECTIFY_CLIENT_CTL_PENALTY_HANDLERS_H_
#define RECTIFY_CLIENT_CTL_PENALTY_HANDLERS_H_

#include "client/ctl_context.h"

namespace rectify::client::ctl {

int RunPenaltyStep(const Context& context, Invocation& call);
int RunPenaltyShow(const Context& context, Invocation& call);
int RunPenaltyList(const Context& context, Invocation& call);
int RunPenaltyHistory(const Context& context, Invocation& call);
int RunPenaltyExport(const Context& context, Invocation& call);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_PENALTY_HANDLERS_H_
