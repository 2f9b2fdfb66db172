// The clincode binary run as a user runs it: output, JSON shapes and exit codes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
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

// With a UK and a US release loaded, the UK classifications answer unless another is asked for, and the text
// output says what was not searched.
TEST(Cli, SearchKeepsToTheUkUnlessAsked) {
  std::string who = testing::Fixture("who/who_icd10_sample_2019.xml");
  std::string cm = testing::Fixture("icd10cm/icd10cm_tabular_sample_2021.xml");
  auto uk = RunCli({"search", "heart", "--release", who, "--release", cm, "--json"});
  ASSERT_EQ(uk.exit_code, 0) << uk.err;
  Json u = Json::parse(uk.out);
  ASSERT_FALSE(u.empty());
  for (const auto& h : u) EXPECT_NE(h["system"], "ICD-10-CM") << h["code"];
  for (const auto& h : u) EXPECT_TRUE(h.contains("recordable"));
  auto all = RunCli({"search", "heart", "--release", who, "--release", cm, "--system", "all", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  Json a = Json::parse(all.out);
  EXPECT_TRUE(std::any_of(a.begin(), a.end(), [](const Json& h) { return h["system"] == "ICD-10-CM"; }));
  auto text = RunCli({"search", "heart", "--release", who, "--release", cm});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("-- not searched: ICD-10-CM 2021"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("--system all"), std::string::npos);
  // A lexicon term's reading is shown with the hit.
  auto via = RunCli({"search", "CCF", "--release", who});
  EXPECT_NE(via.out.find("CCF = congestive heart failure"), std::string::npos) << via.out;
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
  // A release that looks cut short loads, and the user is told on standard error (even with --json).
  auto truncated = RunCli({"--release", testing::Fixture("broken/OPCS410_truncated.txt"), "--json", "lookup", "A01.1"});
  EXPECT_EQ(truncated.exit_code, 0) << truncated.err;
  EXPECT_NE(truncated.err.find("clincode: note: "), std::string::npos) << truncated.err;
  EXPECT_NE(truncated.err.find("OPCS410_truncated.txt:3: the last row has no line end"), std::string::npos)
      << truncated.err;
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
  EXPECT_EQ(j[0]["flags"]["asterisk_partners"], nlohmann::json::array({"G01"}));
  EXPECT_EQ(j[1]["code"], "C61");
  EXPECT_EQ(j[1]["cds"], "C61X");
  EXPECT_EQ(j[1]["flags"]["sex"], "male");
}

}  // namespace
}  // namespace clincode

namespace clincode {
namespace {

TEST(CliGuidance, ListShowFindCheck) {
  auto list = RunCli({"guidance", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(Json::parse(list.out).size(), 5u);
  auto show = RunCli({"guidance", "show", "IPG12", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  Json j = Json::parse(show.out);
  EXPECT_EQ(j["id"], "IPG12");
  EXPECT_EQ(j["sections"][0]["classification"], "OPCS-4");
  EXPECT_EQ(j["sections"][0]["groups"][0]["any_of"], Json({"V44.4", "V44.6"}));
  EXPECT_EQ(j["sections"][0]["groups"][0]["role"], "main");
  EXPECT_EQ(j["sections"][0]["groups"][2]["condition"], "if image control is used");
  EXPECT_EQ(j["sections"][0]["groups"][2]["required"], false);
  EXPECT_EQ(j["sections"][0]["groups"][3]["placeholder"], "Site code");
  EXPECT_TRUE(j["sections"][1]["statement"].is_string());
  auto page = RunCli({"guidance", "show", "IPG655", "--markdown"});
  ASSERT_EQ(page.exit_code, 0);
  EXPECT_NE(page.out.find("# IPG655 - Cardiac contractility modulation"), std::string::npos);
  auto find = RunCli({"guidance", "find", "Y53.4", "--json"});
  ASSERT_EQ(find.exit_code, 0);
  EXPECT_EQ(Json::parse(find.out).size(), 4u);
  auto check = RunCli({"guidance", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(RunCli({"guidance", "show", "IPG1"}).exit_code, 1);
  EXPECT_EQ(RunCli({"guidance"}).exit_code, 2);
}

TEST(CliGuidance, ParseAFileAndUseAGuidanceDir) {
  std::string file = testing::Fixture("guidance/ipg_one_line_connectors.md");
  auto parse = RunCli({"guidance", "parse", file, "--json"});
  ASSERT_EQ(parse.exit_code, 0) << parse.err;
  Json j = Json::parse(parse.out);
  EXPECT_EQ(j["id"], "MTG42");
  EXPECT_EQ(j["unparsed"].size(), 0u);
  EXPECT_EQ(j["sections"][0]["groups"][3]["fact"], "fluoroscopy");
  auto bad = RunCli({"guidance", "parse", testing::Fixture("broken/empty.txt")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("the text is empty"), std::string::npos);
  std::string dir = testing::Fixture("guidance");
  auto list = RunCli({"--guidance-dir", dir, "guidance", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(Json::parse(list.out).size(), 9u);  // 5 built-in + 4 in the folder
}

}  // namespace
}  // namespace clincode

namespace clincode {
namespace {

TEST(CliValidator, CheckOneEpisode) {
  auto r = RunCli({"check", "--proc", "V44.4 Y53.4 V55.1", "--diag", "M80.0", "--sex", "1", "--age", "74", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  std::vector<std::string> rules;
  for (const auto& f : j["findings"]) rules.push_back(f["rule_id"]);
  EXPECT_EQ(rules, (std::vector<std::string>{"icd10.sex", "opcs4.levels-of-spine-second", "nice.required-group"}));
  EXPECT_EQ(j["findings"][1]["position"], "OPERTN_01");
  EXPECT_EQ(j["findings"][1]["code"], "V44.4");
  EXPECT_FALSE(j["findings"][1]["fix"].get<std::string>().empty());
  auto clean = RunCli({"check", "--proc", "V44.4 V55.1 Y53.4 Z66.5", "--diag", "M80.0", "--sex", "2", "--json"});
  ASSERT_EQ(clean.exit_code, 0);
  EXPECT_TRUE(Json::parse(clean.out)["findings"].empty());
  EXPECT_EQ(RunCli({"check", "--sex", "5"}).exit_code, 2);
}

TEST(CliValidator, ValidateAFile) {
  testing::TempFile in(
      "episodes.csv",
      "EPIKEY,SEX,DIAG_01,OPERTN_01,OPERTN_02\nA,2,C61X,Z942,K578\nB,x,I509,K578,Y021\nC,1,\"I509,K578\n");
  std::string dir = in.path().substr(0, in.path().rfind('/'));
  auto r = RunCli(
      {"validate", in.path(), "--out", dir + "/f.csv", "--summary", dir + "/s.json", "--report", dir + "/r.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // SEX "x" is a finding on that field (the row is still checked); the unterminated quote is unreadable.
  EXPECT_NE(r.err.find("3 rows read: 2 episodes checked, 1 unreadable"), std::string::npos) << r.err;
  std::ifstream csv(dir + "/f.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "episode_id,rule_id,severity,position,code,message,fix");
  Json summary = Json::parse(std::ifstream(dir + "/s.json"));
  EXPECT_EQ(summary["rows_read"], 3);
  EXPECT_EQ(summary["rows_unreadable"], 1);
  EXPECT_EQ(summary["findings_per_rule"]["episode.sex-valid"], 1);
  std::ifstream html(dir + "/r.html");
  std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("<ul class=\"bars\""), std::string::npos);
  auto missing = RunCli({"validate", dir + "/nope.csv"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos);
}

TEST(Cli, CodeJsonHasTheDocumentedShape) {
  auto r = RunCli({"code", "--text", "Vertebroplasty T12/L1 under fluoro for osteoporotic #", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["guidance"], "IPG12");
  for (const char* key : {"procedures", "diagnoses", "assumptions", "questions", "findings", "facts"}) {
    EXPECT_TRUE(j[key].is_array()) << key;
  }
  ASSERT_EQ(j["procedures"].size(), 5u);
  EXPECT_EQ(j["procedures"][0]["code"], "V44.4");
  EXPECT_EQ(j["procedures"][1]["code"], "V55.2");
  for (const char* key : {"code", "title", "why"}) EXPECT_TRUE(j["procedures"][0].contains(key)) << key;
  EXPECT_EQ(j["diagnoses"][0]["code"], "M80.9");
}

TEST(Cli, CodeSaysWhenNothingFitsAndRejectsBadFacts) {
  auto none = RunCli({"code", "--text", "Left total hip replacement"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no recommendation in the library fits the note"), std::string::npos);
  EXPECT_NE(none.err.find("choose the recommendation with --guidance ID"), std::string::npos);
  auto bad = RunCli({"code", "--guidance", "IPG12", "--text", "vertebroplasty", "--fact", "levels=lots"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("levels"), std::string::npos);
  auto cpt = RunCli({"code", "--system", "cpt", "--text", "CCM generator change only", "--json"});
  ASSERT_EQ(cpt.exit_code, 0) << cpt.err;
  EXPECT_EQ(Json::parse(cpt.out)["procedures"][0]["code"], "0409T");
}

TEST(Cli, CodeWithARecommendationFile) {
  auto r = RunCli({"code", "--guidance-file", testing::Fixture("guidance/ipg_laterality_style.md"), "--text",
                   "FESS, left side", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["guidance"], "IPG700");
  EXPECT_EQ(j["procedures"].back()["code"], "Z94.3");
}

TEST(Cli, MatchSummarisesAnExtract) {
  testing::TempFile csv("ext.csv",
                        "EPIKEY,DIAG_01,OPERTN_01,OPERTN_02,OPERTN_03,OPERTN_04,OPERTN_05\n"
                        "1,I509,K578,Y021,Z332,Z942,\n"
                        "2,M809,V444,Y534,,,\n");
  testing::TempFile out("matches.csv", "");
  auto r = RunCli({"match", csv.path(), "--out", out.path(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["episodes"], 2);
  EXPECT_EQ(j["episodes_matched"], 2);
  std::ifstream in(out.path());
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("1,2,IPG655,full,certain,4,4,"), std::string::npos) << all;
  EXPECT_NE(all.find("2,3,IPG12,none,certain,0,2,V55.-; Chapter Z"), std::string::npos) << all;
  auto unknown = RunCli({"match", csv.path(), "--guidance", "IPG404"});
  EXPECT_EQ(unknown.exit_code, 2);
}

// Global options work before or after the subcommand and take one value per occurrence.
TEST(Cli, GlobalOptionsInAnyPlace) {
  const std::string opcs = testing::Fixture("opcs4/OPCS410_sample.txt");
  const std::string icd = testing::Fixture("icd10/icd10_edition5_sample_GB_20160401.xml");
  const std::vector<std::vector<std::string>> orders = {
      {"lookup", "--release", opcs, "K57.8", "--no-starter", "--json"},
      {"--release", opcs, "--no-starter", "lookup", "K57.8", "--json"},
      {"lookup", "K57.8", "--release", opcs, "--json", "--no-starter"},
      {"--json", "lookup", "--no-starter", "K57.8", "--release", opcs},
  };
  std::string first;
  for (const auto& args : orders) {
    auto r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << ::testing::PrintToString(args) << "\n" << r.err;
    Json j = Json::parse(r.out);
    ASSERT_EQ(j.size(), 1u) << ::testing::PrintToString(args);
    EXPECT_EQ(j[0]["code"], "K57.8");
    EXPECT_EQ(j[0]["release"], "OPCS-4.10");
    if (first.empty()) first = r.out;
    EXPECT_EQ(r.out, first) << ::testing::PrintToString(args);
  }
  // Repeated, each with its value, and the codes between them kept.
  auto two = RunCli({"lookup", "--release", opcs, "K57.8", "--release", icd, "M45X0", "--json", "--no-starter"});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  Json j = Json::parse(two.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["code"], "M45.X0");
  EXPECT_EQ(j[1]["title"], "Ankylosing spondylitis, multiple sites in spine");
  // --no-starter really applies in each place: ICD-10 is then absent.
  for (const auto& args : std::vector<std::vector<std::string>>{{"lookup", "--release", opcs, "I50", "--no-starter"},
                                                                {"--no-starter", "lookup", "I50", "--release", opcs}}) {
    EXPECT_NE(RunCli(args).exit_code, 0) << ::testing::PrintToString(args);
  }
  EXPECT_EQ(RunCli({"lookup", "I50", "--release", opcs}).exit_code, 0);
  // --config and --guidance-dir likewise.
  const std::string config = ::testing::TempDir() + "/clincode_order.toml";
  std::ofstream(config) << "release = [\"" << opcs << "\"]\n";
  for (const auto& args : std::vector<std::vector<std::string>>{{"lookup", "--config", config, "K57.8", "--json"},
                                                                {"--config", config, "lookup", "K57.8", "--json"},
                                                                {"lookup", "K57.8", "--json", "--config", config}}) {
    auto r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Json::parse(r.out)[0]["release"], "OPCS-4.10") << ::testing::PrintToString(args);
  }
  const std::string dir = testing::Fixture("guidance");
  std::string listed;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"guidance", "list", "--guidance-dir", dir, "--json"},
                                             {"--guidance-dir", dir, "guidance", "list", "--json"},
                                             {"guidance", "--guidance-dir", dir, "list", "--json"}}) {
    auto r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << ::testing::PrintToString(args) << r.err;
    if (listed.empty()) listed = r.out;
    EXPECT_EQ(r.out, listed) << ::testing::PrintToString(args);
  }
  EXPECT_GT(Json::parse(listed).size(), Json::parse(RunCli({"guidance", "list", "--json"}).out).size());
}

// `guidance import`: texts into curated files, reported per text, never overwriting without --force, then
// served by --guidance-dir.
TEST(Cli, GuidanceImportBuildsALibrary) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "clincode_import";
  fs::remove_all(dir);
  fs::create_directories(dir / "texts");
  std::ofstream(dir / "texts" / "a.txt")
      << "IPG911 - Example drainage\n\nCoding recommendations\n\nOpen procedure:\n\n"
         "M08.2 Open drainage of lesion of kidney\n\nPercutaneous procedure:\n\n"
         "M13.3 Percutaneous drainage of kidney\n\nA line the reader cannot place.\n";
  std::ofstream(dir / "texts" / "b.md") << "# IPG912 - Example\n\nOPCS-4 code(s):\n\nK57.8 Other specified\n";
  std::ofstream(dir / "texts" / "notes.pdf") << "not a text";
  const std::string out = (dir / "lib").string();
  auto r = RunCli({"guidance", "import", (dir / "texts").string(), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("IPG911"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OPCS-4 0 groups, 2 scenarios"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unparsed line 13: A line the reader cannot place."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 of 2 texts written"), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(dir / "lib" / "ipg911.yaml"));
  ASSERT_TRUE(fs::exists(dir / "lib" / "ipg912.yaml"));
  // A second import refuses to overwrite; --force replaces.
  auto again = RunCli({"guidance", "import", (dir / "texts" / "a.txt").string(), "--out", out, "--json"});
  EXPECT_EQ(again.exit_code, 1);
  Json report = Json::parse(again.out);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_NE(report[0]["error"].get<std::string>().find("not replaced without --force"), std::string::npos);
  EXPECT_EQ(RunCli({"guidance", "import", (dir / "texts" / "a.txt").string(), "--out", out, "--force"}).exit_code, 0);
  // The library serves the imported recommendations with their scenarios.
  auto shown = RunCli({"guidance", "show", "IPG911", "--guidance-dir", out, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  Json rec = Json::parse(shown.out);
  ASSERT_EQ(rec["sections"][0]["scenarios"].size(), 2u);
  EXPECT_EQ(rec["sections"][0]["scenarios"][1]["fact"], "approach=percutaneous");
  EXPECT_EQ(rec["sections"][0]["scenarios"][1]["groups"][0]["any_of"][0], "M13.3");
  // A text that cannot be read is named and the import fails, the others still written.
  std::ofstream(dir / "texts" / "c.txt") << "No id here\nK57.8\n";
  auto mixed = RunCli({"guidance", "import", (dir / "texts").string(), "--out", (dir / "lib2").string()});
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_NE(mixed.out.find("c.txt:1: no guidance id"), std::string::npos) << mixed.out;
  EXPECT_NE(mixed.out.find("2 of 3 texts written"), std::string::npos) << mixed.out;
}

// Issue 16: the messages a new user meets first.
TEST(CliMessages, BareCommandPrintsTheHelp) {
  auto r = RunCli({});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("lookup"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("validate"), std::string::npos) << r.out;
}

TEST(CliMessages, AnUnknownCommandSuggestsTheNearest) {
  auto r = RunCli({"lokup", "K57.8"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command \"lokup\"; did you mean \"lookup\"?"), std::string::npos) << r.err;
  auto after_flag = RunCli({"--release", testing::Fixture("opcs4/OPCS410_sample.txt"), "serach", "heart"});
  EXPECT_NE(after_flag.err.find("did you mean \"search\""), std::string::npos) << after_flag.err;
  auto far = RunCli({"frobnicate"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.err.find("unknown command \"frobnicate\" (see: clincode --help)"), std::string::npos) << far.err;
}

TEST(CliMessages, SubcommandHelpListsTheGlobalOptions) {
  auto r = RunCli({"lookup", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Global options"), std::string::npos) << r.out;
  for (const char* flag : {"--release", "--json", "--guidance-dir", "--rules-dir", "--no-starter"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag << " in " << r.out;
}

TEST(CliMessages, EmptySearchAndCheckWithoutCodesAreUsageErrors) {
  auto search = RunCli({"search", ""});
  EXPECT_EQ(search.exit_code, 2);
  EXPECT_NE(search.err.find("search needs words or a code"), std::string::npos) << search.err;
  auto check = RunCli({"check"});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("check needs codes"), std::string::npos) << check.err;
  auto blank = RunCli({"check", "--proc", " ", "--diag", ""});
  EXPECT_EQ(blank.exit_code, 2);
}

TEST(CliMessages, SystemListsOnlyLoadableSystems) {
  auto loinc = RunCli({"search", "x", "--system", "loinc"});
  EXPECT_EQ(loinc.exit_code, 2);
  EXPECT_NE(loinc.err.find("opcs4, icd10, icd10cm, cpt"), std::string::npos) << loinc.err;
  EXPECT_EQ(loinc.err.find("snomed"), std::string::npos) << loinc.err;
  auto snomed = RunCli({"lookup", "K57.8", "--system", "snomedct"});
  EXPECT_EQ(snomed.exit_code, 2);
  EXPECT_NE(snomed.err.find("loads no SNOMED CT release"), std::string::npos) << snomed.err;
}

TEST(CliMessages, CountsAgreeWithTheirNouns) {
  testing::TempFile one("one.csv", "EPIKEY,DIAG_01\nA,I48.9\n");
  auto r = RunCli({"validate", one.path()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("1 row read: 1 episode checked"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0 findings"), std::string::npos) << r.err;
}

// Issue 16: a K57.8 episode that is not CCM gets no warning; the starter data alone says "not checked".
TEST(CliMessages, GenericMainCodeAndStarterOnlyRun) {
  auto r = RunCli({"check", "--proc", "K57.8", "--diag", "I48.9", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  for (const auto& f : j["findings"]) EXPECT_EQ(f["severity"], "info") << f.dump();
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["rule_id"], "nice.possible-match");
  auto starter = RunCli({"check", "--diag", "N40X"});
  EXPECT_EQ(starter.exit_code, 0);
  EXPECT_NE(starter.out.find("ICD-10: no release loaded"), std::string::npos) << starter.out;
  EXPECT_NE(starter.out.find("not checked: load a release"), std::string::npos) << starter.out;
  EXPECT_EQ(starter.out.find("error"), std::string::npos) << starter.out;
  EXPECT_EQ(starter.out.find("use a code of OPCS-4 built-in starter"), std::string::npos) << starter.out;
  auto date = RunCli({"check", "--proc", "V44.4 V55.1 Y53.4 Z66.5", "--diag", "M80.0", "--date", "yesterday"});
  EXPECT_NE(date.out.find("EPISTART \"yesterday\" is not a date"), std::string::npos) << date.out;
  auto twice = RunCli({"check", "--diag", "I48.9 I489"});
  EXPECT_NE(twice.out.find("I489 at DIAG_02 is coded already at DIAG_01"), std::string::npos) << twice.out;
}

}  // namespace
}  // namespace clincode
