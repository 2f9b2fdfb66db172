// Reading an operation note: its normalised words and the facts it states, with the words that state
// each. The public face is ExtractFacts (clincode/facts.h); the assistant also needs the words.
#ifndef CLINCODE_CODING_NOTE_READER_H_
#define CLINCODE_CODING_NOTE_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "clincode/facts.h"
#include "coding/note_text.h"

namespace clincode::coding {

struct NoteReading {
  std::string text;
  std::vector<Token> tokens;
  Facts facts;
  struct Site {
    std::string name;  // as the note or the lexicon says it: "right atrium", "lumbar vertebra"
    Words words;       // the title words it selects
    std::string evidence;
    bool operator==(const Site& o) const { return words == o.words; }
  };
  std::vector<Site> sites;    // in the order found
  std::vector<bool> negated;  // per token: a negation cue reaches it in its clause ("no TOE", "not treated")
  // Byte spans of the lines that state the diagnosis ("Dx: ..."), in order.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> diagnosis_lines;
  bool InDiagnosisLine(const Token& t) const;
  // The span of note text between tokens [begin, end).
  std::string Evidence(std::size_t begin, std::size_t end) const;
};

NoteReading ReadNote(std::string_view note);

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_NOTE_READER_H_
