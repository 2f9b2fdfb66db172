// CSV quoting of findings: the eight-bytes-at-a-time test against the plain definition, and the rows.
#include "csv_field.h"

#include <gtest/gtest.h>

#include <string>

#include "findings_json.h"

namespace clincode::shapes {
namespace {

bool NeedsQuotesPlainly(std::string_view s) { return s.find_first_of(",\"\n\r") != std::string_view::npos; }

TEST(CsvField, QuotesTestAgreesWithThePlainDefinitionAtEveryPlaceAndLength) {
  // Every special byte at every position of fields 0 to 40 bytes long, among bytes on both sides of each
  // special one (the bit test must not mistake '+' or '-' for ',', nor 0x8C for the high-bit trick).
  const std::string fillers = "a+-./!#\x0b\x0c\x8c\xe2\x80\xa0";
  for (char special : std::string(",\"\n\r")) {
    for (std::size_t len = 0; len <= 40; ++len) {
      for (char filler : fillers) {
        std::string s(len, filler);
        EXPECT_EQ(NeedsCsvQuotes(s), NeedsQuotesPlainly(s)) << len;
        for (std::size_t at = 0; at < len; ++at) {
          std::string t = s;
          t[at] = special;
          ASSERT_TRUE(NeedsCsvQuotes(t)) << "special " << int(special) << " at " << at << " of " << len;
        }
      }
    }
  }
}

TEST(CsvField, QuotesAndDoublesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("K57.8"), "K57.8");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"no\""), "\"say \"\"no\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST(CsvField, FindingRowQuotesEveryColumnThatNeedsIt) {
  Finding f{"ep,1", 3, "my,rule", "DCS.IV", Severity::kWarning, "OPERTN_01", "K57.8", "K57.8, twice", "say \"once\""};
  EXPECT_EQ(FindingCsv(f), "\"ep,1\",\"my,rule\",warning,OPERTN_01,K57.8,\"K57.8, twice\",\"say \"\"once\"\"\"");
  EXPECT_EQ(FindingLines({f, f}, true), FindingCsv(f) + "\n" + FindingCsv(f) + "\n");
}

}  // namespace
}  // namespace clincode::shapes
