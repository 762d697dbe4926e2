// The principals file's RECTIFIERs against the units directory; see
// principal_units.h.
#include "server/principal_units.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "projection/projector.h"
#include "rectify/v1/unit.pb.h"
#include "workflow/units.h"

namespace rectify::server {

absl::Status CheckPrincipalUnits(const PrincipalRegistry& principals, storage::EventStore& store) {
  for (const v1::Principal& principal : principals.Principals()) {
    if (principal.role() != v1::ROLE_RECTIFIER) continue;
    const std::string where = absl::StrCat("principals file: ", principal.principal_id(), ": ");
    if (absl::Status id = workflow::CheckUnitId("unit_id", principal.unit_id()); !id.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          where, id.message(), " (a RECTIFIER acts for a unit of the units directory)"));
    }
    v1::Unit unit;
    absl::StatusOr<std::string> stored =
        store.GetProjection(v1::STREAM_KIND_UNIT, workflow::UnitStreamId(principal.unit_id()));
    if (stored.ok()) {
      if (!unit.ParseFromString(*stored)) {
        return absl::DataLossError(
            absl::StrCat("unit ", principal.unit_id(), ": the projection is corrupt"));
      }
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    bool county_has_directory = true;
    if (unit.version() == 0) {
      ASSIGN_OR_RETURN(std::vector<std::string> keys,
                       store.ScanIndex(projection::UnitRegionPrefix(
                                           principal.jurisdiction().substr(0, 6)),
                                       "", 1));
      county_has_directory = !keys.empty();
    }
    if (absl::Status assignable = workflow::CheckAssignableUnit(
            "unit_id", principal.unit_id(), unit, county_has_directory);
        !assignable.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          where, assignable.message(),
          "; create or reactivate the unit (rectifyctl import-units, UnitService) or give the "
          "principal another unit, then restart"));
    }
  }
  return absl::OkStatus();
}

}  // namespace rectify::server
