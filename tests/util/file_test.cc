#include "util/file.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace clincode::file {
namespace {

TEST(File, LineCursorCountsLinesAndStripsCarriageReturns) {
  LineCursor c("a\r\nb\n\nlast");
  std::string_view line;
  std::vector<std::string> lines;
  while (c.Next(&line)) lines.emplace_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "b", "", "last"}));
  EXPECT_EQ(c.line_number(), 4u);
  EXPECT_TRUE(c.last_line_unterminated());
}

TEST(File, CheckUtf8NamesLineAndColumn) {
  Status s = CheckUtf8("ok line\nM\xE9ni\xE8re\n", "x.txt");
  EXPECT_EQ(s.code(), StatusCode::kParseError);
  EXPECT_EQ(s.message(), "x.txt:2: not UTF-8 (byte 0xE9 at column 2); save the file as UTF-8");
  EXPECT_TRUE(CheckUtf8("Ménière\n", "x.txt").ok());
  EXPECT_EQ(CheckUtf8("\xFF\xFEK\0", "u.txt").message(), "u.txt:1: the file is UTF-16 encoded; save it as UTF-8");
}

TEST(File, ReadAllFailsWithThePath) {
  auto r = ReadAll("/nonexistent/clincode.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_NE(r.status().message().find("/nonexistent/clincode.txt"), std::string::npos);
  testing::TempFile f("a.txt", "hello");
  EXPECT_EQ(*ReadAll(f.path()), "hello");
}

TEST(File, StripBomAndBaseName) {
  EXPECT_EQ(StripBom("\xEF\xBB\xBF<x/>"), "<x/>");
  EXPECT_EQ(StripBom("<x/>"), "<x/>");
  EXPECT_EQ(BaseName("a/b/OPCS410.txt"), "OPCS410.txt");
}

}  // namespace
}  // namespace clincode::file
