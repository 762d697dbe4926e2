// rectifyctl: the command line for Rectify's users, one subcommand per RPC.
//
//   export RECTIFY_TOKEN=demo-inspector
//   rectifyctl report --title=砂石料场扬尘 --category=air --severity=medium
//       --source=inspection --region=620722 --address=洪水镇北滩村
//   rectifyctl get 620722-2026-000001
//   rectifyctl --json get 620722-2026-000001
//   rectifyctl --offline assign local:1 --responsible_unit=minle-hongshui-town
//   rectifyctl sync
//
// Every subcommand takes the request's own field names as flags
// (request_flags.h) and the ids as arguments; see docs/rectifyctl.md. This
// file only joins the parts: the command line (command_line.h, on CLI11),
// the subcommand table (ctl_specs.h), the request (ctl_request.h), the
// settings (ctl_settings.h) and one handler per kind of subcommand (the
// table below; ctl_*_handlers.h).
//
// Exit codes: 0 done; 2 bad usage or bad input (also when the server says
// INVALID_ARGUMENT); 3 refused by the server (its message is printed);
// 4 the server cannot be reached.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "client/command_line.h"
#include "client/ctl_case_handlers.h"
#include "client/ctl_complaint_handlers.h"
#include "client/ctl_context.h"
#include "client/ctl_outbox_handlers.h"
#include "client/ctl_penalty_handlers.h"
#include "client/ctl_request.h"
#include "client/ctl_settings.h"
#include "client/ctl_specs.h"
#include "client/ctl_supervision_handlers.h"
#include "client/ctl_unit_handlers.h"
#include "client/ctl_usage.h"

namespace rectify::client::ctl {
namespace {

// The handler of each kind of subcommand.
const std::map<Kind, Handler>& Handlers() {
  static const auto* handlers = new std::map<Kind, Handler>{
      {Kind::kMutate, &RunCaseCommand},
      {Kind::kReport, &RunCaseCommand},
      {Kind::kGet, &RunGet},
      {Kind::kList, &RunList},
      {Kind::kHistory, &RunHistory},
      {Kind::kWatch, &RunWatch},
      {Kind::kUpload, &RunUpload},
      {Kind::kDownload, &RunDownload},
      {Kind::kLists, &RunLists},
      {Kind::kListMutate, &RunListChange},
      {Kind::kListShow, &RunListShow},
      {Kind::kListExport, &RunListExport},
      {Kind::kNotices, &RunNotices},
      {Kind::kMonthly, &RunMonthlyReport},
      {Kind::kSync, &RunSync},
      {Kind::kOutbox, &RunOutbox},
      {Kind::kUnits, &RunUnits},
      {Kind::kUnitMutate, &RunUnitChange},
      {Kind::kUnitShow, &RunUnitShow},
      {Kind::kUnitHistory, &RunUnitHistory},
      {Kind::kImportUnits, &RunImportUnits},
      {Kind::kComplaint, &RunComplaint},
      {Kind::kImportComplaints, &RunImportComplaints},
      {Kind::kPenaltyStep, &RunPenaltyStep},
      {Kind::kPenaltyShow, &RunPenaltyShow},
      {Kind::kPenaltyList, &RunPenaltyList},
      {Kind::kPenaltyHistory, &RunPenaltyHistory},
      {Kind::kPenaltyExport, &RunPenaltyExport},
  };
  return *handlers;
}

int Main(const std::vector<std::string>& args) {
  const CommandLine line = ParseCommandLine(args);
  if (line.subcommand.empty() || line.subcommand == "help" ||
      (line.help && line.spec == nullptr && line.problem.ok())) {
    // `rectifyctl`, `rectifyctl help`, `rectifyctl --help`: the usage,
    // on standard output when asked for.
    if (!line.help && !line.problem.ok()) {
      return Usage(std::string(line.problem.message()), GlobalUsage());
    }
    std::fputs(GlobalUsage().c_str(), line.help ? stdout : stderr);
    return line.help ? kExitOk : kExitUsage;
  }
  if (!line.problem.ok()) {
    return Usage(std::string(line.problem.message()),
                 line.spec == nullptr ? GlobalUsage() : SpecUsage(*line.spec));
  }
  const Spec& spec = *line.spec;
  if (line.help) {
    std::fputs(SpecUsage(spec).c_str(), stdout);
    return kExitOk;
  }
  absl::StatusOr<Context> context = MakeContext(line);
  if (!context.ok()) return Usage(std::string(context.status().message()), GlobalUsage());
  Invocation invocation;
  if (absl::Status built = BuildInvocation(line, &invocation); !built.ok()) {
    return Usage(std::string(built.message()), SpecUsage(spec));
  }
  return Handlers().at(spec.kind)(*context, invocation);
}

}  // namespace
}  // namespace rectify::client::ctl

int main(int argc, char** argv) {
  return rectify::client::ctl::Main(std::vector<std::string>(argv + 1, argv + argc));
}
