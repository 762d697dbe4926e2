// The one UTF-8 decoder: the code point at a position of a string and the
// length of its sequence, strictly (no overlong forms, no surrogates, nothing
// past U+10FFFF). Used where text is checked (workflow validation), escaped
// (server logs) or measured (rectifyctl's columns).
//
//   char32_t c;
//   size_t length = DecodeUtf8("污染", 0, &c);  // 3, c == U+6C61
#ifndef RECTIFY_BASE_UTF8_H_
#define RECTIFY_BASE_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace rectify {

// The length (1 to 4) of the valid UTF-8 sequence at text[i], setting
// `*code_point`; 0 when the bytes at `i` (which must be inside `text`) are
// not one, leaving `*code_point` unset.
size_t DecodeUtf8(absl::string_view text, size_t i, char32_t* code_point);

}  // namespace rectify

#endif  // RECTIFY_BASE_UTF8_H_
