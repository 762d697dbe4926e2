// Reading the 12369 platform's CSV export (complaint_csv.h).
#include "client/complaint_csv.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "base/utf8.h"
#include "unicode/ucnv.h"
#include "unicode/ucnv_err.h"
#include "unicode/utypes.h"

namespace rectify::client {
namespace {

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

bool IsUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    char32_t code_point;
    const size_t length = DecodeUtf8(text, i, &code_point);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

// GBK (as GB 18030) to UTF-8 with ICU, stopping at the first byte sequence
// that is not GBK.
absl::StatusOr<std::string> GbkToUtf8(absl::string_view bytes) {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> converter(ucnv_open("GB18030", &error),
                                                                ucnv_close);
  if (U_FAILURE(error)) {
    return absl::InternalError(absl::StrCat("ICU has no GB18030 converter: ", u_errorName(error)));
  }
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
  std::u16string utf16(bytes.size() + 1, u'\0');
  const int32_t units =
      ucnv_toUChars(converter.get(), utf16.data(), static_cast<int32_t>(utf16.size()),
                    bytes.data(), static_cast<int32_t>(bytes.size()), &error);
  if (U_FAILURE(error)) {
    // Where it stopped: the converter's offset into the source is not kept
    // by ucnv_toUChars; count what decodes by converting prefixes would be
    // slow, so the message names the first byte that is not ASCII instead
    // when nothing better is known.
    size_t first = 0;
    while (first < bytes.size() && static_cast<unsigned char>(bytes[first]) < 0x80) ++first;
    return absl::InvalidArgumentError(absl::StrCat(
        "the file is neither UTF-8 nor GBK (first non-ASCII byte at offset ", first, ")"));
  }
  utf16.resize(static_cast<size_t>(units));
  std::string utf8(static_cast<size_t>(units) * 3 + 1, '\0');
  error = U_ZERO_ERROR;
  UConverter* to_utf8 = ucnv_open("UTF-8", &error);
  if (U_FAILURE(error)) return absl::InternalError("ICU has no UTF-8 converter");
  const int32_t length =
      ucnv_fromUChars(to_utf8, utf8.data(), static_cast<int32_t>(utf8.size()), utf16.data(),
                      static_cast<int32_t>(utf16.size()), &error);
  ucnv_close(to_utf8);
  if (U_FAILURE(error)) return absl::InternalError("ICU could not write UTF-8");
  utf8.resize(static_cast<size_t>(length));
  return utf8;
}

// The columns of the export: the ComplaintDetails field each fills, and the
// names a header may give it (English, then the platform's Chinese).
enum class Column {
  kTicket,
  kReceivedAt,
  kChannel,
  kTitle,
  kContent,
  kCategory,
  kRegion,
  kAddress,
  kSubject,
  kCreditCode,
  kName,
  kPhone,
};

struct ColumnName {
  Column column;
  const char* english;
  const char* chinese;
  bool required;
};

constexpr ColumnName kColumns[] = {
    {Column::kTicket, "ticket_number", "工单编号", true},
    {Column::kReceivedAt, "received_at", "来件时间", true},
    {Column::kChannel, "channel", "来源渠道", false},
    {Column::kTitle, "title", "标题", true},
    {Column::kContent, "content", "举报内容", true},
    {Column::kCategory, "category", "污染类别", false},
    {Column::kRegion, "region_code", "行政区划代码", true},
    {Column::kAddress, "address", "事发地址", false},
    {Column::kSubject, "subject_name", "被举报对象", false},
    {Column::kCreditCode, "credit_code", "统一社会信用代码", false},
    {Column::kName, "complainant_name", "举报人姓名", false},
    {Column::kPhone, "complainant_phone", "举报人电话", false},
};

const ColumnName* FindColumn(absl::string_view header) {
  const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header));
  for (const ColumnName& column : kColumns) {
    if (name == column.english || name == column.chinese) return &column;
  }
  return nullptr;
}

// Words a cell may hold for a channel / a category (English enum names
// without the prefix, any case, or the platform's Chinese).
std::optional<v1::ComplaintChannel> ChannelOf(absl::string_view cell) {
  static const auto* words = new std::map<std::string, v1::ComplaintChannel>{
      {"", v1::COMPLAINT_CHANNEL_PLATFORM},       {"platform", v1::COMPLAINT_CHANNEL_PLATFORM},
      {"12369", v1::COMPLAINT_CHANNEL_PLATFORM},  {"平台", v1::COMPLAINT_CHANNEL_PLATFORM},
      {"网络平台", v1::COMPLAINT_CHANNEL_PLATFORM},
  };
  auto found = words->find(absl::AsciiStrToLower(absl::StripAsciiWhitespace(cell)));
  if (found == words->end()) return std::nullopt;
  return found->second;
}

std::optional<v1::Category> CategoryOf(absl::string_view cell) {
  static const auto* words = new std::map<std::string, v1::Category>{
      {"", v1::CATEGORY_UNSPECIFIED},
      {"air", v1::CATEGORY_AIR},         {"大气", v1::CATEGORY_AIR},
      {"water", v1::CATEGORY_WATER},     {"水", v1::CATEGORY_WATER},
      {"soil", v1::CATEGORY_SOIL},       {"土壤", v1::CATEGORY_SOIL},
      {"solid_waste", v1::CATEGORY_SOLID_WASTE}, {"固体废物", v1::CATEGORY_SOLID_WASTE},
      {"noise", v1::CATEGORY_NOISE},     {"噪声", v1::CATEGORY_NOISE},
      {"ecology", v1::CATEGORY_ECOLOGY}, {"生态", v1::CATEGORY_ECOLOGY},
      {"radiation", v1::CATEGORY_RADIATION}, {"辐射", v1::CATEGORY_RADIATION},
      {"other", v1::CATEGORY_OTHER},     {"其他", v1::CATEGORY_OTHER},
  };
  auto found = words->find(absl::AsciiStrToLower(absl::StripAsciiWhitespace(cell)));
  if (found == words->end()) return std::nullopt;
  return found->second;
}

// "2026-11-28 09:30[:00]" or "2026/11/28 09:30[:00]" in China time, or RFC 3339.
std::optional<absl::Time> TimeOf(absl::string_view cell) {
  std::string text(absl::StripAsciiWhitespace(cell));
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return time;
  for (char& c : text) {
    if (c == '/') c = '-';
  }
  for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"}) {
    if (absl::ParseTime(format, text, ChinaTimeZone(), &time, &error)) return time;
  }
  return std::nullopt;
}

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(time));
  return out;
}

}  // namespace

absl::StatusOr<DecodedExport> DecodeExport(absl::string_view bytes) {
  if (bytes.size() > kMaxComplaintCsvBytes) {
    return absl::InvalidArgumentError(absl::StrCat("the file has ", bytes.size(),
                                                   " bytes; at most ", kMaxComplaintCsvBytes,
                                                   " are read"));
  }
  DecodedExport out;
  if (absl::ConsumePrefix(&bytes, kBom)) {
    if (!IsUtf8(bytes)) {
      return absl::InvalidArgumentError("the file starts with a UTF-8 BOM but is not UTF-8");
    }
    out.text = std::string(bytes);
    out.encoding = CsvEncoding::kUtf8Bom;
    return out;
  }
  if (IsUtf8(bytes)) {
    out.text = std::string(bytes);
    return out;
  }
  absl::StatusOr<std::string> text = GbkToUtf8(bytes);
  if (!text.ok()) return text.status();
  out.text = std::move(*text);
  out.encoding = CsvEncoding::kGbk;
  return out;
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  std::vector<CsvRecord> records;
  size_t at = 0;
  int line = 1;
  auto fail = [&](int where, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("line ", where, ": ", what));
  };
  while (at < text.size()) {
    // A blank line ends nothing and starts nothing.
    if (text[at] == '\n' || (text[at] == '\r' && at + 1 < text.size() && text[at + 1] == '\n')) {
      at += text[at] == '\r' ? 2 : 1;
      ++line;
      continue;
    }
    if (records.size() > static_cast<size_t>(kMaxComplaintCsvRows)) {
      return fail(line, absl::StrCat("more than ", kMaxComplaintCsvRows, " rows"));
    }
    CsvRecord record;
    record.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::string cell;
      if (at < text.size() && text[at] == '"') {
        ++at;
        while (true) {
          if (at >= text.size()) return fail(record.line, "a quoted cell is not closed");
          const char c = text[at];
          if (c == '"') {
            if (at + 1 < text.size() && text[at + 1] == '"') {
              cell.push_back('"');
              at += 2;
              continue;
            }
            ++at;
            break;
          }
          if (c == '\n') ++line;
          cell.push_back(c);
          ++at;
          if (cell.size() > kMaxComplaintCsvCell) {
            return fail(record.line, absl::StrCat("a cell is longer than ", kMaxComplaintCsvCell,
                                                  " bytes"));
          }
        }
        if (at < text.size() && text[at] != ',' && text[at] != '\n' && text[at] != '\r') {
          return fail(line, "text after a closing quote");
        }
      } else {
        while (at < text.size() && text[at] != ',' && text[at] != '\n' && text[at] != '\r') {
          if (text[at] == '"') return fail(line, "a quote inside an unquoted cell");
          cell.push_back(text[at]);
          ++at;
        }
        if (cell.size() > kMaxComplaintCsvCell) {
          return fail(line, absl::StrCat("a cell is longer than ", kMaxComplaintCsvCell, " bytes"));
        }
      }
      record.cells.push_back(std::move(cell));
      if (record.cells.size() > kMaxComplaintCsvCells) {
        return fail(record.line, absl::StrCat("more than ", kMaxComplaintCsvCells, " cells"));
      }
      if (at >= text.size()) {
        end_of_record = true;
      } else if (text[at] == ',') {
        ++at;
      } else if (text[at] == '\n') {
        ++at;
        ++line;
        end_of_record = true;
      } else if (text[at] == '\r') {
        if (at + 1 >= text.size() || text[at + 1] != '\n') return fail(line, "a CR without LF");
        at += 2;
        ++line;
        end_of_record = true;
      }
    }
    records.push_back(std::move(record));
  }
  if (records.size() > static_cast<size_t>(kMaxComplaintCsvRows) + 1) {
    return fail(records.back().line, absl::StrCat("more than ", kMaxComplaintCsvRows, " rows"));
  }
  return records;
}

ComplaintCsv ToImportRows(const std::vector<CsvRecord>& records) {
  ComplaintCsv out;
  if (records.empty()) {
    out.problems.push_back({1, "", "the file is empty (a header line is required)",
                            "文件为空（第一行须为表头）"});
    return out;
  }
  const CsvRecord& header = records.front();
  std::vector<const ColumnName*> columns;
  std::map<Column, bool> present;
  for (const std::string& name : header.cells) {
    const ColumnName* column = FindColumn(name);
    if (column == nullptr) {
      out.problems.push_back({header.line, name, absl::StrCat("unknown column \"", name, "\""),
                              absl::StrCat("未知的列“", name, "”")});
    } else if (present[column->column]) {
      out.problems.push_back({header.line, name,
                              absl::StrCat("column \"", name, "\" appears twice"),
                              absl::StrCat("列“", name, "”重复")});
    } else {
      present[column->column] = true;
    }
    columns.push_back(column);
  }
  for (const ColumnName& column : kColumns) {
    if (column.required && !present[column.column]) {
      out.problems.push_back(
          {header.line, column.english,
           absl::StrCat("the header has no column ", column.english, " (", column.chinese, ")"),
           absl::StrCat("表头缺少“", column.chinese, "”列")});
    }
  }
  if (!out.problems.empty()) return out;
  if (records.size() == 1) {
    out.problems.push_back({header.line, "", "the file has no data rows", "文件中没有数据行"});
    return out;
  }
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (record.cells.size() != columns.size()) {
      out.problems.push_back(
          {record.line, "",
           absl::StrCat("the row has ", record.cells.size(), " cells; the header has ",
                        columns.size()),
           absl::StrCat("该行有 ", record.cells.size(), " 列，表头有 ", columns.size(), " 列")});
      continue;
    }
    v1::ComplaintImportRow row;
    row.set_row_number(record.line);
    v1::ComplaintDetails& details = *row.mutable_details();
    details.set_channel(v1::COMPLAINT_CHANNEL_PLATFORM);
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string& cell = record.cells[c];
      const ColumnName& column = *columns[c];
      const std::string trimmed(absl::StripAsciiWhitespace(cell));
      switch (column.column) {
        case Column::kTicket:
          details.set_ticket_number(trimmed);
          break;
        case Column::kReceivedAt:
          if (std::optional<absl::Time> time = TimeOf(cell)) {
            *details.mutable_received_at() = TimestampOf(*time);
          } else {
            out.problems.push_back(
                {record.line, column.english,
                 absl::StrCat("received_at \"", trimmed,
                              "\" is not a time (2026-11-28 09:30:00, China time)"),
                 absl::StrCat("来件时间“", trimmed, "”无法识别（应如 2026-11-28 09:30:00）")});
          }
          break;
        case Column::kChannel:
          if (std::optional<v1::ComplaintChannel> channel = ChannelOf(cell)) {
            details.set_channel(*channel);
          } else {
            out.problems.push_back(
                {record.line, column.english,
                 absl::StrCat("channel \"", trimmed, "\" is not the platform (平台 or 12369)"),
                 absl::StrCat("来源渠道“", trimmed, "”不是12369平台")});
          }
          break;
        case Column::kTitle:
          details.set_title(trimmed);
          break;
        case Column::kContent:
          details.set_content(trimmed);
          break;
        case Column::kCategory:
          if (std::optional<v1::Category> category = CategoryOf(cell)) {
            details.set_category(*category);
          } else {
            out.problems.push_back(
                {record.line, column.english,
                 absl::StrCat("category \"", trimmed, "\" is not known"),
                 absl::StrCat("污染类别“", trimmed,
                              "”无法识别（大气、水、土壤、固体废物、噪声、生态、辐射、其他）")});
          }
          break;
        case Column::kRegion:
          details.mutable_location()->set_region_code(trimmed);
          break;
        case Column::kAddress:
          details.mutable_location()->set_address(trimmed);
          break;
        case Column::kSubject:
          details.mutable_subject()->set_name(trimmed);
          break;
        case Column::kCreditCode:
          details.mutable_subject()->set_unified_social_credit_code(trimmed);
          break;
        case Column::kName:
          details.mutable_complainant()->set_name(trimmed);
          break;
        case Column::kPhone:
          details.mutable_complainant()->set_phone(trimmed);
          break;
      }
    }
    // No name and no phone: the caller did not give who they are.
    if (details.complainant().name().empty() && details.complainant().phone().empty()) {
      details.clear_complainant();
      details.set_anonymous(true);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace rectify::client
