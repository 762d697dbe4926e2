// rectifyctl's responsible-unit subcommands (UnitService): units,
// unit-show, unit-create|update|retire|reactivate, unit-history and
// import-units. One handler per subcommand kind (ctl_specs.h).
#ifndef RECTIFY_CLIENT_CTL_UNIT_HANDLERS_H_
#define RECTIFY_CLIENT_CTL_UNIT_HANDLERS_H_

#include "client/ctl_context.h"

namespace rectify::client::ctl {

int RunUnits(const Context& context, Invocation& call);
int RunUnitShow(const Context& context, Invocation& call);
int RunUnitChange(const Context& context, Invocation& call);  // unit-create|update|retire|reactivate
int RunUnitHistory(const Context& context, Invocation& call);
int RunImportUnits(const Context& context, Invocation& call);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_UNIT_HANDLERS_H_
