// Fuzzes the monthly report's HTML writer (client/report_html.h). Input: a
// GetMonthlyReportResponse as binary protobuf, as the server would send it.
//
// Properties: rendering never crashes; the same report gives the same bytes;
// the page is valid UTF-8 and one whole document; and no text from the data
// can open a tag: with "<x-fuzz>" put in front of every string field of the
// report (unit names, titles, keys, ...), the page holds no "<x" at all, so
// each of those '<' was escaped, wherever and however cut it was shown.
#include <cstddef>
#include <cstdint>
#include <string>

#include "client/report_html.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kMarker[] = "<x-fuzz>";

// Puts kMarker in front of every string field of `message`, recursively.
void MarkStrings(Message& message) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
          reflection.SetRepeatedString(&message, field, i,
                                       kMarker + reflection.GetRepeatedString(message, field, i));
        }
      } else {
        reflection.SetString(&message, field, kMarker + reflection.GetString(message, field));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
          MarkStrings(*reflection.MutableRepeatedMessage(&message, field, i));
        }
      } else {
        MarkStrings(*reflection.MutableMessage(&message, field));
      }
    }
  }
}

// True when `text` is valid UTF-8, as protobuf checks a proto3 string field
// when parsing (a check independent of the code under test).
bool IsValidUtf8(const std::string& text) {
  rectify::v1::Principal holder;
  holder.set_display_name(text);
  return rectify::v1::Principal().ParseFromString(holder.SerializeAsString());
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  static const bool oracle_works = IsValidUtf8("汉字 ok") && !IsValidUtf8("\xe6\xb1") &&
                                   !IsValidUtf8("\xed\xa0\x80");
  FUZZ_CHECK(oracle_works, "the UTF-8 check tells valid from invalid");
  rectify::v1::GetMonthlyReportResponse report;
  if (!report.ParseFromArray(data, static_cast<int>(size))) return 0;

  const std::string html = rectify::client::RenderMonthlyReportHtml(report);
  FUZZ_CHECK(html == rectify::client::RenderMonthlyReportHtml(report),
             "the same report gives the same bytes");
  FUZZ_CHECK(html.rfind("<!DOCTYPE html>", 0) == 0, "the page starts with its doctype");
  FUZZ_CHECK(EndsWith(html, "</html>\n"), "the page ends with </html>");
  FUZZ_CHECK(IsValidUtf8(html), "the page is valid UTF-8");

  MarkStrings(report);
  const std::string marked = rectify::client::RenderMonthlyReportHtml(report);
  FUZZ_CHECK(marked.find("<x") == std::string::npos, "no text from the data opens a tag");
  FUZZ_CHECK(IsValidUtf8(marked), "the marked page is valid UTF-8");
  return 0;
}
