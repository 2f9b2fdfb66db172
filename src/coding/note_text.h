// Operation notes as words: tokenising, the normalisation notes and release titles share (abbreviations,
// synonyms, stemming, from knowledge/coding/notes.yaml), clauses, and matching phrases against the words.
// Immutable after construction; safe to share between threads.
#ifndef CLINCODE_CODING_NOTE_TEXT_H_
#define CLINCODE_CODING_NOTE_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace clincode::coding {

// One normalised word of a note, with the bytes of the note it came from.
struct Token {
  std::string word;         // normalised ("fluoroscopy", "vertebra", "heart")
  std::uint32_t begin = 0;  // byte span in the note of the written word it came from
  std::uint32_t end = 0;
  std::uint32_t clause = 0;  // clauses end at clause breaks (".", ";", ",", ...) and clause words
  char joined_by = ' ';      // the punctuation between it and the previous written word: '/', '-', '&' or ' '
  bool expanded = false;     // made by expanding an abbreviation (several tokens share a span)
  bool ambiguous = false;    // expanded from an abbreviation read only in the case written ("II", "US")
};

// The words of a phrase or title, normalised, in order.
using Words = std::vector<std::string>;

class Normaliser {
 public:
  struct Abbreviation {
    std::string from;  // one written word, lower case unless exact
    Words to;          // its expansion, before synonyms
    bool exact = false;
  };
  struct PhraseRewrite {
    Words from;
    Words to;
  };
  Normaliser(std::vector<Abbreviation> abbreviations, std::unordered_map<std::string, std::string> synonyms,
             std::vector<PhraseRewrite> rewrites, std::vector<std::string> stop_words,
             std::vector<std::string> clause_breaks, std::vector<std::string> clause_words);

  // The tokens of a note (stop words kept: negation and clause cues need them).
  std::vector<Token> Tokenize(std::string_view text) const;
  // The normalised words of a phrase written in the lexicon or of a title (stop words kept).
  Words PhraseWords(std::string_view phrase) const;
  // The content words of a title: normalised, stop words removed, each once.
  Words ContentWords(std::string_view title) const;
  bool IsStopWord(std::string_view word) const { return stop_words_.count(std::string(word)) > 0; }

 private:
  std::string NormaliseWord(std::string_view lower) const;
  void Rewrite(std::vector<Token>* tokens) const;

  std::unordered_map<std::string, const Abbreviation*> folded_abbreviations_, exact_abbreviations_;
  std::vector<Abbreviation> abbreviations_;
  std::unordered_map<std::string, std::string> synonyms_;
  std::vector<PhraseRewrite> rewrites_;
  std::unordered_set<std::string> stop_words_;
  std::string clause_chars_;
  std::unordered_set<std::string> clause_words_;
};

// A set of phrases, each with a value, found in token streams: the longest phrase wins at a position, and
// phrases never cross a clause.
class PhraseSet {
 public:
  void Add(const Words& phrase, int value);
  struct Match {
    std::size_t begin, end;  // token indices [begin, end)
    int value;
  };
  // Every match, left to right; after a match the search resumes after it.
  std::vector<Match> FindAll(const std::vector<Token>& tokens) const;
  // The longest match starting at `at`, or value -1.
  Match LongestAt(const std::vector<Token>& tokens, std::size_t at) const;
  bool empty() const { return by_first_.empty(); }

 private:
  std::unordered_map<std::string, std::vector<std::pair<Words, int>>> by_first_;
};

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_NOTE_TEXT_H_
