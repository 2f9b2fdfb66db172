// NICE clinical coding recommendations as data: which codes describe a procedure, how they combine, and
// under which conditions some apply. A Recommendation is plain data (copyable, thread-compatible).
#ifndef CLINCODE_GUIDANCE_H_
#define CLINCODE_GUIDANCE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/code_system.h"
#include "clincode/status.h"

namespace clincode {

// What a group of codes does in the coded procedure.
enum class GroupRole : std::uint8_t {
  kUnknown,
  kMain,           // the main procedure
  kLevelsOfSpine,  // V55
  kMethod,         // method or approach (Y53/Y68 image control, other Chapter Y)
  kDevice,         // placement of a prosthesis or device
  kSite,           // Chapter Z site (and the overflow categories extending it)
  kLaterality,     // Z94
  kDiagnosis,      // an ICD-10 diagnosis
  kAdditional,     // another procedure code assigned in addition
};
// "unknown", "main", "levels_of_spine", "method", "device", "site", "laterality", "diagnosis", "additional".
std::string_view GroupRoleName(GroupRole role);
std::optional<GroupRole> ParseGroupRole(std::string_view name);
// The role in words, for screens: "Main procedure", "Levels of spine", "Method", "Site", "Laterality".
std::string_view GroupRoleLabel(GroupRole role);

// A condition on a group: the text as written, and the fact it maps onto when one is known
// ("image_control", "right_atrial_lead", "fluoroscopy", ...; empty when not machine-readable).
struct Condition {
  std::string text;
  std::string fact;
  bool operator==(const Condition&) const = default;
};

// One requirement: one of the alternatives, or a code of a family the text names without a code.
struct Group {
  std::vector<std::string> any_of;  // code patterns, normalised as written: "V44.4", "Y53.-", "Y68", "C18.-"
  std::vector<std::string> titles;  // the titles written beside any_of (same length; "" where none)
  std::string placeholder;          // "site code from Chapter Z"; empty when any_of is used
  std::string family;               // the pattern the placeholder stands for ("Chapter Z"); may be empty
  bool required = true;             // false when the group applies only under `condition`
  std::optional<Condition> condition;
  GroupRole role = GroupRole::kUnknown;
};

// A note kept verbatim, with the national standards it states (ids from knowledge/standards.yaml).
struct GuidanceNote {
  std::string text;
  std::vector<std::string> standards;
};

// A CPT code of a code family and its relations (CPT sections hold codes, not groups).
struct CptCode {
  std::string code;
  std::string summary;                         // our words, or the user's text; never an AMA descriptor
  std::vector<std::string> components;         // codes this one includes (a whole system)
  std::vector<std::string> not_reported_with;  // codes never reported together with this one
};

// One way of coding the procedure, gated by a label the text writes before its codes ("Open procedure:",
// "With stenting:", "When performed on the larynx:", a technique name). A section's scenarios are
// alternatives: an episode meets the section when it meets the section's own groups and one scenario.
struct Scenario {
  std::string label;  // as written, without the colon: "Percutaneous procedure"
  std::string fact;   // the fact it maps onto where the lexicon knows one ("approach=percutaneous"); may be empty
  std::vector<Group> groups;
};

// A restriction the text states: "the .8 and .9 codes from extended category L89 must not be used", "only the
// code for the therapeutic procedure would be needed", "... is not coded in addition". `codes` are the code
// patterns it forbids ("L89.8"), checked by the validator; empty when the text names none.
struct Constraint {
  std::string text;
  std::vector<std::string> codes;
  bool operator==(const Constraint&) const = default;
};

struct Section {
  CodeSystem classification = CodeSystem::kOpcs4;
  std::vector<Group> groups;        // required in every scenario (all the groups when there are none)
  std::vector<Scenario> scenarios;  // alternatives; empty when the text gives one way of coding
  std::vector<GuidanceNote> notes;
  std::optional<std::string> statement;  // "The ICD-10 code to classify the specific diagnosis ... is assigned."
  std::vector<Constraint> constraints;
  std::vector<CptCode> cpt_codes;
};

struct Recommendation {
  std::string id;  // "IPG655"
  std::string title;
  std::string source;                              // where it came from: a file path, "built-in", a URL
  std::map<std::string, std::string> written_for;  // classification name -> version ("OPCS-4" -> "4.6")
  std::string description;                         // plain-language description of the procedure
  std::vector<std::string> related;                // ids of related recommendations (a CPT family)
  std::vector<Section> sections;
  std::vector<std::string> unparsed;  // lines a reader could not place ("<line>: <text>")
  std::vector<std::string>
      warnings;  // what the reader read but doubts ("<line>: SNOMED CT id ... fails its check digit")

  const Section* SectionFor(CodeSystem system) const;
};

// True when the two hold the same structure: id, title, description, sections, groups (patterns,
// placeholders, required, conditions, roles), scenarios, notes, statements, constraints and CPT codes. Written titles,
// source and unparsed lines are not compared.
bool SameStructure(const Recommendation& a, const Recommendation& b, std::string* difference = nullptr);

}  // namespace clincode

#endif  // CLINCODE_GUIDANCE_H_
