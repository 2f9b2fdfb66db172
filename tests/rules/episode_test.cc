// The episode readers: HES-like CSV rows and JSON objects, read to the same rules.
#include "clincode/episode.h"

#include <gtest/gtest.h>

#include <string>

namespace clincode {
namespace {

Episode ReadCsv(const std::string& header, const std::string& row, std::string* why) {
  auto reader = EpisodeCsvReader::FromHeader(header, "e.csv");
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  Episode ep;
  *why = reader.ok() ? reader->ReadRow(row, 2, &ep) : "no reader";
  return ep;
}

// Regression (heap use after free): unquoted fields were views into a vector of strings that reallocated
// when a later field of the row was unquoted too.
TEST(EpisodeCsv, ManyQuotedFieldsWithDoubledQuotes) {
  std::string why;
  Episode ep = ReadCsv("EPIKEY,OPERTN_01", "\"E\"\"1\",\"K\"\"578\"", &why);
  EXPECT_EQ(why, "");
  EXPECT_EQ(ep.id, "E\"1");
  ASSERT_EQ(ep.procedures.size(), 1u);
  EXPECT_EQ(ep.procedures[0].written, "K\"578");
  EXPECT_EQ(ep.procedures[0].code, "");  // not a code: a finding for the validator, not a crash

  std::string header = "EPIKEY", row = "\"id \"\"with\"\" quotes\"";
  for (int i = 1; i <= 20; ++i) {
    header += ",DIAG_" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    row += ",\"I5\"\"" + std::to_string(i) + "\"\"\"";
  }
  ep = ReadCsv(header, row, &why);
  EXPECT_EQ(why, "");
  EXPECT_EQ(ep.id, "id \"with\" quotes");
  ASSERT_EQ(ep.diagnoses.size(), 20u);
  for (int i = 1; i <= 20; ++i) EXPECT_EQ(ep.diagnoses[i - 1].written, "I5\"" + std::to_string(i) + "\"");

  auto quotes_only = EpisodeCsvReader::FromHeader("\"\"\"\",\"\"\"\"", "e.csv");
  ASSERT_FALSE(quotes_only.ok());
  EXPECT_EQ(quotes_only.status().message(),
            "e.csv:1: no HES column (EPIKEY, SEX, STARTAGE, DIAG_nn, OPERTN_nn) in the header");
}

// Regression (undefined behaviour): {"sex": 9e50} converted a double out of range to int, and JSON sex and age
// were never checked against the ranges the CSV reader enforces.
TEST(EpisodeJson, SexAndAgeHoldToTheCsvReadersRules) {
  // A value HES does not allow is kept for the episode.sex-valid finding, and sex is read as not known.
  for (const char* bad :
       {R"({"sex": 9e50})", R"({"sex": 3})", R"({"sex": -1})", R"({"sex": 1.5})", R"({"sex": "1"})"}) {
    auto e = EpisodeFromJson(bad);
    ASSERT_TRUE(e.ok()) << bad;
    EXPECT_EQ(e->sex, 0) << bad;
    EXPECT_FALSE(e->invalid_sex.empty()) << bad;
  }
  for (const char* bad : {R"({"age": -5})", R"({"age": 1e300})", R"({"age": 3.9})", R"({"age": 4294967338})",
                          R"({"age": 131})", R"({"age": 18446744073709551615})", R"({"age": -1e300})"}) {
    auto e = EpisodeFromJson(bad);
    ASSERT_TRUE(e.ok()) << bad;
    EXPECT_EQ(e->age, -1) << bad;
    EXPECT_FALSE(e->invalid_age.empty()) << bad;
  }
  auto ok = EpisodeFromJson(R"({"sex": 2.0, "age": 42.0})");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->sex, 2);
  EXPECT_EQ(ok->age, 42);
  EXPECT_EQ(EpisodeFromJson(R"({"age": 7003})")->age, 0);  // under one year, as STARTAGE writes it
  EXPECT_EQ(EpisodeFromJson(R"({"age": 130, "sex": 9})")->age, 130);

  // The CSV reader keeps them the same way: the row is read, the value waits for its field rule.
  std::string why;
  Episode old = ReadCsv("SEX,STARTAGE", "1,131", &why);
  EXPECT_EQ(why, "");
  EXPECT_EQ(old.age, -1);
  EXPECT_EQ(old.invalid_age, "131");
  Episode sex = ReadCsv("SEX,STARTAGE,EPISTART", "4,40,2024-13-45", &why);
  EXPECT_EQ(why, "");
  EXPECT_EQ(sex.sex, 0);
  EXPECT_EQ(sex.invalid_sex, "4");
  EXPECT_EQ(sex.start_date, "");
  EXPECT_EQ(sex.invalid_start_date, "2024-13-45");
}

TEST(EpisodeDate, RealCalendarDatesOnly) {
  for (const char* good : {"2024-05-01", "2024-02-29", "2000-02-29", "1999-12-31"})
    EXPECT_TRUE(IsEpisodeDate(good)) << good;
  for (const char* bad : {"2024-13-45", "2023-02-29", "1900-02-29", "2024-04-31", "yesterday", "01/05/2024", "2024-5-1",
                          "20240501", "2024-05-01T00:00", "+024-05-01", "2024-00-10", ""}) {
    EXPECT_FALSE(IsEpisodeDate(bad)) << bad;
  }
}

}  // namespace
}  // namespace clincode
