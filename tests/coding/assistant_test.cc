// The coding assistant: composition, ordering, explanations, recommendations found from notes or read
// from a NICE text it has never seen, the CPT family, and the matcher.
#include "clincode/assistant.h"

#include <gtest/gtest.h>

#include "clincode/guidance_reader.h"
#include "clincode/matcher.h"
#include "support/test_support.h"

namespace clincode {
namespace {

class AssistantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = Catalog::Starter();
    auto guidance = GuidanceLibrary::Load({});
    auto rules = RuleSet::Load({});
    ASSERT_TRUE(guidance.ok() && rules.ok());
    guidance_ = *guidance;
    rules_ = *rules;
    validator_ = std::make_shared<const Validator>(catalog_, rules_, guidance_);
    assistant_ = std::make_unique<CodingAssistant>(catalog_, guidance_, validator_);
  }
  CodingResult Code(CodingRequest request) {
    auto r = assistant_->Code(request);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : CodingResult{};
  }
  static std::vector<std::string> Codes(const std::vector<CodedItem>& items) { return testing::CodesOf(items); }
  static bool Mentions(const std::vector<std::string>& lines, const std::string& text) {
    return testing::Mentions(lines, text);
  }
  static bool Mentions(const std::vector<Question>& questions, const std::string& text) {
    std::vector<std::string> lines;
    for (const auto& q : questions) lines.push_back(q.text);
    return testing::Mentions(lines, text);
  }
  // The facts the question mentioning `text` asks for ("" when no question mentions it).
  static std::string AskedFacts(const std::vector<Question>& questions, const std::string& text) {
    for (const auto& q : questions) {
      if (q.text.find(text) == std::string::npos) continue;
      std::string out;
      for (const auto& f : q.facts) out += (out.empty() ? "" : " ") + f;
      return out;
    }
    return "";
  }

  std::shared_ptr<const Catalog> catalog_;
  std::shared_ptr<const GuidanceLibrary> guidance_;
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const Validator> validator_;
  std::unique_ptr<CodingAssistant> assistant_;
};

TEST_F(AssistantTest, VertebroplastyCodedInStandardOrderWithReasons) {
  CodingResult r = Code({.text = "Vertebroplasty T12 and L1 under fluoroscopic guidance. Osteoporotic fractures."});
  EXPECT_EQ(r.guidance, "IPG12");
  EXPECT_EQ(Codes(r.procedures), (std::vector<std::string>{"V44.4", "V55.2", "Y53.4", "Z66.4", "Z66.5"}));
  EXPECT_EQ(Codes(r.diagnoses), std::vector<std::string>{"M80.9"});
  EXPECT_EQ(r.procedures[1].title, "Two levels of spine");
  EXPECT_NE(r.procedures[1].why.find("second place"), std::string::npos);
  EXPECT_EQ(r.procedures[1].evidence, "T12 and L1");
  EXPECT_EQ(r.procedures[2].evidence, "fluoroscopic guidance");
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
}

TEST_F(AssistantTest, UnstatedMethodAndLevelsAreCodedAndAsked) {
  CodingResult r = Code({.text = "Percutaneous vertebroplasty under image guidance.", .guidance_id = "ipg12"});
  EXPECT_EQ(Codes(r.procedures), (std::vector<std::string>{"V44.4", "V55.9", "Y53.9"}));
  EXPECT_TRUE(Mentions(r.questions, "method of image control not stated: Y53.9 used"));
  EXPECT_TRUE(Mentions(r.questions, "levels of spine not stated: V55.9 used"));
  EXPECT_TRUE(Mentions(r.questions, "site not stated"));
  EXPECT_TRUE(Mentions(r.questions, "diagnosis not stated"));
  // Each question names the facts that answer it, for a screen to ask; its words name no command-line flag.
  EXPECT_EQ(AskedFacts(r.questions, "method of image control not stated"), "image_method");
  EXPECT_EQ(AskedFacts(r.questions, "levels of spine not stated"), "vertebrae");
  EXPECT_EQ(AskedFacts(r.questions, "site not stated"), "site");
  EXPECT_EQ(AskedFacts(r.questions, "diagnosis not stated"), "diagnosis");
  for (const auto& q : r.questions) EXPECT_EQ(q.text.find("--"), std::string::npos) << q.text;
}

TEST_F(AssistantTest, TechniqueWordsChooseTheAlternative) {
  CodingResult plain = Code({.text = "Vertebroplasty L1 under fluoroscopy."});
  CodingResult implant = Code({.text = "Augmentation vertebroplasty L1 with an intravertebral implant, fluoroscopy."});
  EXPECT_EQ(plain.procedures.front().code, "V44.4");
  EXPECT_EQ(implant.procedures.front().code, "V44.6");
  EXPECT_NE(implant.procedures.front().why.find("Augmentation"), std::string::npos);
  // The same choice from a fact.
  CodingResult by_fact = Code({.text = "Vertebroplasty L1.", .facts = {"technique=intravertebral implant"}});
  EXPECT_EQ(by_fact.procedures.front().code, "V44.6");
}

TEST_F(AssistantTest, ConditionalGroupsFollowTheirFacts) {
  CodingResult with_ra = Code({.text = "CCM implanted: RV septal leads x2 and RA lead, fluoroscopy. Heart failure."});
  EXPECT_EQ(Codes(with_ra.procedures),
            (std::vector<std::string>{"K57.8", "Y02.1", "Y53.4", "Z33.2", "Z33.6", "Z94.2"}));
  CodingResult no_ra = Code({.text = "CCM implanted: RV septal leads x2, no RA lead. No imaging. Heart failure."});
  EXPECT_EQ(Codes(no_ra.procedures), (std::vector<std::string>{"K57.8", "Y02.1", "Z33.2", "Z94.2"}));
  EXPECT_TRUE(Mentions(no_ra.assumptions, "Z33.6 not assigned"));
  // Silent on the condition: not coded, and asked.
  CodingResult silent = Code({.text = "CCM implanted for heart failure."});
  EXPECT_TRUE(Mentions(silent.questions, "image control"));
  EXPECT_TRUE(Mentions(silent.questions, "right atrium"));
}

TEST_F(AssistantTest, UserFactsWinOverTheNote) {
  CodingResult r = Code({.text = "Vertebroplasty L1 under fluoroscopy.", .facts = {"image_method=ct", "levels=3"}});
  EXPECT_EQ(Codes(r.procedures), (std::vector<std::string>{"V44.4", "V55.3", "Y53.3", "Z66.5"}));
  auto bad = assistant_->Code({.text = "Vertebroplasty L1.", .facts = {"levels=many"}});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AssistantTest, ANoteOverTheLimitIsRefusedByItsLength) {
  CodingRequest request;
  request.text = std::string(kMaxNoteBytes + 1, 'a');
  auto r = assistant_->Code(request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "the note is 262145 bytes; the limit is 262144 bytes (an operation note is a few kilobytes)");
}

TEST_F(AssistantTest, NothingFitsIsSaidNotGuessed) {
  auto r = assistant_->Code({.text = "Balloon kyphoplasty L1 under fluoroscopy."});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  // In words any screen can show: the CLI adds its flag, the web app its list.
  EXPECT_NE(r.status().message().find("choose the recommendation"), std::string::npos);
  EXPECT_EQ(r.status().message().find("--"), std::string::npos);
  auto unknown = assistant_->Code({.text = "x", .guidance_id = "IPG99999"});
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(assistant_->Code({}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AssistantTest, RecommendationReadFromANiceTextItHasNeverSeen) {
  const char* text =
      "IPG9001 - Percutaneous chemical ablation of liver tumours\n"
      "Procedure:\nOPCS-4 code(s):\n"
      "J12.6 Percutaneous chemical ablation of lesion of liver\n"
      "Y53.- Approach to organ under image control (if used)\nOr\nY68.- Other approach to organ under image control\n"
      "Diagnosis or health condition:\nICD-10 code(s):\n"
      "C78.7 Secondary malignant neoplasm of liver and intrahepatic bile duct\n";
  auto rec = ReadRecommendationText(text, {"inline"});
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  CodingResult r = Code(
      {.text = "Percutaneous ethanol injection of two liver metastases, ultrasound guided.", .recommendation = *rec});
  EXPECT_EQ(r.guidance, "IPG9001");
  EXPECT_EQ(Codes(r.procedures), (std::vector<std::string>{"J12.6", "Y53.2"}));
  EXPECT_EQ(Codes(r.diagnoses), std::vector<std::string>{"C78.7"});
  // The validator runs over the result and says what the note leaves out: the primary site.
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "icd10.secondary-needs-primary");
}

TEST_F(AssistantTest, LateralityPlaceholderFilledFromTheNote) {
  const char* text =
      "IPG9002 - Percutaneous thermal ablation of a liver lesion\nProcedure:\nOPCS-4 code(s):\n"
      "J12.5 Percutaneous thermal ablation of lesion of liver NEC\nPlus\nLaterality code\n";
  auto rec = ReadRecommendationText(text, {"inline"});
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  CodingResult r =
      Code({.text = "Thermal ablation, right lobe lesion; approach from the left side.", .recommendation = *rec});
  EXPECT_EQ(Codes(r.procedures), (std::vector<std::string>{"J12.5", "Z94.3"}));
  CodingResult none = Code({.text = "Thermal ablation of lesion.", .recommendation = *rec});
  EXPECT_TRUE(Mentions(none.questions, "laterality not stated"));
  EXPECT_EQ(AskedFacts(none.questions, "laterality not stated"), "laterality");
}

TEST_F(AssistantTest, CptWholeSystemNeverWithItsComponents) {
  CodingResult whole =
      Code({.text = "CCM system: generator, RA lead and two RV septal leads.", .system = CodeSystem::kCpt});
  EXPECT_EQ(whole.guidance, "CPT-CCM");
  EXPECT_EQ(Codes(whole.procedures), std::vector<std::string>{"0408T"});
  EXPECT_TRUE(Mentions(whole.assumptions, "0408T includes 0409T, 0410T, 0411T"));
  CodingResult leads = Code({.text = "RA and RV leads replaced; generator not changed.", .guidance_id = "CPT-CCM"});
  EXPECT_EQ(Codes(leads.procedures), (std::vector<std::string>{"0410T", "0411T"}));
  CodingResult generator = Code({.text = "CCM generator replacement only.", .system = CodeSystem::kCpt});
  EXPECT_EQ(Codes(generator.procedures), std::vector<std::string>{"0409T"});
}

TEST_F(AssistantTest, MatcherGradesEpisodesAgainstRequiredGroups) {
  auto matcher = GuidanceMatcher::Create(guidance_, rules_.get(), {});
  ASSERT_TRUE(matcher.ok());
  Episode full, partial, laterality_only;
  SetProcedures({"K578", "Y021", "Y534", "Z332", "Z942"}, &full);
  SetDiagnoses({"I500"}, &full);
  SetProcedures({"V444", "Y534"}, &partial);
  SetProcedures({"V401", "Z942"}, &laterality_only);  // Z94 never stands for the site placeholder
  std::vector<GuidanceMatch> m;
  (*matcher)->Match(full, &m);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].recommendation->id, "IPG655");
  EXPECT_EQ(m[0].level, MatchLevel::kFull);
  m.clear();
  (*matcher)->Match(partial, &m);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].level, MatchLevel::kNone);
  EXPECT_EQ(m[0].missing, (std::vector<std::string>{"V55.-", "Chapter Z"}));
  m.clear();
  (*matcher)->Match(laterality_only, &m);
  EXPECT_EQ(m[0].level, MatchLevel::kNone);
  EXPECT_EQ(GuidanceMatcher::Create(guidance_, rules_.get(), {"IPG404"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GuidanceMatcher::Create(guidance_, rules_.get(), {"CPT-CCM"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AssistantTest, MatchFileAccountsForEveryRow) {
  testing::TempFile csv("ext.csv",
                        "EPIKEY,DIAG_01,OPERTN_01,OPERTN_02,OPERTN_03,OPERTN_04,OPERTN_05\n"
                        "1,I509,K578,Y021,Z332,,\n"
                        "2,I509,K578,Y021,Z332,Z942,\n"
                        "3,\"broken,K578\n"
                        "4,K359,H011,,,,\n");
  auto matcher = GuidanceMatcher::Create(guidance_, rules_.get(), {"IPG655"});
  ASSERT_TRUE(matcher.ok());
  struct Collect : MatchSink {
    std::vector<EpisodeMatches> rows;
    void Write(const std::vector<EpisodeMatches>& b, const std::string&) override {
      rows.insert(rows.end(), b.begin(), b.end());
    }
  } sink;
  auto s = MatchFile(csv.path(), **matcher, &sink, {});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rows_read, 4u);
  EXPECT_EQ(s->episodes, 3u);
  EXPECT_EQ(s->rows_unreadable, 1u);
  const MatchCounts& c = s->per_guidance.at("IPG655");
  EXPECT_EQ(c.matched, 2u);
  EXPECT_EQ(c.full, 1u);
  EXPECT_EQ(c.partial, 1u);
  EXPECT_EQ(c.missing.at("Z94.2"), 1u);
  ASSERT_EQ(sink.rows.size(), 3u);  // two matched episodes and the unreadable row, in input order
  EXPECT_EQ(sink.rows[0].episode_id, "1");
  EXPECT_FALSE(sink.rows[2].unreadable.empty());
}

// A recommendation in scenarios (tests/rules/guidance/xpg1.yaml): an episode is matched by the way of
// coding it meets best, once per recommendation.
TEST(MatcherScenarios, AnEpisodeMeetsOneWayOfCoding) {
  GuidanceLibraryOptions options;
  options.dirs = {std::string(CLINCODE_TEST_DATA_DIR) + "/../rules/guidance"};
  auto library = GuidanceLibrary::Load(options);
  ASSERT_TRUE(library.ok()) << library.status().message();
  auto matcher = GuidanceMatcher::Create(*library, nullptr, {"XPG1"});
  ASSERT_TRUE(matcher.ok()) << matcher.status().message();
  auto match = [&](std::vector<std::string> codes) {
    Episode e;
    SetProcedures(codes, &e);
    std::vector<GuidanceMatch> m;
    (*matcher)->Match(e, &m);
    return m;
  };
  auto open = match({"J032", "Y137"});
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].level, MatchLevel::kFull);
  auto percutaneous = match({"J127", "Y534"});
  ASSERT_EQ(percutaneous.size(), 1u);
  EXPECT_EQ(percutaneous[0].level, MatchLevel::kFull);
  auto part = match({"J032"});
  ASSERT_EQ(part.size(), 1u);
  EXPECT_EQ(part[0].level, MatchLevel::kNone);
  EXPECT_EQ(part[0].missing, std::vector<std::string>{"Y13.7"});
  // Both main procedures coded: still one match, by the way met in full.
  auto both = match({"J032", "J127"});
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].level, MatchLevel::kFull);
  EXPECT_TRUE(match({"K578"}).empty());
}

}  // namespace
}  // namespace clincode
