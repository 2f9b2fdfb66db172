#include "search/typo_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace clincode::search {
namespace {

TEST(TypoIndex, FindsWordsWithinOneEdit) {
  std::vector<std::string> vocab = {"fracture", "fractures", "heart", "hearth", "level", "spine", "vertebroplasty"};
  TypoIndex index;
  auto word = [&](std::uint32_t i) { return std::string_view(vocab[i]); };
  index.Build(static_cast<std::uint32_t>(vocab.size()), word);
  auto near = [&](std::string_view q) {
    std::vector<std::uint32_t> ids;
    index.Near(q, word, &ids);
    std::vector<std::string> out;
    for (auto id : ids) out.push_back(vocab[id]);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(near("fracture"), (std::vector<std::string>{"fracture", "fractures"}));
  EXPECT_EQ(near("fractuer"), (std::vector<std::string>{"fracture"}));  // transposition
  EXPECT_EQ(near("fractre"), (std::vector<std::string>{"fracture"}));   // a missing letter
  EXPECT_EQ(near("hearts"), (std::vector<std::string>{"heart", "hearth"}));
  EXPECT_EQ(near("vertebroplsty"), (std::vector<std::string>{"vertebroplasty"}));
  EXPECT_TRUE(near("levl").empty());  // under five letters: no tolerance
  EXPECT_TRUE(near("xxxxxxxx").empty());
}

}  // namespace
}  // namespace clincode::search
