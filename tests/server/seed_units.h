// The shared test fixture of the responsible units directory: the tests that
// assign cases create their units first, as a bureau does (a case goes only
// to an active unit of the directory, workflow/units.h). SeedUnits submits
// CreateUnit commands as the SYSTEM principal straight to the pipeline and
// waits for them.
//
//   ASSERT_OK(SeedUnits(server.pipeline(), {"minle-hongshui-town", "unit-b"}));
#ifndef RECTIFY_TESTS_SERVER_SEED_UNITS_H_
#define RECTIFY_TESTS_SERVER_SEED_UNITS_H_

#include <future>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/pipeline.h"

namespace rectify::testing {

// The full name SeedUnits gives `unit_id` when it has no name of its own:
// "责任单位 <id>".
inline std::string SeededUnitName(const std::string& unit_id) {
  return absl::StrCat("责任单位 ", unit_id);
}

// Creates one unit (kind OTHER) in `region_code` with `full_name` (default
// SeededUnitName) through `pipeline`; ALREADY_EXISTS counts as done.
inline absl::Status SeedUnit(server::CommandPipeline& pipeline, const std::string& unit_id,
                             const std::string& region_code = "620722",
                             const std::string& full_name = "") {
  v1::Command command;
  command.set_command_id(absl::StrCat("seed-unit-", unit_id));
  v1::CreateUnitRequest& create = *command.mutable_create_unit();
  create.set_unit_id(unit_id);
  create.mutable_details()->set_full_name(full_name.empty() ? SeededUnitName(unit_id) : full_name);
  create.mutable_details()->set_kind(v1::UNIT_KIND_OTHER);
  create.mutable_details()->set_region_code(region_code);
  v1::Principal system;
  system.set_principal_id("test-seed");
  system.set_role(v1::ROLE_SYSTEM);
  std::promise<absl::Status> done;
  pipeline.Submit(std::move(command), system,
                  [&done](absl::StatusOr<server::CommandOutcome> outcome) {
                    done.set_value(outcome.status());
                  });
  absl::Status status = done.get_future().get();
  if (absl::IsAlreadyExists(status)) return absl::OkStatus();
  return status;
}

// SeedUnit for each id, in `region_code`.
inline absl::Status SeedUnits(server::CommandPipeline& pipeline,
                              const std::vector<std::string>& unit_ids,
                              const std::string& region_code = "620722") {
  for (const std::string& id : unit_ids) {
    absl::Status status = SeedUnit(pipeline, id, region_code);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_SEED_UNITS_H_
