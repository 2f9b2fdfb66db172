#include "clincode/code_pattern.h"

#include <gtest/gtest.h>

#include "clincode/catalog.h"

namespace clincode {
namespace {

CodePattern P(CodeSystem s, std::string_view text) {
  auto p = CodePattern::Parse(s, text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status().message();
  return std::move(p).value();
}

TEST(CodePattern, CategoryWildcardVariants) {
  for (const char* text : {"Y53.-", "Y53 -", "Y53.\xE2\x80\x93", "Y53-", " y53.- "}) {
    CodePattern p = P(CodeSystem::kOpcs4, text);
    EXPECT_EQ(p.kind(), CodePattern::Kind::kCategory) << text;
    EXPECT_EQ(p.ToString(), "Y53.-") << text;
    EXPECT_TRUE(p.Matches("Y53.4"));
    EXPECT_TRUE(p.Matches("Y53"));
    EXPECT_FALSE(p.Matches("Y54.1"));
    EXPECT_FALSE(p.Matches("Y5"));
  }
  // A bare category covers the same codes and keeps its written form.
  CodePattern bare = P(CodeSystem::kOpcs4, "Y68");
  EXPECT_EQ(bare.kind(), CodePattern::Kind::kCategory);
  EXPECT_EQ(bare.ToString(), "Y68");
  EXPECT_TRUE(bare.Matches("Y68.9"));
}

TEST(CodePattern, ExactRangeUnionChapter) {
  CodePattern exact = P(CodeSystem::kOpcs4, "K57.8");
  EXPECT_EQ(exact.kind(), CodePattern::Kind::kExact);
  EXPECT_TRUE(exact.Matches("K57.8"));
  EXPECT_FALSE(exact.Matches("K57.9"));

  for (const char* text : {"C71-C74",
                           "C71\xE2\x80\x93"
                           "C74",
                           "C71 - C74"}) {
    CodePattern range = P(CodeSystem::kIcd10, text);
    EXPECT_EQ(range.kind(), CodePattern::Kind::kRange) << text;
    EXPECT_EQ(range.ToString(), "C71-C74");
    EXPECT_TRUE(range.Matches("C71.0"));
    EXPECT_TRUE(range.Matches("C74.9"));
    EXPECT_TRUE(range.Matches("C72"));
    EXPECT_FALSE(range.Matches("C70.9"));
    EXPECT_FALSE(range.Matches("C75.0"));
  }

  CodePattern either = P(CodeSystem::kIcd10, "L76 or L89");
  EXPECT_EQ(either.kind(), CodePattern::Kind::kUnion);
  EXPECT_EQ(either.ToString(), "L76 or L89");
  EXPECT_TRUE(either.Matches("L89.1"));
  EXPECT_TRUE(either.Matches("L76.0"));
  EXPECT_FALSE(either.Matches("L77.0"));

  CodePattern z = P(CodeSystem::kOpcs4, "Chapter 'Z'");
  EXPECT_EQ(z.ToString(), "Chapter Z");
  EXPECT_TRUE(z.Matches("Z94.2"));
  EXPECT_TRUE(z.Matches("O14.2"));   // overflow category extending Chapter Z
  EXPECT_FALSE(z.Matches("O10.1"));  // overflow category extending Chapter W
  EXPECT_FALSE(z.Matches("Y53.4"));

  CodePattern ix = P(CodeSystem::kIcd10, "Chapter IX");
  EXPECT_TRUE(ix.Matches("I50.0"));
  EXPECT_FALSE(ix.Matches("C18.0"));
}

TEST(CodePattern, MalformedPatternsFailNamingTheText) {
  auto bad = CodePattern::Parse(CodeSystem::kOpcs4, "K57.8-");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "malformed OPCS-4 category pattern \"K57.8-\"");
  EXPECT_FALSE(CodePattern::Parse(CodeSystem::kIcd10, "C74-C71").ok());
  EXPECT_FALSE(CodePattern::Parse(CodeSystem::kOpcs4, "Chapter 12").ok());
  EXPECT_FALSE(CodePattern::Parse(CodeSystem::kOpcs4, "L76 or ").ok());
  EXPECT_FALSE(CodePattern::Parse(CodeSystem::kOpcs4, "").ok());
}

TEST(CodePattern, ExpandsAgainstARelease) {
  auto opcs4 = StarterRelease(CodeSystem::kOpcs4);
  auto codes = [&](const CodePattern& p) {
    std::vector<std::string> out;
    for (std::uint32_t id : p.Expand(*opcs4)) out.push_back(opcs4->at(id).code);
    return out;
  };
  EXPECT_EQ(codes(P(CodeSystem::kOpcs4, "Y68.-")), (std::vector<std::string>{"Y68", "Y68.1", "Y68.8", "Y68.9"}));
  EXPECT_EQ(codes(P(CodeSystem::kOpcs4, "V55.1")), (std::vector<std::string>{"V55.1"}));
  EXPECT_EQ(codes(P(CodeSystem::kOpcs4, "Z94.1-Z94.3")), (std::vector<std::string>{"Z94.1", "Z94.2", "Z94.3"}));
  auto site = codes(P(CodeSystem::kOpcs4, "Chapter Z"));
  EXPECT_NE(std::find(site.begin(), site.end(), "O16.2"), site.end());  // O16 extends Chapter Z
  EXPECT_NE(std::find(site.begin(), site.end(), "Z66.5"), site.end());
  EXPECT_EQ(std::find(site.begin(), site.end(), "Y53.4"), site.end());
  EXPECT_TRUE(P(CodeSystem::kOpcs4, "A01.-").Expand(*opcs4).empty());
  // A pattern of one system expands to nothing in another.
  EXPECT_TRUE(P(CodeSystem::kIcd10, "I50.-").Expand(*opcs4).empty());
}

}  // namespace
}  // namespace clincode
