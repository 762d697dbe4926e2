// rectifyctl's command-line parser on CLI11; see command_line.h.
#include "client/command_line.h"

#include <algorithm>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/request_flags.h"

namespace rectify::client {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Global flags: name → whether it needs a value; and the environment
// variable each falls back to.
const std::map<std::string, bool> kGlobalFlags = {
    {"server", true},  {"token", true},       {"config", true},  {"tls", false},
    {"tls_ca", true},  {"tls_cert", true},    {"tls_key", true}, {"timeout", true},
    {"json", false},   {"offline", false},    {"client_dir", true},
    {"dry_run", false}, {"ids", false},       {"progress", true}, {"help", false}};
const std::map<std::string, std::string> kGlobalEnv = {{"server", "RECTIFY_SERVER"},
                                                       {"token", "RECTIFY_TOKEN"},
                                                       {"client_dir", "RECTIFY_CLIENT_DIR"}};

// Every field path a flag can set, nested messages included (not through
// repeated messages), with whether it needs a value (bools do not).
void AddFieldPaths(const Descriptor& type, const std::string& prefix, int depth,
                   std::map<std::string, bool>* out) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const std::string path = prefix + field.name();
    if (IsSettable(field)) {
      out->emplace(path, field.cpp_type() != FieldDescriptor::CPPTYPE_BOOL);
    } else if (field.message_type() != nullptr && !field.is_repeated() && depth < 4) {
      AddFieldPaths(*field.message_type(), path + ".", depth + 1, out);
    }
  }
}

CLI::Option* AddFlag(CLI::App& app, const std::string& name, bool takes_value) {
  CLI::Option* option = takes_value ? app.add_option("--" + name) : app.add_flag("--" + name);
  // Repeats are kept; whether a flag may repeat is checked where it is used.
  return option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

// Every value given for each option, as name → value.
void Collect(const std::map<std::string, CLI::Option*>& options,
             std::multimap<std::string, std::string>* out) {
  for (const auto& [name, option] : options) {
    for (const std::string& value : option->results()) out->emplace(name, value);
  }
}

std::string FlagName(const std::string& arg) {
  return arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
}

}  // namespace

std::map<std::string, bool> SubcommandFlags(const ctl::Spec& spec) {
  std::map<std::string, bool> flags = {{"help", false}};
  const Descriptor* type = ctl::RequestType(spec);
  if (type != nullptr) {
    for (const auto& [alias, path] : spec.aliases) {
      const FieldDescriptor* field = FieldAtPath(*type, path);
      flags.emplace(alias,
                    field == nullptr || field->cpp_type() != FieldDescriptor::CPPTYPE_BOOL);
    }
    std::map<std::string, bool> paths;
    AddFieldPaths(*type, "", 0, &paths);
    for (const auto& [path, takes_value] : paths) {
      if (!ctl::IsPositionalPath(spec, path)) flags.emplace(path, takes_value);
    }
  }
  for (const auto& [flag, help] : spec.extra_flags) {
    flags.emplace(ctl::ExtraFlagName(flag), flag.find('=') != std::string::npos);
  }
  return flags;
}

CommandLine ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine line;
  CLI::App app{"rectifyctl"};
  // Help and errors are rectifyctl's own texts (ctl_usage.h).
  app.set_help_flag();
  app.allow_extras();
  app.require_subcommand(0, 1);
  std::map<std::string, CLI::Option*> global;
  for (const auto& [name, takes_value] : kGlobalFlags) {
    CLI::Option* option = AddFlag(app, name, takes_value);
    if (const auto env = kGlobalEnv.find(name); env != kGlobalEnv.end()) {
      option->envname(env->second);
    }
    global[name] = option;
  }
  app.add_subcommand("help")->allow_extras();

  // One CLI11 subcommand per spec; a two-word name ("referral approve") is
  // a subcommand of the first word's.
  struct Sub {
    const ctl::Spec* spec;
    std::map<std::string, CLI::Option*> flags;
  };
  std::map<CLI::App*, Sub> subs;
  std::map<std::string, CLI::App*> groups;
  for (const ctl::Spec& spec : ctl::Specs()) {
    const std::vector<std::string> words = absl::StrSplit(spec.name, ' ');
    CLI::App*& first = groups[words[0]];
    if (first == nullptr) {
      first = app.add_subcommand(words[0]);
      first->set_help_flag();
      first->allow_extras();
      first->require_subcommand(0, 1);
    }
    CLI::App* sub = words.size() == 1 ? first : first->add_subcommand(words[1]);
    sub->set_help_flag();
    sub->allow_extras();
    Sub& entry = subs[sub];
    entry.spec = &spec;
    for (const auto& [name, takes_value] : SubcommandFlags(spec)) {
      entry.flags[name] = AddFlag(*sub, name, takes_value);
    }
  }

  // CLI11 reads "--name=" as "--name" and takes the next word for its
  // value; an empty value is given as its own (empty) word instead.
  std::vector<std::string> words;
  bool flags_ended = false;
  for (const std::string& arg : args) {
    flags_ended = flags_ended || arg == "--";
    if (!flags_ended && absl::StartsWith(arg, "--") && arg.size() > 3 && arg.back() == '=' &&
        arg.find('=') == arg.size() - 1) {
      words.push_back(arg.substr(0, arg.size() - 1));
      words.push_back("");
    } else {
      words.push_back(arg);
    }
  }
  std::vector<std::string> reversed(words.rbegin(), words.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ArgumentMismatch& error) {
    // "--server: 1 required TEXT missing": a flag at the end without its value.
    const std::string what = error.what();
    line.problem = absl::InvalidArgumentError(
        absl::StartsWith(what, "--")
            ? absl::StrCat("flag ", what.substr(0, what.find(':')), " needs a value")
            : what);
    return line;
  } catch (const CLI::ParseError& error) {
    line.problem = absl::InvalidArgumentError(error.what());
    return line;
  }
  Collect(global, &line.global_flags);
  line.help = global["help"]->count() > 0;

  // What the program itself did not take: unknown global flags, an unknown
  // command, or (after `--`) arguments.
  std::vector<std::string> global_words;
  for (const std::string& extra : app.remaining()) {
    if (!absl::StartsWith(extra, "--")) {
      global_words.push_back(extra);
    } else if (line.problem.ok()) {
      line.problem = absl::InvalidArgumentError("unknown flag --" + FlagName(extra));
    }
  }
  // The deepest subcommand given.
  CLI::App* chosen = nullptr;
  for (CLI::App* level = &app; !level->get_subcommands().empty();) {
    level = level->get_subcommands().front();
    chosen = level;
  }
  if (chosen != nullptr && chosen->get_name() == "help") {
    line.help = true;
    line.subcommand = "help";
    return line;
  }
  const std::vector<std::string> sub_extras =
      chosen == nullptr ? std::vector<std::string>() : chosen->remaining();
  const auto sub = subs.find(chosen);
  if (sub == subs.end()) {
    // No subcommand, or a group word ("referral") without a known step.
    const std::vector<std::string>& words = chosen == nullptr ? global_words : sub_extras;
    std::vector<std::string> name;
    if (chosen != nullptr) name.push_back(chosen->get_name());
    for (const std::string& word : words) {
      if (!absl::StartsWith(word, "--")) {
        name.push_back(word);
        break;
      }
    }
    line.subcommand = absl::StrJoin(name, " ");
    if (line.problem.ok() && !line.subcommand.empty()) {
      line.problem = absl::InvalidArgumentError(
          absl::StrCat("unknown command \"", line.subcommand, "\""));
    }
    return line;
  }
  line.subcommand = sub->second.spec->name;
  Collect(sub->second.flags, &line.flags);
  if (line.flags.count("help") > 0) line.help = true;
  if (!line.problem.ok()) return line;  // a global flag's problem: the global usage
  line.spec = sub->second.spec;
  for (const std::string& extra : sub_extras) {
    if (!absl::StartsWith(extra, "--")) {
      line.arguments.push_back(extra);
    } else if (line.problem.ok()) {
      line.problem = absl::InvalidArgumentError("unknown flag --" + FlagName(extra));
    }
  }
  line.arguments.insert(line.arguments.end(), global_words.begin(), global_words.end());
  return line;
}

absl::StatusOr<std::string> SingleFlag(const std::multimap<std::string, std::string>& flags,
                                       const std::string& name, const std::string& fallback) {
  const auto range = flags.equal_range(name);
  if (range.first == range.second) return fallback;
  if (std::next(range.first) != range.second) {
    return absl::InvalidArgumentError(absl::StrCat("flag --", name, " is given more than once"));
  }
  return range.first->second;
}

std::vector<std::string> RepeatedFlag(const std::multimap<std::string, std::string>& flags,
                                      const std::string& name) {
  std::vector<std::string> values;
  const auto range = flags.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
  return values;
}

}  // namespace rectify::client
