// The UTF-8 decoder; see utf8.h. ICU's U8_NEXT does the decoding (strict:
// it refuses overlong forms, surrogates and anything past U+10FFFF).
#include "base/utf8.h"

#include <algorithm>
#include <cstdint>

#include "unicode/utf8.h"

namespace rectify {

size_t DecodeUtf8(absl::string_view text, size_t i, char32_t* code_point) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  // ICU indexes with int32_t; text past that is not ours to measure.
  const int64_t length = std::min<int64_t>(static_cast<int64_t>(text.size()), INT32_MAX);
  int32_t next = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(bytes, next, static_cast<int32_t>(length), c);
  if (c < 0) return 0;
  *code_point = static_cast<char32_t>(c);
  return static_cast<size_t>(next) - i;
}

}  // namespace rectify
