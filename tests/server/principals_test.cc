// Tests of the principals file: tokens match by their SHA-256 only, and a
// malformed file is refused with a message naming the entry.
#include "server/principals.h"

#include "base/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"

namespace rectify::server {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

std::string Entry(const std::string& id, const std::string& role, const std::string& token,
                  const std::string& jurisdiction = "620722") {
  return "principals { principal { principal_id: \"" + id + "\" role: " + role +
         " unit_id: \"minle-eeb\" jurisdiction: \"" + jurisdiction + "\" } token_sha256: \"" +
         HexEncode(Sha256(token)) + "\" }\n";
}

TEST(PrincipalRegistryTest, FindsPrincipalsByTokenAndNothingElse) {
  ASSERT_OK_AND_ASSIGN(PrincipalRegistry registry,
                       PrincipalRegistry::Parse(Entry("insp-zhang", "ROLE_INSPECTOR", "s3cret") +
                                                Entry("sup-wang", "ROLE_SUPERVISOR", "other")));
  EXPECT_EQ(registry.size(), 2u);
  ASSERT_OK_AND_ASSIGN(v1::Principal found, registry.FindByToken("s3cret"));
  EXPECT_EQ(found.principal_id(), "insp-zhang");
  EXPECT_EQ(found.role(), v1::ROLE_INSPECTOR);
  EXPECT_THAT(registry.FindByToken("S3cret"), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(registry.FindByToken(""), StatusIs(absl::StatusCode::kUnauthenticated));
  // The hash itself is not a token.
  EXPECT_THAT(registry.FindByToken(HexEncode(Sha256("s3cret"))),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(PrincipalRegistryTest, RefusesMalformedFilesNamingTheProblem) {
  EXPECT_THAT(PrincipalRegistry::Parse("principals { principal { role: ROLE_NOPE } }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
  EXPECT_THAT(PrincipalRegistry::Parse(Entry("", "ROLE_INSPECTOR", "t")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("principal_id")));
  EXPECT_THAT(PrincipalRegistry::Parse(Entry("x", "ROLE_SYSTEM", "t")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("role")));
  EXPECT_THAT(PrincipalRegistry::Parse(Entry("x", "ROLE_INSPECTOR", "t", "")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("jurisdiction")));
  EXPECT_THAT(PrincipalRegistry::Parse("principals { principal { principal_id: \"x\" role: "
                                       "ROLE_INSPECTOR jurisdiction: \"62\" } token_sha256: "
                                       "\"abc\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("token_sha256")));
  EXPECT_THAT(PrincipalRegistry::Parse(Entry("x", "ROLE_INSPECTOR", "t") +
                                       Entry("x", "ROLE_AUDITOR", "u")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate principal_id")));
  EXPECT_THAT(PrincipalRegistry::Parse(Entry("x", "ROLE_INSPECTOR", "t") +
                                       Entry("y", "ROLE_AUDITOR", "t")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate token_sha256")));
}

}  // namespace
}  // namespace rectify::server
