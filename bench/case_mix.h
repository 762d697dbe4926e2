// The command mix of the server benchmarks and the crash loop, in one place
// so that the load generator, the two baseline servers and the crash-loop
// test agree on it.
//
// One "case cycle" is five mutating commands on a new case, each needing the
// state the one before left (docs/workflow.md, "Who does what"):
//   1. ReportCase          by demo-inspector   (new stream → FOUND)
//   2. AssignCase          by demo-supervisor  (FOUND → ASSIGNED, unit minle-hongshui-town)
//   3. StartRectification  by demo-rectifier   (ASSIGNED → RECTIFYING)
//   4. ReportProgress      by demo-rectifier   (RECTIFYING, 40 %)
//   5. ReportProgress      by demo-rectifier   (RECTIFYING, 80 %)
// Texts are Chinese, of the length an inspector types on a tablet, so the
// message sizes are those of real traffic (about 400 bytes for a report).
#ifndef RECTIFY_BENCH_CASE_MIX_H_
#define RECTIFY_BENCH_CASE_MIX_H_

#include <string>

#include "rectify/v1/case.pb.h"
#include "rectify/v1/case_service.pb.h"

namespace rectify::bench {

// Bearer tokens of config/principals.demo.textproto.
inline constexpr char kInspectorToken[] = "demo-inspector";
inline constexpr char kSupervisorToken[] = "demo-supervisor";
inline constexpr char kRectifierToken[] = "demo-rectifier";
// The unit of demo-rectifier, to which every case is assigned.
inline constexpr char kRectifierUnit[] = "minle-hongshui-town";

// Commands per case cycle, and the step names (for reports).
inline constexpr int kStepsPerCase = 5;
const char* StepName(int step);

// The request of each step; `command_id` must be unique per command.
v1::ReportCaseRequest MakeReport(const std::string& command_id);
v1::AssignCaseRequest MakeAssign(const std::string& command_id, const std::string& case_id);
v1::StartRectificationRequest MakeStart(const std::string& command_id,
                                        const std::string& case_id);
v1::ReportProgressRequest MakeProgress(const std::string& command_id, const std::string& case_id,
                                       int percent);

// For the baseline servers: a case of the size the real server answers
// after `step` (0-based) of the cycle, built from the report's fields plus
// what the later steps add. It is not a real state, only the same bytes.
v1::Case TypicalCase(const std::string& case_id, int step);

}  // namespace rectify::bench

#endif  // RECTIFY_BENCH_CASE_MIX_H_
