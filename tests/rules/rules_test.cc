// Runs the declarative rule tests in tests/rules/cases/<rule-id>.test: episodes in, findings expected.
// Each expected finding is "POSITION CODE" or a piece of the message; the rule must make exactly those.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "clincode/validator.h"
#include "support/test_support.h"

namespace clincode {
namespace {

namespace fs = std::filesystem;

std::string CasesDir() { return std::string(CLINCODE_TEST_DATA_DIR) + "/../rules/cases"; }

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::shared_ptr<const Validator> ValidatorFor(const std::vector<std::string>& releases,
                                              const std::string& guidance_dir = "") {
  CatalogOptions options;
  for (const auto& r : releases) options.release_paths.push_back(testing::Fixture(r));
  options.release_paths.push_back(testing::Fixture("icd10/icd10_edition5_sample_GB_20160401.xml"));
  auto catalog = Catalog::Load(options);
  auto rules = RuleSet::Load({});
  GuidanceLibraryOptions guidance_options;
  if (!guidance_dir.empty()) guidance_options.dirs.push_back(CasesDir() + "/../" + guidance_dir);
  auto guidance = GuidanceLibrary::Load(guidance_options);
  EXPECT_TRUE(catalog.ok() && rules.ok() && guidance.ok());
  return std::make_shared<const Validator>(*catalog, *rules, *guidance);
}

void RunFile(const fs::path& path) {
  YAML::Node doc = YAML::LoadFile(path.string());
  std::string rule_id = doc["rule"].as<std::string>();
  std::vector<std::string> releases;
  if (doc["releases"]) releases = doc["releases"].as<std::vector<std::string>>();
  auto validator = ValidatorFor(releases, doc["guidance"] ? doc["guidance"].as<std::string>() : "");
  ASSERT_NE(validator->rules().Find(rule_id), nullptr) << path << ": no rule " << rule_id;
  bool passing = false, failing = false;
  for (const auto& c : doc["cases"]) {
    std::string name = c["name"].as<std::string>();
    Episode ep;
    if (c["row"]) {
      // A CSV row under the header below, read as a file's row is: field values HES does not allow.
      auto reader =
          EpisodeCsvReader::FromHeader("EPIKEY,EPISTART,SEX,STARTAGE,DIAG_01,DIAG_02,OPERTN_01,OPERTN_02", "case.csv");
      ASSERT_TRUE(reader.ok());
      std::string why = reader->ReadRow(c["row"].as<std::string>(), 2, &ep);
      ASSERT_EQ(why, "") << path.filename() << " / " << name;
    } else {
      ep.sex = c["sex"] ? c["sex"].as<int>() : 0;
      ep.age = c["age"] ? c["age"].as<int>() : -1;
      SetProcedures(Words(c["proc"] ? c["proc"].as<std::string>() : ""), &ep);
      SetDiagnoses(Words(c["diag"] ? c["diag"].as<std::string>() : ""), &ep);
    }
    ep.id = name;
    std::vector<Finding> all;
    validator->Check(ep, &all);
    std::vector<std::string> got;
    for (const auto& f : all) {
      if (f.rule_id == rule_id) got.push_back(f.position + " " + f.code + ": " + f.message);
    }
    auto expect = c["expect"].as<std::vector<std::string>>();
    (expect.empty() ? passing : failing) = true;
    EXPECT_EQ(got.size(), expect.size()) << path.filename() << " / " << name << ": got "
                                         << ::testing::PrintToString(got);
    for (const auto& e : expect) {
      bool found = false;
      for (const auto& g : got) found = found || g.rfind(e + ":", 0) == 0 || g.find(e) != std::string::npos;
      EXPECT_TRUE(found) << path.filename() << " / " << name << ": expected \"" << e << "\" in "
                         << ::testing::PrintToString(got);
    }
  }
  EXPECT_TRUE(passing && failing) << path.filename() << ": needs a passing and a failing case";
}

TEST(Rules, DeclarativeCases) {
  int files = 0;
  for (const auto& e : fs::directory_iterator(CasesDir())) {
    if (e.path().extension() != ".test") continue;
    SCOPED_TRACE(e.path().filename().string());
    RunFile(e.path());
    ++files;
  }
  EXPECT_GT(files, 0);
}

TEST(Rules, EveryBuiltInRuleHasATestFile) {
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  for (const Rule& r : (*rules)->rules()) {
    EXPECT_TRUE(fs::exists(CasesDir() + "/" + r.id + ".test"))
        << r.id << " has no tests/rules/cases/" << r.id << ".test";
  }
}

TEST(Rules, BadRuleFilesFailWithLine) {
  auto unknown =
      RuleSet::ReadRule("id: x\nsystem: OPCS-4\nseverity: error\ncheck: telepathy\nmessage: m\nfix: f\n", "x.yaml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "x.yaml:4: unknown check \"telepathy\" (see docs/rules.md)");
  auto severity =
      RuleSet::ReadRule("id: x\nsystem: OPCS-4\nseverity: fatal\ncheck: exists\nmessage: m\nfix: f\n", "x.yaml");
  ASSERT_FALSE(severity.ok());
  EXPECT_EQ(severity.status().message(), "x.yaml:3: severity must be error, warning or info, not \"fatal\"");
  auto pattern =
      RuleSet::ReadRule("id: x\nsystem: OPCS-4\nseverity: error\ncheck: next_is\nmessage: m\nfix: f\n", "x.yaml");
  ASSERT_FALSE(pattern.ok());
  EXPECT_NE(pattern.status().message().find("needs a pattern"), std::string::npos);
}

// A new rule is a new file in a folder: no recompilation.
// Regression: the per-thread cache of code facts was keyed by the addresses of the rule set and the release.
// A release loaded after another was freed can sit at the same address, and the cache then answered with the
// old release's entries (a use after free, and wrong findings). Each release now has a serial number.
TEST(Rules, CodeFactsOfOneReleaseAreNeverUsedForTheNext) {
  Episode ep;
  ep.id = "E1";
  SetProcedures({"K57.8", "A01.1"}, &ep);
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  auto check = [&](const std::string& opcs4_text, const void** address) {
    testing::TempFile f("OPCS410_test.txt", opcs4_text);
    CatalogOptions options;
    options.release_paths = {f.path()};
    auto catalog = Catalog::Load(options);
    EXPECT_TRUE(catalog.ok());
    auto releases = RuleSet::InForce(**catalog, "");
    *address = releases.opcs4;
    std::vector<Finding> out;
    (*rules)->Check(ep, releases, &out);
    std::vector<std::string> missing;
    for (const auto& finding : out) {
      if (finding.rule_id == "opcs4.exists") missing.push_back(finding.code);
    }
    return missing;  // the catalog (and its release) is freed here
  };
  const void* first = nullptr;
  const void* second = nullptr;
  // The first release has K57.8 and not A01.1; the next, loaded on the same thread, the other way round.
  EXPECT_EQ(check("K57\tOther transluminal operations on heart\r\nK57.8\tOther specified\r\n", &first),
            std::vector<std::string>{"A01.1"});
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(check("A01\tMajor excision of tissue of brain\r\nA01.1\tHemispherectomy\r\n", &second),
              std::vector<std::string>{"K57.8"});
    EXPECT_EQ(check("K57\tOther transluminal operations on heart\r\nK57.8\tOther specified\r\n", &first),
              std::vector<std::string>{"A01.1"});
  }
  // Not asserted, as allocators differ, but this is the case that failed: the same address, another release.
  if (first == second) std::cout << "(the second release reused the first one's address)\n";
}

TEST(Rules, UserRuleFolder) {
  testing::TempFile rule("no-k57-9.yaml", R"(id: local.no-unspecified-k57
title: Local audit rule
system: OPCS-4
severity: warning
applies_to: K57.9
check: never_first
message: "{code} ({title}) as the main procedure"
fix: Code the specific transluminal operation
)");
  RuleSetOptions options;
  options.dirs = {fs::path(rule.path()).parent_path().string()};
  auto rules = RuleSet::Load(options);
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  Validator v(Catalog::Starter(), *rules, nullptr);
  Episode ep;
  SetProcedures({"K57.9"}, &ep);
  std::vector<Finding> findings;
  v.Check(ep, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "local.no-unspecified-k57");
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].message,
            "K57.9 (Unspecified other therapeutic transluminal operations on heart) as the main procedure");
}

}  // namespace
}  // namespace clincode
