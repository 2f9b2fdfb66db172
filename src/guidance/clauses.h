// First stage of reading a recommendation: every logical line becomes a Clause that says what kind of line
// it is and holds every code mention in it with its context (classification, title, condition, connector,
// parentheses, sentence) and the cues the lexicon finds in its words. No group is formed here; the second
// stage (assemble.h) builds groups, scenarios, conditions and constraints from the clauses.
#ifndef CLINCODE_GUIDANCE_CLAUSES_H_
#define CLINCODE_GUIDANCE_CLAUSES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/code_system.h"
#include "guidance/code_line.h"
#include "guidance/text_lines.h"

namespace clincode::guidance {

enum class ClauseKind {
  kHeading,      // a classification heading ("OPCS-4 code(s):", "OPCS4.6 Code(s)") or a coding heading
  kLabel,        // a scenario label ("Open procedure:")
  kCodes,        // a line that lists codes: it starts with a code (after a connector word, if any)
  kProse,        // a sentence or paragraph; may hold codes
  kNote,         // a "Note:" paragraph; may hold codes
  kIncludes,     // "Includes: ..." under a code
  kConnector,    // "Or" or "Plus" alone
  kPlaceholder,  // a short line naming a code family ("Site code", "Plus a Chapter 'Z' code ...")
  kSnomed,       // "<term> (<concept id>)" under a SNOMED CT heading
};

struct Mention {
  std::string pattern;  // normalised for `system`: "Y53.-", "K57.8", "C71-C74"
  CodeSystem system = CodeSystem::kOpcs4;
  std::string title;
  std::string condition;                // written after the code, or stated by its sentence; "" when none
  Connector before = Connector::kNone;  // how it joins the mention before it in the clause
  bool in_parentheses = false;
  bool excluded = false;  // in a sentence that forbids or does not need it
  bool named = false;     // a word beside it ("ICD-10 code") named its classification
  std::size_t sentence = 0;
};

struct Clause {
  ClauseKind kind = ClauseKind::kProse;
  std::string text;  // the line (for a note, without its label)
  std::size_t line = 0;
  std::size_t blank_before = 0;
  std::optional<CodeSystem> heading;       // kHeading: the classification it names (none for "Coding recommendations")
  std::optional<CodeSystem> section;       // the classification heading in force above the clause
  Connector connector = Connector::kNone;  // a leading "Or"/"Plus" (kConnector: the word itself)
  std::vector<Mention> mentions;
  bool one_of = false;         // "one of the following ...": the codes listed next are alternatives
  bool one_or_more = false;    // "one or more of the following ...": likewise, any number of them
  bool additional = false;     // "In addition", "supplementary", "also required"
  bool lead_in = false;        // ends with ":" (the codes listed next belong to it)
  std::string lead_condition;  // "If an adjunctive ... is carried out": applies to the codes listed next
  // Sentences that forbid codes or say one is not needed, with the codes each forbids ("L89.8") and the
  // classification of the codes it names.
  struct Exclusion {
    std::string text;
    std::vector<std::string> codes;
    std::optional<CodeSystem> system;
  };
  std::vector<Exclusion> exclusions;
  bool statement_like = false;         // a sentence about how codes are assigned, without a code
  bool cannot_capture = false;         // "It is not possible to capture ..."
  std::string snomed_id, snomed_term;  // kSnomed
  // Set by the second stage: the codes listed next are alternatives only while within these (a lead-in
  // "A code from category S07.- ... is assigned:"), and this clause heads merged alternative blocks.
  std::vector<std::string> lead_in_patterns;
  bool heads_blocks = false;
  bool skip = false;  // merged into an earlier clause
};

struct ClauseContext {
  const Catalog* catalog = nullptr;  // titles against the loaded releases, when given
};

// Classifies one logical line (already known not to be boilerplate, the header or a note label) and reads
// its mentions. `section` is the classification heading in force; `in_snomed` whether a SNOMED CT heading is.
Clause ReadClause(const LogicalLine& line, std::string_view text, bool is_note, std::optional<CodeSystem> section,
                  bool in_snomed, const ClauseContext& context);

// "Note:", "Notes:", "Notte:", "Nte -": true with the offset of the note's text.
bool IsNoteLabel(std::string_view lower, std::size_t* text_start);

}  // namespace clincode::guidance

#endif  // CLINCODE_GUIDANCE_CLAUSES_H_
