// Facts about a procedure: what an operation note says (image control and its method, levels of spine,
// laterality, sites, devices, the diagnosis) or what the user states with --fact. A rule-based extractor
// reads them from note text with the lexicon in knowledge/coding/ (no model, no download).
#ifndef CLINCODE_FACTS_H_
#define CLINCODE_FACTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/status.h"

namespace clincode {

// The keys facts use, with their values:
//   image_control      yes | no
//   image_method       fluoroscopy | image_intensifier | ultrasound | contrast_ultrasound | ct | mri | radiological
//   vertebrae          "T12,L1"  (the vertebrae named, in spine order)
//   levels             a number of levels of spine
//   spine_region       "thoracic,lumbar"
//   spine_structure    vertebra | joint | disc
//   laterality         left | right | bilateral
//   site               the sites named, ';'-separated ("right atrium;septum")
//   diagnosis          ICD-10 codes, ','-separated, in the order stated
//   technique          free words that choose between alternatives ("intravertebral implant")
//   right_atrial_lead, device, temporary, permanent, generator, atrial_lead, ventricular_lead, lead: yes | no
//   approach           laparoscopic | percutaneous | endoscopic | open  (the lexicon's valued flags)
//   gestation_weeks    a number of weeks ("26.3")
//   sex                male | female;  age: years
const std::vector<std::string>& FactKeys();

struct Fact {
  std::string key;
  std::string value;
  std::string evidence;  // the words of the note that state it ("under fluoroscopic guidance"); "" from the user
  bool from_user = false;
};

enum class Truth { kUnknown, kYes, kNo };

class Facts {
 public:
  // Sets (or replaces) a fact.
  void Set(std::string key, std::string value, std::string evidence = {}, bool from_user = false);
  const Fact* Get(std::string_view key) const;
  std::string Value(std::string_view key) const;  // "" when absent
  // yes/no facts: kYes for "yes"/"true"/"1", kNo for "no"/"false"/"0", kUnknown when absent. For a value
  // fact used as a condition ("fluoroscopy"), kYes when image_method or laterality has that value.
  Truth Holds(std::string_view key) const;
  const std::vector<Fact>& all() const { return facts_; }

 private:
  std::vector<Fact> facts_;
};

// Parses "key=value" as given to --fact and sets it (from_user). Fails with kInvalidArgument naming the
// text when it has no '=', the key is not one of FactKeys(), or the value is not one the key takes.
Status SetFactFromText(std::string_view key_value, Facts* facts);

// What a fact takes, for a screen that asks for it rather than a command line.
enum class FactValueKind { kYesNo, kChoice, kCodes, kNumber, kWords };
// "yes_no", "choice", "codes", "number", "words".
std::string_view FactValueKindName(FactValueKind kind);

struct FactSpec {
  std::string key;
  std::string label;                // what it is, in words: "Method of image control" (notes.yaml fact_labels)
  FactValueKind kind = FactValueKind::kWords;
  std::vector<std::string> values;  // kChoice: the values it takes
  bool many = false;                // a comma-separated list ("fluoroscopy,ct"; diagnosis codes)
};

// The spec of a fact key (one of FactKeys(); any other key is described as words, with the key as label).
FactSpec DescribeFact(std::string_view key);

// The fact that answers a condition or scenario fact, as --fact takes it: "approach=laparoscopic" stays;
// "fluoroscopy" -> "image_method=fluoroscopy", "bilateral" -> "laterality=bilateral"; a yes/no key
// "stenting" -> "stenting=yes"; anything else is returned as it is.
std::string AnswerFact(std::string_view condition_fact);

// Reads the facts an operation note states. Never fails: what it cannot read stays unknown.
Facts ExtractFacts(std::string_view note);

}  // namespace clincode

#endif  // CLINCODE_FACTS_H_
