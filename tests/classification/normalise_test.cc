#include "clincode/normalise.h"

#include <gtest/gtest.h>

#include <random>

namespace clincode {
namespace {

std::string Norm(CodeSystem s, std::string_view in) {
  auto r = NormaliseCode(s, in);
  return r.ok() ? r->code : "ERROR: " + r.status().message();
}

TEST(Normalise, Opcs4Forms) {
  for (const char* in : {"K57.8", "K578", "k57.8", " K57.8 ", "k578\t"})
    EXPECT_EQ(Norm(CodeSystem::kOpcs4, in), "K57.8") << in;
  EXPECT_EQ(Norm(CodeSystem::kOpcs4, "Y53"), "Y53");
}

TEST(Normalise, Opcs4MalformedNamesTheInput) {
  auto r = NormaliseCode(CodeSystem::kOpcs4, "K5X.8");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "malformed OPCS-4 code \"K5X.8\": expected a letter and two digits, as in K57.8");
  for (const char* bad : {"", "K5", "K57.", "K57.88", "K5788", "57.8", "K57 8", "K57-8", "KK7.8"}) {
    EXPECT_FALSE(NormaliseCode(CodeSystem::kOpcs4, bad).ok()) << bad;
  }
}

TEST(Normalise, Icd10HesForms) {
  auto c61 = NormaliseCode(CodeSystem::kIcd10, "C61X");
  ASSERT_TRUE(c61.ok());
  EXPECT_EQ(c61->code, "C61");
  EXPECT_TRUE(c61->padded);
  EXPECT_EQ(Norm(CodeSystem::kIcd10, "I509"), "I50.9");
  auto h = NormaliseCode(CodeSystem::kIcd10, "H198A");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->code, "H19.8");
  EXPECT_EQ(h->mark, DaggerAsterisk::kAsterisk);
  auto h2 = NormaliseCode(CodeSystem::kIcd10, "H19.8A");
  ASSERT_TRUE(h2.ok());
  EXPECT_EQ(h2->code, "H19.8");
  EXPECT_EQ(h2->mark, DaggerAsterisk::kAsterisk);
  auto a = NormaliseCode(CodeSystem::kIcd10, "A170D");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->code, "A17.0");
  EXPECT_EQ(a->mark, DaggerAsterisk::kDagger);
  EXPECT_EQ(NormaliseCode(CodeSystem::kIcd10, "A17.0\xE2\x80\xA0")->mark, DaggerAsterisk::kDagger);
  EXPECT_EQ(NormaliseCode(CodeSystem::kIcd10, "G01*")->mark, DaggerAsterisk::kAsterisk);
  EXPECT_EQ(Norm(CodeSystem::kIcd10, "m8005"), "M80.05");
}

TEST(Normalise, Icd10Malformed) {
  for (const char* bad : {"I50.", "I5O.0", "I50.000", "IA0", "C61XX", "A", "D"}) {
    EXPECT_FALSE(NormaliseCode(CodeSystem::kIcd10, bad).ok()) << bad;
  }
}

TEST(Normalise, Icd10CmCptSnomed) {
  EXPECT_EQ(Norm(CodeSystem::kIcd10Cm, "s2200xa"), "S22.00XA");
  EXPECT_EQ(Norm(CodeSystem::kIcd10Cm, "C4A.0"), "C4A.0");
  EXPECT_FALSE(NormaliseCode(CodeSystem::kIcd10Cm, "S22.00XAB").ok());
  EXPECT_EQ(Norm(CodeSystem::kCpt, "0408t"), "0408T");
  EXPECT_EQ(Norm(CodeSystem::kCpt, "99213"), "99213");
  EXPECT_FALSE(NormaliseCode(CodeSystem::kCpt, "0408X").ok());
  EXPECT_FALSE(NormaliseCode(CodeSystem::kCpt, "408T").ok());
  EXPECT_EQ(Norm(CodeSystem::kSnomedCt, "22298006"), "22298006");
  EXPECT_FALSE(NormaliseCode(CodeSystem::kSnomedCt, "0123").ok());
}

TEST(Normalise, CdsForm) {
  EXPECT_EQ(CdsForm(CodeSystem::kOpcs4, "K57.8"), "K578");
  EXPECT_EQ(CdsForm(CodeSystem::kIcd10, "C61", true), "C61X");
  EXPECT_EQ(CdsForm(CodeSystem::kIcd10, "A17.0", false, DaggerAsterisk::kDagger), "A170D");
  EXPECT_EQ(CdsForm(CodeSystem::kIcd10, "H19.8", false, DaggerAsterisk::kAsterisk), "H198A");
  EXPECT_EQ(CdsForm(CodeSystem::kIcd10Cm, "S22.00XA"), "S22.00XA");
}

// Property: every canonical code survives the trip through its record form, lower case and padding.
TEST(Normalise, RoundTripProperty) {
  std::mt19937 rng(20261121);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int i = 0; i < 5000; ++i) {
    std::string code;
    code.push_back(static_cast<char>('A' + pick(26)));
    code.push_back(static_cast<char>('0' + pick(10)));
    code.push_back(static_cast<char>('0' + pick(10)));
    bool category = pick(4) == 0;
    if (!category) {
      code.push_back('.');
      code.push_back(static_cast<char>('0' + pick(10)));
    }
    for (CodeSystem s : {CodeSystem::kOpcs4, CodeSystem::kIcd10}) {
      auto mark = s == CodeSystem::kIcd10 ? static_cast<DaggerAsterisk>(pick(3)) : DaggerAsterisk::kNone;
      std::string record = CdsForm(s, code, category, mark);
      auto back = NormaliseCode(s, record);
      ASSERT_TRUE(back.ok()) << record << ": " << back.status().message();
      EXPECT_EQ(back->code, code) << record;
      EXPECT_EQ(back->mark, mark) << record;
      std::string lower = "  " + code + " ";
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto again = NormaliseCode(s, lower);
      ASSERT_TRUE(again.ok()) << lower;
      EXPECT_EQ(again->code, code);
      EXPECT_EQ(NormaliseCode(s, again->code)->code, again->code);  // idempotent
    }
  }
}

}  // namespace
}  // namespace clincode
