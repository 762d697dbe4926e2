// rectifyctl: the command line for Rectify's users.
//
//   export RECTIFY_TOKEN=demo-inspector
//   rectifyctl report --title=砂石料场扬尘 --category=air --severity=medium
//       --source=inspection --region=620722 --address=洪水镇北滩村
//   rectifyctl get 620722-2026-000001
//   rectifyctl --json get 620722-2026-000001
//
// Exit codes: 0 done; 2 bad usage or bad input (also when the server says
// INVALID_ARGUMENT); 3 refused by the server (its message is printed);
// 4 the server cannot be reached.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "client/case_format.h"
#include "client/command_line.h"
#include "client/rectify_client.h"

namespace rectify::client {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitRefused = 3;
constexpr int kExitUnreachable = 4;

constexpr char kUsage[] =
    R"(rectifyctl: the command line of Rectify, environmental case work.

Usage: rectifyctl [--server=HOST:PORT] [--token=TOKEN] [--json] COMMAND [FLAGS] [ARGS]

Global flags:
  --server=HOST:PORT  the server (default $RECTIFY_SERVER, else 127.0.0.1:50051)
  --token=TOKEN       your bearer token (default $RECTIFY_TOKEN)
  --json              print replies as JSON instead of text

Commands:
  report   report a new case (rectifyctl report --help)
  get      show one case: rectifyctl get CASE_ID

Exit codes: 0 done, 2 bad usage or input, 3 refused by the server, 4 server unreachable.
)";

constexpr char kReportUsage[] =
    R"(Usage: rectifyctl report --title=TEXT --category=C --severity=S --source=SRC --region=CODE [FLAGS]

Reports a new case (FOUND). The server assigns its id, e.g. 620722-2026-000123.

Required:
  --title=TEXT          short title, at most 200 characters
  --category=C          air | water | soil | solid_waste | noise | ecology | radiation | other
  --severity=S          low | medium | high | critical
  --source=SRC          inspection | hotline_12369 | central_inspection |
                        provincial_inspection | monitoring | media | self_found
  --region=CODE         GB/T 2260 region code, e.g. 620722 (Minle County)
Optional:
  --description=TEXT    what was found
  --source_ref=REF      the source's reference number (hotline ticket, ...)
  --address=TEXT        where
  --lat=DEG --lon=DEG   coordinates (WGS-84)
  --subject=NAME        the regulated enterprise or person
  --credit_code=CODE    its unified social credit code (18 characters)
  --complainant=NAME    hotline complainant (personal data)
  --phone=NUMBER        complainant's phone (personal data)
  --found_at=TIME       when found, RFC 3339 (2026-11-28T09:30:00+08:00); default now
  --tag=TAG             a tag; repeat for more
  --command_id=ID       your id for this command, for safe retries; default random
)";

constexpr char kGetUsage[] = R"(Usage: rectifyctl get CASE_ID

Shows one case as you may see it.
)";

int Usage(const std::string& problem, const char* usage) {
  std::fprintf(stderr, "rectifyctl: %s\n\n%s", problem.c_str(), usage);
  return kExitUsage;
}

// Prints a failed call's status and returns the exit code it calls for.
int Report(const absl::Status& status) {
  std::fprintf(stderr, "rectifyctl: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return kExitUsage;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kExitUnreachable;
    default:
      return kExitRefused;
  }
}

// Refuses flags the subcommand does not know.
absl::Status CheckKnownFlags(const std::multimap<std::string, std::string>& flags,
                             const std::set<std::string>& known) {
  for (const auto& [name, value] : flags) {
    if (known.count(name) == 0) return absl::InvalidArgumentError("unknown flag --" + name);
  }
  return absl::OkStatus();
}

template <typename Enum>
absl::Status ParseEnumFlag(const std::string& flag, const std::string& value,
                           const std::string& prefix,
                           bool (*parse)(const std::string&, Enum*), Enum* out) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("--", flag, " is required"));
  if (!parse(prefix + absl::AsciiStrToUpper(value), out)) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, "=", value, " is not known"));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ParseTimeFlag(const std::string& flag, const std::string& value) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, value, &time, &error)) return time;
  if (absl::ParseTime("%Y-%m-%d %H:%M", value, absl::FixedTimeZone(8 * 3600), &time, &error)) {
    return time;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, "=", value, " is not a time like 2026-11-28T09:30:00+08:00"));
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

std::string RandomCommandId() {
  absl::BitGen bits;
  return absl::StrCat("ctl-", absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16));
}

absl::StatusOr<v1::ReportCaseRequest> BuildReport(const CommandLine& line) {
  const auto& flags = line.flags;
  RETURN_IF_ERROR(CheckKnownFlags(
      flags, {"title", "category", "severity", "source", "region", "description", "source_ref",
              "address", "lat", "lon", "subject", "credit_code", "complainant", "phone",
              "found_at", "tag", "command_id"}));
  if (!line.arguments.empty()) {
    return absl::InvalidArgumentError("report takes no arguments, only flags");
  }
  v1::ReportCaseRequest request;
  ASSIGN_OR_RETURN(std::string command_id, SingleFlag(flags, "command_id", RandomCommandId()));
  request.set_command_id(command_id);
  ASSIGN_OR_RETURN(std::string title, SingleFlag(flags, "title", ""));
  request.set_title(title);
  ASSIGN_OR_RETURN(std::string description, SingleFlag(flags, "description", ""));
  request.set_description(description);
  ASSIGN_OR_RETURN(std::string category, SingleFlag(flags, "category", ""));
  v1::Category category_value;
  RETURN_IF_ERROR(ParseEnumFlag("category", category, "CATEGORY_", &v1::Category_Parse,
                                &category_value));
  request.set_category(category_value);
  ASSIGN_OR_RETURN(std::string severity, SingleFlag(flags, "severity", ""));
  v1::Severity severity_value;
  RETURN_IF_ERROR(ParseEnumFlag("severity", severity, "SEVERITY_", &v1::Severity_Parse,
                                &severity_value));
  request.set_severity(severity_value);
  ASSIGN_OR_RETURN(std::string source, SingleFlag(flags, "source", ""));
  v1::CaseSource source_value;
  RETURN_IF_ERROR(ParseEnumFlag("source", source, "CASE_SOURCE_", &v1::CaseSource_Parse,
                                &source_value));
  request.set_source(source_value);
  ASSIGN_OR_RETURN(std::string source_ref, SingleFlag(flags, "source_ref", ""));
  request.set_source_reference(source_ref);
  ASSIGN_OR_RETURN(std::string region, SingleFlag(flags, "region", ""));
  request.mutable_location()->set_region_code(region);
  ASSIGN_OR_RETURN(std::string address, SingleFlag(flags, "address", ""));
  request.mutable_location()->set_address(address);
  ASSIGN_OR_RETURN(std::string lat, SingleFlag(flags, "lat", ""));
  ASSIGN_OR_RETURN(std::string lon, SingleFlag(flags, "lon", ""));
  if (!lat.empty() || !lon.empty()) {
    double latitude = 0, longitude = 0;
    if (!absl::SimpleAtod(lat, &latitude)) {
      return absl::InvalidArgumentError("--lat must be a number of degrees (and --lon given)");
    }
    if (!absl::SimpleAtod(lon, &longitude)) {
      return absl::InvalidArgumentError("--lon must be a number of degrees (and --lat given)");
    }
    request.mutable_location()->mutable_point()->set_latitude(latitude);
    request.mutable_location()->mutable_point()->set_longitude(longitude);
  }
  ASSIGN_OR_RETURN(std::string subject, SingleFlag(flags, "subject", ""));
  request.mutable_subject()->set_name(subject);
  ASSIGN_OR_RETURN(std::string credit_code, SingleFlag(flags, "credit_code", ""));
  request.mutable_subject()->set_unified_social_credit_code(credit_code);
  ASSIGN_OR_RETURN(std::string complainant, SingleFlag(flags, "complainant", ""));
  request.mutable_complainant()->set_name(complainant);
  ASSIGN_OR_RETURN(std::string phone, SingleFlag(flags, "phone", ""));
  request.mutable_complainant()->set_phone(phone);
  ASSIGN_OR_RETURN(std::string found_at, SingleFlag(flags, "found_at", ""));
  if (found_at.empty()) {
    *request.mutable_found_at() = ToProto(SystemClock().Now());
  } else {
    ASSIGN_OR_RETURN(absl::Time time, ParseTimeFlag("found_at", found_at));
    *request.mutable_found_at() = ToProto(time);
  }
  for (const std::string& tag : RepeatedFlag(flags, "tag")) request.add_tags(tag);
  return request;
}

int PrintCase(const v1::Case& state, const google::protobuf::Message& reply, bool json) {
  if (!json) {
    std::cout << FormatCase(state);
    return kExitOk;
  }
  absl::StatusOr<std::string> text = ToJson(reply);
  if (!text.ok()) return Report(text.status());
  std::cout << *text;
  return kExitOk;
}

int Main(const std::vector<std::string>& args) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(args, {"json", "help"});
  if (!line.ok()) return Usage(std::string(line.status().message()), kUsage);
  if (line->subcommand.empty() || line->subcommand == "help" ||
      line->global_flags.count("help") > 0) {
    const bool asked = line->subcommand == "help" || line->global_flags.count("help") > 0;
    std::fputs(kUsage, asked ? stdout : stderr);
    return asked ? kExitOk : kExitUsage;
  }
  if (absl::Status known = CheckKnownFlags(line->global_flags, {"server", "token", "json"});
      !known.ok()) {
    return Usage(std::string(known.message()), kUsage);
  }
  const char* env_server = std::getenv("RECTIFY_SERVER");
  const char* env_token = std::getenv("RECTIFY_TOKEN");
  ClientOptions options;
  auto server = SingleFlag(line->global_flags, "server",
                           env_server != nullptr ? env_server : options.server);
  auto token = SingleFlag(line->global_flags, "token", env_token != nullptr ? env_token : "");
  auto json = SingleFlag(line->global_flags, "json", "false");
  if (!server.ok() || !token.ok() || !json.ok()) {
    return Usage("a global flag is given more than once", kUsage);
  }
  options.server = *server;
  options.token = *token;
  const bool as_json = *json == "true";

  const bool help = line->flags.count("help") > 0;
  if (line->subcommand == "report") {
    if (help) return std::fputs(kReportUsage, stdout), kExitOk;
    absl::StatusOr<v1::ReportCaseRequest> request = BuildReport(*line);
    if (!request.ok()) return Usage(std::string(request.status().message()), kReportUsage);
    RectifyClient client(options);
    absl::StatusOr<v1::ReportCaseResponse> reply = client.ReportCase(*request);
    if (!reply.ok()) return Report(reply.status());
    return PrintCase(reply->case_(), *reply, as_json);
  }
  if (line->subcommand == "get") {
    if (help) return std::fputs(kGetUsage, stdout), kExitOk;
    if (absl::Status known = CheckKnownFlags(line->flags, {}); !known.ok()) {
      return Usage(std::string(known.message()), kGetUsage);
    }
    if (line->arguments.size() != 1) return Usage("get takes one CASE_ID", kGetUsage);
    RectifyClient client(options);
    absl::StatusOr<v1::GetCaseResponse> reply = client.GetCase(line->arguments[0]);
    if (!reply.ok()) return Report(reply.status());
    return PrintCase(reply->case_(), *reply, as_json);
  }
  return Usage(absl::StrCat("unknown command \"", line->subcommand, "\""), kUsage);
}

}  // namespace
}  // namespace rectify::client

int main(int argc, char** argv) {
  return rectify::client::Main(std::vector<std::string>(argv + 1, argv + argc));
}
