// The titles of an ICD-10 release as a diagnosis reader sees them: the essential words of each title (words in
// parentheses are nonessential modifiers, "Mitral (valve) insufficiency"; words in brackets are another name,
// "Palmar fascial fibromatosis [Dupuytren]"), with an index from each word to the titles that need it, so the
// codes whose titles a statement covers are found in time proportional to the statement. Immutable after
// construction; safe to share between threads.
#ifndef CLINCODE_CODING_DIAGNOSIS_TITLES_H_
#define CLINCODE_CODING_DIAGNOSIS_TITLES_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clincode/release.h"
#include "coding/note_lexicon.h"

namespace clincode::coding {

// A title of a residual code: one of the lexicon's `residual_title_words` ("other", "unspecified") is a word
// of it.
bool ResidualTitle(std::string_view title, const NoteLexicon& lexicon);

class DiagnosisTitles {
 public:
  struct Title {
    Words essential;    // content words outside parentheses and brackets, less the implied words
    Words alternative;  // the words in brackets: another name for the whole ("Dupuytren"); may be empty
  };
  DiagnosisTitles(const Release& release, const NoteLexicon& lexicon);

  const Release& release() const { return *release_; }
  const Title& Of(std::uint32_t id) const { return titles_[id]; }
  // The selectable codes (not external causes, nor residual "other"/"unspecified" ones of fewer than two
  // essential words) whose essential words, or whose
  // other name, are all in `words`.
  std::vector<std::uint32_t> CoveredBy(const std::unordered_set<std::string>& words) const;

 private:
  const Release* release_;
  std::vector<Title> titles_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> needing_;  // first word of a name -> ids
};

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_DIAGNOSIS_TITLES_H_
