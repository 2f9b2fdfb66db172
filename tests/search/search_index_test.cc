#include <gtest/gtest.h>

#include "clincode/search.h"
#include "support/test_support.h"

namespace clincode {
namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ =
        testing::LoadFixtures({"opcs4/OPCS410_sample.txt", "who/who_icd10_sample_2019.xml",
                               "icd10cm/icd10cm_order_sample_2021.txt", "icd10cm/icd10cm_tabular_sample_2021.xml"},
                              /*starter=*/true);
    index_ = SearchIndex::Build(catalog_);
  }
  // "SYSTEM CODE" of each hit, in rank order.
  std::vector<std::string> Codes(std::string_view q, SearchOptions options = {}) {
    auto hits = index_->Search(q, options);
    EXPECT_TRUE(hits.ok()) << hits.status().message();
    std::vector<std::string> out;
    if (!hits.ok()) return out;
    for (const auto& h : *hits) out.push_back(std::string(CodeSystemKey(h.release->system())) + " " + h.entry().code);
    return out;
  }
  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchTest, ExactCodeInAnyFormComesFirst) {
  for (const char* q : {"k578", "K57.8", "K578"}) {
    auto codes = Codes(q);
    ASSERT_FALSE(codes.empty()) << q;
    EXPECT_EQ(codes.front(), "opcs4 K57.8") << q;
  }
}

TEST_F(SearchTest, CodePrefixListsTheCategory) {
  for (const char* q : {"k57", "K57."}) {
    auto codes = Codes(q);
    EXPECT_EQ(codes, (std::vector<std::string>{"opcs4 K57", "opcs4 K57.1", "opcs4 K57.8", "opcs4 K57.9"})) << q;
  }
  auto hits = index_->Search("k57", {});
  EXPECT_EQ(hits->front().kind, MatchKind::kExactCode);
  EXPECT_EQ((*hits)[1].kind, MatchKind::kCodePrefix);
}

TEST_F(SearchTest, TitlesWithEveryWordAsPrefix) {
  // Every system searched: "Heart failure" (the title is the query) first in WHO and in ICD-10-CM.
  auto codes = Codes("heart fail", {.all_systems = true});
  ASSERT_GE(codes.size(), 4u);
  EXPECT_EQ(codes[0], "icd10 I50");
  EXPECT_NE(std::find(codes.begin(), codes.end(), "icd10cm I50"), codes.end());
  // Every hit contains both words as word prefixes.
  auto hits = index_->Search("heart fail", {.all_systems = true});
  for (const auto& h : *hits) {
    std::string t = h.matched_term.empty() ? h.entry().title : std::string(h.matched_term);
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(t.find("heart"), std::string::npos) << t;
    EXPECT_NE(t.find("fail"), std::string::npos) << t;
  }
  // Scores fall with rank.
  for (std::size_t i = 1; i < hits->size(); ++i) EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
}

TEST_F(SearchTest, InclusionTermsFindTheirCode) {
  auto hits = index_->Search("cardiac asthma", {.system = CodeSystem::kIcd10Cm});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().entry().code, "I50.1");
  EXPECT_EQ(hits->front().matched_term, "Cardiac asthma");
}

TEST_F(SearchTest, CaseAndAccentFolding) {
  EXPECT_EQ(Codes("MENIERE"), (std::vector<std::string>{"icd10 H81.0"}));
  EXPECT_EQ(Codes("ménière"), (std::vector<std::string>{"icd10 H81.0"}));
}

TEST_F(SearchTest, OneTypoForLongWordsOnly) {
  auto hits = index_->Search("vertebroplsty", {});
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().entry().code, "V44.4");
  EXPECT_EQ(hits->front().kind, MatchKind::kTitleWithTypo);
  EXPECT_TRUE(Codes("vertebroplsty", {.typo_tolerance = false}).empty());
  EXPECT_FALSE(Codes("haert").empty());  // five letters: a transposition is one edit
  EXPECT_TRUE(Codes("hreat").empty());   // two edits
  EXPECT_TRUE(Codes("haert fialure").size() > 0);
  // Four letters: an edit only when nothing else is found ("lvel" finds "level"; "fail" finds no typo).
  EXPECT_FALSE(Codes("lvel").empty());
  auto fail = index_->Search("fail", {});
  ASSERT_TRUE(fail.ok());
  for (const auto& h : *fail) EXPECT_NE(h.kind, MatchKind::kTitleWithTypo);
  EXPECT_TRUE(Codes("vertebroplazzy").empty());  // two edits
}

TEST_F(SearchTest, ScopeBySystemAndSubtree) {
  for (const auto& c : Codes("heart", {.system = CodeSystem::kIcd10Cm})) EXPECT_EQ(c.rfind("icd10cm ", 0), 0u) << c;
  auto in_v44 = Codes("fracture", {.within = "V44"});
  EXPECT_EQ(in_v44, (std::vector<std::string>{"opcs4 V44", "opcs4 V44.4", "opcs4 V44.6"}));
  auto in_chapter = Codes("operation", {.system = CodeSystem::kOpcs4, .within = "Chapter Z"});
  // Z94 (laterality) counts every use of its codes, so it comes above Z94.2; the chapter heading last.
  EXPECT_EQ(in_chapter, (std::vector<std::string>{"opcs4 Z94", "opcs4 Z94.2", "opcs4 Chapter Z"}));
  auto bad = index_->Search("x", {.within = "nonsense"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SearchTest, LimitAndBadQueries) {
  EXPECT_EQ(Codes("of", {.limit = 3}).size(), 3u);
  EXPECT_FALSE(index_->Search("x", {.limit = 0}).ok());
  EXPECT_FALSE(index_->Search(std::string(300, 'a'), {}).ok());
  EXPECT_TRUE(Codes("   ").empty());
  EXPECT_TRUE(Codes("zzzzzz").empty());
  EXPECT_TRUE(Codes("!!!").empty());
}

TEST_F(SearchTest, ShortPrefixesRankByPrior) {
  auto hits = index_->Search("h", {.limit = 5});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 5u);
  for (std::size_t i = 1; i < hits->size(); ++i) {
    ASSERT_EQ((*hits)[i].kind, MatchKind::kTitle);
    EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
  }
}

}  // namespace
}  // namespace clincode

namespace clincode {
namespace {

// Regression: a code whose longer title was reached before its shorter inclusion term (through an earlier
// word of a prefix range) was listed at the title's rank instead of the term's.
TEST(SearchRegression, CodeIsRankedByItsBestMatchingText) {
  testing::TempFile tabular("tabular_2021.xml", R"(<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2021</version>
  <chapter><name>1</name><desc>Chapter one</desc>
    <section id="A00-A09"><desc>Section</desc>
      <diag><name>A01</name><desc>Aardvark disease with a rather long title</desc>
        <inclusionTerm><note>Azure disease</note></inclusionTerm></diag>
      <diag><name>A02</name><desc>Abacus disease of middling length</desc></diag>
    </section>
  </chapter>
</ICD10CM.tabular>
)");
  CatalogOptions options;
  options.release_paths = {tabular.path()};
  options.starter_for_missing_systems = false;
  auto index = SearchIndex::Build(*Catalog::Load(options));
  auto hits = index->Search("a", {.limit = 2});  // only ICD-10-CM loaded: it is the default scope
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].entry().code, "A01");
  EXPECT_EQ((*hits)[0].matched_term, "Azure disease");
  EXPECT_EQ((*hits)[1].entry().code, "A02");
}

}  // namespace
// ICD-10 5th Edition rows whose meaning is in MODIFIER_4 / MODIFIER_5 are found by the modifier's words.
TEST(SearchUkModifiers, FindsARowByItsModifierWords) {
  auto catalog = testing::LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml"});
  auto index = SearchIndex::Build(catalog);
  auto first = [&](std::string_view q) {
    auto hits = index->Search(q, {});
    EXPECT_TRUE(hits.ok() && !hits->empty()) << q;
    return hits.ok() && !hits->empty() ? hits->front().entry().code : std::string();
  };
  EXPECT_EQ(first("type 1 diabetes coma"), "E10.0");
  EXPECT_EQ(first("ankylosing spondylitis lumbar"), "M45.X6");
  EXPECT_EQ(first("M45X0"), "M45.X0");
}

}  // namespace clincode
