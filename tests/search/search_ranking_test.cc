// The ranking's mechanisms, each on a fixture where it decides the order: the lexicon, spellings, stems,
// qualified senses, categories above their codes, the HES prior, partial matches, typos and the UK scope.
#include <gtest/gtest.h>

#include "clincode/search.h"
#include "support/test_support.h"

namespace clincode {
namespace {

class RankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new std::shared_ptr<const Catalog>(
        testing::LoadFixtures({"search/ranking_sample_2019.xml", "opcs4/OPCS410_sample.txt",
                               "icd10cm/icd10cm_order_sample_2021.txt", "icd10cm/icd10cm_tabular_sample_2021.xml"},
                              /*starter=*/false));
    index_ = SearchIndex::Build(*catalog_).release();
  }
  static void TearDownTestSuite() {
    delete index_;
    delete catalog_;
  }
  static std::vector<SearchHit> Hits(std::string_view q, SearchOptions options = {}) {
    auto hits = index_->Search(q, options);
    EXPECT_TRUE(hits.ok()) << q << ": " << hits.status().message();
    return hits.ok() ? *hits : std::vector<SearchHit>{};
  }
  static std::vector<std::string> Codes(std::string_view q, SearchOptions options = {}) {
    std::vector<std::string> out;
    for (const auto& h : Hits(q, options)) out.push_back(h.entry().code);
    return out;
  }
  static std::string First(std::string_view q, SearchOptions options = {}) {
    auto codes = Codes(q, options);
    return codes.empty() ? "" : codes.front();
  }
  static std::shared_ptr<const Catalog>* catalog_;
  static SearchIndex* index_;
};
std::shared_ptr<const Catalog>* RankingTest::catalog_ = nullptr;
SearchIndex* RankingTest::index_ = nullptr;

TEST_F(RankingTest, CategoryTheQueryNamesComesAboveItsCodesThenItsMostUsedCode) {
  auto codes = Codes("heart failure", {.limit = 4});
  ASSERT_GE(codes.size(), 3u);
  EXPECT_EQ(codes[0], "I50");
  // I50.0 Congestive heart failure is the most used code of I50 in HES, above I50.9 and I50.1.
  EXPECT_EQ(codes[1], "I50.0");
  auto hits = Hits("heart failure", {.limit = 4});
  EXPECT_FALSE(hits[0].recordable);  // a divided category
  EXPECT_TRUE(hits[1].recordable);
}

TEST_F(RankingTest, QualifiedSenseBelowThePlainOneUnlessTheQuerySaysIt) {
  // "in pregnancy" is a qualifier: the plain kidney infection first.
  auto codes = Codes("kidney infection");
  ASSERT_FALSE(codes.empty());
  EXPECT_TRUE(codes[0] == "N10" || codes[0] == "N12") << codes[0];
  auto o23 = std::find(codes.begin(), codes.end(), "O23.0");
  EXPECT_TRUE(o23 == codes.end() || o23 - codes.begin() > 1);
  EXPECT_EQ(First("infection of kidney in pregnancy"), "O23.0");
  // "Family history of": below the condition, first when asked for.
  EXPECT_EQ(First("family history of ischaemic heart disease"), "Z82.4");
}

TEST_F(RankingTest, LexiconTermsLeadToTitlesAndCodes) {
  auto dvt = Hits("DVT");
  ASSERT_FALSE(dvt.empty());
  EXPECT_EQ(dvt[0].entry().code, "I80.2");
  EXPECT_EQ(dvt[0].kind, MatchKind::kTermCode);
  EXPECT_EQ(dvt[0].via_term, "DVT");
  // A lay term read as title words, and the reading reported.
  auto clot = Hits("collapsed lung");
  ASSERT_FALSE(clot.empty());
  EXPECT_EQ(clot[0].entry().code.substr(0, 3), "J93");
  EXPECT_EQ(clot[0].via_term, "collapsed lung");
  EXPECT_EQ(clot[0].via_meaning, "pneumothorax");
  // A short abbreviation is not also read as a word prefix.
  for (const auto& c : Codes("MI")) EXPECT_NE(c.substr(0, 1), "M") << c;
}

TEST_F(RankingTest, SpellingsBothWaysStemsAndPossessives) {
  EXPECT_EQ(First("anemia", {.system = CodeSystem::kIcd10}).substr(0, 3), "D64");
  EXPECT_EQ(First("sprained wrist"), "S63.5");
  EXPECT_EQ(First("heart failure's"), "I50");  // a possessive "s" is not a word
}

TEST_F(RankingTest, TyposIncludingTheWordBeingTyped) {
  EXPECT_EQ(First("pnuemothorax").substr(0, 3), "J93");
  EXPECT_EQ(Hits("pnuemothorax").front().kind, MatchKind::kTitleWithTypo);
  EXPECT_EQ(First("pnuemoth").substr(0, 3), "J93");  // a prefix one edit away
  EXPECT_EQ(First("hart fail"), "I50");              // four letters: only when nothing else is found
  EXPECT_TRUE(Codes("pnuemothorax", {.typo_tolerance = false}).empty());
}

TEST_F(RankingTest, PartialMatchesAreSaidAsSuch) {
  auto hits = Hits("heart failure zebra");
  ASSERT_FALSE(hits.empty());
  for (const auto& h : hits) EXPECT_EQ(h.kind, MatchKind::kPartial) << h.entry().code;
  EXPECT_EQ(hits[0].entry().code.substr(0, 3), "I50");
  // A full match is never listed below, or mixed with, partial ones.
  for (const auto& h : Hits("heart failure")) EXPECT_NE(h.kind, MatchKind::kPartial);
}

TEST_F(RankingTest, UkScopeByDefaultWithTheUsClassificationAChoice) {
  auto uk = Hits("heart");
  ASSERT_FALSE(uk.empty());
  for (const auto& h : uk) EXPECT_NE(h.release->system(), CodeSystem::kIcd10Cm) << h.entry().code;
  auto all = Hits("heart", {.all_systems = true, .limit = 50});
  EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                          [](const SearchHit& h) { return h.release->system() == CodeSystem::kIcd10Cm; }));
  for (const auto& h : Hits("heart", {.system = CodeSystem::kIcd10Cm})) {
    EXPECT_EQ(h.release->system(), CodeSystem::kIcd10Cm);
  }
  auto searched = index_->Searched({});
  EXPECT_TRUE(std::none_of(searched.begin(), searched.end(),
                           [](const Release* r) { return r->system() == CodeSystem::kIcd10Cm; }));
}

TEST_F(RankingTest, ScoresFallWithRankAndQueriesStayBounded) {
  for (const char* q : {"heart", "h", "failure", "kidney infection", "DVT", "anemia", "pnuemoth"}) {
    auto hits = Hits(q, {.limit = 10});
    for (std::size_t i = 1; i < hits.size(); ++i) {
      if (hits[i - 1].kind == hits[i].kind) {
        EXPECT_GE(hits[i - 1].score, hits[i].score) << q;
      }
    }
  }
  EXPECT_TRUE(Codes("of of of of").size() <= 20u);
  EXPECT_TRUE(Codes("zzzzzz qqqqq").empty());
}

}  // namespace
}  // namespace clincode
