// rectifyctl's usage texts, usage errors and failed calls; see ctl_usage.h.
#include "client/ctl_usage.h"

#include <cstdio>
#include <iostream>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/user_message.h"
#include "client/case_format.h"
#include "client/display_width.h"
#include "client/request_flags.h"

namespace rectify::client::ctl {
namespace {

using google::protobuf::FieldDescriptor;

constexpr char kUsage[] =
    R"(rectifyctl: the command line of Rectify, environmental case work.

Usage: rectifyctl [GLOBAL FLAGS] COMMAND [ARGS] [FLAGS]
       rectifyctl COMMAND --help

Global flags:
  --server=HOST:PORT  the server (default $RECTIFY_SERVER, the config file, else 127.0.0.1:50051)
  --token=TOKEN       your bearer token (default $RECTIFY_TOKEN, else the config file)
  --config=PATH       config file (default $RECTIFY_CONFIG, else ~/.config/rectify/config)
  --tls               use TLS (implied by --tls_ca)
  --tls_ca=PEM        CA certificates that verify the server
  --tls_cert=PEM --tls_key=PEM   a client certificate, when the server asks for one
  --timeout=SECONDS   deadline of one attempt of a call (default 10; retries of
                      UNAVAILABLE/DEADLINE_EXCEEDED back off up to 30 s in all)
  --json              print replies as JSON instead of tables
  --offline           record a case command in the outbox instead of sending it
  --client_dir=DIR    the outbox's directory (default ~/.local/share/rectify)
  --dry_run           print the request as JSON and send nothing
  --ids               tables show unit ids instead of the units' names
  --progress=MODE     sync, list export, evidence upload|download: auto (a bar
                      on a terminal, plain lines otherwise), bar, lines, none;
                      on standard error

Case work:
  report, assign, reassign, start, progress, extend, decide-extension, submit,
  verify, object, close, close-unfounded, reopen
Referrals:
  referral propose|approve|refuse|send|receive|extend-review|approve-review|decide|
           reconsider|decide-reconsideration|supervise|explain|withdraw
Reading:
  get, list, history, watch, evidence upload|download
Supervision:
  lists, list-create, list-add, list-remove, list-close, list-show, list export,
  notices, monthly-report
Penalty cases (处罚案件):
  penalty open|decide-filing|extend-filing|investigate|notify|hearing-request|
          hearing-schedule|hearing-record|extend-decision|decide|serve|pay|remedy|
          decide-remedy|execute|publish|order|serve-order|recheck|close
  penalty list|show|history|export
Responsible units (责任单位):
  units, unit-show, unit-create, unit-update, unit-retire, unit-reactivate, unit-history,
  import-units
12369 complaints (信访件):
  complaints, complaint show|history|receive|accept|transfer|open-case|attach|
  document-upload|document-download|close-unfounded|extend|reply|review-request|
  review-answer|callback, import-complaints
Offline outbox:
  sync, outbox

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
  --occurred_at=TIME    when the report was made (e.g. offline), RFC 3339; default now
  --tag=TAG             a tag; repeat for more
  --command_id=ID       your id for this command, for safe retries; default random
)";

}  // namespace

const std::string& GlobalUsage() {
  static const auto* usage = new std::string(kUsage);
  return *usage;
}

std::string SpecUsage(const Spec& spec) {
  if (spec.kind == Kind::kReport) return kReportUsage;
  std::string out = absl::StrCat("Usage: rectifyctl ", spec.name);
  for (const auto& [placeholder, field] : spec.positionals) absl::StrAppend(&out, " ", placeholder);
  absl::StrAppend(&out, " [FLAGS]\n\n", spec.summary, "\n");
  const google::protobuf::Descriptor* type = RequestType(spec);
  std::vector<std::vector<std::string>> rows;
  if (type != nullptr) {
    std::map<std::string, std::string> alias_of;
    for (const auto& [alias, path] : spec.aliases) alias_of[path] = alias;
    auto add = [&](const FieldDescriptor& field, const std::string& path) {
      if (IsPositionalPath(spec, path)) return;
      std::string note = field.is_repeated() ? "repeatable" : "";
      if (path == "command_id") note = "your id for safe retries; default random";
      if (alias_of.count(path) > 0) {
        note = absl::StrCat(note, note.empty() ? "" : "; ", "also --", alias_of[path]);
      }
      rows.push_back({absl::StrCat("  --", path, "=", ValueHint(field)), note});
    };
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor& field = *type->field(i);
      if (IsSettable(field)) {
        add(field, field.name());
      } else if (field.message_type() != nullptr && !field.is_repeated()) {
        // One level of nesting, e.g. ListCasesRequest.filter.
        for (int k = 0; k < field.message_type()->field_count(); ++k) {
          const FieldDescriptor& inner = *field.message_type()->field(k);
          if (IsSettable(inner)) add(inner, absl::StrCat(field.name(), ".", inner.name()));
        }
      }
    }
  }
  for (const auto& [flag, help] : spec.extra_flags) rows.push_back({"  --" + flag, help});
  if (!rows.empty()) {
    absl::StrAppend(&out, "\nFlags (the request's fields):\n", FormatTable({"", ""}, rows).substr(1));
  }
  absl::StrAppend(&out,
                  "\nTIME is RFC 3339 (2026-11-28T09:30:00+08:00) or \"2026-11-28 09:30\" "
                  "(China time).\n");
  return out;
}

int Usage(const std::string& problem, const std::string& usage) {
  std::fprintf(stderr, "rectifyctl: %s\n\n%s", problem.c_str(), usage.c_str());
  return kExitUsage;
}

int ReportFailure(const absl::Status& status) {
  std::string message(status.message());
  if (message.empty() && status.code() == absl::StatusCode::kUnimplemented) {
    message = "the server does not offer this call yet";
  }
  // The server's Chinese reason first (what a bureau user reads), then the
  // code and the English message (for operators and scripts).
  if (const auto reason = UserMessageOf(status)) {
    std::fprintf(stderr, "rectifyctl: %s\n", reason->zh_cn().c_str());
  }
  std::fprintf(stderr, "rectifyctl: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               message.c_str());
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


int PrintJson(const google::protobuf::Message& message) {
  absl::StatusOr<std::string> text = ToJson(message);
  if (!text.ok()) return ReportFailure(text.status());
  std::cout << *text;
  return kExitOk;
}

}  // namespace rectify::client::ctl
