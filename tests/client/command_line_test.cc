// rectifyctl's command line (CLI11 over the subcommand table): global flags,
// one- and two-word subcommands, request-field flags and their aliases,
// repeats kept in order, unknown flags and commands named, and the
// environment fallback of --token.
#include "client/command_line.h"

#include <cstdlib>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(CommandLineTest, GlobalFlagsSubcommandFlagsAndArguments) {
  const CommandLine line = ParseCommandLine({"--server", "127.0.0.1:1", "--json", "assign",
                                             "620722-2026-000001", "--unit=minle-hongshui-town",
                                             "--requirements", "覆盖料堆"});
  ASSERT_TRUE(line.problem.ok()) << line.problem;
  ASSERT_NE(line.spec, nullptr);
  EXPECT_EQ(line.spec->name, "assign");
  EXPECT_THAT(line.global_flags,
              UnorderedElementsAre(Pair("server", "127.0.0.1:1"), Pair("json", "true")));
  EXPECT_THAT(line.flags, UnorderedElementsAre(Pair("unit", "minle-hongshui-town"),
                                               Pair("requirements", "覆盖料堆")));
  EXPECT_THAT(line.arguments, ElementsAre("620722-2026-000001"));
  EXPECT_FALSE(line.help);
}

TEST(CommandLineTest, TwoWordSubcommandsAndNestedFieldPaths) {
  const CommandLine line = ParseCommandLine(
      {"complaint", "receive", "--details.location.region_code=620722", "--anonymous"});
  ASSERT_TRUE(line.problem.ok()) << line.problem;
  EXPECT_EQ(line.spec->name, "complaint receive");
  EXPECT_THAT(line.flags, UnorderedElementsAre(Pair("details.location.region_code", "620722"),
                                               Pair("anonymous", "true")));
  const CommandLine export_line = ParseCommandLine({"list", "export", "L-1", "--out=a.csv"});
  ASSERT_TRUE(export_line.problem.ok()) << export_line.problem;
  EXPECT_EQ(export_line.spec->name, "list export");
  EXPECT_THAT(export_line.arguments, ElementsAre("L-1"));
  const CommandLine list_line = ParseCommandLine({"list", "--overdue"});
  ASSERT_TRUE(list_line.problem.ok()) << list_line.problem;
  EXPECT_EQ(list_line.spec->name, "list");
}

TEST(CommandLineTest, RepeatsAreKeptInOrder) {
  const CommandLine line =
      ParseCommandLine({"report", "--tag=b", "--tag", "a", "--title=x", "--tag=c"});
  ASSERT_TRUE(line.problem.ok()) << line.problem;
  EXPECT_THAT(RepeatedFlag(line.flags, "tag"), ElementsAre("b", "a", "c"));
  EXPECT_THAT(SingleFlag(line.flags, "tag", "").status().message(),
              HasSubstr("flag --tag is given more than once"));
  EXPECT_EQ(*SingleFlag(line.flags, "title", ""), "x");
  EXPECT_EQ(*SingleFlag(line.flags, "address", "none"), "none");
}

TEST(CommandLineTest, UnknownFlagsAndCommandsAreNamed) {
  const CommandLine colour = ParseCommandLine({"assign", "C-1", "--colour=red"});
  EXPECT_THAT(std::string(colour.problem.message()), HasSubstr("unknown flag --colour"));
  ASSERT_NE(colour.spec, nullptr);  // the subcommand's usage goes with it
  const CommandLine global = ParseCommandLine({"--verbose", "get", "C-1"});
  EXPECT_THAT(std::string(global.problem.message()), HasSubstr("unknown flag --verbose"));
  EXPECT_EQ(global.spec, nullptr);
  const CommandLine command = ParseCommandLine({"frobnicate"});
  EXPECT_THAT(std::string(command.problem.message()),
              HasSubstr("unknown command \"frobnicate\""));
  const CommandLine step = ParseCommandLine({"referral", "teleport", "C-1"});
  EXPECT_THAT(std::string(step.problem.message()),
              HasSubstr("unknown command \"referral teleport\""));
  // A global flag after the subcommand is the subcommand's, and unknown to it.
  const CommandLine late = ParseCommandLine({"get", "C-1", "--json"});
  EXPECT_THAT(std::string(late.problem.message()), HasSubstr("unknown flag --json"));
}

TEST(CommandLineTest, AFlagWithoutItsValueIsNamed) {
  EXPECT_EQ(ParseCommandLine({"--server"}).problem.message(), "flag --server needs a value");
  EXPECT_EQ(ParseCommandLine({"assign", "C-1", "--unit"}).problem.message(),
            "flag --unit needs a value");
}

TEST(CommandLineTest, AnEmptyValueStaysEmpty) {
  const CommandLine line = ParseCommandLine({"assign", "C-1", "--unit=", "--requirements=x"});
  ASSERT_TRUE(line.problem.ok()) << line.problem;
  EXPECT_THAT(line.flags, UnorderedElementsAre(Pair("unit", ""), Pair("requirements", "x")));
  EXPECT_THAT(line.arguments, ElementsAre("C-1"));
}

TEST(CommandLineTest, AnArgumentThatIsASubcommandNameStaysAnArgument) {
  const CommandLine line = ParseCommandLine({"get", "list"});
  ASSERT_TRUE(line.problem.ok()) << line.problem;
  EXPECT_EQ(line.spec->name, "get");
  EXPECT_THAT(line.arguments, ElementsAre("list"));
}

TEST(CommandLineTest, HelpAndNoSubcommand) {
  EXPECT_TRUE(ParseCommandLine({"--help"}).help);
  EXPECT_TRUE(ParseCommandLine({"help"}).help);
  const CommandLine assign_help = ParseCommandLine({"assign", "--help"});
  EXPECT_TRUE(assign_help.help);
  EXPECT_EQ(assign_help.spec->name, "assign");
  const CommandLine none = ParseCommandLine({});
  EXPECT_TRUE(none.problem.ok());
  EXPECT_EQ(none.subcommand, "");
}

TEST(CommandLineTest, TokenFromTheEnvironmentUnlessGiven) {
  ASSERT_EQ(setenv("RECTIFY_TOKEN", "demo-inspector", 1), 0);
  EXPECT_THAT(ParseCommandLine({"outbox"}).global_flags,
              UnorderedElementsAre(Pair("token", "demo-inspector")));
  EXPECT_THAT(ParseCommandLine({"--token=demo-supervisor", "outbox"}).global_flags,
              UnorderedElementsAre(Pair("token", "demo-supervisor")));
  unsetenv("RECTIFY_TOKEN");
}

TEST(CommandLineTest, EveryRequestFieldIsAFlag) {
  const ctl::Spec* assign = ctl::FindSpec("assign");
  ASSERT_NE(assign, nullptr);
  const std::map<std::string, bool> flags = SubcommandFlags(*assign);
  EXPECT_EQ(flags.count("responsible_unit"), 1u);  // a field
  EXPECT_EQ(flags.count("unit"), 1u);              // its alias
  EXPECT_EQ(flags.count("case_id"), 0u);           // an argument, not a flag
  EXPECT_TRUE(flags.at("unit"));
  EXPECT_FALSE(flags.at("help"));
}

}  // namespace
}  // namespace rectify::client
