// DecodeUtf8: valid sequences of each length, and the strict refusals
// (overlong forms, surrogates, past U+10FFFF, truncated, stray bytes). The
// byte values are written out by hand from the UTF-8 definition (RFC 3629).
#include "base/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace rectify {
namespace {

TEST(DecodeUtf8Test, EachSequenceLength) {
  char32_t c = 0;
  EXPECT_EQ(DecodeUtf8("A", 0, &c), 1u);
  EXPECT_EQ(c, U'A');
  EXPECT_EQ(DecodeUtf8("\xC2\xB0", 0, &c), 2u);  // °
  EXPECT_EQ(c, 0xB0u);
  EXPECT_EQ(DecodeUtf8("污染", 0, &c), 3u);
  EXPECT_EQ(c, 0x6C61u);
  EXPECT_EQ(DecodeUtf8("污染", 3, &c), 3u);
  EXPECT_EQ(c, 0x67D3u);
  EXPECT_EQ(DecodeUtf8("\xF0\xA0\x80\x80", 0, &c), 4u);  // U+20000
  EXPECT_EQ(c, 0x20000u);
}

TEST(DecodeUtf8Test, RefusesWhatIsNotOneValidSequence) {
  const std::string bad[] = {
      std::string("\x80"),              // a continuation byte alone
      std::string("\xFF"),              // never in UTF-8
      std::string("\xC0\xAF"),          // overlong "/"
      std::string("\xE0\x80\xAF"),      // overlong "/"
      std::string("\xED\xA0\x80"),      // surrogate U+D800
      std::string("\xF4\x90\x80\x80"),  // U+110000
      std::string("\xE6\x89"),          // a truncated 扬
      std::string("\xE6\x41\x41"),      // lead byte, then ASCII
  };
  for (const std::string& text : bad) {
    char32_t c = 0x1234;
    EXPECT_EQ(DecodeUtf8(text, 0, &c), 0u) << testing::PrintToString(text);
    EXPECT_EQ(c, 0x1234u);
  }
}

}  // namespace
}  // namespace rectify
