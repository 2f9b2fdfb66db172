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

// Regression: ReadAll read /dev/zero (or any endless or huge file) until memory ran out.
TEST(File, ReadAllReadsOnlyRegularFilesUpToTheLimit) {
  EXPECT_EQ(ReadAll("/dev/zero").status().message(), "/dev/zero is a device or pipe, not a file");
  EXPECT_EQ(ReadAll("/tmp").status().message(), "/tmp is a folder, not a file");
  testing::TempFile f("big.txt", std::string(1000, 'x'));
  auto r = ReadAll(f.path(), 999);
  EXPECT_EQ(r.status().message(), f.path() + " is 1000 bytes; the limit is 999 bytes");
  EXPECT_EQ(ReadAll(f.path(), 1000)->size(), 1000u);
  EXPECT_EQ(*ReadHead(f.path(), 10), std::string(10, 'x'));
  EXPECT_EQ(ReadHead(f.path(), 5000)->size(), 1000u);
}

TEST(File, StripBomAndBaseName) {
  EXPECT_EQ(StripBom("\xEF\xBB\xBF<x/>"), "<x/>");
  EXPECT_EQ(StripBom("<x/>"), "<x/>");
  EXPECT_EQ(BaseName("a/b/OPCS410.txt"), "OPCS410.txt");
}

}  // namespace
}  // namespace clincode::file
