// The coding audit: the declarative cases of tests/coding/audit (each error kind, the accuracy arithmetic,
// rows that are not scored), the count invariant on every case, profiles, and the one-pair API.
#include "clincode/audit.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace clincode {
namespace {

std::shared_ptr<const Validator> StarterValidator() {
  static const std::shared_ptr<const Validator> v = [] {
    auto catalog = Catalog::Load(CatalogOptions{});
    auto rules = RuleSet::Load({});
    auto guidance = GuidanceLibrary::Load({});
    return std::make_shared<const Validator>(*catalog, *rules, *guidance);
  }();
  return v;
}

class Collect : public AuditSink {
 public:
  void Write(const std::vector<AuditError>& batch, const std::string&) override {
    errors.insert(errors.end(), batch.begin(), batch.end());
  }
  std::vector<AuditError> errors;
};

// "E1 primary_diagnosis wrong_subdivision I500 -> I509" for a code error; "E9 unmatched_original line 3" for
// a row.
std::string Shown(const AuditError& e) {
  if (!IsCodeError(e.kind)) return fmt::format("{} {} line {}", e.episode_id, AuditErrorKindName(e.kind), e.line);
  auto code = [](const std::string& c) { return c.empty() ? std::string("-") : c; };
  return fmt::format("{} {} {} {} -> {}", e.episode_id, AuditCodeTypeName(e.type), AuditErrorKindName(e.kind),
                     code(e.original_code), code(e.audited_code));
}

struct Outcome {
  Result<AuditSummary> summary = AuditSummary{};
  std::vector<AuditError> errors;
};

Outcome RunAudit(const std::string& original, const std::string& audited, const std::string& key = "",
                 const std::string& original_name = "original.csv", const std::string& audited_name = "audited.csv") {
  testing::TempFile o(original_name, original), a(audited_name, audited);
  Collect sink;
  AuditOptions options;
  options.key = key;
  options.original_name = original_name;
  options.audited_name = audited_name;
  Outcome out;
  out.summary = AuditFiles(o.path(), a.path(), *StarterValidator(), &sink, options);
  out.errors = std::move(sink.errors);
  return out;
}

// Every row is accounted for, in both files.
void ExpectEveryRowCounted(const AuditSummary& s, const std::string& where) {
  EXPECT_EQ(s.rows_original, s.episodes_audited + s.unmatched_original + s.unreadable_original) << where;
  EXPECT_EQ(s.rows_audited, s.episodes_audited + s.unmatched_audited + s.unreadable_audited) << where;
}

TEST(Audit, DeclarativeCases) {
  const std::filesystem::path dir = CLINCODE_AUDIT_CASES_DIR;
  std::size_t cases = 0;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    if (file.path().extension() != ".yaml") continue;
    YAML::Node y = YAML::LoadFile(file.path().string());
    for (const YAML::Node& c : y["cases"]) {
      ++cases;
      const std::string where = fmt::format("{}: {}", file.path().filename().string(), c["name"].as<std::string>());
      const std::string ext = c["jsonl"] && c["jsonl"].as<bool>() ? ".jsonl" : ".csv";
      Outcome out = RunAudit(c["original"].as<std::string>(), c["audited"].as<std::string>(),
                             c["key"] ? c["key"].as<std::string>() : "", "original" + ext, "audited" + ext);
      if (c["fails"]) {
        ASSERT_FALSE(out.summary.ok()) << where;
        EXPECT_NE(out.summary.status().message().find(c["fails"].as<std::string>()), std::string::npos)
            << where << ": " << out.summary.status().message();
        continue;
      }
      ASSERT_TRUE(out.summary.ok()) << where << ": " << out.summary.status().message();
      const AuditSummary& s = *out.summary;
      ExpectEveryRowCounted(s, where);
      if (c["figures"]) {
        for (AuditCodeType t : kAuditCodeTypes) {
          const YAML::Node f = c["figures"][std::string(AuditCodeTypeName(t))];
          ASSERT_TRUE(f && f.size() == 2) << where << ": figures need " << AuditCodeTypeName(t);
          EXPECT_EQ(s.figures.of(t).correct, f[0].as<std::size_t>()) << where << " " << AuditCodeTypeName(t);
          EXPECT_EQ(s.figures.of(t).total, f[1].as<std::size_t>()) << where << " " << AuditCodeTypeName(t);
        }
      }
      if (c["percent"]) {
        for (AuditCodeType t : kAuditCodeTypes) {
          const YAML::Node p = c["percent"][std::string(AuditCodeTypeName(t))];
          if (p) {
            EXPECT_DOUBLE_EQ(s.figures.of(t).Percent(), p.as<double>()) << where << " " << AuditCodeTypeName(t);
          }
        }
      }
      for (const auto& [name, value] :
           c["counts"] ? c["counts"].as<std::map<std::string, std::size_t>>() : std::map<std::string, std::size_t>{}) {
        const std::map<std::string, std::size_t> got = {{"episodes_audited", s.episodes_audited},
                                                        {"unmatched_original", s.unmatched_original},
                                                        {"unmatched_audited", s.unmatched_audited},
                                                        {"unreadable_original", s.unreadable_original},
                                                        {"unreadable_audited", s.unreadable_audited},
                                                        {"rows_original", s.rows_original},
                                                        {"rows_audited", s.rows_audited},
                                                        {"code_errors", s.code_errors}};
        ASSERT_TRUE(got.count(name)) << where << ": unknown count " << name;
        EXPECT_EQ(got.at(name), value) << where << " " << name;
      }
      std::vector<std::string> shown;
      for (const AuditError& e : out.errors) shown.push_back(Shown(e));
      std::vector<std::string> expected;
      for (const YAML::Node& e : c["errors"]) expected.push_back(e.as<std::string>());
      EXPECT_EQ(shown, expected) << where;
    }
  }
  EXPECT_GE(cases, 30u) << "the audit cases were not all found in " << dir;
}

TEST(Audit, PercentRoundsToTwoDecimalsAndLevelsUseTheExactRatio) {
  AuditFigure f;
  f.correct = 2;
  f.total = 3;
  EXPECT_DOUBLE_EQ(f.Percent(), 66.67);
  // 17,999 of 20,000 is 89.995%: two decimals show 90.00, which must not reach a 90% level.
  f.correct = 17999;
  f.total = 20000;
  EXPECT_DOUBLE_EQ(f.Percent(), 90.0);
  EXPECT_FALSE(f.Meets(90));
  f.correct = 18000;
  EXPECT_TRUE(f.Meets(90));
  AuditFigure none;
  EXPECT_DOUBLE_EQ(none.Percent(), 100.0);
  EXPECT_TRUE(none.Meets(95));
}

TEST(Audit, ProfilesHaveTheirPublishedLevelsAndSources) {
  auto profiles = LoadAttainmentProfiles();
  ASSERT_TRUE(profiles.ok()) << profiles.status().message();
  const AttainmentProfile* igt = nullptr;
  for (const auto& p : *profiles) {
    EXPECT_FALSE(p.source.empty()) << p.id;
    if (p.id == "igt") igt = &p;
  }
  ASSERT_NE(igt, nullptr);
  ASSERT_EQ(igt->levels.size(), 2u);
  EXPECT_EQ(igt->levels[0].threshold, (std::array<double, 4>{90, 80, 90, 80}));
  EXPECT_EQ(igt->levels[1].threshold, (std::array<double, 4>{95, 90, 95, 90}));
  AuditFigure f;
  f.total = 100;
  f.correct = 94;
  EXPECT_EQ(igt->LevelReached(AuditCodeType::kPrimaryDiagnosis, f), "Level 2");
  EXPECT_EQ(igt->LevelReached(AuditCodeType::kSecondaryDiagnosis, f), "Level 3");
  f.correct = 79;
  EXPECT_EQ(igt->LevelReached(AuditCodeType::kSecondaryDiagnosis, f), "");
}

TEST(Audit, ErrorsAreTitledAndExplainedByTheRuleThatFires) {
  Outcome out = RunAudit("EPIKEY,DIAG_01,OPERTN_01,OPERTN_02\nE1,M800,V444,Y534\n",
                         "EPIKEY,DIAG_01,OPERTN_01,OPERTN_02,OPERTN_03\nE1,M800,V444,V551,Y534\n");
  ASSERT_TRUE(out.summary.ok());
  ASSERT_EQ(out.errors.size(), 1u);
  const AuditError& e = out.errors[0];
  EXPECT_EQ(e.kind, AuditErrorKind::kMissing);
  EXPECT_EQ(e.audited_position, "OPERTN_02");
  EXPECT_EQ(e.audited_title, "One level of spine");
  // The coder's V44.4 is followed by no V55 code: the rule that says so explains the missing V55.1.
  EXPECT_EQ(e.rule_id, "opcs4.levels-of-spine-second");
}

TEST(Audit, SummaryJsonHasTheDocumentedShape) {
  Outcome out = RunAudit("EPIKEY,CODER_ID,EPISTART,DIAG_01\nE1,C7,2024-04-02,I500\nE2,C7,2024-05-09,J189\n",
                         "EPIKEY,DIAG_01\nE1,I509\nE2,J189\n");
  ASSERT_TRUE(out.summary.ok());
  auto profiles = LoadAttainmentProfiles();
  const std::string json = AuditSummaryJson(*out.summary, profiles->front());
  for (const char* field : {"\"episodes_audited\": 2", "\"unmatched_original\": 0", "\"primary_diagnosis\": {",
                            "\"percent\": 50.0", "\"wrong_subdivision\": 1", "\"attainment\": {", "\"breakdowns\": {",
                            "\"C7\": {", "\"2024-04\": {", "\"2024-05\": {"}) {
    EXPECT_NE(json.find(field), std::string::npos) << field << " in\n" << json;
  }
  const std::string html = AuditHtmlReport(*out.summary, profiles->front());
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("<table id=\"errors\" class=\"stack\">"), std::string::npos);
  EXPECT_NE(html.find("Errors by kind, most frequent first (Pareto)"), std::string::npos);
  EXPECT_NE(html.find("By coder"), std::string::npos);
}

TEST(Audit, ScalesLinearlyInPairs) {
  // n and 10n episodes give exactly 10 times the figures: nothing is lost or counted twice at scale.
  auto make = [](std::size_t n, bool audited) {
    std::ostringstream s;
    s << "EPIKEY,DIAG_01,DIAG_02,OPERTN_01\n";
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t k = audited ? n - 1 - i : i;  // the audited file in reverse order
      s << "E" << k << "," << (audited || k % 4 != 0 ? "I509" : "I500") << ",I10X," << (k % 5 == 0 ? "K578" : "")
        << "\n";
    }
    return s.str();
  };
  Outcome small = RunAudit(make(1000, false), make(1000, true));
  Outcome large = RunAudit(make(10000, false), make(10000, true));
  ASSERT_TRUE(small.summary.ok() && large.summary.ok());
  EXPECT_EQ(small.summary->episodes_audited, 1000u);
  EXPECT_EQ(large.summary->episodes_audited, 10000u);
  for (AuditCodeType t : kAuditCodeTypes) {
    EXPECT_EQ(large.summary->figures.of(t).correct, 10 * small.summary->figures.of(t).correct);
    EXPECT_EQ(large.summary->figures.of(t).total, 10 * small.summary->figures.of(t).total);
  }
  EXPECT_DOUBLE_EQ(large.summary->figures.of(AuditCodeType::kPrimaryDiagnosis).Percent(), 75.0);
}

}  // namespace
}  // namespace clincode
