// Input validation for commands: required fields, lengths, valid UTF-8,
// region codes, coordinates, the unified social credit code's check
// character, known enum values. Every error is INVALID_ARGUMENT and names the
// field, e.g. "location.region_code: must be 6, 9 or 12 digits, got \"62x\"".
//
// Validation looks only at the request; whether the caller may act on the
// case, and whether the case's state allows it, are Decide's questions.
#ifndef RECTIFY_WORKFLOW_VALIDATION_H_
#define RECTIFY_WORKFLOW_VALIDATION_H_

#include <string>

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/command.pb.h"
#include "workflow/policy.h"

namespace rectify::workflow {

// Longest title, in characters (code points). Default: 200.
inline constexpr int kMaxTitleChars = 200;
// Longest free text (descriptions, reasons, reports), in characters: 10,000.
inline constexpr int kMaxTextChars = 10000;
// Longest identifier (command ids, unit ids, case ids), in bytes: 128.
inline constexpr int kMaxIdBytes = 128;

// The one home of request field labels as a bureau user reads them: the
// Chinese label of the field path an INVALID_ARGUMENT names, e.g. "标题" for
// "title", "移送材料类型（第3项）" for "documents[2].kind"; the path itself
// when it has no label. Every refusal names its field with it
// ("标题：必填"; base/user_message.h carries the Chinese).
std::string FieldLabel(absl::string_view field);

// INVALID_ARGUMENT "<field>: <why>" whose user message is
// "<FieldLabel(field)>：<why_zh>" naming `field`: the one way a refusal names
// a field, here and in the server's own request checks.
//
//   return InvalidField("page_size", "must not be negative", "不能为负数");
absl::Status InvalidField(absl::string_view field, absl::string_view why,
                          absl::string_view why_zh);

// OK when `text` is valid UTF-8 of at most `max_chars` code points (and, when
// `required`, not empty or only white space); else INVALID_ARGUMENT naming
// `field`.
absl::Status CheckText(absl::string_view field, absl::string_view text, int max_chars,
                       bool required);

// OK for an identifier of printable ASCII without spaces, 1 to kMaxIdBytes
// bytes (empty allowed unless `required`).
absl::Status CheckId(absl::string_view field, absl::string_view id, bool required);

// Longest evidence file name, in bytes (as most file systems allow): 255.
inline constexpr int kMaxFileNameBytes = 255;

// OK for the name of an uploaded file as a downloader may use it in a
// folder: 1 to kMaxFileNameBytes bytes of valid UTF-8 without a path
// separator ('/' or '\\'), without "..", and without control characters
// (C0 including tab and newlines, DEL, C1). Else INVALID_ARGUMENT naming
// `field`, e.g. "file_name: may not hold a path separator ('/' or '\\')".
absl::Status CheckFileName(absl::string_view field, absl::string_view name);

// OK for the IANA media type of an uploaded file, e.g. "image/jpeg":
// "type/subtype" of letters, digits and ".+-", at most 127 bytes. Else
// INVALID_ARGUMENT naming `field` ("必填" when empty).
absl::Status CheckMediaType(absl::string_view field, absl::string_view media_type);

// OK for a lowercase hex SHA-256 (64 digits). Else INVALID_ARGUMENT naming
// `field`.
absl::Status CheckSha256Hex(absl::string_view field, absl::string_view sha256);

// The one home of region-code rules (GB/T 2260 and its township and village
// extension). A code starts with the 2 digits of a province: the 31 of the
// mainland (11-15, 21-23, 31-37, 41-46, 50-54, 61-65), Taiwan 71, Hong Kong
// 81, Macao 82. Then 2 digits of a city, 2 of a county, 3 of a township, 3
// of a village.

// True when `code` (2 digits) is a province of GB/T 2260.
bool IsProvinceCode(absl::string_view code);

// OK for a case's region code: 6 digits (county), 9 (township) or 12
// (village) starting with a province, whose every level names a region of
// the directory in use (base/regions.h: the national table, and the bureau's
// townships and villages); else INVALID_ARGUMENT naming `field`.
absl::Status CheckRegionCode(absl::string_view field, absl::string_view code);

// OK for a region at any level: 2 (province), 4 (city), 6, 9 or 12 digits
// naming a region as for CheckRegionCode, e.g. "6207" for Zhangye (a city's
// list).
absl::Status CheckRegionPrefixCode(absl::string_view field, absl::string_view code);

// OK for a case id as the server makes them, "620722-2026-000123" (county
// code, year, 6-digit sequence); else INVALID_ARGUMENT naming `field`.
absl::Status CheckCaseIdFormat(absl::string_view field, absl::string_view id);

// True when `code` is a valid unified social credit code (GB 32100-2015):
// 18 characters of 0-9 A-H J-N P-R T U W-Y whose last is the check character.
bool IsValidUnifiedSocialCreditCode(absl::string_view code);

// OK for a Timestamp inside the range protobuf allows (0001 to 9999) with
// nanos in [0, 1e9).
absl::Status CheckTimestamp(absl::string_view field, const google::protobuf::Timestamp& timestamp);

// OK for a valid timestamp after `now` (a due instant the caller chose).
absl::Status CheckDueAfter(absl::string_view field, const google::protobuf::Timestamp& due,
                           absl::Time now);

// Validates a ReportCaseRequest received at `now`.
absl::Status ValidateReportCase(const v1::ReportCaseRequest& request, absl::Time now,
                                const Policy& policy);

// Validates the request of any command and its envelope (command_id,
// occurred_at, the case id matching stream_id), received at `now`. Looks only
// at the input: whether the case exists and its state allows the command is
// Decide's question. UNIMPLEMENTED for the rectification-list commands.
absl::Status ValidateCommand(const v1::Command& command, absl::Time now, const Policy& policy);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_VALIDATION_H_
