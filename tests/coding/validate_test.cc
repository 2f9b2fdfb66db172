// Validating files of episodes: every row accounted for, findings in input order, bad input as findings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "clincode/matcher.h"
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

std::vector<Finding> CheckOne(const Validator& v, const std::string& proc, const std::string& diag) {
  Episode ep;
  ep.id = "desk";
  std::vector<std::string> p, d;
  for (auto w : std::vector<std::string>{proc}) {
    std::istringstream in(w);
    for (std::string x; in >> x;) p.push_back(x);
  }
  std::istringstream din(diag);
  for (std::string x; din >> x;) d.push_back(x);
  SetProcedures(p, &ep);
  SetDiagnoses(d, &ep);
  std::vector<Finding> out;
  v.Check(ep, &out);
  return out;
}

std::size_t AtLeastWarnings(const std::vector<Finding>& findings) {
  std::size_t n = 0;
  for (const auto& f : findings) n += f.severity != Severity::kInfo ? 1 : 0;
  return n;
}

// Issue 16: K57.8 is an other specified code that many procedures share; alone it does not make an episode
// IPG655, so it raises no warning, and one info says what would make the match certain.
TEST(MatchGrades, AGenericMainCodeIsEvidenceNotProof) {
  auto v = MakeValidator();
  auto alone = CheckOne(*v, "K57.8", "I48.9");
  EXPECT_EQ(AtLeastWarnings(alone), 0u);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].rule_id, "nice.possible-match");
  EXPECT_NE(alone[0].message.find("K57.8 is an other specified code"), std::string::npos) << alone[0].message;
  EXPECT_NE(alone[0].fix.find("Y02.1 (device)"), std::string::npos) << alone[0].fix;
  // With the device code the match is likely: the missing site is a warning, never an error.
  auto likely = CheckOne(*v, "K57.8 Y02.1 Z94.2", "I50.9");
  bool site_warning = false;
  for (const auto& f : likely) {
    EXPECT_NE(f.severity, Severity::kError) << f.rule_id << ": " << f.message;
    site_warning = site_warning || (f.rule_id == "nice.required-group" && f.message.find("Z33.2") != std::string::npos);
  }
  EXPECT_TRUE(site_warning);
  // A specific main code (V44.4) is a certain match: its missing groups are warnings.
  auto certain = CheckOne(*v, "V44.4 Y53.4", "M80.0");
  EXPECT_GT(AtLeastWarnings(certain), 0u);
}

TEST(MatchGrades, TheMatcherReportsTheGrade) {
  auto library = *GuidanceLibrary::Load({});
  auto rules = *RuleSet::Load({});
  auto matcher = GuidanceMatcher::Create(library, rules.get(), {});
  ASSERT_TRUE(matcher.ok());
  auto grade_of = [&](const std::string& proc) {
    Episode ep;
    std::vector<std::string> p;
    std::istringstream in(proc);
    for (std::string x; in >> x;) p.push_back(x);
    SetProcedures(p, &ep);
    std::vector<GuidanceMatch> m;
    (*matcher)->Match(ep, &m);
    return m.empty() ? std::string("no match") : std::string(MatchGradeName(m.front().grade));
  };
  EXPECT_EQ(grade_of("K57.8"), "possible");
  EXPECT_EQ(grade_of("K57.8 Y02.1"), "likely");
  EXPECT_EQ(grade_of("K57.8 Y02.1 Z33.2"), "certain");
  EXPECT_EQ(grade_of("V44.4"), "certain");
}

// Issue 16: with only the starter data, a code outside it is not checked (no error), and the run says so
// once; the rule that could not run is listed.
TEST(Validate, StarterOnlyCodesAreNotChecked) {
  auto v = MakeValidator();
  auto found = CheckOne(*v, "", "N40X");
  for (const auto& f : found) EXPECT_NE(f.rule_id, "icd10.exists") << f.message;
  ASSERT_EQ(v->notices().size(), 2u);
  EXPECT_NE(v->notices()[1].find("ICD-10: no release loaded"), std::string::npos) << v->notices()[1];
  EXPECT_NE(v->notices()[1].find("not checked: load a release"), std::string::npos) << v->notices()[1];
  Collect sink;
  auto s = ValidateText("EPIKEY,DIAG_01\nA,N40X\n", &sink);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->notices.size(), 2u);
  EXPECT_TRUE(s->rules_not_run.count("icd10.exists"));
  EXPECT_TRUE(std::find(s->rules_run.begin(), s->rules_run.end(), "icd10.sex") != s->rules_run.end());
  EXPECT_NE(SummaryJson(*s).find("\"rules_not_run\""), std::string::npos);
  EXPECT_NE(HtmlReport(*s).find("not checked: load a release"), std::string::npos);
}

// Issue 16: WHO ICD-10 has no UK metadata: the rules that need it are named, once.
TEST(Validate, WhoIcd10SaysWhichRulesCannotRun) {
  CatalogOptions options;
  options.release_paths = {testing::Fixture("who/who_icd10_sample_2019.xml")};
  auto catalog = Catalog::Load(options);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  Validator v(*catalog, *RuleSet::Load({}), *GuidanceLibrary::Load({}));
  std::string all;
  for (const auto& n : v.notices()) all += n + "\n";
  EXPECT_NE(all.find("ICD-10 WHO 2019 has no"), std::string::npos) << all;
  for (const char* id : {"icd10.sex", "icd10.age"}) EXPECT_NE(all.find(id), std::string::npos) << all;
  for (const auto& c : v.coverage()) {
    if (c.rule->id == "icd10.sex") {
      EXPECT_FALSE(c.runs);
    }
    if (c.rule->id == "icd10.exists") {
      EXPECT_TRUE(c.runs);  // a real edition: codes are checked
    }
  }
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
      "B,7,50,I509,K578\n"        // bad SEX: a finding on the field, not an unreadable row
      "C,1,50,\"I509,K578\n"      // unterminated quote
      "D,1,50,I509,K578,extra\n"  // too many fields
      "E,1,50,\xE9,K578\n"        // not UTF-8
      "\n"                        // blank: not a row
      "F,1,50,I509,K578\n",
      &sink);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rows_read, 6u);
  EXPECT_EQ(s->episodes_checked, 3u);
  EXPECT_EQ(s->rows_unreadable, 3u);
  EXPECT_EQ(s->per_rule["episode.sex-valid"], 1u);
  EXPECT_EQ(s->per_code.count("7"), 0u);  // a field's value is not a code among "codes most often in findings"
  EXPECT_EQ(s->rows_read, s->episodes_checked + s->rows_unreadable);  // the count invariant
  std::vector<std::string> unreadable;
  for (const auto& f : sink.all) {
    if (f.rule_id == kRowUnreadable) unreadable.push_back(f.message);
  }
  EXPECT_EQ(unreadable, (std::vector<std::string>{
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
  EXPECT_EQ(html.find("<script src"), std::string::npos);  // self-contained: its one script is inline
  EXPECT_EQ(html.find("http://cdn"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  // The episodes with findings, each rule linked to its explanation in the same file.
  EXPECT_NE(html.find("<table id=\"findings\" class=\"stack\">"), std::string::npos);
  EXPECT_NE(html.find("<td data-label=\"Episode\">A</td>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#rule-icd10.sex\">icd10.sex</a>"), std::string::npos);
  EXPECT_NE(html.find("<tr id=\"rule-icd10.sex\">"), std::string::npos);
  EXPECT_EQ(s->episodes_with_findings, 2u);
  EXPECT_EQ(s->report_episodes, 2u);
  EXPECT_NE(html.find("<figcaption>Findings per rule</figcaption>"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>Findings per severity</figcaption>"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>Codes most often in findings</figcaption>"), std::string::npos);
  // Bars are HTML whose labels are text (readable on a phone and in print), one per rule.
  EXPECT_NE(html.find("<span class=\"bar-label\" title=\"icd10.sex\">icd10.sex</span>"), std::string::npos);
  EXPECT_NE(html.find("icd10.sex"), std::string::npos);
  // A capped table says how many it shows.
  Collect capped;
  ValidateOptions one;
  one.report_episodes = 1;
  auto c =
      ValidateText("EPIKEY,SEX,DIAG_01,OPERTN_01,OPERTN_02\nA,2,C61X,Z942,K578\nB,1,I50,K578,Y021\n", &capped, one);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->report_episodes, 1u);
  for (const auto& f : c->report_findings) EXPECT_EQ(f.episode_id, "A");
  EXPECT_NE(HtmlReport(*c).find("The first 1 of 2 episodes with findings"), std::string::npos);
}

}  // namespace
}  // namespace clincode
