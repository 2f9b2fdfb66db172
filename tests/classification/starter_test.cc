// The built-in starter data holds every category the built-in guidance names or implies, whole.
#include <gtest/gtest.h>

#include "clincode/catalog.h"
#include "clincode/code_pattern.h"

namespace clincode {
namespace {

TEST(Starter, Opcs4CategoriesAreWhole) {
  auto r = StarterRelease(CodeSystem::kOpcs4);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->info().builtin);
  for (const char* cat : {"Y53", "Y68", "V55", "Z94", "Z33", "Y02", "V44", "V40", "J12", "K57", "Z66", "Z67", "Z99"}) {
    std::uint32_t id = r->Find(cat);
    ASSERT_NE(id, Release::kNone) << cat;
    // Whole: an unspecified .9 code, and an other-specified .8 code.
    EXPECT_NE(r->Find(std::string(cat) + ".9"), Release::kNone) << cat;
    EXPECT_NE(r->Find(std::string(cat) + ".8"), Release::kNone) << cat;
  }
  for (const char* code : {"K57.8", "Y02.1", "Y53.9", "Z33.2", "Z33.6", "Z94.2", "V44.4", "V44.6", "V40.1", "J12.4"}) {
    EXPECT_NE(r->Find(code), Release::kNone) << code;
  }
  EXPECT_EQ(r->counts().chapters, 25u);
}

TEST(Starter, Icd10AndCpt) {
  auto icd = StarterRelease(CodeSystem::kIcd10);
  for (const char* code : {"I50.0", "I50.9", "C78.7", "C18.0", "C18.9", "M80.0", "C61"}) {
    EXPECT_NE(icd->Find(code), Release::kNone) << code;
  }
  EXPECT_TRUE(icd->at(icd->Find("C61")).flags.undivided);
  EXPECT_EQ(icd->at(icd->Find("A17.0")).asterisk_partners, std::vector<std::string>{"G01"});
  EXPECT_EQ(icd->at(icd->Find("M80.0")).flags.sex, SexRestriction::kFemaleOnly);
  auto cpt = StarterRelease(CodeSystem::kCpt);
  for (const char* code : {"0408T", "0409T", "0410T", "0411T"}) EXPECT_NE(cpt->Find(code), Release::kNone) << code;
  EXPECT_EQ(StarterRelease(CodeSystem::kIcd10Cm), nullptr);
}

}  // namespace
}  // namespace clincode
