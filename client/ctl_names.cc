// The names people read for the ids in rectifyctl's output; see ctl_names.h.
#include "client/ctl_names.h"

#include <iostream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "client/case_format.h"
#include "client/ctl_usage.h"
#include "google/protobuf/struct.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "rectify/v1/unit_service.pb.h"

namespace rectify::client::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

enum class IdKind { kNone, kUnit, kRegion };

// What a string field of this name holds.
IdKind KindOfField(absl::string_view name) {
  for (absl::string_view unit : {"responsible_unit", "previous_unit", "owner_unit", "police_unit",
                                 "procuratorate_unit", "unit_id"}) {
    if (name == unit) return IdKind::kUnit;
  }
  for (absl::string_view region : {"region_code", "region_prefix", "jurisdiction"}) {
    if (name == region) return IdKind::kRegion;
  }
  return IdKind::kNone;
}

void Add(IdKind kind, const std::string& value, IdsInReply& ids) {
  if (value.empty()) return;
  if (kind == IdKind::kUnit) ids.units.insert(value);
  if (kind == IdKind::kRegion) ids.regions.insert(value);
}

void Collect(const Message& message, IdsInReply& ids) {
  const auto* descriptor = message.GetDescriptor();
  const Reflection* reflection = message.GetReflection();
  // An Actor or a Principal carries its own display name.
  if (descriptor == v1::Actor::descriptor() || descriptor == v1::Principal::descriptor()) {
    const std::string id =
        reflection->GetString(message, descriptor->FindFieldByName("principal_id"));
    const std::string name =
        reflection->GetString(message, descriptor->FindFieldByName("display_name"));
    if (!id.empty() && !name.empty()) ids.principals[id] = name;
  }
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      // A report row's key is a unit in by_unit, a region in by_region.
      const IdKind row_key = field->message_type() != v1::ReportRow::descriptor() ? IdKind::kNone
                             : field->name() == "by_unit"                         ? IdKind::kUnit
                             : field->name() == "by_region"                       ? IdKind::kRegion
                                                                                  : IdKind::kNone;
      const auto visit = [&](const Message& inner) {
        if (row_key != IdKind::kNone) {
          Add(row_key,
              inner.GetReflection()->GetString(inner,
                                               inner.GetDescriptor()->FindFieldByName("key")),
              ids);
        }
        Collect(inner, ids);
      };
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          visit(reflection->GetRepeatedMessage(message, field, i));
        }
      } else {
        visit(reflection->GetMessage(message, field));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
               field->type() == FieldDescriptor::TYPE_STRING) {
      const IdKind kind = KindOfField(field->name());
      if (kind == IdKind::kNone) continue;
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          Add(kind, reflection->GetRepeatedString(message, field, i), ids);
        }
      } else {
        Add(kind, reflection->GetString(message, field), ids);
      }
    }
  }
}

// A code GetRegionNames takes: 2, 4, 6, 9 or 12 digits.
bool IsRegionCode(const std::string& code) {
  const size_t n = code.size();
  if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void PutMap(const std::map<std::string, std::string>& names, google::protobuf::Struct& into) {
  for (const auto& [id, name] : names) {
    if (!name.empty()) (*into.mutable_fields())[id].set_string_value(name);
  }
}

}  // namespace

std::map<std::string, std::string> UnitNamesFor(RectifyClient& client) {
  std::map<std::string, std::string> names;
  v1::ListUnitsRequest request;
  request.set_include_retired(true);
  request.set_page_size(500);
  for (int page = 0; page < 100; ++page) {
    auto reply = client.Call(&v1::UnitService::Stub::ListUnits, request);
    if (!reply.ok()) break;
    for (const v1::Unit& unit : reply->units()) names[unit.unit_id()] = unit.details().full_name();
    if (reply->next_page_token().empty()) break;
    request.set_page_token(reply->next_page_token());
  }
  return names;
}

std::map<std::string, std::string> RegionNamesFor(RectifyClient& client,
                                                  const std::set<std::string>& codes) {
  std::vector<std::string> asked;
  for (const std::string& code : codes) {
    if (IsRegionCode(code)) asked.push_back(code);
  }
  std::map<std::string, std::string> names;
  for (size_t begin = 0; begin < asked.size(); begin += 500) {
    v1::GetRegionNamesRequest request;
    for (size_t i = begin; i < asked.size() && i < begin + 500; ++i) {
      request.add_region_codes(asked[i]);
    }
    auto reply = client.Call(&v1::UnitService::Stub::GetRegionNames, request);
    if (!reply.ok()) break;  // the names are left out; what needs them shows codes
    for (const v1::RegionName& region : reply->regions()) {
      if (!region.name().empty()) names[region.region_code()] = region.name();
    }
  }
  return names;
}

std::string RegionFullName(RectifyClient& client, const std::string& code) {
  if (!IsRegionCode(code)) return "";
  v1::GetRegionNamesRequest request;
  request.add_region_codes(code);
  auto reply = client.Call(&v1::UnitService::Stub::GetRegionNames, request);
  if (!reply.ok() || reply->regions().empty()) return "";
  return reply->regions(0).full_name();
}

std::string RegionWithName(const std::string& code,
                           const std::map<std::string, std::string>& names) {
  auto found = names.find(code);
  return found == names.end() ? code : absl::StrCat(code, " ", found->second);
}

IdsInReply IdsIn(const Message& reply) {
  IdsInReply ids;
  Collect(reply, ids);
  return ids;
}

std::string AddNames(const std::string& json, const std::map<std::string, std::string>& units,
                     const std::map<std::string, std::string>& regions,
                     const std::map<std::string, std::string>& principals) {
  google::protobuf::Struct names;
  auto& fields = *names.mutable_fields();
  PutMap(units, *fields["units"].mutable_struct_value());
  PutMap(regions, *fields["regions"].mutable_struct_value());
  PutMap(principals, *fields["principals"].mutable_struct_value());
  absl::StatusOr<std::string> names_json = ToJson(names);
  const size_t close = json.rfind('}');
  if (!names_json.ok() || close == std::string::npos || close == 0) return json;
  // The object's members are indented as its first line after "{" is.
  const size_t first = json.find('\n');
  const size_t member = first == std::string::npos ? first : json.find_first_not_of(' ', first + 1);
  const std::string indent =
      member == std::string::npos ? " " : json.substr(first + 1, member - first - 1);
  const size_t last = json.find_last_not_of(" \n", close - 1);
  const bool empty = json[last] == '{';
  const std::string value = absl::StrReplaceAll(absl::StripTrailingAsciiWhitespace(*names_json),
                                                {{"\n", absl::StrCat("\n", indent)}});
  std::string out = json.substr(0, last + 1);
  absl::StrAppend(&out, empty ? "" : ",", "\n", indent.empty() ? " " : indent, "\"names\": ", value,
                  "\n", json.substr(close));
  return out;
}

absl::StatusOr<std::string> JsonWithNames::Json(const Message& reply) {
  absl::StatusOr<std::string> json = ToJson(reply);
  if (!json.ok()) return json.status();
  const IdsInReply ids = IdsIn(reply);
  std::map<std::string, std::string> units;
  if (!ids.units.empty()) {
    if (!unit_names_.has_value()) unit_names_ = UnitNamesFor(client_);
    for (const std::string& id : ids.units) {
      auto found = unit_names_->find(id);
      if (found != unit_names_->end()) units[id] = found->second;
    }
  }
  std::set<std::string> unasked;
  for (const std::string& code : ids.regions) {
    if (region_names_.count(code) == 0) unasked.insert(code);
  }
  const std::map<std::string, std::string> found = RegionNamesFor(client_, unasked);
  for (const std::string& code : unasked) {
    auto name = found.find(code);
    region_names_[code] = name == found.end() ? "" : name->second;
  }
  std::map<std::string, std::string> regions;
  for (const std::string& code : ids.regions) regions[code] = region_names_[code];
  return AddNames(*json, units, regions, ids.principals);
}

int PrintJsonWithNames(RectifyClient& client, const Message& reply) {
  JsonWithNames names(client);
  absl::StatusOr<std::string> text = names.Json(reply);
  if (!text.ok()) return ReportFailure(text.status());
  std::cout << *text;
  return kExitOk;
}

}  // namespace rectify::client::ctl
