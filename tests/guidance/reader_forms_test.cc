// The reader on each published form, written here with other procedures and codes than any NICE text (the
// development set in ../shared/nice-dev stays outside the project): scenarios, alternative blocks, lead-in
// categories, codes placed by their words or titles, SNOMED CT concepts, statements, constraints, lists.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <iostream>

#include "clincode/catalog.h"
#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "support/test_support.h"

namespace clincode {
namespace {

Recommendation Read(const std::string& text, const Catalog* catalog = nullptr) {
  auto r = ReadRecommendationText(text, {"form.txt", catalog});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Recommendation{};
}

// "A,B" per group; "[label] A | B" per scenario.
std::vector<std::string> Groups(const std::vector<Group>& groups) {
  std::vector<std::string> out;
  for (const Group& g : groups) {
    std::string any;
    for (const auto& p : g.any_of) any += (any.empty() ? "" : ",") + p;
    out.push_back(any.empty() ? "{" + g.placeholder + "}" : any);
  }
  return out;
}
std::vector<std::string> Groups(const Recommendation& r, CodeSystem system) {
  const Section* s = r.SectionFor(system);
  return s == nullptr ? std::vector<std::string>{"(no section)"} : Groups(s->groups);
}

// Every reading survives being written as YAML and as a page and read back.
void ExpectRoundTrips(const Recommendation& r) {
  std::string why;
  auto yaml = ReadRecommendationYaml(WriteRecommendationYaml(r), "yaml");
  ASSERT_TRUE(yaml.ok()) << yaml.status().message();
  EXPECT_TRUE(SameStructure(r, *yaml, &why)) << "YAML: " << why;
  auto page = ReadRecommendationText(RenderMarkdown(r, nullptr), {"page"});
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_TRUE(SameStructure(r, *page, &why)) << "markdown: " << why << "\n" << RenderMarkdown(r, nullptr);
}

TEST(ReaderForms, ScenarioLabelsGateTheCodesAfterThem) {
  Recommendation r = Read(
      "IPG901 - Example drainage of cyst of kidney\n\nCoding recommendations\n\n"
      "Open procedure:\n\nM08.2 Open drainage of lesion of kidney\n\nY22.1 Drainage of organ NOC\n\n"
      "Percutaneous procedure:\n\nM13.3 Percutaneous drainage of kidney\n\n"
      "Note: A code from category Y53.- Approach to organ under image control may also be assigned if image "
      "control is used. If the method is not stated Y53.9 Unspecified approach to organ under image control is "
      "assigned.\n\n"
      "In addition the ICD-10 code N28.1 Cyst of kidney, acquired would be recorded.\n");
  const Section* opcs = r.SectionFor(CodeSystem::kOpcs4);
  ASSERT_NE(opcs, nullptr);
  ASSERT_EQ(opcs->scenarios.size(), 2u);
  EXPECT_EQ(opcs->scenarios[0].label, "Open procedure");
  EXPECT_EQ(opcs->scenarios[0].fact, "approach=open");
  EXPECT_EQ(Groups(opcs->scenarios[0].groups), (std::vector<std::string>{"M08.2", "Y22.1"}));
  EXPECT_EQ(opcs->scenarios[1].fact, "approach=percutaneous");
  EXPECT_EQ(Groups(opcs->scenarios[1].groups), (std::vector<std::string>{"M13.3"}));
  // The note speaks for both scenarios; Y53.9 is the standard's fallback inside it.
  EXPECT_EQ(Groups(opcs->groups), (std::vector<std::string>{"Y53.-"}));
  ASSERT_TRUE(opcs->groups[0].condition.has_value());
  EXPECT_EQ(opcs->groups[0].condition->fact, "image_control");
  EXPECT_EQ(opcs->scenarios[0].groups[0].role, GroupRole::kMain);
  EXPECT_EQ(opcs->scenarios[1].groups[0].role, GroupRole::kMain);
  EXPECT_EQ(Groups(r, CodeSystem::kIcd10), (std::vector<std::string>{"N28.1"}));
  EXPECT_TRUE(r.unparsed.empty()) << r.unparsed.front();
  ExpectRoundTrips(r);
}

TEST(ReaderForms, ScenarioLabelsNamingASite) {
  Recommendation r = Read(
      "IPG911 - Example\n\nCoding recommendations\n\nWhen performed on the trachea:\n\n"
      "E51.8 Other specified diagnostic endoscopic examination of lower respiratory tract\n\n"
      "When performed on sites below the trachea:\n\nE48.8 Other specified therapeutic fibreoptic endoscopic "
      "operations on lower respiratory tract\n\nPlus one or more of the following site codes:\n\nZ24.4 Carina\n\n"
      "Z24.5 Bronchus\n");
  const Section* opcs = r.SectionFor(CodeSystem::kOpcs4);
  ASSERT_NE(opcs, nullptr);
  ASSERT_EQ(opcs->scenarios.size(), 2u);
  EXPECT_EQ(opcs->scenarios[0].fact, "site=trachea");
  EXPECT_EQ(opcs->scenarios[1].fact, "site=sites below the trachea");
  EXPECT_EQ(Groups(opcs->scenarios[1].groups), (std::vector<std::string>{"E48.8", "Z24.4,Z24.5"}));
  ExpectRoundTrips(r);
}

TEST(ReaderForms, BlocksSetApartAreAlternativesPositionByPosition) {
  Recommendation r = Read(
      "IPG902 - Example resection of pancreas\n\nCoding recommendations\n\n"
      "A code from one of the following OPCS-4 categories is selected:\n\n"
      "J55.- Total excision of pancreas\n\nY75.2 Laparoscopic approach to abdominal cavity NEC\n\n\n"
      "J56.- Excision of head of pancreas\n\nY75.2 Laparoscopic approach to abdominal cavity NEC\n");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{"J55.-,J56.-", "Y75.2"}));
  ExpectRoundTrips(r);
  // The same lines with even gaps are four requirements (no blocks without a wider gap).
  Recommendation even = Read(
      "IPG903 - Example\n\nCoding recommendations\n\nJ55.- Total excision of pancreas\n\n"
      "Y75.2 Laparoscopic approach to abdominal cavity NEC\n\nJ56.- Excision of head of pancreas\n\n"
      "Y76.1 Other approach\n");
  EXPECT_EQ(Groups(even, CodeSystem::kOpcs4), (std::vector<std::string>{"J55.-", "Y75.2", "J56.-", "Y76.1"}));
}

TEST(ReaderForms, LeadInCategoryWhoseMembersAreListed) {
  Recommendation r = Read(
      "IPG904 - Example\n\nOPCS4.6 Code(s)\n\n"
      "A code from category T20.- Primary repair of inguinal hernia below is assigned:\n\n"
      "T20.1 Primary repair of inguinal hernia using insert of natural material\n\n"
      "T20.2 Primary repair of inguinal hernia using insert of prosthetic material\n\n"
      "T20. 9 Unspecified primary repair of inguinal hernia\n\n"
      "Note: Use a subsidiary code to identify the approach (Y75, Y76)\n\n"
      "Y75.2 Laparoscopic approach to abdominal cavity NEC\n\n"
      "Z94.1 Bilateral operation (if both sides are repaired)\n");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{"T20.1,T20.2,T20.9", "Y75.2", "Z94.1"}));
  EXPECT_EQ(r.written_for["OPCS-4"], "4.6");
  ExpectRoundTrips(r);
}

TEST(ReaderForms, ClassificationFromWordsTitlesAndReleases) {
  // No heading names a classification: "ICD-10" in the sentence, then the title's words decide.
  Recommendation r = Read(
      "IPG905 - Example\n\nCoding recommendations\n\nE54.1 Excision of lesion of lung NEC\n\n"
      "In addition the ICD-10 code C34.1 Malignant neoplasm of upper lobe, bronchus or lung would be recorded.\n\n"
      "In addition a code from category J18.- Pneumonia, organism unspecified is assigned.\n\n"
      "C61.X Malignant neoplasm of prostate\n");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{"E54.1"}));
  EXPECT_EQ(Groups(r, CodeSystem::kIcd10), (std::vector<std::string>{"C34.1", "J18.-", "C61"}));
  // A title with neither kind of word is placed by the loaded release that holds the code.
  auto catalog = testing::LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml"});
  Recommendation placed =
      Read("IPG906 - Example\n\nCoding recommendations\n\nK57.8 Other specified\n\nI50.0 Congestive\n", catalog.get());
  EXPECT_EQ(Groups(placed, CodeSystem::kOpcs4), (std::vector<std::string>{"K57.8"}));
  EXPECT_EQ(Groups(placed, CodeSystem::kIcd10), (std::vector<std::string>{"I50.0"}));
}

TEST(ReaderForms, SnomedCtConceptsAreReadAndChecked) {
  Recommendation r = Read(
      "IPG907 - Example\n\nCoding recommendations\n\nSNOMED CT preferred term (concept ID)\n\n"
      "Repair of mitral valve (384641003)\n\nK35.8 Other specified therapeutic transluminal operations on valve of "
      "heart\n\nDiagnosis or health condition\n\nSNOMED CT preferred term (concept ID)\n\n"
      "Mitral valve regurgitation (48724001)\n");
  const Section* snomed = r.SectionFor(CodeSystem::kSnomedCt);
  ASSERT_NE(snomed, nullptr);
  ASSERT_EQ(snomed->groups.size(), 2u);
  EXPECT_EQ(snomed->groups[0].any_of[0], "384641003");
  EXPECT_EQ(snomed->groups[0].titles[0], "Repair of mitral valve");
  EXPECT_EQ(snomed->groups[0].role, GroupRole::kMain);
  EXPECT_EQ(snomed->groups[1].role, GroupRole::kDiagnosis);
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{"K35.8"}));
  // 48724000 is the concept; ...001 fails the Verhoeff check digit.
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "15: SNOMED CT id 48724001 fails its Verhoeff check digit");
  ExpectRoundTrips(r);
}

TEST(ReaderForms, NoCodesIsAStatementNotAnError) {
  Recommendation r = Read(
      "IPG908 - Example\n\nCoding recommendations\n\nThis procedure cannot be expressed in the OPCS-4 "
      "classification by a single code and would be coded case by case.\n");
  const Section* opcs = r.SectionFor(CodeSystem::kOpcs4);
  ASSERT_NE(opcs, nullptr);
  EXPECT_TRUE(opcs->groups.empty());
  EXPECT_TRUE(opcs->statement.has_value());
  ExpectRoundTrips(r);
}

TEST(ReaderForms, ExclusionsBecomeConstraints) {
  Recommendation r = Read(
      "IPG909 - Example\n\nCoding recommendations\n\nL71.1 Percutaneous transluminal angioplasty of artery\n\n"
      "A supplementary code from L76.- Endovascular placement of stent would be added. Please note that the .8 and "
      ".9 codes from category L76 must not be used.\n\n"
      "Note: If angioplasty and stenting are both done, only the code for the stent is required.\n");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{"L71.1", "L76.-"}));
  const Section* opcs = r.SectionFor(CodeSystem::kOpcs4);
  ASSERT_EQ(opcs->constraints.size(), 2u);
  EXPECT_EQ(opcs->constraints[0].codes, (std::vector<std::string>{"L76.8", "L76.9"}));
  EXPECT_TRUE(opcs->constraints[1].codes.empty());
  EXPECT_EQ(opcs->notes.size(), 1u);
  ExpectRoundTrips(r);
}

TEST(ReaderForms, ListsConditionsAndWrittenVariants) {
  Recommendation r = Read(
      "IPG910 - Example\n\nCoding recommendations\n\nThe code will be dependent on what was done. Codes available "
      "are:\n\nW85.1 Endoscopic removal of loose body from knee joint\n\nW85.2 Endoscopic irrigation of knee "
      "joint\n\nW83.3 Endoscopic shaving of articular cartilage plusZ84.6 Knee joint\n\n"
      "Note: U21.1 Magnetic resonance imaging, U21.2 Computed tomography or U21.3 Ultrasound is also assigned when "
      "imaging is used during the procedure.\n\n"
      "A code from Y76. - Minimal access to other body cavity would be used as a supplementary code.\n\n"
      "Note: A supplementary code is used for concurrent excision of lesion (T96-T97).\n");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4),
            (std::vector<std::string>{"W85.1,W85.2,W83.3", "Z84.6", "U21.1,U21.2,U21.3", "Y76.-", "T96-T97"}));
  const Section* opcs = r.SectionFor(CodeSystem::kOpcs4);
  ASSERT_TRUE(opcs->groups[2].condition.has_value());
  EXPECT_EQ(opcs->groups[2].condition->text, "when imaging is used during the procedure");
  EXPECT_FALSE(opcs->groups[2].required);
  EXPECT_TRUE(r.unparsed.empty()) << r.unparsed.front();
  ExpectRoundTrips(r);
}

// Regression: coverage was found by scanning every requirement for each mention, so a text of many distinct
// codes read in quadratic time (26,000 code lines, 234 KB: 39 s). Compared as n against 10n (1,200 and 12,000
// distinct codes) (CPU time, the
// better of two): linear reading takes about ten times as long, quadratic a hundred.
TEST(ReaderForms, ReadingTimeGrowsLinearlyWithTheText) {
  auto text_of = [](std::size_t codes) {
    std::string text = "IPG999 - Scaling\n\nCoding recommendations\n\n";
    for (std::size_t i = 0; i < codes; ++i) {
      text += fmt::format("{}{:02}.{} Title of procedure (if used)\n\n", static_cast<char>('A' + i / 1000 % 26),
                          i / 10 % 100, i % 10);
      if (i % 50 == 0) text += "Note: Codes within category A01.- are used, Y53.9 if not stated. Or (B01, B02).\n\n";
    }
    return text;
  };
  auto cpu_seconds = [&](std::size_t codes) {
    const std::string text = text_of(codes);
    double best = 1e9;
    for (int run = 0; run < 2; ++run) {
      std::clock_t start = std::clock();
      auto r = ReadRecommendationText(text, {"scaling.txt"});
      EXPECT_TRUE(r.ok());
      best = std::min(best, static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC);
    }
    return best;
  };
  double n = cpu_seconds(1200), ten_n = cpu_seconds(12000);
  EXPECT_LT(ten_n, 30 * std::max(n, 1e-3)) << "n: " << n << " s, 10n: " << ten_n << " s";
  std::cout << "reading: n " << n << " s, 10n " << ten_n << " s\n";
}

}  // namespace
}  // namespace clincode
