// The search lexicon (knowledge/search/terms.yaml), reviewed like the rules: its reader's errors, and every
// entry checked against the open releases (each meaning is said by some title, each code exists).
#include "search/search_terms.h"

#include <gtest/gtest.h>

#include <set>

#include "clincode/search.h"
#include "support/test_support.h"

namespace clincode::search {
namespace {

TEST(SearchTerms, ReadsTermsSpellingsQualifiersAndFiller) {
  auto t = SearchTerms::Parse(R"(
filler: [of, unspecified]
procedure_words: [surgery]
supplementary: {icd10: [Z]}
qualifiers: [family history, in pregnancy]
spellings:
  - [anemi, anaemi]
terms:
  - {term: DVT, means: [deep vein thrombosis], codes: ['icd10:I80.2']}
  - {term: kidney stones, means: [calculus of kidney, kidney stone]}
  - {term: stones, means: [calculus]}
)",
                              "t.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_TRUE(t->IsFiller("of"));
  EXPECT_FALSE(t->IsFiller("kidney"));
  EXPECT_TRUE(t->IsProcedureWord("surgery"));
  EXPECT_TRUE(t->IsSupplementary("icd10", "Z30.2"));
  EXPECT_FALSE(t->IsSupplementary("icd10cm", "Z30.2"));
  EXPECT_EQ(t->qualifiers().size(), 2u);
  EXPECT_EQ(t->SpellingVariants("anemia"), (Words{"anaemia"}));
  EXPECT_EQ(t->SpellingVariants("anaemia"), (Words{"anemia"}));
  EXPECT_EQ(t->Canonical("anemia"), "anaemia");
  // The longest term at a word is read first; each meaning gives a reading after the query as typed.
  auto r = t->Readings({"kidney", "stones", "left"}, 6);
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(r[0].words, (Words{"kidney", "stones", "left"}));
  EXPECT_TRUE(r[0].via.empty());
  EXPECT_EQ(r[1].words, (Words{"calculus", "of", "kidney", "left"}));
  EXPECT_EQ(r[2].words, (Words{"kidney", "stone", "left"}));
  EXPECT_EQ(r[1].via.front()->text, "kidney stones");
  // ... and, since a term of several words was read, word by word too.
  EXPECT_EQ(r.back().words, (Words{"kidney", "calculus", "left"}));
  EXPECT_EQ(t->WholeQueryTerms({"dvt"}).size(), 1u);
  EXPECT_TRUE(t->WholeQueryTerms({"dvt", "left"}).empty());
  // A misspelt term is found only when asked for (the typo tier).
  EXPECT_EQ(t->Readings({"kidnee", "stone"}, 6).size(), 1u);
  auto fuzzy = t->Readings({"kidnee", "stone"}, 6, /*fuzzy=*/true);
  ASSERT_GE(fuzzy.size(), 1u);
  EXPECT_EQ(fuzzy.front().via.front()->text, "kidney stones");
}

TEST(SearchTerms, MalformedEntriesNameFileAndLine) {
  struct Case {
    const char* yaml;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"terms:\n  - {term: DVT}\n", "t.yaml:2: term \"DVT\" needs `means` or `codes`"},
           {"terms:\n  - {means: [x]}\n", "t.yaml:2: a term entry needs `term`"},
           {"terms:\n  - {term: gout, means: [gout]}\n", "t.yaml:2: term \"gout\" means itself"},
           {"spellings:\n  - [anemi]\n", "t.yaml:2: a spelling pair is two word parts"},
           {"terms: [\n", "t.yaml:"},
       }) {
    auto t = SearchTerms::Parse(c.yaml, "t.yaml");
    ASSERT_FALSE(t.ok()) << c.yaml;
    EXPECT_NE(t.status().message().find(c.message), std::string::npos) << t.status().message();
  }
}

TEST(SearchTerms, BuiltInLexiconHasNoDuplicateTerms) {
  const SearchTerms& t = SearchTerms::BuiltIn();
  EXPECT_GE(t.terms().size(), 500u);
  std::set<Words> seen;
  for (const Term& term : t.terms()) EXPECT_TRUE(seen.insert(term.words).second) << "twice: " << term.text;
  for (const auto& [american, british] : t.spellings()) EXPECT_NE(american, british);
}

// Every entry leads somewhere: each meaning is said by a title of the open releases (every word, as a search
// with no typos finds it), and each code exists. An entry that leads nowhere is a defect of the lexicon.
TEST(SearchTerms, EveryEntryLeadsToTitlesOrCodesOfTheOpenReleases) {
  std::string opcs = testing::SharedData("opcs4-ukb-coding240/coding240.tsv");
  if (opcs.empty()) GTEST_SKIP() << testing::kNoSharedData;
  CatalogOptions options;
  options.release_paths = {opcs, testing::SharedData("icd10-who-2019/icd_10_v2019.xml"),
                           testing::SharedData("icd10cm-2021/icd10cm_tabular_2021.xml")};
  auto catalog = Catalog::Load(options);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto index = SearchIndex::Build(*catalog);
  std::size_t meanings = 0, codes = 0;
  for (const Term& term : SearchTerms::BuiltIn().terms()) {
    for (const std::string& m : term.means_text) {
      auto hits = index->Search(m, {.all_systems = true, .limit = 1, .typo_tolerance = false});
      ASSERT_TRUE(hits.ok());
      bool found = !hits->empty() && hits->front().kind != MatchKind::kPartial;
      EXPECT_TRUE(found) << "term \"" << term.text << "\": no title says \"" << m << "\"";
      ++meanings;
    }
    for (const std::string& written : term.codes) {
      std::string code = written.substr(written.find(':') == std::string::npos ? 0 : written.find(':') + 1);
      auto hits = (*catalog)->Lookup(code, std::nullopt);
      EXPECT_TRUE(hits.ok() && !hits->empty()) << "term \"" << term.text << "\": no release has " << code;
      ++codes;
    }
  }
  EXPECT_GE(meanings, 600u);
  EXPECT_GE(codes, 10u);
}

}  // namespace
}  // namespace clincode::search
