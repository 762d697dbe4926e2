// rectifyctl's subcommands as data: for each one its name, what it sends,
// and how its positional arguments and flags map onto the request's fields
// (the reflection-based request flags, request_flags.h). The parser
// (ctl_parser.h) makes one CLI11 subcommand of each row; the handlers
// (ctl_*_handlers.h) run them. A new subcommand is a row in Specs() and, for
// a new Kind, a handler in rectifyctl_main.cc's table.
#ifndef RECTIFY_CLIENT_CTL_SPECS_H_
#define RECTIFY_CLIENT_CTL_SPECS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace rectify::client::ctl {

// What a subcommand does; each kind has one handler.
enum class Kind {
  kMutate,
  kReport,
  kGet,
  kList,
  kHistory,
  kWatch,
  kUpload,
  kDownload,
  kLists,
  kListMutate,
  kListShow,
  kListExport,
  kNotices,
  kMonthly,
  kSync,
  kOutbox,
  kUnits,
  kUnitMutate,
  kUnitShow,
  kUnitHistory,
  kImportUnits,
  // A ComplaintService call; command_field names the method.
  kComplaint,
  kImportComplaints,
  kPenaltyStep,
  kPenaltyShow,
  kPenaltyList,
  kPenaltyHistory,
  kPenaltyExport,
};

// One subcommand: its name, what it sends, and how its arguments and flags
// map onto the request's fields.
struct Spec {
  // One word ("get") or two ("referral approve").
  std::string name;
  Kind kind;
  std::string summary;
  // kMutate, kReport: the field of v1::Command that holds the request.
  // kComplaint: the ComplaintService method, e.g. "AcceptComplaint".
  std::string command_field;
  // Other kinds with a request: its type.
  const google::protobuf::Message* prototype = nullptr;
  // Positional arguments: placeholder and field path ("" when the handler
  // takes it itself, e.g. a file name).
  std::vector<std::pair<std::string, std::string>> positionals;
  // Short flag names for field paths.
  std::map<std::string, std::string> aliases;
  // Flags of the handler itself: "name=HINT" (or "name" for a flag without
  // a value) and a line of help.
  std::vector<std::pair<std::string, std::string>> extra_flags;
  // Money flags in yuan (an extra flag "name=YUAN") and the fen field each
  // sets, e.g. {"fine", "terms.fine_fen"}.
  std::map<std::string, std::string> money;

  Spec(std::string name, Kind kind, std::string summary, std::string command_field,
       const google::protobuf::Message* prototype = nullptr,
       std::vector<std::pair<std::string, std::string>> positionals = {},
       std::map<std::string, std::string> aliases = {},
       std::vector<std::pair<std::string, std::string>> extra_flags = {},
       std::map<std::string, std::string> money = {})
      : name(std::move(name)),
        kind(kind),
        summary(std::move(summary)),
        command_field(std::move(command_field)),
        prototype(prototype),
        positionals(std::move(positionals)),
        aliases(std::move(aliases)),
        extra_flags(std::move(extra_flags)),
        money(std::move(money)) {}
};

// Every subcommand, in the order of the usage text.
const std::vector<Spec>& Specs();

// The subcommand called `name` ("referral approve"), or nullptr.
const Spec* FindSpec(const std::string& name);

// The request message type of a subcommand (nullptr for sync, outbox and
// the file imports).
const google::protobuf::Descriptor* RequestType(const Spec& spec);

// True when a positional argument of `spec` sets the field at `path`.
bool IsPositionalPath(const Spec& spec, const std::string& path);

// The name of an extra flag ("out" of "out=FILE").
std::string ExtraFlagName(const std::string& extra_flag);

}  // namespace rectify::client::ctl

#endif  // RECTIFY_CLIENT_CTL_SPECS_H_
