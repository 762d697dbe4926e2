// Input validation for commands; see validation.h. This file holds the
// envelope check and the dispatch by command kind (ValidateCommand), the
// common field checks (text, ids, file names, region codes, timestamps) and
// the one table of Chinese field labels (FieldLabel). The validators of each
// kind live beside their decider: case_validation.cc (decider.cc),
// referral_validation.cc (referrals.cc); the list, account, unit, penalty and
// complaint commands are validated by their own deciders.
//
// About 620 lines in one file, on purpose: 190 of them are the one table of
// field labels (every field a refusal can name, so a message never shows a
// proto path to a user), which has to be a single table; the rest are the
// shared checks that every validator calls.
#include "workflow/validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/dates.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "base/utf8.h"
#include "google/protobuf/util/time_util.h"
#include "base/proto_time.h"
#include "base/regions.h"
#include "workflow/validation_internal.h"

namespace rectify::workflow {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why, absl::string_view why_zh) {
  return InvalidField(field, why, why_zh);
}

// Counts UTF-8 code points; returns -1 when `text` is not valid UTF-8
// (overlong forms, surrogates and values past U+10FFFF are invalid).
int64_t CountUtf8CodePoints(absl::string_view text) {
  int64_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    char32_t code_point;
    const size_t length = DecodeUtf8(text, i, &code_point);
    if (length == 0) return -1;
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

// The labels of request fields as the forms show them, by field path
// without indices ("documents.kind"); a path not here is looked up by its
// last part ("location.point.latitude" → "latitude").
const absl::flat_hash_map<absl::string_view, absl::string_view>& FieldLabels() {
  static const auto* labels = new absl::flat_hash_map<absl::string_view, absl::string_view>{
      {"command_id", "命令编号"},
      {"stream_id", "案件编号"},
      {"case_id", "案件编号"},
      {"case_ids", "案件编号"},
      {"title", "标题"},
      {"description", "说明"},
      {"category", "问题类别"},
      {"severity", "严重程度"},
      {"source", "问题来源"},
      {"source_reference", "来源编号"},
      {"location.region_code", "行政区划代码"},
      {"region_code", "行政区划代码"},
      {"location.address", "地址"},
      {"latitude", "纬度"},
      {"longitude", "经度"},
      {"accuracy_m", "定位精度"},
      {"subject.name", "当事单位或个人"},
      {"subject.unified_social_credit_code", "统一社会信用代码"},
      {"complainant.name", "举报人姓名"},
      {"complainant.phone", "举报人电话"},
      {"found_at", "发现时间"},
      {"tags", "标签"},
      {"responsible_unit", "责任单位"},
      {"requirements", "整改要求"},
      {"rectification_due_at", "整改期限"},
      {"reason", "理由"},
      {"note", "备注"},
      {"remark", "备注"},
      {"text", "内容"},
      {"percent_complete", "完成进度（%）"},
      {"evidence_ids", "证据"},
      {"requested_due_at", "申请延期至"},
      {"request_id", "延期申请编号"},
      {"granted_due_at", "批准延期至"},
      {"summary", "整改完成情况"},
      {"notes", "验收意见"},
      {"new_rectification_due_at", "新的整改期限"},
      {"suspected_offence", "涉嫌罪名"},
      {"report", "移送报告"},
      {"proposing_officers", "提议执法人员"},
      {"documents", "移送材料"},
      {"documents.kind", "移送材料类型"},
      {"documents.evidence_id", "移送材料对应的证据"},
      {"referral_id", "移送编号"},
      {"police_unit", "公安机关"},
      {"procuratorate_unit", "检察机关"},
      {"review_days", "审查期限（天）"},
      {"decision", "决定"},
      {"police_case_number", "公安立案编号"},
      {"grounds", "理由"},
      {"explanation", "不立案理由说明"},
      {"kind", "证据类型"},
      {"file_name", "文件名"},
      {"media_type", "文件类型"},
      {"sha256", "文件校验值（SHA-256）"},
      {"size_bytes", "文件大小"},
      {"original_sha256", "原图校验值（SHA-256）"},
      {"original_size_bytes", "原图大小"},
      {"captured_at", "拍摄时间"},
      {"deadline_id", "期限编号"},
      {"calendar_sha256", "节假日安排校验值"},
      {"calendar_years", "节假日安排年份"},
      {"occurred_at", "发生时间"},
      {"request", "请求内容"},
      {"name", "名称"},
      {"list_id", "清单编号"},
      {"display_name", "姓名"},
      {"password", "密码"},
      {"role", "角色"},
      {"unit_id", "所属单位"},
      {"jurisdiction", "辖区"},
      {"page_size", "每页条数"},
      {"page_token", "页码标记"},
      // The responsible units directory (workflow/units.h).
      {"details", "单位信息"},
      {"details.full_name", "单位全称"},
      {"details.short_name", "单位简称"},
      {"details.kind", "单位类型"},
      {"details.region_code", "所在区域"},
      {"details.unified_social_credit_code", "统一社会信用代码"},
      {"details.contact.name", "联系人"},
      {"details.contact.phone", "联系电话"},
      {"region_prefix", "区域"},
      {"region_codes", "行政区划代码"},
      {"account_name", "账号"},
      {"origin", "来源"},
      {"owner_unit", "牵头单位"},
      {"device_label", "设备名称"},
      {"session_id", "登录会话"},
      {"statuses", "状态"},
      {"categories", "问题类别"},
      {"sources", "问题来源"},
      {"found_from", "发现时间（起）"},
      {"found_to", "发现时间（止）"},
      {"updated_from", "更新时间（起）"},
      {"updated_to", "更新时间（止）"},
      {"event_types", "事件类型"},
      {"reasons", "通报事由"},
      {"status", "状态"},
      {"start", "起算时间"},
      {"amount", "期限长度"},
      {"backup_dir", "备份目录"},
      {"keep_latest", "保留备份份数"},
      // PenaltyService (workflow/penalties.h). A penalty's kinds and a
      // remedy's kind have their own labels (the bare "kind" is evidence's).
      {"penalty_case_id", "处罚案件编号"},
      {"source_case_id", "来源案件编号"},
      {"source_referral_id", "移送编号"},
      {"violation", "涉嫌违法行为"},
      {"discovered_at", "发现违法行为时间"},
      {"officers", "执法人员"},
      {"facts", "违法事实"},
      {"intended", "拟作出的处罚"},
      {"intended.kinds", "拟处罚种类"},
      {"intended.fine_fen", "拟罚款金额（分）"},
      {"intended.confiscation", "拟没收物品"},
      {"terms", "处罚内容"},
      {"terms.kinds", "处罚种类"},
      {"terms.fine_fen", "罚款金额（分）"},
      {"terms.confiscation", "没收物品"},
      {"served_at", "送达时间"},
      {"request_penalty_hearing.requested_at", "申请听证时间"},
      {"scheduled_for", "听证时间"},
      {"notified_at", "通知时间"},
      {"place", "听证地点"},
      {"held_at", "举行时间"},
      {"record", "听证笔录"},
      {"legal_basis", "法律依据"},
      {"decision_id", "处罚决定"},
      {"fine_fen", "缴纳罚款（分）"},
      {"surcharge_fen", "缴纳加处罚款（分）"},
      {"paid_at", "缴款时间"},
      {"record_penalty_remedy.kind", "救济途径"},
      {"decide_penalty_remedy.kind", "救济途径"},
      {"body", "受理机关"},
      {"filed_at", "提起时间"},
      {"decide_penalty_remedy.outcome", "复议或诉讼结果"},
      {"changed_fine_fen", "变更后罚款金额（分）"},
      {"court", "受理法院"},
      {"correct_by", "改正期限"},
      {"order_id", "责令改正决定"},
      {"rechecked_at", "复查时间"},
      {"record_correction_recheck.result", "复查结果"},
      {"record_correction_recheck.findings", "复查情况"},
      {"next_correct_by", "新的改正期限"},
      {"daily_legal_basis", "按日连续处罚法律依据"},
      {"daily_days", "按日计罚天数"},
      {"confiscation", "没收物品"},
      // 12369 complaints (workflow/complaints.h).
      {"complaint_id", "信访件编号"},
      {"details.channel", "来源渠道"},
      {"details.ticket_number", "工单号"},
      {"details.received_at", "收到时间"},
      {"details.content", "举报内容"},
      {"details.location.address", "地址"},
      {"details.subject.name", "被举报单位或个人"},
      {"details.complainant", "举报人"},
      {"details.complainant.name", "举报人姓名"},
      {"details.complainant.phone", "举报人电话"},
      {"notice.channel", "告知举报人方式"},
      {"notice.note", "告知情况"},
      {"competent_body", "承办机关"},
      {"checked_at", "现场核查时间"},
      {"inspectors", "核查人员"},
      {"findings", "核查情况"},
      {"check_documents", "核查材料"},
      {"check_documents.kind", "核查材料类型"},
      {"check_documents.file_name", "核查材料文件名"},
      {"check_documents.sha256", "核查材料校验值（SHA-256）"},
      {"check_documents.document_id", "核查材料编号"},
      {"check_documents.size", "核查材料大小"},
      {"document_id", "核查材料编号"},
      {"answer", "复查意见"},
      {"outcome", "复查结论"},
      {"result", "回访结果"},
      {"requested_at", "申请复查时间"},
      {"rows", "导入行"},
      {"row_number", "行号"},
  };
  return *labels;
}

}  // namespace

std::string FieldLabel(absl::string_view field) {
  // "documents[2].kind" → path "documents.kind", item 3.
  std::string path;
  int item = -1;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '[') {
      path.push_back(field[i]);
      continue;
    }
    const size_t close = field.find(']', i);
    if (close == absl::string_view::npos) break;
    int index = 0;
    if (item < 0 && absl::SimpleAtoi(field.substr(i + 1, close - i - 1), &index)) item = index;
    i = close;
  }
  const auto& labels = FieldLabels();
  auto found = labels.find(path);
  if (found == labels.end()) {
    const size_t dot = path.rfind('.');
    if (dot != std::string::npos) found = labels.find(absl::string_view(path).substr(dot + 1));
  }
  std::string label(found == labels.end() ? field : found->second);
  if (found != labels.end() && item >= 0) absl::StrAppend(&label, "（第", item + 1, "项）");
  return label;
}

absl::Status InvalidField(absl::string_view field, absl::string_view why,
                          absl::string_view why_zh) {
  return WithUserMessage(absl::InvalidArgumentError(absl::StrCat(field, ": ", why)),
                         absl::StrCat(FieldLabel(field), "：", why_zh), field);
}

absl::Status CheckText(absl::string_view field, absl::string_view text, int max_chars,
                       bool required) {
  const int64_t chars = CountUtf8CodePoints(text);
  if (chars < 0) return Invalid(field, "is not valid UTF-8 text", "含有无法识别的字符");
  if (required && IsBlank(text)) return Invalid(field, "is required", "必填");
  if (chars > max_chars) {
    return Invalid(field, absl::StrFormat("is %d characters long; at most %d are allowed", chars,
                                          max_chars),
                   absl::StrFormat("共 %d 字，最多 %d 字", chars, max_chars));
  }
  return absl::OkStatus();
}

absl::Status CheckId(absl::string_view field, absl::string_view id, bool required) {
  if (id.empty()) {
    return required ? Invalid(field, "is required", "必填") : absl::OkStatus();
  }
  if (id.size() > static_cast<size_t>(kMaxIdBytes)) {
    return Invalid(field, absl::StrFormat("is %d bytes long; at most %d are allowed", id.size(),
                                          kMaxIdBytes),
                   absl::StrFormat("过长（%d 字节，最多 %d 字节）", id.size(), kMaxIdBytes));
  }
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7F) {
      return Invalid(field, "may hold only printable ASCII characters without spaces",
                     "只能由字母、数字和符号组成，不能有空格");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckFileName(absl::string_view field, absl::string_view name) {
  if (name.empty()) return Invalid(field, "is required", "必填");
  if (name.size() > static_cast<size_t>(kMaxFileNameBytes)) {
    return Invalid(field, absl::StrFormat("is %d bytes long; at most %d are allowed", name.size(),
                                          kMaxFileNameBytes),
                   absl::StrFormat("过长（%d 字节，最多 %d 字节）", name.size(), kMaxFileNameBytes));
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    // C1 controls (U+0080 to U+009F) are 0xC2 0x80..0x9F in UTF-8.
    const bool c1 = byte == 0xC2 && i + 1 < name.size() &&
                    static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(name[i + 1]) <= 0x9F;
    if (byte < 0x20 || byte == 0x7F || c1) {
      return Invalid(field, absl::StrFormat("may not hold control characters (byte %d is 0x%02X)",
                                            i, c1 ? 0xC2 : byte),
                     "不能含有控制字符");
    }
  }
  if (name.find_first_of("/\\") != absl::string_view::npos) {
    return Invalid(field, "may not hold a path separator ('/' or '\\'); give the file's own name",
                   "不能含有路径分隔符（“/”或“\\”），请只填文件本身的名称");
  }
  if (name.find("..") != absl::string_view::npos) {
    return Invalid(field, "may not hold \"..\"", "不能含有“..”");
  }
  if (CountUtf8CodePoints(name) < 0) {
    return Invalid(field, "is not valid UTF-8 text", "含有无法识别的字符");
  }
  return absl::OkStatus();
}

absl::Status CheckMediaType(absl::string_view field, absl::string_view media_type) {
  const size_t slash = media_type.find('/');
  if (media_type.empty()) return Invalid(field, "is required", "必填");
  if (media_type.size() > 127 || slash == absl::string_view::npos || slash == 0 ||
      slash + 1 == media_type.size() ||
      !std::all_of(media_type.begin(), media_type.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' ||
               c == '+' || c == '-';
      })) {
    return Invalid(field,
                   absl::StrCat("must be an IANA media type such as image/jpeg, got \"",
                                absl::CHexEscape(media_type.substr(0, 40)), "\""),
                   "须为 image/jpeg 这样的文件类型");
  }
  return absl::OkStatus();
}

absl::Status CheckSha256Hex(absl::string_view field, absl::string_view sha256) {
  if (sha256.size() != 64 || !std::all_of(sha256.begin(), sha256.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return Invalid(field, "must be 64 lowercase hexadecimal digits", "须为 64 位小写十六进制数字");
  }
  return absl::OkStatus();
}

bool IsProvinceCode(absl::string_view code) {
  // GB/T 2260: the 31 provinces, autonomous regions and municipalities of
  // the mainland, then Taiwan (71), Hong Kong (81) and Macao (82), as the
  // national region table lists them (base/regions.h).
  return code.size() == 2 && !RegionDirectory::National().Name(code).empty();
}

namespace {

// The region code rule of CheckRegionCode and CheckRegionPrefixCode: digits
// only, one of `lengths` long, starting with a province of GB/T 2260.
absl::Status CheckRegionDigits(absl::string_view field, absl::string_view code,
                               std::initializer_list<size_t> lengths, absl::string_view levels,
                               absl::string_view levels_zh) {
  if (code.empty()) return Invalid(field, "is required", "必填");
  const bool digits_only =
      std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits_only || std::find(lengths.begin(), lengths.end(), code.size()) == lengths.end()) {
    // Shown as typed when it is text (cut to 12 characters), else escaped.
    const absl::string_view shown = code.substr(0, 36);
    const int64_t shown_chars = CountUtf8CodePoints(shown);
    const bool text = shown_chars >= 0 && shown_chars <= 12;
    // Full-width digits (U+FF10 to U+FF19: EF BC 90 to EF BC 99) come from
    // Chinese input methods; say so.
    bool full_width = false;
    for (size_t i = 0; i + 2 < code.size(); ++i) {
      const auto last = static_cast<unsigned char>(code[i + 2]);
      if (code.substr(i, 2) == "\xEF\xBC" && last >= 0x90 && last <= 0x99) full_width = true;
    }
    return Invalid(field, absl::StrFormat("must be a GB/T 2260 region code of %s ASCII digits "
                                          "(0-9), got \"%s\"%s",
                                          levels, text ? std::string(shown) : absl::CHexEscape(shown),
                                          full_width ? "; full-width digits are not allowed" : ""),
                   absl::StrCat("须为 ", levels_zh, " 位半角数字的行政区划代码",
                                full_width ? "（不能使用全角数字）" : ""));
  }
  if (!IsProvinceCode(code.substr(0, 2))) {
    return Invalid(field, absl::StrFormat("\"%s\" does not start with a province code of GB/T 2260 "
                                          "(11 to 65, 71, 81, 82), got %s",
                                          code, code.substr(0, 2)),
                   absl::StrCat("“", code, "”的前两位不是省级行政区划代码"));
  }
  // Every level must name a region (base/regions.h).
  absl::Status named = CurrentRegions().Check(field, code);
  if (named.ok()) return named;
  return WithUserMessage(std::move(named),
                         absl::StrCat(FieldLabel(field), "：“", code, "”不是现有的行政区划"),
                         field);
}

}  // namespace

absl::Status CheckRegionCode(absl::string_view field, absl::string_view code) {
  return CheckRegionDigits(field, code, {6, 9, 12}, "6, 9 or 12", "6、9 或 12");
}

absl::Status CheckRegionPrefixCode(absl::string_view field, absl::string_view code) {
  return CheckRegionDigits(field, code, {2, 4, 6, 9, 12}, "2, 4, 6, 9 or 12",
                           "2、4、6、9 或 12");
}

absl::Status CheckCaseIdFormat(absl::string_view field, absl::string_view id) {
  if (id.empty()) return Invalid(field, "is required", "必填");
  // "620722-2026-000123": county code, year, sequence.
  auto digits = [&](size_t from, size_t count) {
    return std::all_of(id.begin() + from, id.begin() + from + count,
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (id.size() != 18 || id[6] != '-' || id[11] != '-' || !digits(0, 6) || !digits(7, 4) ||
      !digits(12, 6)) {
    return Invalid(field, absl::StrFormat("\"%s\" is not a case id such as 620722-2026-000123",
                                          absl::CHexEscape(id.substr(0, 40))),
                   "格式不对，案件编号形如 620722-2026-000123");
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

absl::Status CheckTimestamp(absl::string_view field, const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() < google::protobuf::util::TimeUtil::kTimestampMinSeconds ||
      timestamp.seconds() > google::protobuf::util::TimeUtil::kTimestampMaxSeconds ||
      timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return Invalid(field, "is not a valid timestamp", "不是有效的时间");
  }
  return absl::OkStatus();
}

absl::Status CheckDueAfter(absl::string_view field, const google::protobuf::Timestamp& due,
                           absl::Time now) {
  RETURN_IF_ERROR(CheckTimestamp(field, due));
  if (ToTime(due) <= now) {
    return Invalid(field, absl::StrCat("must be after now (", absl::FormatTime(now), "), got ",
                                       absl::FormatTime(ToTime(due))),
                   absl::StrCat("须晚于现在，所填为 ", DeadlineChinese(ToTime(due))));
  }
  return absl::OkStatus();
}

namespace validation_internal {

// The request's case_id must name the command's stream (the server copies it).
absl::Status CheckCaseId(const v1::Command& command, const std::string& case_id) {
  RETURN_IF_ERROR(CheckCaseIdFormat("case_id", case_id));
  if (command.stream_id() != case_id) {
    return Invalid("case_id", absl::StrCat("\"", case_id, "\" does not match the command's stream \"",
                                           command.stream_id(), "\""),
                   absl::StrCat("“", case_id, "”与所办理的案件 ", command.stream_id(), " 不符"));
  }
  return absl::OkStatus();
}

}  // namespace validation_internal

namespace {

absl::Status ValidateRequest(const v1::Command& command, absl::Time now, const Policy& policy) {
  switch (command.request_case()) {
    case v1::Command::kReportCase:
      return ValidateReportCase(command.report_case(), now, policy);
    case v1::Command::kAssignCase:
    case v1::Command::kReassignCase:
    case v1::Command::kStartRectification:
    case v1::Command::kReportProgress:
    case v1::Command::kRequestExtension:
    case v1::Command::kDecideExtension:
    case v1::Command::kSubmitCompletion:
    case v1::Command::kVerifyRectification:
    case v1::Command::kRaiseObjection:
    case v1::Command::kCloseCase:
    case v1::Command::kCloseAsUnfounded:
    case v1::Command::kReopenCase:
    case v1::Command::kRecordEvidence:
    case v1::Command::kMarkOverdue:
    case v1::Command::kRecountDeadline:
      return validation_internal::ValidateCaseRequest(command, now, policy);
    case v1::Command::kProposeReferral:
    case v1::Command::kApproveReferral:
    case v1::Command::kRefuseReferral:
    case v1::Command::kSendReferral:
    case v1::Command::kReceiveReferral:
    case v1::Command::kExtendReferralReview:
    case v1::Command::kApproveReviewExtension:
    case v1::Command::kDecideReferral:
    case v1::Command::kRequestReconsideration:
    case v1::Command::kDecideReconsideration:
    case v1::Command::kRequestSupervision:
    case v1::Command::kExplainNonFiling:
    case v1::Command::kWithdrawReferral:
      return validation_internal::ValidateReferralRequest(command, policy);
    case v1::Command::kCreateRectificationList:
    case v1::Command::kAddListItems:
    case v1::Command::kRemoveListItem:
    case v1::Command::kCloseRectificationList:
      return absl::UnimplementedError(
          "rectification lists are decided by their own workflow, not the case workflow");
    case v1::Command::kCreateAccount:
    case v1::Command::kUpdateAccount:
    case v1::Command::kResetPassword:
    case v1::Command::kDisableAccount:
    case v1::Command::kEnableAccount:
      return absl::UnimplementedError(
          "accounts are decided by their own workflow (workflow/accounts.h), not the case one");
    case v1::Command::kCreateUnit:
    case v1::Command::kUpdateUnit:
    case v1::Command::kRetireUnit:
    case v1::Command::kReactivateUnit:
      return absl::UnimplementedError(
          "responsible units are decided by their own workflow (workflow/units.h), not the case "
          "one");
    case v1::Command::kOpenPenaltyCase:
    case v1::Command::kDecidePenaltyFiling:
    case v1::Command::kExtendPenaltyFiling:
    case v1::Command::kRecordPenaltyInvestigation:
    case v1::Command::kServePenaltyPriorNotice:
    case v1::Command::kRequestPenaltyHearing:
    case v1::Command::kSchedulePenaltyHearing:
    case v1::Command::kRecordPenaltyHearing:
    case v1::Command::kExtendPenaltyDecisionPeriod:
    case v1::Command::kDecidePenalty:
    case v1::Command::kServePenaltyDecision:
    case v1::Command::kRecordPenaltyPayment:
    case v1::Command::kRecordPenaltyRemedy:
    case v1::Command::kDecidePenaltyRemedy:
    case v1::Command::kApplyCompulsoryExecution:
    case v1::Command::kPublishPenalty:
    case v1::Command::kIssueCorrectionOrder:
    case v1::Command::kServeCorrectionOrder:
    case v1::Command::kRecordCorrectionRecheck:
    case v1::Command::kClosePenaltyCase:
      return absl::UnimplementedError(
          "penalty cases are decided by their own workflow (workflow/penalties.h), not the case "
          "one");
    case v1::Command::kReceiveComplaint:
    case v1::Command::kImportComplaints:
    case v1::Command::kAcceptComplaint:
    case v1::Command::kTransferComplaint:
    case v1::Command::kOpenCaseFromComplaint:
    case v1::Command::kAttachComplaintToCase:
    case v1::Command::kCloseComplaintUnfounded:
    case v1::Command::kExtendComplaintReply:
    case v1::Command::kReplyToComplaint:
    case v1::Command::kRequestComplaintReview:
    case v1::Command::kAnswerComplaintReview:
    case v1::Command::kRecordComplaintCallback:
    case v1::Command::kUploadSiteCheckDocument:
      return absl::UnimplementedError(
          "complaints are decided by their own workflow (workflow/complaints.h), not the case "
          "one");
    case v1::Command::REQUEST_NOT_SET:
      return Invalid("request", "is required", "必填");
  }
  return Invalid("request", "is of a kind this build does not know", "是本服务器不认识的类型");
}

}  // namespace

absl::Status ValidateCommand(const v1::Command& command, absl::Time now, const Policy& policy) {
  RETURN_IF_ERROR(CheckId("command_id", command.command_id(), /*required=*/true));
  RETURN_IF_ERROR(CheckId("stream_id", command.stream_id(), /*required=*/true));
  if (command.has_occurred_at()) {
    RETURN_IF_ERROR(CheckTimestamp("occurred_at", command.occurred_at()));
    if (ToTime(command.occurred_at()) > now + policy.max_clock_skew) {
      return Invalid("occurred_at", "is in the future", "不能晚于现在");
    }
  }
  return ValidateRequest(command, now, policy);
}

}  // namespace rectify::workflow
