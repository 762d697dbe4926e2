// Filling a subcommand's request from its command line; see ctl_request.h.
#include "client/ctl_request.h"

#include <map>
#include <set>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/clock.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "client/penalty_format.h"
#include "client/request_flags.h"
#include "rectify/v1/complaint_service.pb.h"

namespace rectify::client::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Sets the request's fields from the arguments and flags. Arguments whose
// placeholder maps to no field go to `own_args`.
absl::Status FillRequest(const Spec& spec, const CommandLine& line, Message& request,
                         std::vector<std::string>* own_args) {
  const std::vector<std::string>& args = line.arguments;
  if (args.size() != spec.positionals.size()) {
    std::vector<std::string> names;
    for (const auto& [placeholder, field] : spec.positionals) names.push_back(placeholder);
    return absl::InvalidArgumentError(
        names.empty() ? absl::StrCat(spec.name, " takes no arguments, only flags")
                      : absl::StrCat(spec.name, " takes ", absl::StrJoin(names, " ")));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& [placeholder, path] = spec.positionals[i];
    if (path.empty()) {
      own_args->push_back(args[i]);
      continue;
    }
    RETURN_IF_ERROR(SetFieldFromText(request, path, args[i], placeholder));
  }
  std::set<std::string> extra;
  for (const auto& [flag, help] : spec.extra_flags) extra.insert(ExtraFlagName(flag));
  std::map<std::string, int> seen;
  for (const auto& [name, value] : line.flags) {
    if (name == "help" || extra.count(name) > 0) continue;
    const auto alias = spec.aliases.find(name);
    const std::string path = alias != spec.aliases.end() ? alias->second : name;
    const FieldDescriptor* field = FieldAtPath(*request.GetDescriptor(), path);
    if (field == nullptr || !IsSettable(*field) || IsPositionalPath(spec, path)) {
      return absl::InvalidArgumentError("unknown flag --" + name);
    }
    if (!field->is_repeated() && ++seen[path] > 1) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", name, " is given more than once"));
    }
    RETURN_IF_ERROR(SetFieldFromText(request, path, value, "--" + name));
  }
  const FieldDescriptor* command_id = request.GetDescriptor()->FindFieldByName("command_id");
  if (command_id != nullptr && request.GetReflection()->GetString(request, command_id).empty()) {
    request.GetReflection()->SetString(&request, command_id, RandomCommandId());
  }
  return absl::OkStatus();
}

// Money flags typed in yuan (Spec.money) set their fen fields exactly (never
// through a floating point).
absl::Status ApplyMoneyFlags(const Spec& spec, const CommandLine& line, Message& request) {
  for (const auto& [flag, path] : spec.money) {
    if (line.flags.count(flag) == 0) continue;
    ASSIGN_OR_RETURN(std::string text, SingleFlag(line.flags, flag, ""));
    ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--" + flag, text));
    RETURN_IF_ERROR(SetFieldFromText(request, path, std::to_string(fen), "--" + flag));
  }
  return absl::OkStatus();
}

// A complaint's site-check documents given as --document=DOCUMENT_ID:SHA256:SIZE,
// each uploaded first (complaint document-upload prints the value).
absl::Status ApplyDocuments(const CommandLine& line, Message& request) {
  auto* close = dynamic_cast<v1::CloseComplaintUnfoundedRequest*>(&request);
  if (close == nullptr) return absl::OkStatus();
  for (const std::string& value : RepeatedFlag(line.flags, "document")) {
    const std::vector<std::string> parts = absl::StrSplit(value, ':');
    int64_t size = 0;
    if (parts.size() != 3 || parts[0].empty() || !absl::SimpleAtoi(parts[2], &size)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--document=", value, " is not DOCUMENT_ID:SHA256:SIZE"));
    }
    v1::SiteCheckDocument& document = *close->add_check_documents();
    document.set_document_id(parts[0]);
    document.set_sha256(parts[1]);
    document.set_size(size);
  }
  return absl::OkStatus();
}

// What a report needs beyond its fields: the category, severity and source
// given, coordinates in pairs, and "found now" unless --found_at says when.
absl::Status CompleteReport(const CommandLine& line, v1::ReportCaseRequest& request) {
  if (request.category() == v1::CATEGORY_UNSPECIFIED) {
    return absl::InvalidArgumentError("--category is required");
  }
  if (request.severity() == v1::SEVERITY_UNSPECIFIED) {
    return absl::InvalidArgumentError("--severity is required");
  }
  if (request.source() == v1::CASE_SOURCE_UNSPECIFIED) {
    return absl::InvalidArgumentError("--source is required");
  }
  const bool lat = line.flags.count("lat") + line.flags.count("location.point.latitude") > 0;
  const bool lon = line.flags.count("lon") + line.flags.count("location.point.longitude") > 0;
  if (lat && !lon) {
    return absl::InvalidArgumentError("--lon must be a number of degrees (and --lat given)");
  }
  if (lon && !lat) {
    return absl::InvalidArgumentError("--lat must be a number of degrees (and --lon given)");
  }
  // The location, subject and complainant are always sent, empty or not.
  request.mutable_location();
  request.mutable_subject();
  request.mutable_complainant();
  if (!request.has_found_at()) *request.mutable_found_at() = ToProto(SystemClock().Now());
  return absl::OkStatus();
}

}  // namespace

std::string RandomCommandId() {
  absl::BitGen bits;
  return absl::StrCat("ctl-", absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16));
}

absl::Status BuildInvocation(const CommandLine& line, Invocation* invocation) {
  const Spec& spec = *line.spec;
  invocation->spec = &spec;
  invocation->line = &line;
  switch (spec.kind) {
    case Kind::kSync:
    case Kind::kOutbox:
      if (!line.arguments.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(spec.name, " takes no arguments or flags"));
      }
      return absl::OkStatus();
    case Kind::kImportUnits:
    case Kind::kImportComplaints:
      if (line.arguments.size() != 1) {
        return absl::InvalidArgumentError(absl::StrCat(spec.name, " takes one FILE"));
      }
      invocation->own_args = line.arguments;
      return absl::OkStatus();
    case Kind::kMutate:
    case Kind::kReport:
      invocation->request = invocation->command.GetReflection()->MutableMessage(
          &invocation->command, v1::Command::descriptor()->FindFieldByName(spec.command_field));
      break;
    default:
      invocation->owned_request.reset(spec.prototype->New());
      invocation->request = invocation->owned_request.get();
      break;
  }
  Message& request = *invocation->request;
  RETURN_IF_ERROR(FillRequest(spec, line, request, &invocation->own_args));
  RETURN_IF_ERROR(ApplyMoneyFlags(spec, line, request));
  RETURN_IF_ERROR(ApplyDocuments(line, request));
  if (spec.kind == Kind::kReport) {
    RETURN_IF_ERROR(CompleteReport(line, static_cast<v1::ReportCaseRequest&>(request)));
  }
  return absl::OkStatus();
}

}  // namespace rectify::client::ctl
