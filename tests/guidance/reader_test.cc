// The recommendation reader on the seed texts (exact structure, group by group), on noisy and typo variants
// of them, on recommendations written in other ways, and on input it must refuse.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "support/test_support.h"

namespace clincode {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The seed whose name starts with `prefix` in ../shared/seeds, or "" when the folder is absent.
std::string Seed(const std::string& prefix) {
  std::string dir = std::string(CLINCODE_SHARED_DATA_DIR) + "/../seeds";
  if (!std::filesystem::is_directory(dir)) return {};
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) return Slurp(e.path().string());
  }
  return {};
}

Recommendation Read(const std::string& text, const std::string& source = "test") {
  auto r = ReadRecommendationText(text, {source});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Recommendation{};
}

// "any_of|required|condition|fact|placeholder|role" per group, for compact exact comparisons.
std::vector<std::string> Groups(const Recommendation& r, CodeSystem system) {
  std::vector<std::string> out;
  const Section* s = r.SectionFor(system);
  if (s == nullptr) return out;
  for (const Group& g : s->groups) {
    std::string any;
    for (const auto& p : g.any_of) any += (any.empty() ? "" : ",") + p;
    out.push_back(any + "|" + (g.required ? "required" : "optional") + "|" + (g.condition ? g.condition->text : "") +
                  "|" + (g.condition ? g.condition->fact : "") + "|" + g.placeholder + "|" +
                  std::string(GroupRoleName(g.role)));
  }
  return out;
}

#define SKIP_WITHOUT_SEEDS(text) \
  if ((text).empty()) GTEST_SKIP() << "../shared/seeds is not present: seed tests are skipped"

TEST(Reader, Ipg655) {
  std::string text = Seed("000");
  SKIP_WITHOUT_SEEDS(text);
  Recommendation r = Read(text);
  EXPECT_EQ(r.id, "IPG655");
  EXPECT_EQ(r.title, "Cardiac contractility modulation device implantation for heart failure");
  EXPECT_EQ(
      Groups(r, CodeSystem::kOpcs4),
      (std::vector<std::string>{
          "K57.8|required||||main",
          "Y02.1|required||||device",
          "Y53.-,Y68.-|optional|if image control is used|image_control||method",
          "Z33.2|required||||site",
          "Z33.6|optional|must only be assigned where leads are implanted into the right atrium \xE2\x80\x93 usually "
          "the atrial appendage|right_atrial_lead||site",
          "Z94.2|required||||laterality",
      }));
  const Section* opcs = r.SectionFor(CodeSystem::kOpcs4);
  ASSERT_EQ(opcs->notes.size(), 2u);
  EXPECT_EQ(opcs->notes[1].text.substr(0, 40), "When a procedure has been performed usin");  // from "Notte:"
  EXPECT_EQ(opcs->notes[0].standards, (std::vector<std::string>{"image_control"}));
  EXPECT_EQ(Groups(r, CodeSystem::kIcd10), (std::vector<std::string>{"I50.9,I50.0|required||||diagnosis"}));
  EXPECT_EQ(r.SectionFor(CodeSystem::kOpcs4)->groups[0].titles[0],
            "Other specified other therapeutic transluminal operations on heart");
  EXPECT_TRUE(r.unparsed.empty());
}

TEST(Reader, Ipg12) {
  std::string text = Seed("001");
  SKIP_WITHOUT_SEEDS(text);
  Recommendation r = Read(text);
  EXPECT_EQ(r.id, "IPG12");
  EXPECT_EQ(r.title, "Percutaneous vertebroplasty");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{
                                               "V44.4,V44.6|required||||main",
                                               "V55.-|required||||levels_of_spine",
                                               "Y53.-,Y68|optional|if image control is used|image_control||method",
                                               "|required|||Site code|site",
                                           }));
  const Section* opcs = r.SectionFor(CodeSystem::kOpcs4);
  ASSERT_EQ(opcs->notes.size(), 3u);
  EXPECT_EQ(opcs->notes[0].standards, (std::vector<std::string>{"levels_of_spine"}));
  EXPECT_EQ(opcs->groups[3].family, "Chapter Z");
  const Section* icd = r.SectionFor(CodeSystem::kIcd10);
  ASSERT_NE(icd, nullptr);
  EXPECT_TRUE(icd->groups.empty());
  EXPECT_EQ(icd->statement.value_or(""),
            "The ICD-10 code to classify the specific diagnosis for which the procedure was performed is assigned.");
  EXPECT_TRUE(r.unparsed.empty());
}

TEST(Reader, CptPage) {
  std::string text = Seed("002");
  SKIP_WITHOUT_SEEDS(text);
  Recommendation r = Read(text);
  EXPECT_EQ(r.id, "CPT-0411T");
  const Section* cpt = r.SectionFor(CodeSystem::kCpt);
  ASSERT_NE(cpt, nullptr);
  std::vector<std::string> codes;
  for (const auto& c : cpt->cpt_codes) codes.push_back(c.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"0408T", "0409T", "0410T", "0411T"}));
  EXPECT_EQ(cpt->cpt_codes[0].components, (std::vector<std::string>{"0409T", "0410T", "0411T"}));
  EXPECT_EQ(cpt->cpt_codes[0].not_reported_with, (std::vector<std::string>{"0409T", "0410T", "0411T"}));
  EXPECT_TRUE(cpt->cpt_codes[1].components.empty());
  EXPECT_NE(cpt->cpt_codes[2].summary.find("atrial electrode only"), std::string::npos);
  EXPECT_NE(cpt->cpt_codes[3].summary.find("ventricular electrode only"), std::string::npos);
}

TEST(Reader, Ipg366) {
  std::string text = Seed("003");
  SKIP_WITHOUT_SEEDS(text);
  Recommendation r = Read(text);
  EXPECT_EQ(r.id, "IPG366");
  EXPECT_EQ(r.title, "Non-rigid stabilisation techniques for the treatment of low back pain");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{
                                               "V40.1|required||||main",
                                               "V55.-|required||||levels_of_spine",
                                               "Y53.-,Y68.-|optional|if image control is used|image_control||method",
                                               "|required|||Site code from Chapter Z|site",
                                           }));
  EXPECT_EQ(r.SectionFor(CodeSystem::kOpcs4)->notes.size(), 3u);  // the unlabelled paragraph is a note too
  const Section* icd = r.SectionFor(CodeSystem::kIcd10);
  ASSERT_NE(icd, nullptr);
  EXPECT_TRUE(icd->groups.empty());
  EXPECT_FALSE(icd->statement.has_value());
  EXPECT_TRUE(r.unparsed.empty());
}

TEST(Reader, Ipg327) {
  std::string text = Seed("004");
  SKIP_WITHOUT_SEEDS(text);
  Recommendation r = Read(text);
  EXPECT_EQ(r.id, "IPG327");
  EXPECT_EQ(r.title, "Radiofrequency ablation for colorectal liver metastases");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{
                                               "J12.4|required||||main",
                                               "Y53.-,Y68|optional|if image control is used|image_control||method",
                                           }));
  EXPECT_EQ(Groups(r, CodeSystem::kIcd10),
            (std::vector<std::string>{"C78.7|required||||diagnosis", "C18.-|required||||diagnosis"}));
  EXPECT_EQ(r.SectionFor(CodeSystem::kIcd10)->groups[1].titles[0], "Malignant neoplasm of colon");
  EXPECT_TRUE(r.unparsed.empty());
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

// Noise a published text may carry; every seed must read the same with it.
std::vector<std::pair<std::string, std::string>> Variants(const std::string& text) {
  std::string bold = text;
  for (const char* code : {"V44.4", "K57.8", "J12.4", "V40.1"})
    bold = ReplaceAll(bold, code, std::string("**") + code + "**");
  return {
      {"Notte typo", ReplaceAll(text, "Note:", "Notte:")},
      {"stray spaces", ReplaceAll(text, "\n", "  \n   ")},
      {"CRLF", ReplaceAll(text, "\n", "\r\n")},
      {"extra blank lines", ReplaceAll(text, "\n\n", "\n\n\n\n")},
      {"Y53 -", ReplaceAll(text, "Y53.-", "Y53 -")},
      {"Y53.en-dash", ReplaceAll(text, "Y53.-", "Y53.\xE2\x80\x93")},
      {"bold codes", bold},
      {"tabs", ReplaceAll(text, " Approach", "\tApproach")},
  };
}

TEST(Reader, NoiseAndTypoVariantsReadTheSame) {
  for (const char* prefix : {"000", "001", "002", "003", "004"}) {
    std::string text = Seed(prefix);
    SKIP_WITHOUT_SEEDS(text);
    Recommendation base = Read(text);
    for (const auto& [name, variant] : Variants(text)) {
      Recommendation v = Read(variant);
      std::string why;
      EXPECT_TRUE(SameStructure(base, v, &why)) << prefix << " with " << name << ": " << why;
      EXPECT_EQ(v.unparsed, base.unparsed) << prefix << " with " << name;
    }
  }
}

TEST(Reader, SeedsSurviveTheMarkdownRoundTrip) {
  for (const char* prefix : {"000", "001", "002", "003", "004"}) {
    std::string text = Seed(prefix);
    SKIP_WITHOUT_SEEDS(text);
    Recommendation r = Read(text);
    Recommendation back = Read(RenderMarkdown(r, nullptr));
    std::string why;
    EXPECT_TRUE(SameStructure(r, back, &why)) << prefix << ": " << why;
    EXPECT_TRUE(back.unparsed.empty()) << prefix;
  }
}

TEST(Reader, OlderOpcs46PageForm) {
  Recommendation r = Read(Slurp(testing::Fixture("guidance/ipg_older_opcs46_page.txt")));
  EXPECT_EQ(r.id, "IPG999");
  EXPECT_EQ(r.written_for["OPCS-4"], "4.6");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4), (std::vector<std::string>{
                                               "T20.3|required||||main",
                                               "Y75.2|required||||method",
                                               "Z94.1|optional|if both sides are repaired|bilateral||laterality",
                                           }));
  EXPECT_EQ(Groups(r, CodeSystem::kIcd10), (std::vector<std::string>{"K40.2|required||||diagnosis"}));
}

TEST(Reader, ConnectorsOnOneLineAndSentences) {
  Recommendation r = Read(Slurp(testing::Fixture("guidance/ipg_one_line_connectors.md")));
  EXPECT_EQ(r.id, "MTG42");
  EXPECT_EQ(r.title, "Example stent insertion under guidance");
  EXPECT_EQ(Groups(r, CodeSystem::kOpcs4),
            (std::vector<std::string>{
                "L76.2,L76.3|required||||main",
                "Y53.4|optional|if image control is used|image_control||method",
                "Y68.1|optional|if used|image_control||method",
                "O20.1|optional|if fluoroscopic guidance is utilised|fluoroscopy||additional",
                "|required|||Chapter 'Z' code for site in lower respiratory tract|site",
            }));
  EXPECT_EQ(Groups(r, CodeSystem::kIcd10), (std::vector<std::string>{
                                               "L76,L89|required||||diagnosis",
                                               "I70.2,I73.9|required||||diagnosis",
                                           }));
  EXPECT_TRUE(r.unparsed.empty()) << r.unparsed.front();
}

// Recommendations written the way NICE writes them, for procedures not among the seeds.
TEST(Reader, UnseenRecommendations) {
  Recommendation tricuspid = Read(Slurp(testing::Fixture("guidance/ipg598_style.txt")));
  EXPECT_EQ(tricuspid.id, "IPG598");
  EXPECT_EQ(Groups(tricuspid, CodeSystem::kOpcs4), (std::vector<std::string>{
                                                       "K28.8|required||||main",
                                                       "Z31.4|required||||site",
                                                       "Y53.-,Y68.-|optional|if used|image_control||method",
                                                   }));
  EXPECT_EQ(Groups(tricuspid, CodeSystem::kIcd10), (std::vector<std::string>{"I36.1,I07.1|required||||diagnosis"}));
  EXPECT_EQ(tricuspid.SectionFor(CodeSystem::kIcd10)->groups[0].titles[0],
            "Nonrheumatic tricuspid (valve) insufficiency");
  EXPECT_TRUE(tricuspid.unparsed.empty());

  Recommendation sinus = Read(Slurp(testing::Fixture("guidance/ipg_laterality_style.md")));
  EXPECT_EQ(sinus.id, "IPG700");
  EXPECT_EQ(sinus.title, "Example endoscopic sinus procedure");
  EXPECT_EQ(Groups(sinus, CodeSystem::kOpcs4), (std::vector<std::string>{
                                                   "E14.8|required||||main",
                                                   "Y76.1|required||||method",
                                                   "Z94.1,Z94.2,Z94.3|required||||laterality",
                                               }));
  EXPECT_EQ(sinus.SectionFor(CodeSystem::kOpcs4)->notes[0].standards, (std::vector<std::string>{"laterality"}));
  EXPECT_TRUE(sinus.SectionFor(CodeSystem::kIcd10)->statement.has_value());
  EXPECT_TRUE(sinus.unparsed.empty());
}

TEST(Reader, UnplacedLinesAreListed) {
  Recommendation r = Read("IPG1 Example\n\nOPCS-4 code(s):\n\nK57.8 Something\n\nThis sentence fits nowhere at all.\n");
  ASSERT_EQ(r.unparsed.size(), 1u);
  EXPECT_EQ(r.unparsed[0], "7: This sentence fits nowhere at all.");
}

TEST(Reader, RefusesWhatIsNotARecommendation) {
  auto error = [](std::string_view text) {
    auto r = ReadRecommendationText(text, {"in.txt"});
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_EQ(error(""), "in.txt: the text is empty");
  EXPECT_EQ(error("  \n\n "), "in.txt: the text is empty");
  EXPECT_EQ(error(std::string("IPG1\nK57.8\0\x01\x02", 14)),
            "in.txt:2: binary data (a NUL byte), not a recommendation text");
  EXPECT_EQ(error("IPG1 T\n\xFF\xFE"), "in.txt:2: not UTF-8 (byte 0xFF at column 1); save the file as UTF-8");
  EXPECT_EQ(error(std::string(2 << 20, 'a')).substr(0, 30), "in.txt: the text is 2097152 by");
  EXPECT_EQ(error("Just some text about hernias.\nK57.8 Code\n"),
            "in.txt:1: no guidance id (such as IPG655) found at the top of the text");
  EXPECT_EQ(error("IPG77 Title only\n\nNothing else here.\n"),
            "in.txt: IPG77 has no OPCS-4, ICD-10 or CPT codes the reader could place");
}

}  // namespace
}  // namespace clincode
