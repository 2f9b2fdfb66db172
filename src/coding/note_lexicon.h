// The coding assistant's lexicon (knowledge/coding/notes.yaml and diagnoses.yaml), read once from the
// files compiled into the library, with its phrases normalised and indexed. Thread-safe: built on first
// use, immutable after.
#ifndef CLINCODE_CODING_NOTE_LEXICON_H_
#define CLINCODE_CODING_NOTE_LEXICON_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clincode/code_pattern.h"
#include "coding/note_text.h"

namespace clincode::coding {

// Phrases with the facts or codes they stand for; `all` lists of a clause rule.
struct ClauseRule {
  std::string name;                   // fact or code
  std::string value;                  // a flag's value ("laparoscopic"); empty: "yes", or "no" when negated
  std::vector<PhraseSet> all;         // one phrase of each must be in the clause
  std::vector<CodePattern> excludes;  // read codes that make this one give way
};

struct Modality {
  std::string value;
  Words title;
  bool needs_cue = false;
};

struct SpineRegion {
  std::vector<std::string> letters;
  int vertebrae = 0;
  std::string word;
};

struct SpineStructure {
  std::string name;
  bool segment = false;
  Words site;
};

struct LateralityValue {
  std::string value;
  Words title;
};

struct SiteEntry {
  std::string name;  // the phrase as written first, for messages
  Words site;
};

struct NoteLexicon {
  std::unique_ptr<Normaliser> normaliser;
  PhraseSet negation_before, negation_after;
  // Image control
  PhraseSet image_mentions, image_cues, image_none, modality_phrases;  // modality_phrases -> index in modalities
  std::vector<Modality> modalities;
  std::vector<std::string> modality_not_after;  // "grade II", "Quintero II": the word before is no cue
  std::string image_category;                   // the category the image-control standard codes from (Y53)
  std::vector<Words> image_named_by_title;      // title words that say a code names its image control
  // Spine
  std::vector<SpineRegion> regions;
  std::map<std::string, std::vector<std::string>> region_words;  // normalised word -> region words
  std::map<std::string, int> count_words;                        // normalised
  std::vector<std::string> range_words;                          // normalised
  PhraseSet level_words;
  PhraseSet structure_phrases;  // -> index in structures
  std::vector<SpineStructure> structures;
  struct Junction {
    std::string from, to;
    Words site;
  };
  std::vector<Junction> junctions;
  std::vector<std::pair<int, Words>> level_titles;  // levels -> title words (last: that many or more)
  // Laterality
  PhraseSet laterality_phrases;  // -> index in laterality
  std::vector<LateralityValue> laterality;
  std::vector<std::string> laterality_not_after;
  int laterality_window = 2;
  struct SideMark {
    std::string written;  // "R)": a capital letter and the bracket that follows it
    std::string value;
  };
  std::vector<SideMark> side_marks;
  // The laterality standard: a code whose title (or its category's) names one of these is on a paired organ
  // or a limb, and takes a laterality code from `laterality_category` when the recommendation gives none.
  std::vector<Words> paired_words;
  std::string laterality_category;
  // Diagnosis lines: a line that starts "Dx:", "Indication:" (normalised first words).
  std::vector<Words> diagnosis_line_words;
  // Gestational age: "26+2/40", "26 weeks gestation"; the group whose titles have `gestation_title`.
  std::vector<std::string> week_words, gestation_words;
  Words gestation_title;
  // Words of a condition that say nothing about what must hold ("if", "used", "applicable").
  std::vector<std::string> condition_filler;
  // Sites
  PhraseSet site_phrases;  // -> index in sites
  std::vector<SiteEntry> sites;
  std::vector<CodePattern> not_sites;
  std::vector<std::string> site_implied_words;  // a site title's words a note may leave unsaid ("skin")
  std::vector<std::string> site_normal_words;   // a clause with one is no site operated on ("bronchi clear")
  // Flags and diagnoses: clause rules
  std::vector<ClauseRule> flags;
  std::vector<ClauseRule> diagnoses;
  // Diagnosis lines read against release titles (diagnoses.yaml `titles`, `history`).
  std::vector<std::string> diagnosis_implied_words;
  std::vector<CodePattern> symptom_codes;
  std::vector<std::string> residual_title_words;  // lower case, as written in titles
  std::vector<CodePattern> not_read_codes;
  std::vector<PhraseSet> history_cues;  // one phrase of each, in one statement with a neoplasm: history
  std::vector<std::pair<CodePattern, std::string>> history_codes;
  // Composition
  std::vector<std::vector<std::string>> order;  // ranks of role names
  std::vector<std::string> approach_categories;
  std::map<std::string, std::string> fact_labels;  // fact key -> what it is, in words (notes.yaml fact_labels)
  std::map<std::string, std::vector<std::string>> shown_by;  // title word -> note words that show it (normalised)
  struct CptPart {
    std::string part;
    PhraseSet phrases;
  };
  std::vector<CptPart> cpt_parts;
  std::vector<Words> indication_words;
  std::vector<std::string> generic_words;  // normalised
  double min_title_coverage = 0.6;
};

const NoteLexicon& GetNoteLexicon();

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_NOTE_LEXICON_H_
