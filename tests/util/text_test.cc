#include "util/text.h"

#include <gtest/gtest.h>

namespace clincode::text {
namespace {

TEST(Text, TrimRemovesAsciiAndNoBreakSpace) {
  EXPECT_EQ(Trim("  K57.8\t\r\n"), "K57.8");
  EXPECT_EQ(Trim("\xC2\xA0K57.8\xC2\xA0"), "K57.8");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(Text, FoldingLowersAndRemovesAccents) {
  EXPECT_EQ(Folded("Ménière disease"), "meniere disease");
  EXPECT_EQ(Folded("SJÖGREN"), "sjogren");
  EXPECT_EQ(Folded("Æsthetic"), "aesthetic");
  EXPECT_EQ(Folded("Straße"), "strasse");
  // Letters of other scripts are kept, not dropped.
  EXPECT_EQ(Folded("β-cell"), "β-cell");
}

TEST(Text, WordsSplitOnPunctuation) {
  std::vector<std::string> words;
  ForEachWord("heart failure, unspecified (i50.9)", [&](std::string_view w) { words.emplace_back(w); });
  EXPECT_EQ(words, (std::vector<std::string>{"heart", "failure", "unspecified", "i50", "9"}));
}

TEST(Text, Utf8ValidityFindsTheBadByte) {
  std::size_t bad = 0;
  EXPECT_TRUE(IsValidUtf8("Ménière", &bad));
  EXPECT_FALSE(IsValidUtf8("M\xE9ni\xE8re", &bad));
  EXPECT_EQ(bad, 1u);
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF", &bad));     // overlong '/'
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82", &bad));  // truncated sequence
  EXPECT_EQ(bad, 3u);
  EXPECT_EQ(Utf8Length("Ménière"), 7u);
}

TEST(Text, EditDistanceCountsTranspositionAsOne) {
  EXPECT_EQ(BoundedEditDistance("fracture", "fracture", 1), 0);
  EXPECT_EQ(BoundedEditDistance("fracutre", "fracture", 1), 1);
  EXPECT_EQ(BoundedEditDistance("fractre", "fracture", 1), 1);
  EXPECT_EQ(BoundedEditDistance("fractures", "fracture", 1), 1);
  EXPECT_EQ(BoundedEditDistance("frcture", "fractura", 1), 2);  // past the limit: limit + 1
}

}  // namespace
}  // namespace clincode::text
