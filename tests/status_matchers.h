// GoogleTest matchers for absl::Status and absl::StatusOr. Debian's Abseil
// ships none, so the tests share these.
//
//   EXPECT_THAT(store.GetCase("x"), StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
//                                testing::HasSubstr("title")));
//   ASSERT_OK(status);  ASSERT_OK_AND_ASSIGN(auto value, StatusOrValue());
#ifndef RECTIFY_TESTS_STATUS_MATCHERS_H_
#define RECTIFY_TESTS_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P2(StatusIsImpl, code, message_matcher,
           "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = ::rectify::testing::GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code &&
         ::testing::SafeMatcherCast<const std::string&>(message_matcher)
             .MatchAndExplain(std::string(status.message()), result_listener);
}

// Matches a Status or StatusOr with the given code (and message).
template <typename MessageMatcher>
auto StatusIs(absl::StatusCode code, MessageMatcher message_matcher) {
  return StatusIsImpl(code, ::testing::Matcher<const std::string&>(message_matcher));
}
inline auto StatusIs(absl::StatusCode code) { return StatusIs(code, ::testing::_); }

// Matches an OK Status or StatusOr.
inline auto IsOk() { return StatusIs(absl::StatusCode::kOk); }

}  // namespace rectify::testing

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::rectify::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::rectify::testing::IsOk())

#define RECTIFY_TEST_CONCAT_INNER_(a, b) a##b
#define RECTIFY_TEST_CONCAT_(a, b) RECTIFY_TEST_CONCAT_INNER_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  RECTIFY_ASSERT_OK_AND_ASSIGN_IMPL_(RECTIFY_TEST_CONCAT_(statusor_, __LINE__), lhs, rexpr)
#define RECTIFY_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                       \
  ASSERT_TRUE(statusor.ok()) << statusor.status();               \
  lhs = std::move(statusor).value()

#endif  // RECTIFY_TESTS_STATUS_MATCHERS_H_
