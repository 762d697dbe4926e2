// Display width of UTF-8 text and aligned tables; see display_width.h.
#include "client/display_width.h"

#include <algorithm>
#include <cstdint>

#include "base/utf8.h"
#include "unicode/uchar.h"

namespace rectify::client {

// Widths come from ICU's Unicode data: East Asian Width W and F
// (UCHAR_EAST_ASIAN_WIDTH) take 2 columns; control characters, combining
// marks (Mn, Me), format characters (Cf, e.g. the zero-width space) and the
// line/paragraph separators take 0.
int CodePointWidth(char32_t c) {
  const auto code = static_cast<UChar32>(c);
  if (c == 0 || c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;  // control characters
  constexpr uint32_t kZeroWidth =
      U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK | U_GC_ZL_MASK | U_GC_ZP_MASK;
  if ((U_GET_GC_MASK(code) & kZeroWidth) != 0) return 0;
  const int east_asian = u_getIntPropertyValue(code, UCHAR_EAST_ASIAN_WIDTH);
  return east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
}

char32_t NextCodePoint(const std::string& text, size_t* i) {
  char32_t c = 0;
  const size_t length = DecodeUtf8(text, *i, &c);
  if (length == 0) {
    *i += 1;  // a stray byte: taken alone, and move on
    return kReplacementCharacter;
  }
  *i += length;
  return c;
}

int DisplayWidth(const std::string& text) {
  int width = 0;
  size_t i = 0;
  while (i < text.size()) width += CodePointWidth(NextCodePoint(text, &i));
  return width;
}

std::string PadToWidth(const std::string& text, int width) {
  const int have = DisplayWidth(text);
  return have >= width ? text : text + std::string(width - have, ' ');
}

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<int> widths(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) widths[c] = DisplayWidth(header[c]);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  auto append_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < row.size() ? row[c] : "";
      if (c + 1 == widths.size()) {
        line += cell;
      } else {
        line += PadToWidth(cell, widths[c]) + "  ";
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  append_row(header);
  for (const auto& row : rows) append_row(row);
  return out;
}

}  // namespace rectify::client
