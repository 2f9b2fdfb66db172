// The reader's lexicon (knowledge/reader/lexicon.yaml) and the standards (knowledge/standards.yaml), read
// once from the files compiled into the library. Thread-safe: built on first use, immutable after.
#ifndef CLINCODE_GUIDANCE_LEXICON_H_
#define CLINCODE_GUIDANCE_LEXICON_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "clincode/code_pattern.h"
#include "clincode/guidance.h"

namespace clincode::guidance {

struct ClassificationHeading {
  CodeSystem system;
  std::vector<std::string> starts;
};

struct FactPhrases {
  std::string fact;
  std::vector<std::string> phrases;
};

struct PlaceholderRule {
  std::vector<std::string> phrases;
  GroupRole role;
  std::string family;
};

struct RoleRule {
  CodePattern pattern;
  GroupRole role;
  std::string fact;     // the fact a generic condition ("if used") of this group means
  std::string implies;  // the condition text the group carries when none is written; may be empty
};

struct Standard {
  std::string id;
  std::string nhs_id;
  std::string title;
  std::string summary;
  std::vector<std::string> all, any;
};

struct SystemWords {
  CodeSystem system;
  std::vector<std::string> words;
};

struct Lexicon {
  std::vector<std::string> guidance_ids, family_ids;
  std::vector<std::string> procedure_headings, diagnosis_headings;
  std::vector<ClassificationHeading> classification_headings;
  std::vector<std::string> related;
  std::vector<std::string> boilerplate_starts, boilerplate_contains, tail_headings;
  std::vector<std::string> or_words, plus_words, additional_markers, one_of_markers, assignment_phrases;
  std::vector<std::string> statement_all, statement_any;
  std::vector<std::string> condition_opens, condition_clauses, generic_conditions, choice_words, code_conditions;
  std::vector<FactPhrases> facts;
  std::vector<PlaceholderRule> placeholders;
  std::vector<std::string> optional_markers;  // "can be added as appropriate": the group is optional
  std::vector<RoleRule> roles;
  std::vector<std::string> cpt_subject, cpt_whole, cpt_part;
  std::vector<std::string> coding_headings;
  std::vector<SystemWords> system_words;
  std::vector<std::string> diagnosis_words, procedure_words, diagnosis_endings, procedure_endings;
  std::unordered_set<std::string> diagnosis_word_set, procedure_word_set;  // the single words of the two lists
  std::size_t label_max_words = 10;
  std::vector<std::string> label_not_words;
  std::vector<FactPhrases> scenario_facts;
  std::vector<std::string> scenario_site_prefixes;
  std::vector<std::string> exclusions, cannot_capture, one_or_more_markers;
  std::vector<std::string> follows_chapter;
  // The chapter letter written at `at` of a lower-cased text, after spaces and quotes ("chapter 'k'" read
  // from after "chapter"): 'K', or 0 when no single letter stands there.
  static char ChapterLetterAt(std::string_view lower,
                              std::size_t at);  // "following a code from chapter": the main code is of that chapter
  std::vector<Standard> standards;

  // The code of a condition that names one ("with W83.3" -> "W83.3"), or "".
  std::string CodeOfCondition(std::string_view condition) const;
  // The fact a condition text maps onto ("" when none), given the role rule's fact for generic wording;
  // "code=W83.3" for a condition naming a code.
  std::string FactOf(std::string_view condition, std::string_view role_fact) const;
  const PlaceholderRule* PlaceholderOf(std::string_view line) const;
  const RoleRule* RoleOf(CodeSystem system, std::string_view pattern_text) const;
  std::vector<std::string> StandardsOf(std::string_view note) const;
  bool IsBoilerplate(std::string_view line) const;
  bool IsTailHeading(std::string_view line) const;
  // The fact a scenario label maps onto ("approach=open"), or "".
  std::string ScenarioFactOf(std::string_view label) const;
};

const Lexicon& GetLexicon();

// Lower-cased copy (ASCII), for phrase matching.
std::string Lower(std::string_view s);
bool ContainsAny(std::string_view lower_text, const std::vector<std::string>& phrases);
bool StartsWithAny(std::string_view lower_text, const std::vector<std::string>& phrases);

}  // namespace clincode::guidance

#endif  // CLINCODE_GUIDANCE_LEXICON_H_
