// Validating files of episodes: every row accounted for, findings in input order, bad input as findings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "clincode/validate_stream.h"
#include "support/test_support.h"

namespace clincode {
namespace {

class Collect : public FindingSink {
 public:
  void Write(const std::vector<Finding>& batch, const std::string&) override {
    all.insert(all.end(), batch.begin(), batch.end());
  }
  std::vector<Finding> all;
};

std::shared_ptr<const Validator> MakeValidator() {
  return std::make_shared<const Validator>(Catalog::Starter(), *RuleSet::Load({}), *GuidanceLibrary::Load({}));
}

Result<ValidateSummary> ValidateText(const std::string& content, Collect* sink, ValidateOptions options = {}) {
  testing::TempFile f("episodes.csv", content);
  return ValidateFile(f.path(), *MakeValidator(), sink, options);
}

TEST(Validate, ColumnsInAnyOrderQuotedFieldsAndCrlf) {
  Collect sink;
  auto s = ValidateText(
      "OPERTN_02,EXTRA,OPERTN_01,EPIKEY,SEX,DIAG_01\r\n"
      "V551,\"x, y\",V444,\"E1\",2,M800\r\n"
      "Y534,,V444,E2,2,M800\r\n",
      &sink);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rows_read, 2u);
  EXPECT_EQ(s->episodes_checked, 2u);
  std::vector<std::string> rules;
  for (const auto& f : sink.all) rules.push_back(f.episode_id + " " + f.rule_id);
  // E1 is V44.4 V55.1 (silent on image control; no site: IPG12); E2 is V44.4 Y53.4 (V55 missing, no site).
  EXPECT_EQ(rules, (std::vector<std::string>{"E1 nice.conditional-image-control", "E1 nice.required-group",
                                             "E2 opcs4.levels-of-spine-second", "E2 nice.required-group",
                                             "E2 nice.required-group"}));
}

TEST(Validate, UnreadableRowsAreFindingsNotDropped) {
  Collect sink;
  auto s = ValidateText(
      "EPIKEY,SEX,STARTAGE,DIAG_01,OPERTN_01\n"
      "A,1,50,I509,K578\n"
      "B,7,50,I509,K578\n"        // bad SEX
      "C,1,50,\"I509,K578\n"      // unterminated quote
      "D,1,50,I509,K578,extra\n"  // too many fields
      "E,1,50,\xE9,K578\n"        // not UTF-8
      "\n"                        // blank: not a row
      "F,1,50,I509,K578\n",
      &sink);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rows_read, 6u);
  EXPECT_EQ(s->episodes_checked, 2u);
  EXPECT_EQ(s->rows_unreadable, 4u);
  EXPECT_EQ(s->rows_read, s->episodes_checked + s->rows_unreadable);  // the count invariant
  std::vector<std::string> unreadable;
  for (const auto& f : sink.all) {
    if (f.rule_id == kRowUnreadable) unreadable.push_back(f.message);
  }
  EXPECT_EQ(unreadable, (std::vector<std::string>{
                            "line 3 cannot be read: SEX \"7\" is not 0, 1, 2 or 9",
                            "line 4 cannot be read: unterminated quoted field",
                            "line 5 cannot be read: 6 fields, the header has 5",
                            "line 6 cannot be read: not UTF-8 (byte 0xE9 at column 8)",
                        }));
}

TEST(Validate, EmptyAndHeaderOnlyFiles) {
  Collect sink;
  auto empty = ValidateText("", &sink);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("is empty: expected a header row"), std::string::npos);
  auto no_columns = ValidateText("foo,bar\n1,2\n", &sink);
  ASSERT_FALSE(no_columns.ok());
  EXPECT_NE(no_columns.status().message().find(":1: no HES column"), std::string::npos);
  auto header_only = ValidateText("EPIKEY,OPERTN_01\r\n", &sink);
  ASSERT_TRUE(header_only.ok());
  EXPECT_EQ(header_only->rows_read, 0u);
  EXPECT_TRUE(sink.all.empty());
}

TEST(Validate, JsonLines) {
  Collect sink;
  auto s = ValidateText(
      "{\"id\": \"J1\", \"sex\": 1, \"diagnoses\": [\"C61X\"], \"procedures\": [\"K578\", \"Z942\"]}\n"
      "not json\n"
      "{\"id\": \"J3\", \"procedures\": [\"Z942\"]}\n",
      &sink);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rows_read, 3u);
  EXPECT_EQ(s->rows_unreadable, 1u);
  ASSERT_FALSE(sink.all.empty());
  EXPECT_EQ(sink.all.back().episode_id, "J3");
}

TEST(Validate, ManyChunksKeepInputOrderOnEveryThreadCount) {
  std::string csv = "EPIKEY,OPERTN_01,OPERTN_02\n";
  for (int i = 0; i < 20000; ++i) csv += "E" + std::to_string(i) + (i % 3 == 0 ? ",Z942,K578\n" : ",K578,Z942\n");
  for (unsigned threads : {1u, 2u, 4u}) {
    Collect sink;
    ValidateOptions options;
    options.threads = threads;
    options.chunk_bytes = 4096;  // many chunks
    auto s = ValidateText(csv, &sink, options);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->episodes_checked, 20000u);
    std::size_t last = 0;
    bool ordered = true;
    for (const auto& f : sink.all) {
      ordered = ordered && f.line >= last;
      last = f.line;
    }
    EXPECT_TRUE(ordered) << threads << " threads";
    EXPECT_EQ(s->per_rule["opcs4.subsidiary-not-first"], 6667u) << threads << " threads";
  }
}

// A row of a gigabyte (a sparse file of NUL bytes: no newline) is one unreadable row, read without holding it.
TEST(Validate, GigabyteLine) {
  testing::TempFile f("big.csv", "EPIKEY,OPERTN_01\nA,K578\n");
  {
    std::FILE* fp = std::fopen(f.path().c_str(), "r+b");
    ASSERT_NE(fp, nullptr);
    ASSERT_EQ(ftruncate(fileno(fp), (1LL << 30) + 100), 0);
    std::fseek(fp, 0, SEEK_END);
    std::fputs("\nB,K578\n", fp);
    std::fclose(fp);
  }
  Collect sink;
  auto s = ValidateFile(f.path(), *MakeValidator(), &sink, {});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rows_read, 3u);
  EXPECT_EQ(s->episodes_checked, 2u);
  ASSERT_EQ(s->rows_unreadable, 1u);
  bool named = false;
  for (const auto& f2 : sink.all) {
    named =
        named || (f2.rule_id == kRowUnreadable && f2.message.find("the limit is 1048576 bytes") != std::string::npos);
  }
  EXPECT_TRUE(named);
}

// Regression: a first line over the row limit was cut, its tail became a phantom row 2 and every later line
// number was off by one. A header over the limit is an error; a first JSON object over it is an unreadable
// row 1, and row 2 is the file's line 2.
TEST(Validate, FirstLineOverTheRowLimit) {
  ValidateOptions small;
  small.max_line_bytes = 64;
  Collect sink;
  auto header = ValidateText("EPIKEY," + std::string(100, 'X') + ",OPERTN_01\nA,x,K578\n", &sink, small);
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.status().message().find(":1: the header row is 117 bytes; the limit is 64 bytes"), std::string::npos)
      << header.status().message();

  std::string long_json = R"({"id": "A", "procedures": ["K578"], "note": ")" + std::string(100, 'n') + "\"}";
  auto json = ValidateText(long_json + "\n" + R"({"id": "B", "procedures": ["V444"]})" + "\n", &sink, small);
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_EQ(json->rows_read, 2u);
  EXPECT_EQ(json->rows_unreadable, 1u);
  EXPECT_EQ(json->episodes_checked, 1u);
  ASSERT_FALSE(sink.all.empty());
  EXPECT_EQ(sink.all.front().rule_id, kRowUnreadable);
  EXPECT_EQ(sink.all.front().line, 1u);
  EXPECT_EQ(sink.all.front().message,
            "line 1 cannot be read: the row is " + std::to_string(long_json.size()) + " bytes; the limit is 64 bytes");
  for (const auto& f : sink.all) {
    if (f.episode_id == "B") {
      EXPECT_EQ(f.line, 2u);
    }
  }
}

// Regression: a folder given as the episode file said "is empty"; a device (/dev/zero) would be read for
// ever. Both are refused by name.
TEST(Validate, FoldersAndDevicesAreNotEpisodeFiles) {
  Collect sink;
  auto dir = ValidateFile("/tmp", *MakeValidator(), &sink, {});
  EXPECT_EQ(dir.status().message(), "/tmp is a folder, not an episode file");
  auto dev = ValidateFile("/dev/zero", *MakeValidator(), &sink, {});
  EXPECT_EQ(dev.status().message(), "/dev/zero is a device, not an episode file");
  // Messages name the input as the caller does (a server names an upload, never its own spool path).
  ValidateOptions named;
  named.source_name = "upload.csv";
  testing::TempFile empty("spool-1234", "");
  auto e = ValidateFile(empty.path(), *MakeValidator(), &sink, named);
  EXPECT_EQ(e.status().message().rfind("upload.csv is empty", 0), 0u) << e.status().message();
}

// A caller that stops the run (its client has gone) gets the rows read so far and kCancelled.
TEST(Validate, KeepGoingFalseStopsTheRun) {
  std::string csv = "EPIKEY,OPERTN_01\n";
  for (int i = 0; i < 20000; ++i) csv += "E" + std::to_string(i) + ",K578\n";
  ValidateOptions options;
  options.chunk_bytes = 4096;
  int asked = 0;
  options.keep_going = [&asked] { return ++asked < 3; };
  Collect sink;
  auto s = ValidateText(csv, &sink, options);
  EXPECT_EQ(s.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(asked, 3);
}

TEST(Validate, SummaryAndReport) {
  Collect sink;
  auto s = ValidateText("EPIKEY,SEX,DIAG_01,OPERTN_01,OPERTN_02\nA,2,C61X,Z942,K578\nB,1,I50,K578,Y021\n", &sink);
  ASSERT_TRUE(s.ok());
  std::string json = SummaryJson(*s);
  EXPECT_NE(json.find("\"episodes_checked\": 2"), std::string::npos);
  EXPECT_NE(json.find("\"icd10.sex\": 1"), std::string::npos);
  std::string html = HtmlReport(*s);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // self-contained, no scripts
  EXPECT_EQ(html.find("http://cdn"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>Findings per rule</figcaption>"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>Findings per severity</figcaption>"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>Codes most often in findings</figcaption>"), std::string::npos);
  EXPECT_NE(html.find("<rect"), std::string::npos);
  EXPECT_NE(html.find("icd10.sex"), std::string::npos);
}

}  // namespace
}  // namespace clincode
