// The open real releases in ../shared/data, with the exact counts its README gives. Skipped when absent.
#include <gtest/gtest.h>

#include <algorithm>

#include "clincode/catalog.h"
#include "clincode/search.h"
#include "support/test_support.h"

namespace clincode {
namespace {

using testing::SharedData;

std::shared_ptr<const Catalog> LoadShared(const std::vector<std::string>& files) {
  CatalogOptions options;
  for (const auto& f : files) options.release_paths.push_back(SharedData(f));
  options.starter_for_missing_systems = false;
  auto c = Catalog::Load(options);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : nullptr;
}

TEST(RealReleases, UkBiobankOpcs4) {
  if (SharedData("").empty()) GTEST_SKIP() << testing::kNoSharedData;
  auto c = LoadShared({"opcs4-ukb-coding240/coding240.tsv"});
  const Release& r = *c->releases().at(0);
  EXPECT_EQ(r.counts().chapters, 25u);
  EXPECT_EQ(r.counts().categories, 1566u);
  EXPECT_EQ(r.counts().codes, 9697u);
  EXPECT_EQ(r.size(), 11288u);
  EXPECT_EQ(r.Find("V44.6"), Release::kNone);  // older than OPCS-4.8
  EXPECT_TRUE(r.at(r.Find("X63")).flags.retired);
}

TEST(RealReleases, WhoIcd10) {
  if (SharedData("").empty()) GTEST_SKIP() << testing::kNoSharedData;
  auto c = LoadShared({"icd10-who-2019/icd_10_v2019.xml"});
  const Release& r = *c->releases().at(0);
  EXPECT_EQ(r.counts().chapters, 22u);
  EXPECT_EQ(r.counts().blocks, 274u);
  EXPECT_EQ(r.counts().categories, 2050u);
  EXPECT_EQ(r.counts().codes, 10196u);
  EXPECT_EQ(r.info().version, "2019");
}

TEST(RealReleases, Icd10Cm) {
  if (SharedData("").empty()) GTEST_SKIP() << testing::kNoSharedData;
  auto order = LoadShared({"icd10cm-2021/icd10cm-order-Jan-2021.txt"});
  const Release& o = *order->releases().at(0);
  EXPECT_EQ(o.size(), 95358u);
  std::size_t billable = 0;
  for (std::uint32_t i = 0; i < o.size(); ++i) billable += o.at(i).flags.billable ? 1 : 0;
  EXPECT_EQ(billable, 72621u);
  EXPECT_EQ(o.size() - billable, 22737u);

  auto both = LoadShared({"icd10cm-2021/icd10cm-order-Jan-2021.txt", "icd10cm-2021/icd10cm_tabular_2021.xml"});
  ASSERT_EQ(both->releases().size(), 1u);
  const Release& r = *both->releases()[0];
  EXPECT_EQ(r.counts().chapters, 22u);
  EXPECT_EQ(r.counts().blocks, 296u);
  EXPECT_EQ(r.counts().categories + r.counts().codes, 95358u);
  // Every code has a chapter above it once the tabular list is loaded.
  for (std::uint32_t id : r.CodesInOrder()) {
    auto anc = r.Ancestors(id);
    ASSERT_FALSE(anc.empty()) << r.at(id).code;
    ASSERT_EQ(r.at(anc.front()).kind, CodeKind::kChapter) << r.at(id).code;
  }
  const CodeEntry& i50 = r.at(r.Find("I50"));
  EXPECT_FALSE(i50.notes.empty());
}

TEST(RealReleases, AllThreeTogetherAndSearch) {
  if (SharedData("").empty()) GTEST_SKIP() << testing::kNoSharedData;
  auto c = LoadShared({"opcs4-ukb-coding240/coding240.tsv", "icd10-who-2019/icd_10_v2019.xml",
                       "icd10cm-2021/icd10cm-order-Jan-2021.txt", "icd10cm-2021/icd10cm_tabular_2021.xml"});
  ASSERT_EQ(c->releases().size(), 3u);
  auto index = SearchIndex::Build(c);
  auto hits = index->Search("meniere", {});
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  bool who = false;
  for (const auto& h : *hits) who = who || h.entry().title == "Ménière disease";
  EXPECT_TRUE(who);
  auto v = index->Search("vertebroplasty", {.system = CodeSystem::kOpcs4});
  ASSERT_TRUE(v.ok());
  ASSERT_FALSE(v->empty());
  EXPECT_EQ(v->front().entry().code, "V44.4");
}

}  // namespace
}  // namespace clincode

namespace clincode {
namespace {

// The full classifications in the TRUD forms: OPCS-4 CodesAndTitles (text and XML) and ICD-10 5th Edition
// CodesAndTitlesAndMetadata XML, written here from the open releases (TRUD files cannot be shipped), load
// with the same counts as their sources.
TEST(RealReleases, FullClassificationsInTrudForms) {
  if (SharedData("").empty()) GTEST_SKIP() << testing::kNoSharedData;
  auto open = LoadShared({"opcs4-ukb-coding240/coding240.tsv", "icd10-who-2019/icd_10_v2019.xml"});
  const Release& ukb = *open->ReleasesOf(CodeSystem::kOpcs4).front();
  const Release& who = *open->ReleasesOf(CodeSystem::kIcd10).front();
  std::string text,
      xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dsv xmlns=\"https://www.digital.nhs.uk/opcs/codes\">\n";
  auto escape = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '&')
        out += "&amp;";
      else if (c == '"')
        out += "&quot;";
      else if (c == '<')
        out += "&lt;";
      else
        out += c;
    }
    return out;
  };
  for (std::uint32_t id : ukb.CodesInOrder()) {
    text += ukb.at(id).code + "\t" + ukb.at(id).title + "\r\n";
    xml += "    <code CODE=\"" + ukb.at(id).code + "\" TITLE=\"" + escape(ukb.at(id).title) + "\"/>\n";
  }
  xml += "</dsv>\n";
  std::string uk = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DSV xmlns=\"urn:nhs-org:icd-10\">\n";
  for (std::uint32_t id : who.CodesInOrder()) {
    const CodeEntry& e = who.at(id);
    std::string alt = e.code;
    alt.erase(std::remove(alt.begin(), alt.end(), '.'), alt.end());
    if (e.flags.undivided) alt += "X";
    uk += "  <CLASS CODE=\"" + e.code + "\" ALT_CODE=\"" + alt + "\" USAGE=\"DEFAULT\" USAGE_UK=\"3\" DESCRIPTION=\"" +
          escape(e.title) + "\" />\n";
  }
  uk += "</DSV>\n";
  testing::TempFile opcs_text("OPCS410 full.txt", text);
  testing::TempFile opcs_xml("OPCS411 full.xml", xml);
  testing::TempFile icd_xml("ICD10_Edition5_full_GB_20160401.xml", uk);

  CatalogOptions options;
  options.release_paths = {opcs_text.path(), opcs_xml.path(), icd_xml.path(),
                           SharedData("icd10-who-2019/icd_10_v2019.xml")};
  options.starter_for_missing_systems = false;
  auto c = Catalog::Load(options);
  ASSERT_TRUE(c.ok()) << c.status().message();
  auto opcs = (*c)->ReleasesOf(CodeSystem::kOpcs4);
  ASSERT_EQ(opcs.size(), 2u);
  for (const Release* r : opcs) {
    EXPECT_EQ(r->counts().categories, 1566u) << r->Name();
    EXPECT_EQ(r->counts().codes, 9697u) << r->Name();
    EXPECT_EQ(r->counts().chapters, 25u) << r->Name();
  }
  auto icd = (*c)->ReleasesOf(CodeSystem::kIcd10);
  ASSERT_EQ(icd.size(), 2u);
  const Release& uk_release = *icd[0];
  EXPECT_EQ(uk_release.info().edition, "ICD-10 UK 5th Edition");
  EXPECT_EQ(uk_release.counts().categories, 2050u);
  EXPECT_EQ(uk_release.counts().codes, 10196u);
  EXPECT_EQ(uk_release.counts().blocks, 274u);  // taken from WHO
  EXPECT_TRUE(uk_release.at(uk_release.Find("C61")).flags.undivided);
}

}  // namespace
}  // namespace clincode

#include "clincode/guidance_library.h"

namespace clincode {
namespace {

// `guidance check` against a full OPCS-4 release finds what an older edition lacks.
TEST(RealReleases, GuidanceCheckAgainstTheUkBiobankOpcs4) {
  if (SharedData("").empty()) GTEST_SKIP() << testing::kNoSharedData;
  auto catalog = LoadShared({"opcs4-ukb-coding240/coding240.tsv"});
  auto lib = GuidanceLibrary::Load({});
  ASSERT_TRUE(lib.ok());
  auto problems = CheckGuidance(**lib, *catalog);
  bool v446 = false;
  for (const auto& p : problems)
    v446 = v446 || (p.guidance_id == "IPG12" && p.kind == "unknown_code" && p.code == "V44.6");
  EXPECT_TRUE(v446);
  for (const auto& p : problems) EXPECT_NE(p.code, "K57.8") << p.message;  // present in every edition
}

}  // namespace
}  // namespace clincode
