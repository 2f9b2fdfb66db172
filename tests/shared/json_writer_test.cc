// The JSON writer against nlohmann's dump of the same values, byte for byte, and the search answer it
// writes against the shape built as a json tree.
#include "json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "clincode/search.h"
#include "json_output.h"
#include "support/test_support.h"

namespace clincode::shapes {
namespace {

using nlohmann::json;

std::string Written(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

// UTF-8 of one code point.
std::string Utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

TEST(JsonWriter, EveryAsciiByteIsWrittenAsNlohmannDumpsIt) {
  for (int c = 0; c < 0x80; ++c) {
    std::string s = "a" + std::string(1, static_cast<char>(c)) + "b";
    EXPECT_EQ(Written(s), json(s).dump()) << "byte " << c;
  }
}

TEST(JsonWriter, ValidUtf8IsKeptAsIs) {
  for (std::string s :
       {std::string("Sjögren's syndrome"), std::string("€ 10 – “quoted”"), Utf8(0x1D11E), Utf8(0x80), Utf8(0x7FF),
        Utf8(0x800), Utf8(0xFFFF), Utf8(0x10000), Utf8(0x10FFFF), Utf8(0xD7FF), Utf8(0xE000)}) {
    EXPECT_EQ(Written(s), json(s).dump()) << s;
    EXPECT_EQ(Written(s), "\"" + s + "\"");
  }
}

TEST(JsonWriter, RandomTextMatchesNlohmann) {
  std::mt19937 rng(11);
  // Mostly ASCII with control characters, quotes and backslashes, some two- to four-byte code points.
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<std::uint32_t> ascii(0, 0x7F), bmp(0x80, 0xD7FF), astral(0x10000, 0x10FFFF);
  for (int n = 0; n < 2000; ++n) {
    std::string s;
    for (int i = n % 40; i > 0; --i) {
      int k = kind(rng);
      s += Utf8(k < 7 ? ascii(rng) : k < 9 ? bmp(rng) : astral(rng));
    }
    ASSERT_EQ(Written(s), json(s).dump()) << json(s).dump();
  }
}

TEST(JsonWriter, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  const std::string kFffd = "\xEF\xBF\xBD";
  EXPECT_EQ(Written("a\xFF"
                    "b"),
            "\"a" + kFffd + "b\"");
  EXPECT_EQ(Written("\xC3"), "\"" + kFffd + "\"");                                        // cut short at the end
  EXPECT_EQ(Written("\xC0\xAF"), "\"" + kFffd + kFffd + "\"");                            // overlong '/'
  EXPECT_EQ(Written("\xED\xA0\x80"), "\"" + kFffd + kFffd + kFffd + "\"");                // a surrogate
  EXPECT_EQ(Written("\xF4\x90\x80\x80x"), "\"" + kFffd + kFffd + kFffd + kFffd + "x\"");  // above U+10FFFF
  // What comes out is always valid JSON.
  EXPECT_EQ(json::parse(Written("\xE2\x82")).get<std::string>(), kFffd + kFffd);
}

TEST(JsonWriter, NumbersAsNlohmannDumpsThem) {
  for (double d : {0.0, -0.0, 1.0, 2.0714285714285716, 0.1, 1e-7, 123456789012345680.0, 1e300, -3.5,
                   std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    std::string out;
    AppendJsonNumber(&out, d);
    EXPECT_EQ(out, json(d).dump()) << d;
  }
}

TEST(JsonWriter, NestedValuesWithCommasWhereTheyBelong) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("a").BeginArray().EndArray();
  w.Key("b").BeginArray().Integer(-7).Bool(true).Null().BeginObject().EndObject().BeginArray().Integer(1);
  w.Integer(2).EndArray().EndArray();
  w.Key("c").BeginObject().Field("d", "x").Key("e").Number(0.5).EndObject().EndObject();
  json tree = {
      {"a", json::array()}, {"b", {-7, true, nullptr, json::object(), {1, 2}}}, {"c", {{"d", "x"}, {"e", 0.5}}}};
  EXPECT_EQ(out, tree.dump());
}

// The search answer, built the slow way: the shape as a json tree.
json HitTree(const SearchHit& hit) {
  const Release& release = *hit.release;
  json path = json::array();
  for (std::uint32_t a : release.Ancestors(hit.id)) {
    const CodeEntry& p = release.at(a);
    path.push_back({{"code", p.code}, {"title", p.title}, {"kind", CodeKindName(p.kind)}});
  }
  json j = {{"system", CodeSystemName(release.system())},
            {"code", hit.entry().code},
            {"title", hit.entry().title},
            {"recordable", hit.recordable},
            {"score", hit.score},
            {"match", MatchKindName(hit.kind)},
            {"release", release.Name()},
            {"path", path}};
  if (!hit.matched_term.empty()) j["matched_term"] = hit.matched_term;
  if (!hit.via_term.empty()) j["via"] = {{"term", hit.via_term}, {"means", hit.via_meaning}};
  return j;
}

void ExpectHitsMatchTheTree(const SearchIndex& index, const std::vector<std::string>& queries) {
  std::size_t with_term = 0, with_via = 0, total = 0;
  for (const std::string& q : queries) {
    auto hits = index.Search(q, {.all_systems = true});
    ASSERT_TRUE(hits.ok()) << q << ": " << hits.status().message();
    json tree = json::array();
    for (const SearchHit& h : *hits) {
      tree.push_back(HitTree(h));
      with_term += !h.matched_term.empty();
      with_via += !h.via_term.empty();
    }
    total += hits->size();
    ASSERT_EQ(SearchHitsJson(*hits), tree.dump()) << q;
  }
  EXPECT_GT(total, queries.size());
  EXPECT_GT(with_term, 0u) << "no hit matched on an inclusion term: the matched_term key went untested";
  EXPECT_GT(with_via, 0u) << "no hit came through the lexicon: the via key went untested";
}

TEST(SearchHitsJson, SameTextAsTheJsonTreeOnTheFixtures) {
  auto catalog =
      testing::LoadFixtures({"opcs4/OPCS410_sample.txt", "who/who_icd10_sample_2019.xml",
                             "icd10cm/icd10cm_order_sample_2021.txt", "icd10cm/icd10cm_tabular_sample_2021.xml"},
                            /*starter=*/true);
  auto index = SearchIndex::Build(catalog);
  ExpectHitsMatchTheTree(*index, {"k57", "K57.8", "heart", "fract", "endoscop", "spine", "chole", "vert", "cholera",
                                  "fibrillation", "hypertension", "tuberculosis", "cataract", "AF", "heart attack"});
  EXPECT_EQ(SearchHitsJson({}), "[]");
}

TEST(SearchHitsJson, SameTextAsTheJsonTreeOnTheRealReleases) {
  std::string opcs = testing::SharedData("opcs4-ukb-coding240/coding240.tsv");
  if (opcs.empty()) GTEST_SKIP() << testing::kNoSharedData;
  std::vector<std::string> paths = {opcs, testing::SharedData("icd10-who-2019/icd_10_v2019.xml"),
                                    testing::SharedData("icd10cm-2021/icd10cm_tabular_2021.xml"),
                                    testing::SharedData("icd10cm-2021/icd10cm-order-Jan-2021.txt")};
  CatalogOptions options;
  options.release_paths = paths;
  auto catalog = Catalog::Load(options);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto index = SearchIndex::Build(*catalog);
  std::vector<std::string> queries;
  // Two- to five-letter prefixes of common words of titles, and some codes.
  for (std::string w : {"fracture", "neoplasm", "infection", "diabetes", "pregnancy", "syndrome", "injury", "disorder",
                        "operation", "excision", "haemorrhage", "hemorrhage", "sjogren", "cafe"})
    for (std::size_t n = 2; n <= 5; ++n) queries.push_back(w.substr(0, n));
  for (const char* c : {"A00", "K57.8", "S72", "O09.5", "Z94", "DVT", "kidney stones", "anemia"}) queries.push_back(c);
  ExpectHitsMatchTheTree(*index, queries);
}

}  // namespace
}  // namespace clincode::shapes
