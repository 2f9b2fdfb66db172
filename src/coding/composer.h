// Filling a recommendation's groups from the facts of a note: the internals of the coding assistant.
#ifndef CLINCODE_CODING_COMPOSER_H_
#define CLINCODE_CODING_COMPOSER_H_

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clincode/assistant.h"
#include "clincode/catalog.h"
#include "clincode/facts.h"
#include "clincode/guidance.h"
#include "coding/note_lexicon.h"
#include "coding/note_reader.h"

namespace clincode::coding {

// The content words of every title of the OPCS-4, ICD-10 and CPT releases, computed once, so choosing a
// code by its title costs a few set lookups; and the expansions of patterns, kept once made ("Chapter Z"
// expands to about 1,500 codes of a full release, which cost more than the rest of a note). Thread-safe.
class TitleWords {
 public:
  TitleWords(const Catalog& catalog, const Normaliser& normaliser);
  // Null for a release of another system.
  const Words* Of(const Release& release, std::uint32_t id) const;
  // pattern.Expand(release), made once per release and pattern.
  const std::vector<std::uint32_t>& Expansion(const Release& release, const CodePattern& pattern) const;

 private:
  std::unordered_map<const Release*, std::vector<Words>> words_;
  mutable std::mutex mu_;
  mutable std::map<std::pair<const Release*, std::string>, std::vector<std::uint32_t>> expansions_;
};

// A code a group may give.
struct Candidate {
  std::string code;
  std::string title;
  const Words* words;  // content words of the title
};

class DiagnosisTitles;

struct ComposeContext {
  const Recommendation* recommendation;
  const NoteReading* note;
  const Facts* facts;  // the note's facts with the user's on top
  const Release* opcs4;
  const Release* icd10;
  const Release* cpt;
  const TitleWords* titles;
  const NoteLexicon* lexicon;
  const DiagnosisTitles* diagnosis_titles;         // of the ICD-10 release; null without one
  std::unordered_set<std::string> note_words;      // every word of the note and of the technique fact
  std::unordered_set<std::string> affirmed_words;  // the words of the note that no negation reaches
};

struct Composition {
  std::vector<CodedItem> procedures, diagnoses;
  std::vector<std::string> assumptions;
  std::vector<Question> questions;
  std::optional<ScenarioChoice> scenario;
  std::vector<ConditionOutcome> conditions;
};

// The scenario of `section` the note describes (its fact, the words of its label and of its main codes'
// titles that set it apart), with why in `why`; null, with a question, when the note does not say.
const Scenario* ChooseScenario(const ComposeContext& context, const Section& section, std::string* why,
                               Composition* out);

// Whether a condition the reader gave no fact holds, by the note: the words of the condition that are not
// filler ("transoesophageal echo" of "when TOE is used") stated in one clause (kYes), only negated (kNo), or
// not at all (kUnknown). A condition on the approach ("using a laparoscopic approach") is decided by the
// approach fact. `evidence` gets the words of the note that decide; `empty` is set when the condition has
// no words of its own ("if applicable").
Truth ConditionByWords(const ComposeContext& context, const std::string& condition, std::string* evidence, bool* empty);

// Fills the OPCS-4 groups, in the recommendation's order (OrderProcedures orders them after).
void ComposeProcedures(const ComposeContext& context, Composition* out);
// Fills the ICD-10 groups and adds the diagnoses the note states.
void ComposeDiagnoses(const ComposeContext& context, Composition* out);
// Chooses the CPT codes of a code family from the parts the note says were placed.
void ComposeCpt(const ComposeContext& context, const Section& cpt, Composition* out);
// Orders codes by the roles of their groups (knowledge/coding/notes.yaml `order`), stably.
// The approach codes of the main procedure follow each further (not subsidiary, by `opcs4`'s flags) procedure.
void OrderProcedures(const NoteLexicon& lexicon, const Release* opcs4, std::vector<CodedItem>* procedures);

// Expands a written pattern to the selectable codes of `release` (an exact code the release does not hold
// stays as written, with the written title). `storage` keeps the words of titles not in the release.
std::vector<Candidate> ExpandPattern(const ComposeContext& context, CodeSystem system, const std::string& pattern,
                                     const std::string& written_title, std::deque<Words>* storage);

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_COMPOSER_H_
