// Codes named in a release's notes: found as written, resolved in the release, nothing else linked.
#include "clincode/code_mentions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clincode/catalog.h"
#include "support/test_support.h"

namespace clincode {
namespace {

// "written=code" for each mention.
std::vector<std::string> Mentions(const Release& r, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& m : FindCodeMentions(r, text)) out.push_back(text.substr(m.begin, m.end - m.begin) + "=" + m.code);
  return out;
}

class CodeMentionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = testing::LoadFixtures({"icd10cm/icd10cm_tabular_sample_2021.xml"});
    ASSERT_NE(catalog_, nullptr);
    auto cm = catalog_->ReleasesOf(CodeSystem::kIcd10Cm);
    ASSERT_EQ(cm.size(), 1u);
    cm_ = cm.front();
  }
  std::shared_ptr<const Catalog> catalog_;
  const Release* cm_ = nullptr;
};

TEST_F(CodeMentionsTest, CodesAsTheReleaseWritesThem) {
  EXPECT_EQ(Mentions(*cm_, "end stage heart failure, if applicable (I50.84)"),
            (std::vector<std::string>{"I50.84=I50.84"}));
  // "any code of": the dash is part of what is written, the link goes to the category.
  EXPECT_EQ(Mentions(*cm_, "see (I50.-) and (I50.2-)"), (std::vector<std::string>{"I50.-=I50", "I50.2-=I50.2"}));
  // A range whose ends are codes of the release, and one that is a block of it.
  EXPECT_EQ(Mentions(*cm_, "(I50.2-I50.9)"), (std::vector<std::string>{"I50.2=I50.2", "I50.9=I50.9"}));
  EXPECT_EQ(Mentions(*cm_, "other forms (I30-I5A)"), (std::vector<std::string>{"I30-I5A=I30-I5A"}));
}

TEST_F(CodeMentionsTest, NothingThatIsNotInTheRelease) {
  EXPECT_TRUE(Mentions(*cm_, "neonatal cardiac failure (P29.0)").empty());  // well formed, not in the sample
  EXPECT_TRUE(Mentions(*cm_, "XI50.9 I50.9X9 a I509b").empty());            // parts of longer words
  EXPECT_TRUE(Mentions(*cm_, "").empty());
  // One end of a range held, the other not.
  EXPECT_EQ(Mentions(*cm_, "(I50.2-I50.43)"), (std::vector<std::string>{"I50.2=I50.2"}));
}

TEST_F(CodeMentionsTest, HostileTextIsSafe) {
  std::string text(100000, 'I');
  text += "50.9-";
  for (int i = 0; i < 1000; ++i) text += "I50-";
  auto m = FindCodeMentions(*cm_, text);
  ASSERT_FALSE(m.empty());
  for (std::size_t i = 1; i < m.size(); ++i) EXPECT_LE(m[i - 1].end, m[i].begin);
  for (const auto& x : m) EXPECT_LE(x.end, text.size());
}

}  // namespace
}  // namespace clincode
