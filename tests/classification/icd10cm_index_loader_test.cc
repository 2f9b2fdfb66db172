// The ICD-10-CM index files in their four forms: terms lead to codes as notes of the ICD-10-CM release, "see"
// and "see also" are followed, empty cells and codes the release lacks are counted, and the counts of the real
// files are exact.
#include <gtest/gtest.h>

#include <algorithm>

#include "clincode/catalog.h"
#include "clincode/search.h"
#include "support/test_support.h"

namespace clincode {
namespace {

std::vector<std::string> IndexTerms(const Catalog& catalog, std::string_view code) {
  std::vector<std::string> out;
  auto hits = catalog.Lookup(code, CodeSystem::kIcd10Cm);
  if (!hits.ok()) return out;
  for (const Note& n : hits->front().entry().notes) {
    if (n.kind == NoteKind::kIndexTerm) out.push_back(n.text);
  }
  return out;
}

bool HasNote(const Catalog& catalog, const std::string& text) {
  return std::any_of(catalog.notes().begin(), catalog.notes().end(),
                     [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

std::shared_ptr<const Catalog> WithIndex(const std::string& index) {
  return testing::LoadFixtures({"icd10cm-index/icd10cm_order_index_sample_2021.txt", "icd10cm-index/" + index});
}

TEST(Icd10CmIndex, FormIsDetectedFromTheRoot) {
  auto f = DetectReleaseFormat("<?xml version=\"1.0\"?>\n<ICD10CM.index>\n<version>2021</version>", "x.xml");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, ReleaseFormat::kIcd10CmIndex);
}

TEST(Icd10CmIndex, AlphabeticIndexTermsCodesManifestationsAndSees) {
  auto c = WithIndex("icd10cm_index_sample_2021.xml");
  EXPECT_EQ(IndexTerms(*c, "E85.4"), (std::vector<std::string>{"Amyloidosis (generalized) (primary), heart"}));
  // The manifestation code in brackets is an index term of its own code.
  EXPECT_EQ(IndexTerms(*c, "I43"), (std::vector<std::string>{"Amyloidosis (generalized) (primary), heart"}));
  auto e11 = IndexTerms(*c, "E11.9");
  EXPECT_EQ(e11.size(), 5u);
  EXPECT_NE(
      std::find(e11.begin(), e11.end(), "Diabetes, diabetic (mellitus) (sugar), adult-onset (see Diabetes, type 2)"),
      e11.end());
  EXPECT_NE(std::find(e11.begin(), e11.end(),
                      "Diabetes, diabetic (mellitus) (sugar), maturity-onset (see also Diabetes, type 2)"),
            e11.end());
  EXPECT_TRUE(HasNote(*c,
                      "3 main terms, 8 subterms, 8 codes, 0 table cells (0 empty), 2 of 3 see/see also "
                      "references followed; 9 index terms added to ICD-10-CM 2021"));
  // E11.65 is not in the release loaded with it: counted and said, not dropped silently.
  EXPECT_TRUE(HasNote(*c, "1 index terms name codes ICD-10-CM 2021 lacks (first: E11.65)"));
}

TEST(Icd10CmIndex, ExternalCauseIndexFollowsSeeThroughAbbreviatedTitles) {
  auto c = WithIndex("icd10cm_eindex_sample_2021.xml");
  EXPECT_EQ(IndexTerms(*c, "W11"),
            (std::vector<std::string>{"Fall, falling (accidental), from, off, out of, ladder",
                                      "Fall, falling (accidental), from, off, out of, stepladder (see Fall, from, off, "
                                      "out of, ladder)"}));
  EXPECT_EQ(IndexTerms(*c, "X58"),
            (std::vector<std::string>{"Abandonment (causing exposure to weather conditions) NEC"}));
}

TEST(Icd10CmIndex, NeoplasmTableCellsByColumnHeading) {
  auto c = WithIndex("icd10cm_neoplasm_sample_2021.xml");
  auto c76 = IndexTerms(*c, "C76.2");
  EXPECT_EQ(c76, (std::vector<std::string>{"Neoplasm, neoplastic, Malignant Primary",
                                           "Neoplasm, neoplastic, abdomen, abdominal, Malignant Primary"}));
  // "C79.8-" and "D05.-" need more characters: they lead to the code they start.
  EXPECT_EQ(IndexTerms(*c, "C79.8").size(), 2u);
  EXPECT_EQ(IndexTerms(*c, "D05").size(), 2u);  // its own cell, and the wall's "see also" skin
  EXPECT_TRUE(HasNote(*c,
                      "1 main terms, 3 subterms, 0 codes, 24 table cells (5 empty), 1 of 1 see/see also "
                      "references followed; 22 index terms added"));
}

TEST(Icd10CmIndex, DrugTableAndItsSearch) {
  auto c = WithIndex("icd10cm_drug_sample_2021.xml");
  EXPECT_EQ(IndexTerms(*c, "T39.011"),
            (std::vector<std::string>{"Aspirin (aluminum) (soluble), Poisoning Accidental (unintentional)"}));
  EXPECT_EQ(IndexTerms(*c, "T39.1X1"),
            (std::vector<std::string>{"Acetaminophen, Poisoning Accidental (unintentional) (see Paracetamol)",
                                      "Paracetamol, Poisoning Accidental (unintentional)"}));
  auto index = SearchIndex::Build(c);
  auto hits = index->Search("acetaminophen self-harm", {});
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().entry().code, "T39.1X2");
  EXPECT_NE(hits->front().matched_term.find("Acetaminophen"), std::string_view::npos);
}

TEST(Icd10CmIndex, ErrorsNameTheFile) {
  // An index alone: it has no release to add its terms to.
  CatalogOptions alone;
  alone.release_paths = {testing::Fixture("icd10cm-index/icd10cm_eindex_sample_2021.xml")};
  auto a = Catalog::Load(alone);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("icd10cm_eindex_sample_2021.xml: an ICD-10-CM index needs the ICD-10-CM "
                                      "release"),
            std::string::npos)
      << a.status().message();
  CatalogOptions bad;
  bad.release_paths = {testing::Fixture("icd10cm-index/icd10cm_order_index_sample_2021.txt"),
                       testing::Fixture("broken/icd10cm_index_cell_without_head.xml")};
  auto b = Catalog::Load(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("icd10cm_index_cell_without_head.xml:11: cell column \"2\" has no <head>"),
            std::string::npos)
      << b.status().message();
  testing::TempFile empty("icd10cm_index_2021.xml", "<ICD10CM.index><version>2021</version></ICD10CM.index>\n");
  CatalogOptions none;
  none.release_paths = {testing::Fixture("icd10cm-index/icd10cm_order_index_sample_2021.txt"), empty.path()};
  auto n = Catalog::Load(none);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find(":1: no <letter><mainTerm> elements found"), std::string::npos);
}

// The counts of ../shared/data/README.md, taken from the files.
TEST(Icd10CmIndex, RealFilesLoadWholeWithExactCounts) {
  std::string order = testing::SharedData("icd10cm-2021/icd10cm-order-Jan-2021.txt");
  if (order.empty()) GTEST_SKIP() << testing::kNoSharedData;
  CatalogOptions options;
  options.release_paths = {order, testing::SharedData("icd10cm-2021/icd10cm_eindex_2021.xml"),
                           testing::SharedData("icd10cm-2021/icd10cm_neoplasm_2021.xml"),
                           testing::SharedData("icd10cm-2021/icd10cm_drug_2021.xml")};
  auto c = Catalog::Load(options);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(HasNote(**c, "icd10cm_eindex_2021.xml: 314 main terms, 7484 subterms, 6415 codes, 0 table cells"));
  EXPECT_TRUE(HasNote(**c, "icd10cm_neoplasm_2021.xml: 1 main terms, 1938 subterms, 0 codes, 10916 table cells"));
  EXPECT_TRUE(HasNote(**c, "icd10cm_drug_2021.xml: 5173 main terms, 2248 subterms, 0 codes, 43170 table cells"));
  // "every code is in the order file": no index term is left out.
  EXPECT_FALSE(HasNote(**c, "lacks"));
  auto index = SearchIndex::Build(*c);
  auto hits = index->Search("fall from ladder", {.system = CodeSystem::kIcd10Cm});
  ASSERT_TRUE(hits.ok() && !hits->empty());
  EXPECT_EQ(hits->front().entry().code.substr(0, 3), "W11");
}

}  // namespace
}  // namespace clincode
