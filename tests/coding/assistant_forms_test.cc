// The coding assistant on recommendations and notes written for these tests (never NICE texts), with a
// small OPCS-4.11-shaped and ICD-10 5th Edition-shaped release (tests/data/coding): one test per
// mechanism the dev kit revealed: ways of coding, conditions read from their words, the national standards
// (image control, laterality, approach after each procedure), gestational age, several sites, counts of
// devices, and diagnoses read from the diagnosis lines against the release titles.
#include <gtest/gtest.h>

#include "clincode/assistant.h"
#include "clincode/guidance_reader.h"
#include "support/test_support.h"

namespace clincode {
namespace {

class AssistantForms : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new std::shared_ptr<const Catalog>(testing::LoadFixtures(
        {"coding/OPCS411_assistant_sample.txt", "coding/icd10_assistant_sample_GB_20160401.txt"}, true));
    auto guidance = GuidanceLibrary::Load({});
    auto rules = RuleSet::Load({});
    ASSERT_TRUE(guidance.ok() && rules.ok());
    auto validator = std::make_shared<const Validator>(*catalog_, *rules, *guidance);
    assistant_ = new CodingAssistant(*catalog_, *guidance, validator);
  }
  static void TearDownTestSuite() {
    delete assistant_;
    delete catalog_;
  }
  static Recommendation Read(const std::string& text) {
    auto rec = ReadRecommendationText(text, {"inline", catalog_->get()});
    EXPECT_TRUE(rec.ok()) << rec.status().message();
    return rec.ok() ? *rec : Recommendation{};
  }
  static CodingResult Code(const std::string& recommendation, const std::string& note) {
    auto r = assistant_->Code({.text = note, .recommendation = Read(recommendation)});
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
  static std::string StateOf(const CodingResult& r, const std::string& codes) {
    for (const auto& c : r.conditions) {
      if (c.codes == codes) return c.state;
    }
    return "(none)";
  }
  static std::shared_ptr<const Catalog>* catalog_;
  static CodingAssistant* assistant_;
};
std::shared_ptr<const Catalog>* AssistantForms::catalog_ = nullptr;
CodingAssistant* AssistantForms::assistant_ = nullptr;

const char* kByApproach =
    "IPG9101 - Microwave ablation of liver lesions\nProcedure:\nOPCS-4 code(s):\n"
    "Open procedure:\nJ03.2 Destruction of lesion of liver NEC\n"
    "Percutaneous procedure:\nJ12.7 Percutaneous microwave ablation of lesion of liver\n"
    "Laparoscopic procedure:\nJ08.3 Endoscopic microwave ablation of lesion of liver using laparoscope\n";

TEST_F(AssistantForms, TheWayOfCodingTheNoteDescribes) {
  CodingResult lap = Code(kByApproach, "Laparoscopic MWA of a segment 3 liver lesion, 3 ports.");
  EXPECT_EQ(Codes(lap.procedures), std::vector<std::string>{"J08.3"});
  ASSERT_TRUE(lap.scenario.has_value());
  EXPECT_EQ(lap.scenario->label, "Laparoscopic procedure");
  EXPECT_NE(lap.scenario->why.find("Laparoscopic"), std::string::npos) << lap.scenario->why;
  EXPECT_EQ(lap.scenario->others.size(), 2u);
  CodingResult perc = Code(kByApproach, "Percutaneous microwave ablation of liver lesion.");
  EXPECT_EQ(Codes(perc.procedures), std::vector<std::string>{"J12.7"});
  // A note that does not say which: nothing guessed, a question naming the ways.
  CodingResult silent = Code(kByApproach, "Microwave ablation of liver lesion.");
  EXPECT_TRUE(silent.procedures.empty());
  EXPECT_FALSE(silent.scenario.has_value());
  EXPECT_TRUE(Mentions(silent.questions, "\"Open procedure\", \"Percutaneous procedure\", \"Laparoscopic procedure\""));
  // The ways are told apart by one fact, which the question asks for.
  EXPECT_EQ(AskedFacts(silent.questions, "codes the procedure in different ways"), "approach");
}

TEST_F(AssistantForms, TheChosenWaysMethodFollowsItsMainCode) {
  const char* text =
      "IPG9112 - Microwave ablation of liver lesions\nProcedure:\nOPCS-4 code(s):\n"
      "Y53.- Approach to organ under image control (if image control is used)\n"
      "Open procedure:\nJ03.2 Destruction of lesion of liver NEC\nY13.7 Microwave destruction of lesion of organ NOC\n"
      "Percutaneous procedure:\nJ12.7 Percutaneous microwave ablation of lesion of liver\n";
  EXPECT_EQ(
      Codes(Code(text, "Open microwave ablation via laparotomy, intra-operative ultrasound guidance.").procedures),
      (std::vector<std::string>{"J03.2", "Y13.7", "Y53.2"}));
}

TEST_F(AssistantForms, ASiteLabelChosenOrRuledOutByTheNote) {
  const char* text =
      "IPG9102 - Coblation of airway papillomas\nProcedure:\nOPCS-4 code(s):\n"
      "When performed on the larynx:\nE35.3 Endoscopic destruction of lesion of larynx\n"
      "When performed on sites below the larynx:\n"
      "E48.3 Fibreoptic endoscopic destruction of lesion of lower respiratory tract NEC\n"
      "Plus one or more of the following site codes:\nZ24.3 Trachea\nZ24.4 Carina\nZ24.5 Bronchus\n";
  CodingResult larynx = Code(text, "Papillomas of the larynx debulked with coblation. Trachea inspected: clear.");
  EXPECT_EQ(Codes(larynx.procedures), std::vector<std::string>{"E35.3"});
  // The larynx denied: the other way, with every site treated and none called normal.
  CodingResult below = Code(text, "Lesions of the trachea and carina ablated. Larynx not treated. Bronchi clear.");
  EXPECT_EQ(Codes(below.procedures), (std::vector<std::string>{"E48.3", "Z24.3", "Z24.4"}));
  // A part called normal was examined, not treated: "Larynx clear" rules the larynx out.
  EXPECT_EQ(Codes(Code(text, "Tracheal papillomas ablated with coblation. Larynx clear.").procedures),
            (std::vector<std::string>{"E48.3", "Z24.3"}));
}

TEST_F(AssistantForms, ATechniqueNamedByItsLabel) {
  // Labels that name techniques, each with its abbreviation: the words one way has and another lacks.
  const char* text =
      "IPG9113 - Laser refractive surgery\nProcedure:\nOPCS-4 code(s):\n"
      "Photorefractive keratectomy (PRK):\nC44.4 Photorefractive keratectomy\n"
      "Laser epithelial keratomileusis (LASEK):\nC44.5 Laser subepithelial keratomileusis\n"
      "Laser in situ keratomileusis (LASIK):\nC44.2 Laser in situ keratomileusis\n";
  // "epithelial" is one of LASEK's four words; "PRK" one of PRK's three.
  EXPECT_EQ(Codes(Code(text, "PRK after alcohol-assisted epithelial removal, excimer ablation.").procedures)[0],
            "C44.4");
  EXPECT_EQ(Codes(Code(text, "Bilateral LASIK, femtosecond flaps.").procedures)[0], "C44.2");
  EXPECT_TRUE(Code(text, "Excimer laser refractive surgery.").procedures.empty());
}

TEST_F(AssistantForms, AConditionDecidedByItsWords) {
  const char* text =
      "IPG9103 - Open cryoablation of the uterus\nProcedure:\nOPCS-4 code(s):\n"
      "Q17.3 Endoscopic cryoablation of lesion of uterus\n"
      "U20.2 Transoesophageal echocardiography (when transoesophageal echocardiography (TOE) is used)\n";
  CodingResult used = Code(text, "Cryoablation of uterine lesion. Intra-op TOE: normal.");
  EXPECT_EQ(Codes(used.procedures), (std::vector<std::string>{"Q17.3", "U20.2"}));
  EXPECT_EQ(StateOf(used, "U20.2"), "met");
  CodingResult denied = Code(text, "Cryoablation of uterine lesion. No TOE.");
  EXPECT_EQ(Codes(denied.procedures), std::vector<std::string>{"Q17.3"});
  EXPECT_EQ(StateOf(denied, "U20.2"), "unmet");
  CodingResult silent = Code(text, "Cryoablation of uterine lesion.");
  EXPECT_EQ(StateOf(silent, "U20.2"), "unknown");
  EXPECT_TRUE(Mentions(silent.questions, "U20.2 not assigned: the note does not say"));
}

TEST_F(AssistantForms, ImageControlByTheStandardWhateverTheTextWrites) {
  const char* bare =
      "IPG9104 - Cryoablation of uterine lesions\nProcedure:\nOPCS-4 code(s):\n"
      "Q17.3 Endoscopic cryoablation of lesion of uterus\n";
  // The recommendation gives no Y53 code: the standard adds it by the method the note states.
  CodingResult us = Code(bare, "Cryoablation under transabdominal US guidance.");
  ASSERT_EQ(Codes(us.procedures), (std::vector<std::string>{"Q17.3", "Y53.2"}));
  EXPECT_NE(us.procedures[1].why.find("national standard (image control)"), std::string::npos);
  EXPECT_EQ(Codes(Code(bare, "Cryoablation, position checked on II.").procedures),
            (std::vector<std::string>{"Q17.3", "Y53.5"}));
  // "Grade II" is no image intensifier; no image control, no code.
  EXPECT_EQ(Codes(Code(bare, "Cryoablation of grade II lesion.").procedures), std::vector<std::string>{"Q17.3"});
  // Two Y53 codes written as separate lines are one choice: the method the note states.
  const char* pair =
      "IPG9105 - Cryoablation\nProcedure:\nOPCS-4 code(s):\n"
      "Q17.3 Endoscopic cryoablation of lesion of uterus\n"
      "Y53.2 Approach to organ under ultrasonic control (if image control is used)\n"
      "Y53.7 Approach to organ under magnetic resonance imaging control (if image control is used)\n";
  EXPECT_EQ(Codes(Code(pair, "Cryoablation, CT guided.").procedures), (std::vector<std::string>{"Q17.3", "Y53.3"}));
  CodingResult unstated = Code(pair, "Cryoablation under image guidance.");
  EXPECT_EQ(Codes(unstated.procedures), (std::vector<std::string>{"Q17.3", "Y53.9"}));
  EXPECT_TRUE(Mentions(unstated.questions, "method of image control not stated: Y53.9 used"));
}

TEST_F(AssistantForms, LateralityForAPairedOrganByTheStandard) {
  const char* text =
      "IPG9106 - Open pyelolithotomy\nProcedure:\nOPCS-4 code(s):\n"
      "M06.1 Open removal of calculus from kidney\n";
  CodingResult left = Code(text, "Open pyelolithotomy, L) kidney. Stone extracted.");
  ASSERT_EQ(Codes(left.procedures), (std::vector<std::string>{"M06.1", "Z94.3"}));
  EXPECT_NE(left.procedures[1].why.find("paired organ"), std::string::npos) << left.procedures[1].why;
  // The side in the diagnosis line is not the side operated on when the note names another.
  EXPECT_EQ(Codes(Code(text, "Dx: L) renal calculus.\nRight pyelolithotomy.").procedures),
            (std::vector<std::string>{"M06.1", "Z94.2"}));
  CodingResult unsided = Code(text, "Open pyelolithotomy, stone extracted.");
  EXPECT_EQ(Codes(unsided.procedures), std::vector<std::string>{"M06.1"});
  EXPECT_TRUE(Mentions(unsided.questions, "laterality not stated"));
  // A liver is not paired: no laterality, no question.
  CodingResult liver = Code(kByApproach, "Percutaneous microwave ablation, right lobe of liver.");
  EXPECT_FALSE(Mentions(liver.questions, "laterality"));
}

TEST_F(AssistantForms, GestationalAgeByTheWeeksInTheTitles) {
  const char* text =
      "IPG9107 - Fetal shunt\nProcedure:\nOPCS-4 code(s):\n"
      "R04.8 Other specified therapeutic percutaneous operations on fetus\n"
      "Y95.- Gestational age (where this information is available)\n";
  EXPECT_EQ(Codes(Code(text, "24+3/40. Shunt placed.").procedures), (std::vector<std::string>{"R04.8", "Y95.1"}));
  EXPECT_EQ(Codes(Code(text, "18/40. Shunt placed.").procedures), (std::vector<std::string>{"R04.8", "Y95.2"}));
  EXPECT_EQ(Codes(Code(text, "Shunt placed at 12 weeks gestation.").procedures),
            (std::vector<std::string>{"R04.8", "Y95.3"}));
  CodingResult silent = Code(text, "Shunt placed.");
  EXPECT_EQ(Codes(silent.procedures), std::vector<std::string>{"R04.8"});
  EXPECT_TRUE(Mentions(silent.questions, "gestational age not stated"));
  EXPECT_EQ(AskedFacts(silent.questions, "gestational age not stated"), "gestation_weeks");
}

TEST_F(AssistantForms, TheApproachFollowsEachProcedureDoneByIt) {
  const char* text =
      "IPG9108 - Laparoscopic cholecystectomy\nProcedure:\nOPCS-4 code(s):\n"
      "J18.- Excision of gall bladder\nPlus\nY75.2 Laparoscopic approach to abdominal cavity NEC\n"
      "J37.2 Operative cholangiography through cystic duct (if a cholangiogram is performed)\n";
  EXPECT_EQ(Codes(Code(text, "Laparoscopic cholecystectomy; on-table cholangiogram via the cystic duct.").procedures),
            (std::vector<std::string>{"J18.3", "Y75.2", "J37.2", "Y75.2"}));
  EXPECT_EQ(Codes(Code(text, "Laparoscopic cholecystectomy. No cholangiogram.").procedures),
            (std::vector<std::string>{"J18.3", "Y75.2"}));
}

TEST_F(AssistantForms, ACodeThatAppliesWithAnotherCode) {
  const char* text =
      "IPG9111 - Cholangiography\nProcedure:\nOPCS-4 code(s):\n"
      "J37.2 Operative cholangiography through cystic duct\nOr\n"
      "J37.3 Direct puncture operative cholangiography\n"
      "Y75.2 Laparoscopic approach to abdominal cavity NEC (with J37.2)\n";
  CodingResult via_duct = Code(text, "Operative cholangiography through the cystic duct.");
  EXPECT_EQ(Codes(via_duct.procedures), (std::vector<std::string>{"J37.2", "Y75.2"}));
  EXPECT_EQ(StateOf(via_duct, "Y75.2"), "met");
  CodingResult puncture = Code(text, "Direct puncture cholangiography.");
  EXPECT_EQ(Codes(puncture.procedures), std::vector<std::string>{"J37.3"});
  EXPECT_EQ(StateOf(puncture, "Y75.2"), "unmet");
}

TEST_F(AssistantForms, HowManyDevicesTheNoteStates) {
  const char* text =
      "IPG9109 - Stenting of the aorta\nProcedure:\nOPCS-4 code(s):\n"
      "L26.5 Percutaneous transluminal insertion of stent into aorta\nPlus\n"
      "L76.- Endovascular placement of stent\n";
  EXPECT_EQ(Codes(Code(text, "Bare metal stent deployed across the coarctation.").procedures),
            (std::vector<std::string>{"L26.5", "L76.1"}));
  EXPECT_EQ(Codes(Code(text, "Two bare metal stents deployed, overlapping.").procedures),
            (std::vector<std::string>{"L26.5", "L76.3"}));
}

TEST_F(AssistantForms, DiagnosesReadFromTheDiagnosisLinesByTitle) {
  const char* text =
      "IPG9110 - Refractive laser\nProcedure:\nOPCS-4 code(s):\n"
      "Q17.3 Endoscopic cryoablation of lesion of uterus\n";
  // Every title a statement covers, each a diagnosis of its own.
  EXPECT_EQ(Codes(Code(text, "Dx: myopia with astigmatism, both eyes.\nTreated.").diagnoses),
            (std::vector<std::string>{"H52.1", "H52.2"}));
  // Nonessential words in parentheses, another name in brackets.
  EXPECT_EQ(Codes(Code(text, "Dx: mitral regurgitation.").diagnoses), std::vector<std::string>{"I34.0"});
  EXPECT_EQ(Codes(Code(text, "Dx: Dupuytren's disease of the palm.").diagnoses), std::vector<std::string>{"M72.0"});
  // A symptom gives way to the diagnosis; residual titles ("Liver disease, unspecified") are never read.
  EXPECT_EQ(Codes(Code(text, "Dx: adenocarcinoma, lower third of oesophagus; dysphagia.").diagnoses),
            std::vector<std::string>{"C15.5"});
  EXPECT_EQ(Codes(Code(text, "Dx: liver lesion.").diagnoses), std::vector<std::string>{});
  EXPECT_EQ(Codes(Code(text, "Dx: renal pelvis stone.").diagnoses), std::vector<std::string>{"N20.0"});
  // A primary stated as removed is its history code.
  EXPECT_EQ(Codes(Code(text, "Dx: liver metastases; sigmoid primary resected 2021.").diagnoses),
            (std::vector<std::string>{"C78.7", "Z85.0"}));
  // Outside the diagnosis lines nothing is read by title: "Colorectal clinic" is no diagnosis.
  EXPECT_TRUE(Code(text, "Colorectal clinic. Dx: renal calculus.").diagnoses.size() == 1);
}

}  // namespace
}  // namespace clincode
