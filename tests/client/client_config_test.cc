// The client config file format.
#include "client/client_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"

namespace rectify::client {
namespace {

using ::rectify::testing::StatusIs;

TEST(ClientConfigTest, ParsesKeysValuesAndComments) {
  absl::StatusOr<std::map<std::string, std::string>> config = ParseConfig(
      "# my tablet\n"
      "server = rectify.example:443\n"
      "\n"
      "  token=abc def  \n"
      "tls_ca = /etc/rectify/ca.pem\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->at("server"), "rectify.example:443");
  EXPECT_EQ(config->at("token"), "abc def");
  EXPECT_EQ(config->at("tls_ca"), "/etc/rectify/ca.pem");
}

TEST(ClientConfigTest, UnknownKeysAndMalformedLinesNameTheLine) {
  EXPECT_THAT(ParseConfig("server = x\ntokn = y\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("line 2")));
  EXPECT_THAT(ParseConfig("just words\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("line 1")));
}

TEST(ClientConfigTest, AMissingDefaultFileIsEmptyButAMissingExplicitOneIsAnError) {
  absl::StatusOr<std::map<std::string, std::string>> absent =
      LoadConfig("/nonexistent/rectify/config", /*must_exist=*/false);
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(absent->empty());
  EXPECT_THAT(LoadConfig("/nonexistent/rectify/config", /*must_exist=*/true),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace rectify::client
