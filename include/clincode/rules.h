// Coding standards as explained rules. A rule is data (knowledge/rules/*.yaml, or a user folder): an id,
// the standard it implements, a severity, the codes it applies to, one check from a small vocabulary, and
// message and fix templates. Rules are compiled once; evaluating them is const and thread-safe.
#ifndef CLINCODE_RULES_H_
#define CLINCODE_RULES_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/code_pattern.h"
#include "clincode/episode.h"
#include "clincode/status.h"

namespace clincode {
namespace rules {
struct CompiledRules;
}

enum class Severity : std::uint8_t { kError, kWarning, kInfo };
std::string_view SeverityName(Severity s);  // "error", "warning", "info"

// A rule broken by an episode (data, not an error).
struct Finding {
  std::string episode_id;
  std::size_t line = 0;  // input line of the episode, 0 when not from a file
  std::string rule_id;
  std::string standard;  // the NHS standard's id where known
  Severity severity = Severity::kError;
  std::string position;  // "OPERTN_02", "DIAG_01", "" for the episode as a whole
  std::string code;      // the code as written
  std::string message;
  std::string fix;
};

// The checks a rule can use (docs/rules.md). Each takes the parameters named beside it.
enum class CheckKind : std::uint8_t {
  kWellFormed,         // the code is the shape of a code of the system
  kFullCode,           // OPCS-4: four characters; ICD-10: four where the category is subdivided
  kExists,             // exists in the release in force
  kNotRetired,         // is not retired in the release in force
  kNeverFirst,         // never in first position
  kFollowsAny,         // some earlier code matches `pattern`
  kNextIs,             // the next code matches `pattern`
  kNextIsNot,          // the next code, if any, does not match `pattern`
  kNotWithInGroup,     // no other code of the same group matches `pattern`
  kRequiresInEpisode,  // some other code of the same list matches `pattern`
  kRequiresDagger,     // an asterisk code has a dagger code in the episode
  kRequiresPartner,    // a dagger with a fixed asterisk partner (QUALIFIERS) has it in the episode
  kSexMatches,         // release metadata: valid for the episode's sex
  kAgeInRange,         // release metadata: valid for the episode's age
  kNotRepeated,        // the code is not coded earlier in the same list
  kFieldValid,         // the episode's `field` (SEX, STARTAGE, EPISTART) holds a value HES allows
  // Checks of the NICE recommendations in the library, run by the Validator (coding layer) for episodes
  // that contain a recommendation's main procedure:
  kGuidanceRequiredGroup,   // every required group is present
  kGuidanceOneAlternative,  // alternatives of one group are not both coded
  kGuidanceDiagnosis,       // the diagnosis groups are present
  kGuidanceConditional,     // a conditional group is absent: the episode does not say whether its condition held
  kGuidanceForbidden,       // a code the recommendation's constraints forbid is coded
  kGuidancePossibleMatch,   // the main code is not specific and nothing else of the recommendation is coded
};

struct Rule {
  std::string id;
  std::string title;
  std::string standard;
  CodeSystem system = CodeSystem::kOpcs4;
  Severity severity = Severity::kError;
  std::optional<CodePattern> applies_to;  // codes the rule looks at; all when absent
  std::optional<CodePattern> except;      // codes it never looks at
  CheckKind check = CheckKind::kWellFormed;
  std::optional<CodePattern> pattern;            // the check's pattern, when it takes one
  bool negate = false;                           // `pattern` given as {not: ...}
  std::string field;                             // field_valid: SEX, STARTAGE or EPISTART
  DaggerAsterisk usage = DaggerAsterisk::kNone;  // only codes with this mark (ICD-10 `applies_to_usage`)
  std::string message;                           // templates: {code} {title} {position} {next} {partner} {pattern}
  std::string fix;                               //   {chapter} {sex} {age} {min_age} {max_age} {release} {first}
                                                 //   {field} {value}
  std::string source;                            // the file it came from
};

struct RuleSetOptions {
  std::vector<std::string> dirs;  // user folders of *.yaml rules; a rule with a built-in id replaces it
  bool builtin = true;
};

class RuleSet {
 public:
  // Loads and compiles the rules. Fails with kParseError naming the file and line for malformed YAML, an
  // unknown check or severity, or a pattern that does not parse.
  static Result<std::shared_ptr<const RuleSet>> Load(const RuleSetOptions& options);
  // Reads one rule file.
  static Result<Rule> ReadRule(std::string_view yaml, std::string_view source);

  const std::vector<Rule>& rules() const { return rules_; }
  const Rule* Find(std::string_view id) const;
  // A number no other RuleSet of this process has (see Release::serial).
  std::uint64_t serial() const { return serial_; }

  // The releases an episode is checked against: the OPCS-4 release in force on its start date (by
  // knowledge/rules/in_force.yaml, else the first loaded) and the first ICD-10 edition loaded.
  struct Releases {
    const Release* opcs4 = nullptr;
    const Release* icd10 = nullptr;
  };
  static Releases InForce(const Catalog& catalog, std::string_view start_date);

  // Appends the findings of every rule for `episode`. Thread-safe.
  void Check(const Episode& episode, const Releases& releases, std::vector<Finding>* out) const;

 private:
  RuleSet();
  std::uint64_t serial_;
  std::vector<Rule> rules_;
  std::shared_ptr<const rules::CompiledRules> compiled_;  // message templates, read once
};

}  // namespace clincode

#endif  // CLINCODE_RULES_H_
