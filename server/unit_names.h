// The names people read for unit ids (issue 21: ids are for machines): one
// lookup of the responsible units directory (the `units` projections) that
// the ledger export, the case reads and the reports share.
//
//   ASSIGN_OR_RETURN(auto names, UnitNames(store, {"minle-hongshui-town"}));
//   names["minle-hongshui-town"] == "洪水镇人民政府"
#ifndef RECTIFY_SERVER_UNIT_NAMES_H_
#define RECTIFY_SERVER_UNIT_NAMES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/event_store.h"

namespace rectify::server {

// The full names of the directory's units among `unit_ids`, by id; ids not
// in the directory (or malformed) are left out, so a caller shows the id.
// Store errors as they are.
absl::StatusOr<std::map<std::string, std::string>> UnitNames(
    storage::EventStore& store, const std::vector<std::string>& unit_ids);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_UNIT_NAMES_H_
