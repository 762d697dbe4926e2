// Request fields from command-line text; see request_flags.h.
#include "client/request_flags.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/dates.h"
#include "base/proto_time.h"

namespace rectify::client {
namespace {

using google::protobuf::FieldDescriptor;

// "FilingDecision" -> "FILING_DECISION_": the prefix of its value names.
std::string EnumPrefix(const google::protobuf::EnumDescriptor& type) {
  std::string prefix;
  for (char c : type.name()) {
    if (absl::ascii_isupper(c) && !prefix.empty()) prefix += '_';
    prefix += absl::ascii_toupper(c);
  }
  return prefix + "_";
}

std::string ShortName(const google::protobuf::EnumValueDescriptor& value) {
  const std::string prefix = EnumPrefix(*value.type());
  const std::string& name = value.name();
  return absl::AsciiStrToLower(name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name);
}

bool ParseBool(const std::string& text, bool* out) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "yes" || lower == "pass" || lower == "grant" ||
      lower == "approve") {
    *out = true;
    return true;
  }
  if (lower == "false" || lower == "no" || lower == "fail" || lower == "refuse") {
    *out = false;
    return true;
  }
  return false;
}

bool IsTimestamp(const FieldDescriptor& field) {
  return field.type() == FieldDescriptor::TYPE_MESSAGE &&
         field.message_type()->full_name() == "google.protobuf.Timestamp";
}

}  // namespace

absl::StatusOr<absl::Time> ParseTime(const std::string& label, const std::string& value) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, value, &time, &error)) return time;
  if (absl::ParseTime("%Y-%m-%d %H:%M", value, rectify::ChinaTimeZone(), &time, &error)) {
    return time;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(label, "=", value, " is not a time like 2026-11-28T09:30:00+08:00"));
}

bool IsSettable(const FieldDescriptor& field) {
  return field.type() != FieldDescriptor::TYPE_MESSAGE || IsTimestamp(field);
}

const FieldDescriptor* FieldAtPath(const google::protobuf::Descriptor& descriptor,
                                   const std::string& path) {
  const google::protobuf::Descriptor* current = &descriptor;
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (current == nullptr) return nullptr;
    field = current->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    current = field->type() == FieldDescriptor::TYPE_MESSAGE ? field->message_type() : nullptr;
  }
  return field;
}

std::string ValueHint(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return "TEXT";
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return "N";
    case FieldDescriptor::CPPTYPE_BOOL:
      return "true|false";
    case FieldDescriptor::CPPTYPE_ENUM: {
      std::vector<std::string> names;
      const auto* type = field.enum_type();
      for (int i = 0; i < type->value_count(); ++i) {
        if (type->value(i)->number() == 0) continue;  // UNSPECIFIED
        names.push_back(ShortName(*type->value(i)));
      }
      return absl::StrJoin(names, "|");
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return IsTimestamp(field) ? "TIME" : "?";
  }
  return "?";
}

absl::Status SetFieldFromText(google::protobuf::Message& message, const std::string& path,
                              const std::string& value, const std::string& label) {
  google::protobuf::Message* target = &message;
  const std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const FieldDescriptor* field = target->GetDescriptor()->FindFieldByName(parts[i]);
    if (field == nullptr || field->type() != FieldDescriptor::TYPE_MESSAGE ||
        field->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat(label, " sets no field"));
    }
    target = target->GetReflection()->MutableMessage(target, field);
  }
  const FieldDescriptor* field = target->GetDescriptor()->FindFieldByName(parts.back());
  if (field == nullptr || !IsSettable(*field)) {
    return absl::InvalidArgumentError(absl::StrCat(label, " sets no field"));
  }
  const auto* reflection = target->GetReflection();
  const bool repeated = field->is_repeated();
  if (!repeated && field->has_presence() && reflection->HasField(*target, field)) {
    return absl::InvalidArgumentError(absl::StrCat(label, " is given more than once"));
  }
  auto bad = [&](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat(label, "=", value, " ", what));
  };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? reflection->AddString(target, field, value)
               : reflection->SetString(target, field, value);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t number;
      if (!absl::SimpleAtoi(value, &number)) return bad("is not a whole number");
      repeated ? reflection->AddInt32(target, field, number)
               : reflection->SetInt32(target, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t number;
      if (!absl::SimpleAtoi(value, &number)) return bad("is not a whole number");
      repeated ? reflection->AddInt64(target, field, number)
               : reflection->SetInt64(target, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t number;
      if (!absl::SimpleAtoi(value, &number)) return bad("is not a whole number");
      repeated ? reflection->AddUInt32(target, field, number)
               : reflection->SetUInt32(target, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t number;
      if (!absl::SimpleAtoi(value, &number)) return bad("is not a whole number");
      repeated ? reflection->AddUInt64(target, field, number)
               : reflection->SetUInt64(target, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double number;
      if (!absl::SimpleAtod(value, &number)) return bad("is not a number");
      repeated ? reflection->AddDouble(target, field, number)
               : reflection->SetDouble(target, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      float number;
      if (!absl::SimpleAtof(value, &number)) return bad("is not a number");
      repeated ? reflection->AddFloat(target, field, number)
               : reflection->SetFloat(target, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool flag;
      if (!ParseBool(value, &flag)) return bad("is not true or false");
      repeated ? reflection->AddBool(target, field, flag)
               : reflection->SetBool(target, field, flag);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* type = field->enum_type();
      const std::string wanted = absl::AsciiStrToLower(value);
      for (int i = 0; i < type->value_count(); ++i) {
        const auto* candidate = type->value(i);
        if (candidate->number() == 0) continue;
        if (ShortName(*candidate) == wanted || absl::AsciiStrToLower(candidate->name()) == wanted) {
          repeated ? reflection->AddEnumValue(target, field, candidate->number())
                   : reflection->SetEnumValue(target, field, candidate->number());
          return absl::OkStatus();
        }
      }
      return bad(absl::StrCat("is not one of ", ValueHint(*field)));
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      absl::StatusOr<absl::Time> time = ParseTime(label, value);
      if (!time.ok()) return time.status();
      google::protobuf::Message* stamp = repeated ? reflection->AddMessage(target, field)
                                                  : reflection->MutableMessage(target, field);
      stamp->CopyFrom(ToProto(*time));
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(label, " sets no field"));
}

}  // namespace rectify::client
