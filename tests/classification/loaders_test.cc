// Every release form read from a hand-made fixture, and broken files failing with the exact error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/normalise.h"
#include "support/test_support.h"

namespace clincode {
namespace {

using testing::Fixture;
using testing::LoadFixtures;

const Release& Only(const Catalog& c) {
  EXPECT_EQ(c.releases().size(), 1u);
  return *c.releases().front();
}

const CodeEntry& Entry(const Release& r, std::string_view code) {
  std::uint32_t id = r.Find(code);
  EXPECT_NE(id, Release::kNone) << code;
  static const CodeEntry kMissing;
  return id == Release::kNone ? kMissing : r.at(id);
}

// The error of loading one fixture, with the fixture folder replaced by "data/".
std::string LoadError(const std::string& relative) {
  CatalogOptions options;
  options.release_paths = {Fixture(relative)};
  auto c = Catalog::Load(options);
  if (c.ok()) return "loaded";
  std::string msg = c.status().message();
  std::string dir = Fixture("");
  for (std::size_t pos; (pos = msg.find(dir)) != std::string::npos;) msg.replace(pos, dir.size(), "data/");
  return msg;
}

TEST(Opcs4Loader, TextFormWithVersionFromName) {
  auto c = LoadFixtures({"opcs4/OPCS410_sample.txt"});
  const Release& r = Only(*c);
  EXPECT_EQ(r.info().version, "4.10");
  EXPECT_EQ(r.info().edition, "OPCS-4.10");
  EXPECT_EQ(r.counts().categories, 8u);
  EXPECT_EQ(r.counts().codes, 13u);
  EXPECT_EQ(r.counts().chapters, 25u);  // chapter titles come from clincode's table
  const CodeEntry& k = Entry(r, "K57.8");
  EXPECT_EQ(k.title, "Other specified other therapeutic transluminal operations on heart");
  EXPECT_EQ(k.kind, CodeKind::kCode);
  EXPECT_EQ(r.at(k.parent).code, "K57");
  EXPECT_EQ(r.at(r.at(k.parent).parent).code, "Chapter K");
  EXPECT_EQ(r.at(r.at(k.parent).parent).title, "Heart");
  EXPECT_FALSE(k.flags.subsidiary);
  EXPECT_TRUE(k.flags.selectable);
  EXPECT_TRUE(Entry(r, "Y53.4").flags.subsidiary);
  EXPECT_TRUE(Entry(r, "O14.2").flags.subsidiary);  // overflow extending Chapter Z
  EXPECT_TRUE(Entry(r, "X63").flags.retired);
  EXPECT_TRUE(Entry(r, "X63.2").flags.retired);
  EXPECT_FALSE(Entry(r, "X63.2").flags.selectable);
  EXPECT_FALSE(Entry(r, "K57").flags.selectable);
}

TEST(Opcs4Loader, XmlFormAndSideBySideVersions) {
  auto c = LoadFixtures({"opcs4/OPCS410_sample.txt", "opcs4/OPCS411_sample.xml"});
  ASSERT_EQ(c->releases().size(), 2u);
  const Release& v411 = *c->releases()[1];
  EXPECT_EQ(v411.info().version, "4.11");
  EXPECT_EQ(v411.info().formats.front(), ReleaseFormat::kOpcs4Xml);
  EXPECT_NE(v411.Find("V44.7"), Release::kNone);
  EXPECT_EQ(c->releases()[0]->Find("V44.7"), Release::kNone);
  auto hits = c->Lookup("v447");
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().release, &v411);
}

TEST(Opcs4Loader, UkBiobankTree) {
  auto c = LoadFixtures({"opcs4/ukb_opcs4_tree_sample.tsv"});
  const Release& r = Only(*c);
  const CodeEntry& v = Entry(r, "V44.4");
  EXPECT_EQ(v.title, "Vertebroplasty of fracture of spine");
  EXPECT_EQ(r.at(v.parent).code, "V44");
  EXPECT_EQ(Entry(r, "Chapter V").title, "Bones and Joints of Skull and Spine");
  EXPECT_EQ(r.counts().categories, 2u);
  EXPECT_EQ(r.counts().codes, 2u);
}

TEST(Icd10UkLoader, XmlMetadata) {
  auto c = LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml"});
  const Release& r = Only(*c);
  EXPECT_EQ(r.info().edition, "ICD-10 UK 5th Edition");
  EXPECT_EQ(r.info().version, "5th Edition (2016-04-01)");
  const CodeEntry& a = Entry(r, "A17.0");
  EXPECT_EQ(a.flags.usage, DaggerAsterisk::kDagger);
  EXPECT_EQ(a.flags.usage_uk, 1);
  EXPECT_EQ(a.asterisk_partners, std::vector<std::string>{"G01"});
  EXPECT_EQ(Entry(r, "A17.8").flags.usage_uk, 4);
  EXPECT_EQ(Entry(r, "G01").flags.usage, DaggerAsterisk::kAsterisk);
  const CodeEntry& c61 = Entry(r, "C61");
  EXPECT_TRUE(c61.flags.undivided);
  EXPECT_TRUE(c61.flags.selectable);
  EXPECT_EQ(c61.flags.sex, SexRestriction::kMaleOnly);
  EXPECT_FALSE(Entry(r, "I50").flags.undivided);
  EXPECT_FALSE(Entry(r, "I50").flags.selectable);
  EXPECT_EQ(Entry(r, "M80.0").flags.sex, SexRestriction::kFemaleOnly);
  const CodeEntry& o = Entry(r, "O80.0");
  EXPECT_EQ(o.flags.min_age, 10);
  EXPECT_EQ(o.flags.max_age, 55);
  EXPECT_EQ(Entry(r, "V01.0").flags.usage_uk, 0);
  ASSERT_EQ(Entry(r, "M80").notes.size(), 1u);  // the axis of its subdivisions ("Site"), not in the title
  EXPECT_EQ(Entry(r, "M80").title, "Osteoporosis with pathological fracture");
  EXPECT_EQ(Entry(r, "M80").notes[0].kind, NoteKind::kModifier);
  // Without WHO, categories hang from clincode's chapter table.
  EXPECT_EQ(r.at(Entry(r, "I50").parent).code, "Chapter IX");
}

// The fixture holds every shape FORMATS.md measures on the real 2016-04-01 file; its counts are exact.
TEST(Icd10UkLoader, EveryShapeOfTheDistributedFile) {
  for (const char* name :
       {"icd10/icd10_edition5_sample_GB_20160401.xml", "icd10/icd10_edition5_sample_GB_20160401.txt"}) {
    SCOPED_TRACE(name);
    auto c = LoadFixtures({name});
    const Release& r = Only(*c);
    std::map<std::string, int> shapes, usage, usage_uk, gender;
    int min_age = 0, max_age = 0, several_partners = 0, partners = 0, modifier_titles = 0, non_ascii = 0;
    for (std::uint32_t i = 0; i < r.size(); ++i) {
      const CodeEntry& e = r.at(i);
      if (e.kind != CodeKind::kCategory && e.kind != CodeKind::kCode) continue;
      std::string shape = e.code.size() == 3   ? (e.flags.undivided ? "3 undivided" : "3")
                          : e.code.size() == 5 ? "4"
                          : e.code[4] == 'X'   ? "5 under X"
                                               : "5";
      ++shapes[shape];
      ++usage[std::string(DaggerAsteriskName(e.flags.usage))];
      ++usage_uk[std::to_string(e.flags.usage_uk)];
      if (e.flags.sex != SexRestriction::kNone) ++gender[std::string(SexRestrictionName(e.flags.sex))];
      min_age += e.flags.min_age != kNoAge;
      max_age += e.flags.max_age != kNoAge;
      partners += !e.asterisk_partners.empty();
      several_partners += e.asterisk_partners.size() > 1;
      for (const Note& n : e.notes) {  // the title ends with the modifier, joined: "..., with coma"
        std::string joined = ", " + n.text;
        joined[2] = static_cast<char>(std::tolower(static_cast<unsigned char>(joined[2])));
        modifier_titles += n.kind == NoteKind::kModifier && e.title.size() > joined.size() &&
                           e.title.compare(e.title.size() - joined.size(), joined.size(), joined) == 0;
      }
      non_ascii += std::any_of(e.title.begin(), e.title.end(), [](char ch) { return (ch & 0x80) != 0; });
    }
    EXPECT_EQ(r.counts().categories + r.counts().codes, 47u);
    EXPECT_EQ(shapes,
              (std::map<std::string, int>{{"3", 16}, {"3 undivided", 5}, {"4", 19}, {"5", 3}, {"5 under X", 4}}));
    EXPECT_EQ(usage, (std::map<std::string, int>{{"", 33}, {"asterisk", 10}, {"dagger", 4}}));
    EXPECT_EQ(usage_uk, (std::map<std::string, int>{{"0", 4}, {"1", 3}, {"2", 10}, {"3", 29}, {"4", 1}}));
    EXPECT_EQ(gender, (std::map<std::string, int>{{"female", 4}, {"male", 1}}));
    EXPECT_EQ(min_age, 3);
    EXPECT_EQ(max_age, 4);
    EXPECT_EQ(partners, 3);
    EXPECT_EQ(several_partners, 2);
    EXPECT_EQ(modifier_titles, 9);
    EXPECT_EQ(non_ascii, 3);
  }
}

TEST(Icd10UkLoader, FifthCharacterUnderAnUndividedCategory) {
  auto c = LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml"});
  const Release& r = Only(*c);
  const CodeEntry& m = Entry(r, "M45.X0");
  EXPECT_EQ(r.at(m.parent).code, "M45");
  EXPECT_TRUE(m.flags.selectable);
  EXPECT_TRUE(Entry(r, "M45").flags.undivided);
  for (const char* written : {"M45X0", "m45.x0", "M45.X0"}) {
    auto hits = c->Lookup(written);
    ASSERT_TRUE(hits.ok()) << written;
    ASSERT_EQ(hits->size(), 1u) << written;
    EXPECT_EQ(r.at(hits->front().id).code, "M45.X0") << written;
  }
  EXPECT_EQ(CdsForm(CodeSystem::kIcd10, "M45.X0", false, DaggerAsterisk::kNone), "M45X0");
}

TEST(Icd10UkLoader, TitlesJoinTheModifierThatCarriesTheMeaning) {
  auto c = LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml"});
  const Release& r = Only(*c);
  EXPECT_EQ(Entry(r, "E10.0").title, "Type 1 diabetes mellitus, with coma");
  EXPECT_EQ(Entry(r, "M45.X0").title, "Ankylosing spondylitis, multiple sites in spine");
  EXPECT_EQ(Entry(r, "I70.01").title, "Atherosclerosis of aorta, with gangrene");
  EXPECT_EQ(Entry(r, "M80.05").title,
            "Postmenopausal osteoporosis with pathological fracture, pelvic region and thigh");
  EXPECT_EQ(Entry(r, "E10").title, "Type 1 diabetes mellitus");
  EXPECT_EQ(Entry(r, "C84.1").title, "S\xC3\xA9zary disease");
  ASSERT_EQ(Entry(r, "E10.0").notes.size(), 1u);  // the modifier is kept as written too
  EXPECT_EQ(Entry(r, "E10.0").notes[0].text, "With coma");
}

TEST(Icd10UkLoader, DaggerWithSeveralAsteriskPartners) {
  auto c = LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml"});
  const Release& r = Only(*c);
  EXPECT_EQ(Entry(r, "B57.0").asterisk_partners, (std::vector<std::string>{"I41.2", "I98.1"}));
  EXPECT_EQ(Entry(r, "L40.5").asterisk_partners.size(), 6u);
  EXPECT_EQ(Entry(r, "L40.5").asterisk_partners.back(), "M09.09");
}

TEST(Icd10UkLoader, TextFormMatchesXml) {
  auto xml = LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml"});
  auto txt = LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.txt"});
  const Release& a = Only(*xml);
  const Release& b = Only(*txt);
  ASSERT_EQ(a.size(), b.size());
  for (std::uint32_t i = 0; i < a.size(); ++i) {
    const CodeEntry& e = a.at(i);
    const CodeEntry& f = Entry(b, e.code);
    EXPECT_EQ(e.title, f.title);
    EXPECT_EQ(e.flags.usage_uk, f.flags.usage_uk) << e.code;
    EXPECT_EQ(e.flags.sex, f.flags.sex) << e.code;
    EXPECT_EQ(e.flags.undivided, f.flags.undivided) << e.code;
    EXPECT_EQ(e.asterisk_partners, f.asterisk_partners) << e.code;
    EXPECT_EQ(e.notes.size(), f.notes.size()) << e.code;
  }
}

TEST(Icd10UkLoader, TakesBlocksFromWhoWhenLoadedTogether) {
  auto c = LoadFixtures({"icd10/icd10_edition5_sample_GB_20160401.xml", "who/who_icd10_sample_2019.xml"});
  ASSERT_EQ(c->releases().size(), 2u);
  const Release& uk = *c->releases()[0];  // the UK edition ranks first
  EXPECT_EQ(uk.info().edition, "ICD-10 UK 5th Edition");
  std::vector<std::string> path;
  for (std::uint32_t a : uk.Ancestors(uk.Find("C61"))) path.push_back(uk.at(a).code);
  EXPECT_EQ(path, (std::vector<std::string>{"Chapter II", "C00-C97", "C60-C63"}));
  EXPECT_EQ(uk.at(uk.Find("C60-C63")).title, "Malignant neoplasms of male genital organs");
}

TEST(WhoLoader, NestedBlocksAndBom) {
  auto c = LoadFixtures({"who/who_icd10_sample_2019.xml"});
  const Release& r = Only(*c);
  EXPECT_EQ(r.info().edition, "ICD-10 WHO 2019");
  EXPECT_EQ(r.counts().chapters, 22u);  // 4 in the file; the rest from the chapter table
  EXPECT_EQ(r.counts().blocks, 5u);
  EXPECT_EQ(Entry(r, "H81.0").title, "Ménière disease");
  EXPECT_EQ(r.at(Entry(r, "C60-C63").parent).code, "C00-C97");
  EXPECT_TRUE(Entry(r, "C61").flags.undivided);  // no subcategories
}

TEST(Icd10CmLoader, OrderFileAndTabularMerge) {
  auto c = LoadFixtures({"icd10cm/icd10cm_order_sample_2021.txt", "icd10cm/icd10cm_tabular_sample_2021.xml"});
  const Release& r = Only(*c);
  EXPECT_EQ(r.info().edition, "ICD-10-CM 2021");
  EXPECT_EQ(r.info().sources.size(), 2u);
  EXPECT_TRUE(Entry(r, "I50.9").flags.billable);
  EXPECT_FALSE(Entry(r, "I50.2").flags.billable);
  EXPECT_TRUE(Entry(r, "S22.000A").flags.billable);
  EXPECT_EQ(Entry(r, "S22.000A").title,
            "Wedge compression fracture of unspecified thoracic vertebra, initial encounter for closed fracture");
  // The order-file-only code hangs below its tabular parent.
  EXPECT_EQ(r.at(Entry(r, "S22.000A").parent).code, "S22.000");
  // A one-category section keeps its own code.
  EXPECT_EQ(r.at(Entry(r, "B10").parent).code, "B10-B10");
  EXPECT_EQ(r.counts().chapters, 3u);
  EXPECT_EQ(r.counts().blocks, 3u);
  const CodeEntry& i50 = Entry(r, "I50");
  std::vector<NoteKind> kinds;
  for (const Note& n : i50.notes) kinds.push_back(n.kind);
  EXPECT_EQ(kinds, (std::vector<NoteKind>{NoteKind::kCodeFirst, NoteKind::kUseAdditionalCode, NoteKind::kExcludes1}));
  ASSERT_EQ(Entry(r, "I50.1").notes.size(), 2u);
  EXPECT_EQ(Entry(r, "I50.1").notes[1].text, "Left heart failure");
  EXPECT_EQ(Entry(r, "I50.1").notes[1].kind, NoteKind::kInclusion);
  EXPECT_EQ(Entry(r, "I50.2").notes[0].kind, NoteKind::kCodeAlso);
  EXPECT_EQ(Entry(r, "S22").notes[0].kind, NoteKind::kSeventhCharacter);
  EXPECT_EQ(Entry(r, "S22").notes[0].text, "A: initial encounter for closed fracture");
  EXPECT_EQ(Entry(r, "B10").notes[0].kind, NoteKind::kExcludes2);
}

TEST(Icd10CmLoader, TabularAloneMarksLeavesBillable) {
  auto c = LoadFixtures({"icd10cm/icd10cm_tabular_sample_2021.xml"});
  const Release& r = Only(*c);
  EXPECT_TRUE(Entry(r, "I50.9").flags.billable);
  EXPECT_FALSE(Entry(r, "I50").flags.billable);
  EXPECT_FALSE(Entry(r, "S22.000").flags.billable);  // needs its seventh character
}

TEST(CptLoader, QuotedCsv) {
  auto c = LoadFixtures({"cpt/cpt_sample.csv"});
  const Release& r = Only(*c);
  EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(Entry(r, "0408T").title, "Licensed descriptor text, with a comma");
  EXPECT_EQ(Entry(r, "99213").title, "A \"quoted\" word");
}

TEST(BrokenFiles, FailWithFileLineAndReason) {
  EXPECT_EQ(LoadError("broken/OPCS410_too_few_columns.txt"),
            "data/broken/OPCS410_too_few_columns.txt:2: expected 2 tab-separated columns (code, title), found 1");
  EXPECT_EQ(LoadError("broken/OPCS410_bad_code.txt"),
            "data/broken/OPCS410_bad_code.txt:2: malformed OPCS-4 code \"K5X.8\": expected a letter and two "
            "digits, as in K57.8");
  EXPECT_EQ(LoadError("broken/OPCS410_latin1.txt"),
            "data/broken/OPCS410_latin1.txt:2: not UTF-8 (byte 0xE9 at column 8); save the file as UTF-8");
  EXPECT_EQ(LoadError("broken/utf16.txt"), "data/broken/utf16.txt:1: the file is UTF-16 encoded; save it as UTF-8");
  EXPECT_EQ(LoadError("broken/icd10_bad_qualifier.xml"),
            "data/broken/icd10_bad_qualifier.xml:4: QUALIFIERS \"I41.2^I9X.1\": \"I9X.1\" is not an ICD-10 code "
            "(malformed ICD-10 code \"I9X.1\": expected a letter and two digits, as in I50.0)");
  EXPECT_EQ(LoadError("broken/icd10_bad_qualifier.xml"),
            "data/broken/icd10_bad_qualifier.xml:4: QUALIFIERS \"I41.2^I9X.1\": \"I9X.1\" is not an ICD-10 code "
            "(malformed ICD-10 code \"I9X.1\": expected a letter and two digits, as in I50.0)");
  EXPECT_EQ(LoadError("broken/icd10_bad_gender.xml"),
            "data/broken/icd10_bad_gender.xml:6: GENDER_MASK must be a number from 0 to 2, found \"7\"");
  EXPECT_EQ(LoadError("broken/icd10cm_order_bad_flag.txt"),
            "data/broken/icd10cm_order_bad_flag.txt:3: billable flag must be 0 or 1, found \"X\"");
  EXPECT_EQ(LoadError("broken/cpt_three_columns.csv"),
            "data/broken/cpt_three_columns.csv:1: expected 2 columns (code, descriptor), found 3");
  EXPECT_EQ(LoadError("broken/empty.txt"), "data/broken/empty.txt: the file is empty");
}

TEST(BrokenFiles, TruncatedXmlNamesTheLine) {
  std::string e = LoadError("broken/opcs4_truncated.xml");
  EXPECT_EQ(e.rfind("data/broken/opcs4_truncated.xml:", 0), 0u) << e;
  EXPECT_NE(e.find("malformed XML"), std::string::npos) << e;
  EXPECT_NE(e.find("truncated"), std::string::npos) << e;
}

TEST(BrokenFiles, UnknownFormatsAreNamedNotLoaded) {
  EXPECT_EQ(LoadError("broken/unknown_root.xml"),
            "data/broken/unknown_root.xml: unknown release format: XML with root element <catalog> (clincode "
            "reads OPCS-4 CodesAndTitles, ICD-10 5th Edition, WHO ICD-10, ICD-10-CM tabular and index XML)");
  std::string e = LoadError("broken/unknown.txt");
  EXPECT_NE(e.find("unknown release format (first line \"This is a note, not a release.\")"), std::string::npos) << e;
  // One bad file among good ones fails the whole load: nothing is half-loaded.
  CatalogOptions options;
  options.release_paths = {Fixture("opcs4/OPCS410_sample.txt"), Fixture("broken/unknown.txt")};
  EXPECT_FALSE(Catalog::Load(options).ok());
}

// Regression: a UK Biobank tree whose chapter has one of its own categories as parent grew Ancestors() until
// bad_alloc. A cycle, a parent id that names no row and a node id used twice are load errors naming lines.
TEST(BrokenFiles, ParentCyclesAndDanglingParentsAreLoadErrors) {
  EXPECT_EQ(LoadError("broken/ukb_parent_cycle.tsv"),
            "data/broken/ukb_parent_cycle.tsv:2: the parents form a cycle: Chapter V (line 2) -> V44 (line 3) -> "
            "Chapter V; each code needs a parent above it in the tree");
  EXPECT_EQ(LoadError("broken/ukb_dangling_parent.tsv"),
            "data/broken/ukb_dangling_parent.tsv:3: parent_id 999 is not the node_id of any row");
  testing::TempFile twice("ukb_twice.tsv",
                          "coding\tmeaning\tnode_id\tparent_id\tselectable\n"
                          "Chapter V\tChapter V - Bones and Joints\t21\t0\tN\n"
                          "V44\tV44 Decompression of fracture of spine\t21\t0\tN\n");
  CatalogOptions options;
  options.release_paths = {twice.path()};
  auto c = Catalog::Load(options);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(":3: node_id 21 is used twice (also at line 2)"), std::string::npos)
      << c.status().message();
}

// A nested XML release as deep as a hostile file likes: a clear error, not a stack overflow in the readers.
TEST(BrokenFiles, DeeplyNestedXmlIsRefusedNotAStackOverflow) {
  const int depth = 30000;
  std::string who = "<ICD10>";
  for (int i = 0; i < depth; ++i) who += "<item type=\"block\"><name>A00-A09</name>";
  for (int i = 0; i < depth; ++i) who += "</item>";
  who += "</ICD10>\n";
  std::string cm = "<ICD10CM.tabular><chapter><name>1</name><section id=\"A00-A09\">";
  for (int i = 0; i < depth; ++i) cm += "<diag><name>A00</name><desc>Cholera</desc>";
  for (int i = 0; i < depth; ++i) cm += "</diag>";
  cm += "</section></chapter></ICD10CM.tabular>\n";
  for (const auto& [name, text, element] :
       {std::tuple{"icd_10_deep.xml", who, "<item>"}, std::tuple{"icd10cm_tabular_deep.xml", cm, "<diag>"}}) {
    testing::TempFile f(name, text);
    CatalogOptions options;
    options.release_paths = {f.path()};
    auto c = Catalog::Load(options);
    ASSERT_FALSE(c.ok()) << name;
    EXPECT_NE(c.status().message().find(std::string(":1: ") + element + " elements nested over 32 deep"),
              std::string::npos)
        << c.status().message();
  }
}

// Regression: a text release cut mid-row loaded silently with half a title. It still loads (a whole file
// saved without its last line end must), but the catalog says what it saw.
TEST(BrokenFiles, TruncatedTextReleaseLoadsWithANote) {
  auto c = LoadFixtures({"broken/OPCS410_truncated.txt"});
  ASSERT_EQ(c->notes().size(), 1u);
  EXPECT_NE(
      c->notes()[0].find("OPCS410_truncated.txt:3: the last row has no line end; the file may have been cut short"),
      std::string::npos)
      << c->notes()[0];
  EXPECT_EQ(Entry(Only(*c), "A01.2").title, "Total lobec");
  // A whole file has no note.
  EXPECT_TRUE(LoadFixtures({"opcs4/OPCS410_sample.txt"})->notes().empty());
}

TEST(BrokenFiles, MissingFile) {
  EXPECT_EQ(LoadError("nope.txt"), "cannot open data/nope.txt: no such file or folder");
}

}  // namespace
}  // namespace clincode
