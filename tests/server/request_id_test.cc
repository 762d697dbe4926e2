// Which request ids a caller may choose (base/request_id.h): the accepted
// and refused ones are written out by hand.
#include "base/request_id.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify {
namespace {

using ::testing::MatchesRegex;

TEST(RequestIdTest, AcceptsTheCommonShapes) {
  EXPECT_TRUE(IsAcceptableRequestId("ticket-4711.a"));
  EXPECT_TRUE(IsAcceptableRequestId("0b7c2c0e-5f1a-4f0e-9a57-3c7d1e2f4a5b"));
  EXPECT_TRUE(IsAcceptableRequestId("trace:span_01"));
  EXPECT_TRUE(IsAcceptableRequestId(std::string(64, 'x')));
}

TEST(RequestIdTest, RefusesWhatCouldBreakALogLineOrAHeader) {
  EXPECT_FALSE(IsAcceptableRequestId(""));
  EXPECT_FALSE(IsAcceptableRequestId(std::string(65, 'x')));
  EXPECT_FALSE(IsAcceptableRequestId("a b"));
  EXPECT_FALSE(IsAcceptableRequestId("a=b"));
  EXPECT_FALSE(IsAcceptableRequestId("a\"b"));
  EXPECT_FALSE(IsAcceptableRequestId("a\nb"));
  EXPECT_FALSE(IsAcceptableRequestId("a/b"));
  EXPECT_FALSE(IsAcceptableRequestId("编号1"));
  EXPECT_FALSE(IsAcceptableRequestId(std::string("a\0b", 3)));
}

TEST(RequestIdTest, MadeIdsAre32HexDigitsAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = MakeRequestId();
    ASSERT_THAT(id, MatchesRegex("[0-9a-f]{32}"));
    EXPECT_TRUE(IsAcceptableRequestId(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RequestIdTest, KeepsAnAcceptableIdAndReplacesAnyOther) {
  EXPECT_EQ(AcceptOrMakeRequestId("ticket-1"), "ticket-1");
  EXPECT_THAT(AcceptOrMakeRequestId(""), MatchesRegex("[0-9a-f]{32}"));
  EXPECT_THAT(AcceptOrMakeRequestId("evil\r\nINFO forged=1"), MatchesRegex("[0-9a-f]{32}"));
}

}  // namespace
}  // namespace rectify
