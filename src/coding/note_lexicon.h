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
  // Sites
  PhraseSet site_phrases;  // -> index in sites
  std::vector<SiteEntry> sites;
  std::vector<CodePattern> not_sites;
  // Flags and diagnoses: clause rules
  std::vector<ClauseRule> flags;
  std::vector<ClauseRule> diagnoses;
  // Composition
  std::vector<std::string> order;  // role names
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
