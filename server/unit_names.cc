// The unit-name lookup; see unit_names.h.
#include "server/unit_names.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rectify/v1/unit.pb.h"
#include "workflow/units.h"

namespace rectify::server {

absl::StatusOr<std::map<std::string, std::string>> UnitNames(
    storage::EventStore& store, const std::vector<std::string>& unit_ids) {
  std::map<std::string, std::string> names;
  for (const std::string& id : unit_ids) {
    if (names.count(id) > 0 || !workflow::CheckUnitId("unit_id", id).ok()) continue;
    absl::StatusOr<std::string> bytes =
        store.GetProjection(v1::STREAM_KIND_UNIT, workflow::UnitStreamId(id));
    if (absl::IsNotFound(bytes.status())) continue;
    if (!bytes.ok()) return bytes.status();
    v1::Unit unit;
    if (!unit.ParseFromString(*bytes)) {
      return absl::DataLossError(absl::StrCat("unit ", id, ": the projection is corrupt"));
    }
    names[id] = workflow::UnitDisplayName(unit, id);
  }
  return names;
}

}  // namespace rectify::server
