// Input validation for commands; see validation.h.
#include "workflow/validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace rectify::workflow {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// Counts UTF-8 code points; returns -1 when `text` is not valid UTF-8
// (overlong forms, surrogates and values past U+10FFFF are invalid).
int64_t CountUtf8CodePoints(absl::string_view text) {
  int64_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int length;
    uint32_t code_point;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return -1;
    }
    if (i + length > text.size()) return -1;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return -1;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return -1;
    }
    // Control characters other than tab and newlines have no place in text
    // users read; they usually mean a client bug.
    if (code_point < 0x20 && code_point != '\t' && code_point != '\n' && code_point != '\r') {
      return -1;
    }
    i += length;
    ++count;
  }
  return count;
}

bool IsBlank(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The unified social credit code alphabet: the digits and the capitals
// without I, O, Z, S, V.
constexpr absl::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kUsccWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

}  // namespace

absl::Status CheckText(absl::string_view field, absl::string_view text, int max_chars,
                       bool required) {
  const int64_t chars = CountUtf8CodePoints(text);
  if (chars < 0) return Invalid(field, "is not valid UTF-8 text");
  if (required && IsBlank(text)) return Invalid(field, "is required");
  if (chars > max_chars) {
    return Invalid(field, absl::StrFormat("is %d characters long; at most %d are allowed", chars,
                                          max_chars));
  }
  return absl::OkStatus();
}

absl::Status CheckId(absl::string_view field, absl::string_view id, bool required) {
  if (id.empty()) {
    return required ? Invalid(field, "is required") : absl::OkStatus();
  }
  if (id.size() > static_cast<size_t>(kMaxIdBytes)) {
    return Invalid(field, absl::StrFormat("is %d bytes long; at most %d are allowed", id.size(),
                                          kMaxIdBytes));
  }
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7F) {
      return Invalid(field, "may hold only printable ASCII characters without spaces");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRegionCode(absl::string_view field, absl::string_view code) {
  if (code.empty()) return Invalid(field, "is required");
  const bool digits_only =
      std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits_only || (code.size() != 6 && code.size() != 9 && code.size() != 12)) {
    return Invalid(field, absl::StrFormat("must be a GB/T 2260 region code of 6, 9 or 12 digits, "
                                          "got \"%s\"",
                                          absl::CHexEscape(code.substr(0, 20))));
  }
  const int province = (code[0] - '0') * 10 + (code[1] - '0');
  if (province < 11 || province > 82) {
    return Invalid(field, absl::StrFormat("\"%s\" does not start with a province code (11 to 82)",
                                          code));
  }
  return absl::OkStatus();
}

bool IsValidUnifiedSocialCreditCode(absl::string_view code) {
  if (code.size() != 18) return false;
  int sum = 0;
  for (int i = 0; i < 18; ++i) {
    const size_t value = kUsccAlphabet.find(code[i]);
    if (value == absl::string_view::npos) return false;
    if (i < 17) {
      sum += static_cast<int>(value) * kUsccWeights[i];
    } else {
      const int check = (31 - sum % 31) % 31;
      return static_cast<int>(value) == check;
    }
  }
  return false;
}

absl::Status ValidateReportCase(const v1::ReportCaseRequest& request, absl::Time now,
                                const Policy& policy) {
  RETURN_IF_ERROR(CheckId("command_id", request.command_id(), /*required=*/true));
  RETURN_IF_ERROR(CheckText("title", request.title(), kMaxTitleChars, /*required=*/true));
  RETURN_IF_ERROR(
      CheckText("description", request.description(), kMaxTextChars, /*required=*/false));
  if (request.category() == v1::CATEGORY_UNSPECIFIED || !v1::Category_IsValid(request.category())) {
    return Invalid("category", "must be one of AIR, WATER, SOIL, SOLID_WASTE, NOISE, ECOLOGY, "
                               "RADIATION, OTHER");
  }
  if (request.severity() == v1::SEVERITY_UNSPECIFIED || !v1::Severity_IsValid(request.severity())) {
    return Invalid("severity", "must be one of LOW, MEDIUM, HIGH, CRITICAL");
  }
  if (request.source() == v1::CASE_SOURCE_UNSPECIFIED ||
      !v1::CaseSource_IsValid(request.source())) {
    return Invalid("source", "must be one of INSPECTION, HOTLINE_12369, CENTRAL_INSPECTION, "
                             "PROVINCIAL_INSPECTION, MONITORING, MEDIA, SELF_FOUND");
  }
  RETURN_IF_ERROR(CheckText("source_reference", request.source_reference(), 100, false));
  RETURN_IF_ERROR(CheckRegionCode("location.region_code", request.location().region_code()));
  RETURN_IF_ERROR(CheckText("location.address", request.location().address(), 500, false));
  if (request.location().has_point()) {
    const double latitude = request.location().point().latitude();
    const double longitude = request.location().point().longitude();
    if (!std::isfinite(latitude) || latitude < -90 || latitude > 90) {
      return Invalid("location.point.latitude", "must be between -90 and 90 degrees");
    }
    if (!std::isfinite(longitude) || longitude < -180 || longitude > 180) {
      return Invalid("location.point.longitude", "must be between -180 and 180 degrees");
    }
  }
  RETURN_IF_ERROR(CheckText("subject.name", request.subject().name(), 200, false));
  const std::string& uscc = request.subject().unified_social_credit_code();
  if (!uscc.empty() && !IsValidUnifiedSocialCreditCode(uscc)) {
    return Invalid("subject.unified_social_credit_code",
                   absl::StrFormat("\"%s\" is not a valid unified social credit code (18 "
                                   "characters of 0-9 and A-Y without I, O, S, V, Z, ending in "
                                   "the right check character)",
                                   absl::CHexEscape(uscc.substr(0, 30))));
  }
  RETURN_IF_ERROR(CheckText("complainant.name", request.complainant().name(), 100, false));
  const std::string& phone = request.complainant().phone();
  if (phone.size() > 30 || !std::all_of(phone.begin(), phone.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ';
      })) {
    return Invalid("complainant.phone", "must be at most 30 digits, spaces, '+' or '-'");
  }
  if (!request.has_found_at()) return Invalid("found_at", "is required");
  if (request.found_at().seconds() < google::protobuf::util::TimeUtil::kTimestampMinSeconds ||
      request.found_at().seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds ||
      request.found_at().nanos() < 0 || request.found_at().nanos() > 999999999) {
    return Invalid("found_at", "is not a valid timestamp");
  }
  const absl::Time found_at = absl::FromUnixSeconds(request.found_at().seconds()) +
                              absl::Nanoseconds(request.found_at().nanos());
  if (found_at > now + policy.max_clock_skew) {
    return Invalid("found_at", "is in the future");
  }
  if (request.tags_size() > 20) return Invalid("tags", "at most 20 tags are allowed");
  for (int i = 0; i < request.tags_size(); ++i) {
    RETURN_IF_ERROR(CheckText(absl::StrCat("tags[", i, "]"), request.tags(i), 50, true));
  }
  return absl::OkStatus();
}

}  // namespace rectify::workflow
