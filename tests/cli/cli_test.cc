// The clincode binary run as a user runs it: output, JSON shapes and exit codes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace clincode {
namespace {

using testing::RunCli;
using Json = nlohmann::json;

TEST(Cli, LookupFromBuiltInData) {
  auto r = RunCli({"lookup", "K57.8", "Y53.9", "Z94.2", "I50.0", "C18.-", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  ASSERT_EQ(j.size(), 5u);
  EXPECT_EQ(j[0]["system"], "OPCS-4");
  EXPECT_EQ(j[0]["code"], "K57.8");
  EXPECT_EQ(j[0]["title"], "Other specified other therapeutic transluminal operations on heart");
  EXPECT_EQ(j[0]["kind"], "code");
  EXPECT_EQ(j[0]["parent"], "K57");
  EXPECT_EQ(j[0]["ancestors"][0]["code"], "Chapter K");
  EXPECT_EQ(j[0]["release"], "OPCS-4 built-in starter");
  EXPECT_EQ(j[1]["flags"]["subsidiary"], true);
  EXPECT_EQ(j[2]["cds"], "Z942");
  EXPECT_EQ(j[3]["system"], "ICD-10");
  EXPECT_EQ(j[4]["code"], "C18");
  EXPECT_EQ(j[4]["pattern"], "C18.-");
  EXPECT_EQ(j[4]["children"].size(), 10u);
  for (const auto& o : j) {
    for (const char* key : {"system", "code", "title", "kind", "parent", "ancestors", "children", "flags"}) {
      EXPECT_TRUE(o.contains(key)) << key;
    }
  }
}

TEST(Cli, TextLookupSaysWhichRelease) {
  auto r = RunCli({"lookup", "k578"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("K57.8  Other specified other therapeutic transluminal operations on heart"), std::string::npos);
  EXPECT_NE(r.out.find("release: OPCS-4 built-in starter"), std::string::npos);
}

TEST(Cli, UnknownCodeIsAnErrorObjectAndExitOne) {
  auto r = RunCli({"lookup", "K57.8", "Q99.9", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  Json j = Json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["input"], "Q99.9");
  EXPECT_TRUE(j[1].contains("error"));
  auto bad = RunCli({"lookup", "not-a-code"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("not-a-code"), std::string::npos);
}

TEST(Cli, SearchJsonInRankOrder) {
  auto r = RunCli({"search", "vertebroplasty", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  ASSERT_GE(j.size(), 2u);
  EXPECT_EQ(j[0]["code"], "V44.4");
  for (const char* key : {"system", "code", "title", "score"}) EXPECT_TRUE(j[0].contains(key)) << key;
  EXPECT_GE(j[0]["score"].get<double>(), j[1]["score"].get<double>());
  auto scoped = RunCli({"search", "operation", "--system", "opcs4", "--within", "Z94", "--limit", "2", "--json"});
  ASSERT_EQ(scoped.exit_code, 0) << scoped.err;
  Json s = Json::parse(scoped.out);
  ASSERT_EQ(s.size(), 2u);
  for (const auto& h : s) EXPECT_EQ(h["code"].get<std::string>().substr(0, 3), "Z94");
}

TEST(Cli, SystemsWithReleasesAndEnvironment) {
  std::string opcs = testing::Fixture("opcs4/OPCS410_sample.txt");
  auto r = RunCli({"systems", "--release", opcs, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j[0]["edition"], "OPCS-4.10");
  EXPECT_EQ(j[0]["counts"]["codes"], 13);
  EXPECT_EQ(j[1]["builtin"], true);
  // A config file names releases too.
  testing::TempFile config("clincode.toml", "release = [\"" + opcs + "\"]\n");
  auto c = RunCli({"--config", config.path(), "systems", "--json"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(Json::parse(c.out)[0]["edition"], "OPCS-4.10");
}

TEST(Cli, BadReleaseAndUsageErrors) {
  auto r = RunCli({"systems", "--release", testing::Fixture("broken/OPCS410_bad_code.txt")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("OPCS410_bad_code.txt:2: malformed OPCS-4 code \"K5X.8\""), std::string::npos) << r.err;
  EXPECT_EQ(RunCli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCli({"search", "x", "--limit", "zero"}).exit_code, 2);
  EXPECT_EQ(RunCli({"search", "x", "--system", "loinc"}).exit_code, 2);
  auto help = RunCli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* cmd : {"lookup", "search", "systems"}) EXPECT_NE(help.out.find(cmd), std::string::npos) << cmd;
}

}  // namespace
}  // namespace clincode

namespace clincode {
namespace {

TEST(Cli, ReleasesFromTheEnvironment) {
  testing::TempFile out("systems.json", "");
  std::string cmd = std::string("CLINCODE_RELEASES='") + testing::Fixture("opcs4/OPCS410_sample.txt") + ":" +
                    testing::Fixture("cpt/cpt_sample.csv") + "' '" + CLINCODE_CLI_PATH + "' systems --json > '" +
                    out.path() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out.path());
  Json j = Json::parse(in);
  ASSERT_EQ(j.size(), 3u);  // OPCS-4.10, ICD-10 starter, CPT from the file
  EXPECT_EQ(j[0]["edition"], "OPCS-4.10");
  EXPECT_EQ(j[2]["edition"], "CPT (cpt_sample.csv)");
}

}  // namespace
}  // namespace clincode

namespace clincode {
namespace {

TEST(Cli, RecordFormCarriesTheDaggerMark) {
  auto r = RunCli({"lookup", "A170D", "C61X", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j[0]["code"], "A17.0");
  EXPECT_EQ(j[0]["cds"], "A170D");
  EXPECT_EQ(j[0]["flags"]["asterisk_partner"], "G01");
  EXPECT_EQ(j[1]["code"], "C61");
  EXPECT_EQ(j[1]["cds"], "C61X");
  EXPECT_EQ(j[1]["flags"]["sex"], "male");
}

}  // namespace
}  // namespace clincode
