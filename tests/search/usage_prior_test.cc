#include "search/usage_prior.h"

#include <gtest/gtest.h>

namespace clincode::search {
namespace {

TEST(UsagePrior, CountsACodeAndEverythingBelowIt) {
  auto p = UsagePrior::Parse(
      "# comment\nicd10\tI500\t60\nicd10\tI509\t30\nicd10\tN40X\t7\nopcs4\tW391\t5\n"
      "opcs4\tW392\t4\n",
      "u.tsv");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->size(), 5u);
  EXPECT_EQ(p->Count(CodeSystem::kIcd10, "I50.0"), 60u);
  EXPECT_EQ(p->Count(CodeSystem::kIcd10, "I50"), 90u);  // a category counts its codes
  EXPECT_EQ(p->Count(CodeSystem::kIcd10, "N40"), 7u);   // an undivided category its X form
  EXPECT_EQ(p->Count(CodeSystem::kOpcs4, "W39"), 9u);
  EXPECT_EQ(p->Count(CodeSystem::kOpcs4, "I50"), 0u);  // by system
  EXPECT_EQ(p->Count(CodeSystem::kIcd10Cm, "I50.0"), 0u);
  EXPECT_EQ(p->Count(CodeSystem::kIcd10, "I50.01"), 60u);  // a fifth character shares its four-character count
}

TEST(UsagePrior, BadLinesNameFileAndLine) {
  for (const char* bad : {"icd10\tI500\n", "snomed\tX\t1\n", "icd10\tI500\tmany\n", "icd10\t\t3\n"}) {
    auto p = UsagePrior::Parse(std::string("# header\n") + bad, "u.tsv");
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().message().rfind("u.tsv:2:", 0), 0u) << p.status().message();
  }
}

TEST(UsagePrior, BuiltInTableHoldsEveryCountedCode) {
  const UsagePrior& p = UsagePrior::BuiltIn();
  // Rows of the derived table: every code counted in some year of either HES table (tools/derive_hes_usage.py).
  EXPECT_EQ(p.size(), 22227u);
  EXPECT_GT(p.Count(CodeSystem::kIcd10, "I10"), p.Count(CodeSystem::kIcd10, "I15"));
  EXPECT_GT(p.Count(CodeSystem::kOpcs4, "Z94"), 0u);
}

}  // namespace
}  // namespace clincode::search
