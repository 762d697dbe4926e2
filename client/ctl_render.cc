// How rectifyctl shows replies as text; see ctl_render.h.
#include "client/ctl_render.h"

#include <iostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "client/case_format.h"
#include "client/ctl_names.h"
#include "client/ctl_usage.h"
#include "client/display_width.h"

namespace rectify::client::ctl {
namespace {

// What kind of unit, as people say it.
std::string UnitKindWord(v1::UnitKind kind) {
  switch (kind) {
    case v1::UNIT_KIND_TOWNSHIP:
      return "乡镇";
    case v1::UNIT_KIND_COUNTY_DEPARTMENT:
      return "县直部门";
    case v1::UNIT_KIND_ENTERPRISE:
      return "企业";
    case v1::UNIT_KIND_OTHER:
      return "其他";
    default:
      return "";
  }
}

}  // namespace

int PrintCase(const Context& context, RectifyClient& client, const v1::Case& state,
              const google::protobuf::Message& reply) {
  if (context.json) return PrintJsonWithNames(client, reply);
  // The unit's name beside its id (its id alone with --ids).
  const std::string unit_name = state.responsible_unit().empty()
                                    ? std::string()
                                    : UnitLabels(context, client)(state.responsible_unit());
  const std::string region =
      context.ids ? std::string() : RegionFullName(client, state.location().region_code());
  std::cout << FormatCase(state, unit_name, region);
  return kExitOk;
}

std::string ShortTime(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(timestamp.seconds()),
                          rectify::ChinaTimeZone());
}

// A deadline as people write it: "2027-01-04" for one that ends that day,
// with the minute for one that ends inside a day (base/dates.h).
std::string DueText(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return DeadlineIso(absl::FromUnixSeconds(timestamp.seconds()));
}

std::string EventType(const v1::Event& event) {
  const auto* oneof = v1::Event::descriptor()->FindOneofByName("payload");
  const auto* field = event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
  return field == nullptr ? "" : field->name();
}

std::string ActorName(const v1::Actor& actor) {
  return actor.display_name().empty()
             ? actor.principal_id()
             : absl::StrCat(actor.display_name(), " (", actor.principal_id(), ")");
}

UnitLabels::UnitLabels(const Context& context, RectifyClient& client) : ids_(context.ids) {
  if (!ids_ && !context.json) names_ = UnitNamesFor(client);
}

std::string UnitLabels::operator()(const std::string& unit_id) const {
  if (ids_) return unit_id;
  auto found = names_.find(unit_id);
  return found == names_.end() || found->second.empty() ? unit_id : found->second;
}

const std::vector<std::string>& UnitHeader() {
  static const auto* header = new std::vector<std::string>{
      "ID", "NAME", "SHORT", "KIND", "REGION", "STATUS", "CREDIT_CODE", "CONTACT", "PHONE"};
  return *header;
}

std::vector<std::string> UnitRow(const v1::Unit& unit,
                                 const std::map<std::string, std::string>& region_names) {
  return {unit.unit_id(),
          unit.details().full_name(),
          unit.details().short_name(),
          UnitKindWord(unit.details().kind()),
          RegionWithName(unit.details().region_code(), region_names),
          unit.retired() ? "已撤销" : "在用",
          unit.details().unified_social_credit_code(),
          unit.details().contact().name(),
          unit.details().contact().phone()};
}

std::map<std::string, std::string> UnitRegionNames(
    const Context& context, RectifyClient& client,
    const google::protobuf::RepeatedPtrField<v1::Unit>& units) {
  if (context.ids) return {};
  std::set<std::string> codes;
  for (const v1::Unit& unit : units) codes.insert(unit.details().region_code());
  return RegionNamesFor(client, codes);
}

int PrintUnit(const Context& context, RectifyClient& client, const v1::UnitResponse& reply) {
  if (context.json) return PrintJsonWithNames(client, reply);
  google::protobuf::RepeatedPtrField<v1::Unit> one;
  *one.Add() = reply.unit();
  std::cout << FormatTable(UnitHeader(),
                           {UnitRow(reply.unit(), UnitRegionNames(context, client, one))});
  return kExitOk;
}

int PrintEvents(const google::protobuf::RepeatedPtrField<v1::Event>& events,
                const std::string& next_page_token) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::Event& event : events) {
    rows.push_back({std::to_string(event.version()), ShortTime(event.occurred_at()),
                    EventType(event), ActorName(event.actor()), std::to_string(event.position())});
  }
  std::cout << FormatTable({"VERSION", "TIME", "EVENT", "BY", "POSITION"}, rows);
  PrintMore(next_page_token);
  return kExitOk;
}

void PrintMore(const std::string& next_page_token) {
  if (!next_page_token.empty()) std::cout << "more: --page_token=" << next_page_token << "\n";
}

std::string NoticeTable(const google::protobuf::RepeatedPtrField<v1::UnitNotices>& units,
                        const UnitLabels& unit_label, size_t* count) {
  std::vector<std::vector<std::string>> rows;
  for (const v1::UnitNotices& unit : units) {
    for (const v1::Notice& notice : unit.notices()) {
      rows.push_back({unit_label(unit.responsible_unit()),
                      ShortEnumName(v1::NoticeReason_Name(notice.reason()), "NOTICE_REASON_"),
                      notice.case_id(), std::to_string(notice.days()), notice.title()});
    }
  }
  if (count != nullptr) *count = rows.size();
  return FormatTable({"UNIT", "REASON", "CASE", "DAYS", "TITLE"}, rows);
}

}  // namespace rectify::client::ctl
