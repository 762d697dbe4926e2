// How rectifyctl shows replies as text: times, events, units and notices,
// each in one place so that every subcommand that shows one shows it alike
// (the notice table of `notices` and of `monthly-report` is NoticeTable).
#ifndef RECTIFY_CLIENT_CTL_RENDER_H_
#define RECTIFY_CLIENT_CTL_RENDER_H_

#include <map>
#include <string>
#include <vector>

#include "client/ctl_context.h"
#include "client/rectify_client.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"

namespace rectify::client::ctl {

// "2026-11-28 09:30" (China time); "" for an unset time.
std::string ShortTime(const google::protobuf::Timestamp& timestamp);

// A deadline as people write it: "2027-01-04" for one that ends that day,
// with the minute for one that ends inside a day (base/dates.h).
std::string DueText(const google::protobuf::Timestamp& timestamp);

// The event's payload field name, e.g. "case_reported".
std::string EventType(const v1::Event& event);

// "张伟 (insp-zhang)", or the principal id alone.
std::string ActorName(const v1::Actor& actor);

// The case as text, or the reply as JSON with its names with --json.
int PrintCase(const Context& context, RectifyClient& client, const v1::Case& state,
              const google::protobuf::Message& reply);

// A page of a stream's events as a table, and how to ask for the next.
int PrintEvents(const google::protobuf::RepeatedPtrField<v1::Event>& events,
                const std::string& next_page_token);

// "more: --page_token=T" when there is a next page.
void PrintMore(const std::string& next_page_token);

// How a table shows a unit: its name (with --ids, its id); an id the
// directory does not hold as it is.
class UnitLabels {
 public:
  UnitLabels(const Context& context, RectifyClient& client);
  std::string operator()(const std::string& unit_id) const;

 private:
  bool ids_;
  std::map<std::string, std::string> names_;
};

// The units table: its header and a unit's row, its region as
// "620722101 洪水镇" with the name `region_names` gives (RegionNamesFor).
const std::vector<std::string>& UnitHeader();
std::vector<std::string> UnitRow(const v1::Unit& unit,
                                 const std::map<std::string, std::string>& region_names);

// The names of the regions of `units` (none with --ids), for UnitRow.
std::map<std::string, std::string> UnitRegionNames(
    const Context& context, RectifyClient& client,
    const google::protobuf::RepeatedPtrField<v1::Unit>& units);

// One unit as a table, or the reply as JSON with its names with --json.
int PrintUnit(const Context& context, RectifyClient& client, const v1::UnitResponse& reply);

// The notices (通报) of each unit as a table: UNIT, REASON, CASE, DAYS, TITLE;
// the number of notices in `*count` when given.
std::string NoticeTable(const google::protobuf::RepeatedPtrField<v1::UnitNotices>& units,
                        const UnitLabels& unit_label, size_t* count = nullptr);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_RENDER_H_
