// Text columns for terminals: how many columns a UTF-8 string takes, and
// tables whose columns line up when cells hold Chinese text.
//
// East Asian Wide and Fullwidth characters (CJK ideographs, kana, hangul,
// fullwidth forms such as "，" and "（"; ICU's Unicode data) take 2 columns;
// combining marks and zero-width characters take 0; everything else 1. Invalid UTF-8 bytes count
// 1 each, so a broken cell shifts the table but never breaks it.
//
//   DisplayWidth("扬尘 dust") == 9
//   FormatTable({"CASE", "TITLE"}, {{"620722-2026-000001", "砂石料场扬尘"}});
#ifndef RECTIFY_CLIENT_DISPLAY_WIDTH_H_
#define RECTIFY_CLIENT_DISPLAY_WIDTH_H_

#include <string>
#include <vector>

namespace rectify::client {

// Columns one code point takes: 0, 1 or 2.
int CodePointWidth(char32_t code_point);

// What NextCodePoint gives for a byte that does not start a valid UTF-8
// sequence (U+FFFD, one column).
inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// The code point at `text[*i]` (which must be inside `text`), advancing `*i`
// past its bytes; an invalid byte is taken alone as kReplacementCharacter.
char32_t NextCodePoint(const std::string& text, size_t* i);

// Columns `text` (UTF-8) takes on a terminal.
int DisplayWidth(const std::string& text);

// `text` followed by spaces up to `width` columns (unchanged when wider).
std::string PadToWidth(const std::string& text, int width);

// A table: a header row, then the rows, columns separated by two spaces and
// left-aligned by display width; no trailing spaces; one line each. A row
// shorter than the header gets empty cells.
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_DISPLAY_WIDTH_H_
