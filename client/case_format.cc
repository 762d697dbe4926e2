// How rectifyctl shows a case; see case_format.h.
#include "client/case_format.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "base/regions.h"
#include "google/protobuf/util/json_util.h"

namespace rectify::client {
namespace {

std::string FormatTime(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  const absl::Time time =
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S +08:00", time, rectify::ChinaTimeZone());
}

// A deadline as people write it: the day it ends ("2027-02-09"), or its day
// and minute when it ends inside a day (base/dates.h).
std::string DueText(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return DeadlineIso(absl::FromUnixSeconds(timestamp.seconds()) +
                     absl::Nanoseconds(timestamp.nanos()));
}

// The region's code and the names of its levels, e.g.
// "620722 甘肃省张掖市民乐县" (the national names rectifyctl carries).
std::string RegionText(const std::string& code) {
  const std::string name = CurrentRegions().FullName(code);
  return name.empty() ? code : absl::StrCat(code, " ", name);
}

// Shown after a due date counted over a year whose holiday arrangement was
// not yet published (v1::DeadlineRule.provisional).
constexpr char kProvisional[] = "暂定（按法定节假日推算，放假安排公布后重算）";

bool SameInstant(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

}  // namespace

std::string ShortEnumName(const std::string& full_name, const std::string& prefix) {
  return absl::StartsWith(full_name, prefix) ? full_name.substr(prefix.size()) : full_name;
}

std::string FormatCase(const v1::Case& state, const std::string& unit_name,
                       const std::string& region_full_name) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"case", state.case_id()},
      {"status", ShortEnumName(v1::CaseStatus_Name(state.status()), "CASE_STATUS_")},
      {"version", std::to_string(state.version())},
      {"title", state.title()},
      {"category", ShortEnumName(v1::Category_Name(state.category()), "CATEGORY_")},
      {"severity", ShortEnumName(v1::Severity_Name(state.severity()), "SEVERITY_")},
      {"source", ShortEnumName(v1::CaseSource_Name(state.source()), "CASE_SOURCE_")},
      {"source ref", state.source_reference()},
      {"region", region_full_name.empty()
                     ? RegionText(state.location().region_code())
                     : absl::StrCat(state.location().region_code(), " ", region_full_name)},
      {"address", state.location().address()},
      {"coordinates", state.location().has_point()
                          ? absl::StrFormat("%.6f, %.6f", state.location().point().latitude(),
                                            state.location().point().longitude())
                          : ""},
      {"subject", state.subject().name()},
      {"credit code", state.subject().unified_social_credit_code()},
      {"complainant", state.complainant().name()},
      {"phone", state.complainant().phone()},
      {"found at", FormatTime(state.found_at())},
      {"reported by", state.reported_by().display_name().empty()
                          ? state.reported_by().principal_id()
                          : absl::StrCat(state.reported_by().display_name(), " (",
                                         state.reported_by().principal_id(), ")")},
      {"reported at", FormatTime(state.reported_at())},
      {"unit", unit_name.empty() || unit_name == state.responsible_unit()
                   ? state.responsible_unit()
                   : absl::StrCat(unit_name, " (", state.responsible_unit(), ")")},
      {"requirements", state.requirements()},
      {"due", DueText(state.rectification_due_at())},
      {"overdue", state.overdue() ? "yes" : ""},
      {"tags", absl::StrJoin(state.tags(), ", ")},
      {"description", state.description()},
  };
  // The due date's mark, and every other running deadline that is provisional.
  for (const v1::Deadline& deadline : state.deadlines()) {
    if (deadline.state() != v1::DEADLINE_STATE_OPEN || !deadline.rule().provisional()) continue;
    if (deadline.kind() == v1::DEADLINE_KIND_RECTIFICATION &&
        SameInstant(deadline.due_at(), state.rectification_due_at())) {
      for (auto& [label, value] : rows) {
        if (label == "due" && !value.empty()) absl::StrAppend(&value, " ", kProvisional);
      }
      continue;
    }
    rows.push_back({"deadline", absl::StrCat(deadline.deadline_id(), " ",
                                             ShortEnumName(v1::DeadlineKind_Name(deadline.kind()),
                                                           "DEADLINE_KIND_"),
                                             " ", DueText(deadline.due_at()), " ", kProvisional)});
  }
  for (const v1::ExtensionRequest& extension : state.extension_requests()) {
    const std::string head = absl::StrCat(
        extension.request_id(), " ",
        ShortEnumName(v1::ExtensionState_Name(extension.state()), "EXTENSION_STATE_"));
    const std::string asked = DueText(extension.requested_due_at());
    // A grant may differ from what was asked: show the due it gave.
    rows.push_back(
        {"extension",
         extension.state() == v1::EXTENSION_STATE_GRANTED
             ? absl::StrCat(head, " to ", DueText(extension.granted_due_at()), " (asked ",
                            asked, ")")
         : extension.state() == v1::EXTENSION_STATE_REFUSED
             ? absl::StrCat(head, " (asked ", asked, ")")
             : absl::StrCat(head, " to ", asked)});
  }
  for (const v1::Referral& referral : state.referrals()) {
    rows.push_back({"referral", absl::StrCat(referral.referral_id(), " ",
                                             ShortEnumName(v1::ReferralState_Name(referral.state()),
                                                           "REFERRAL_STATE_"),
                                             referral.police_case_number().empty()
                                                 ? ""
                                                 : " police case " + referral.police_case_number(),
                                             referral.filing_review_days() > 0
                                                 ? absl::StrCat(" review ",
                                                                referral.filing_review_days(), " days")
                                                 : "",
                                             referral.has_review_extension_approved_by()
                                                 ? absl::StrCat(
                                                       " (", referral.review_extension_approved_days(),
                                                       " days approved by ",
                                                       referral.review_extension_approved_by()
                                                           .principal_id(),
                                                       ")")
                                                 : "")});
  }
  for (const v1::Evidence& evidence : state.evidence()) {
    rows.push_back({"evidence", absl::StrCat(evidence.evidence_id(), " ", evidence.file_name())});
  }
  std::string out;
  for (const auto& [label, value] : rows) {
    if (value.empty()) continue;
    absl::StrAppend(&out, absl::StrFormat("%-12s ", label + ":"), value, "\n");
  }
  return out;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

}  // namespace rectify::client
