// GoogleTest matchers for the Chinese user message a refusal carries
// (base/user_message.h):
//
//   EXPECT_THAT(status, RefusedInChinese());                 // has CJK text
//   EXPECT_THAT(status, RefusedInChinese(HasSubstr("标题：必填")));
#ifndef RECTIFY_TESTS_USER_MESSAGE_MATCHERS_H_
#define RECTIFY_TESTS_USER_MESSAGE_MATCHERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/user_message.h"
#include "base/utf8.h"
#include "gmock/gmock.h"

namespace rectify::testing {

// True when `text` holds a CJK unified ideograph (U+4E00 to U+9FFF).
inline bool HasChineseCharacter(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    const size_t length = DecodeUtf8(text, i, &c);
    if (length == 0) return false;
    if (c >= 0x4E00 && c <= 0x9FFF) return true;
    i += length;
  }
  return false;
}

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P(RefusedInChineseImpl, text_matcher, "is refused with a Chinese user message") {
  const absl::Status& status = ::rectify::testing::StatusOf(arg);
  const auto message = ::rectify::UserMessageOf(status);
  if (status.ok() || !message.has_value()) {
    *result_listener << "whose status " << status << " carries no user message";
    return false;
  }
  *result_listener << "whose user message is \"" << message->zh_cn() << "\"";
  return HasChineseCharacter(message->zh_cn()) &&
         ::testing::SafeMatcherCast<const std::string&>(text_matcher)
             .MatchAndExplain(message->zh_cn(), result_listener);
}

// A refused Status or StatusOr whose user message has Chinese text matching
// `text_matcher`.
template <typename TextMatcher>
auto RefusedInChinese(TextMatcher text_matcher) {
  return RefusedInChineseImpl(::testing::Matcher<const std::string&>(text_matcher));
}
inline auto RefusedInChinese() { return RefusedInChinese(::testing::_); }

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_USER_MESSAGE_MATCHERS_H_
