// The names people read for the ids in rectifyctl's output, in one place:
// the units' names from the units directory (UnitService.ListUnits) for the
// tables, and the "names" object `--json` adds beside the reply's own
// fields (docs/rectifyctl.md, "JSON"):
//
//   "names": {
//     "units": {"minle-hongshui-town": "洪水镇人民政府"},
//     "regions": {"620722": "民乐县"},
//     "principals": {"insp-zhang": "张伟"}
//   }
//
// The reply's fields are printed as they are (ids stay ids); the names are
// only added, so a script that reads the reply as its proto message with
// unknown fields ignored reads it as before.
#ifndef RECTIFY_CLIENT_CTL_NAMES_H_
#define RECTIFY_CLIENT_CTL_NAMES_H_

#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "client/rectify_client.h"
#include "google/protobuf/message.h"

namespace rectify::client::ctl {

// The names of the units of the caller's jurisdiction (the directory, read
// with ListUnits, retired ones included), by id; empty when it cannot be
// read (the tables then show ids).
std::map<std::string, std::string> UnitNamesFor(RectifyClient& client);

// The names of `codes` from the server's region directory (GetRegionNames:
// the region's own name, 洪水镇 for 620722101), by code; a code that names
// nothing, is not a region code, or could not be asked about is left out.
std::map<std::string, std::string> RegionNamesFor(RectifyClient& client,
                                                  const std::set<std::string>& codes);

// Every level's name of `code` from the server's region directory
// ("甘肃省张掖市民乐县洪水镇" for 620722101); "" when it names nothing or
// cannot be asked about.
std::string RegionFullName(RectifyClient& client, const std::string& code);

// "620722101 洪水镇": a region code and its name in `names`, or the code.
std::string RegionWithName(const std::string& code,
                           const std::map<std::string, std::string>& names);

// The ids a reply names, found by field name anywhere in it: units
// (responsible_unit, previous_unit, owner_unit, police_unit,
// procuratorate_unit, unit_id, the keys of a report's by_unit rows),
// region codes (region_code, region_prefix, jurisdiction, the keys of
// by_region rows) and principals with the display name the reply itself
// carries (an Actor's or a Principal's).
struct IdsInReply {
  std::set<std::string> units;
  std::set<std::string> regions;
  std::map<std::string, std::string> principals;
};
IdsInReply IdsIn(const google::protobuf::Message& reply);

// The JSON of `json` (an object, as ToJson prints it) with "names" added as
// its last member: `units` and `regions` map each id to its name (ids
// without a name are left out), `principals` as IdsInReply found them.
std::string AddNames(const std::string& json, const std::map<std::string, std::string>& units,
                     const std::map<std::string, std::string>& regions,
                     const std::map<std::string, std::string>& principals);

// Replies as JSON with their names, for one run of rectifyctl: the units
// directory is read once (at the first reply that names a unit), region
// names are asked for once per code (UnitService.GetRegionNames).
class JsonWithNames {
 public:
  explicit JsonWithNames(RectifyClient& client) : client_(client) {}

  // ToJson(reply) plus its "names".
  absl::StatusOr<std::string> Json(const google::protobuf::Message& reply);

 private:
  RectifyClient& client_;
  std::optional<std::map<std::string, std::string>> unit_names_;
  // Every code asked for, with its name ("" when it names nothing).
  std::map<std::string, std::string> region_names_;
};

// Prints `reply` as JSON with its names on standard output; the exit code.
int PrintJsonWithNames(RectifyClient& client, const google::protobuf::Message& reply);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_NAMES_H_
