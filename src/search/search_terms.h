// The search lexicon (knowledge/search/terms.yaml): the words coders and clinicians type that the titles do
// not say. Abbreviations, acronyms, lay terms, eponyms and old names lead to title words ("DVT" -> "deep vein
// thrombosis") or to codes ("CABG" -> K40-K46); spelling pairs join British and American forms ("anaemia",
// "anemia"); qualifiers name the senses ranked below the plain one ("Family history of"); filler words name no
// concept ("unspecified", "NOS"). Immutable after loading; thread-safe.
#ifndef CLINCODE_SEARCH_SEARCH_TERMS_H_
#define CLINCODE_SEARCH_SEARCH_TERMS_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clincode/status.h"
#include "search/typo_index.h"

namespace clincode::search {

using Words = std::vector<std::string>;

struct Term {
  std::string text;                     // as written: "DVT"
  Words words;                          // folded: {"dvt"}
  std::vector<Words> means;             // title phrases it stands for, folded
  std::vector<std::string> means_text;  // the same as written
  std::vector<std::string> codes;       // codes it names, as written ("K40", "I80.2")
};

// One way of reading a query: its words with some terms replaced by what they mean.
struct Reading {
  Words words;
  std::vector<const Term*> via;  // the terms replaced, in query order; empty for the query as typed
  std::size_t meaning = 0;       // the index, in each term's `means`, of the meaning put in (or its last)
  bool negation = false;         // its words say "not", "without" (set by the search before filler is dropped)
};

class SearchTerms {
 public:
  // The built-in lexicon, read once. A malformed built-in file is a build defect and aborts.
  static const SearchTerms& BuiltIn();
  // Reads a lexicon; fails with kInvalidArgument naming `source:line` and the entry.
  static Result<SearchTerms> Parse(std::string_view yaml, std::string_view source);

  // The query as typed first, then readings with its terms replaced (longest term first at each word; at
  // most `max` readings). Words are compared in one spelling ("cesarean" finds "caesarean section"); with
  // `fuzzy`, a word of five letters or more also matches a term's word one edit away, and the query as typed is
  // not repeated.
  std::vector<Reading> Readings(const Words& query, std::size_t max, bool fuzzy = false) const;
  // Terms whose words are exactly the whole query ("cabg"), for their codes.
  std::vector<const Term*> WholeQueryTerms(const Words& query) const;
  // The other spellings of a folded word: every spelling pair's part that the word contains, swapped.
  Words SpellingVariants(std::string_view word) const;

  // The British spelling of a folded word, by the spelling pairs: the form terms are looked up in.
  std::string Canonical(std::string_view word) const;

  bool IsFiller(std::string_view word) const { return filler_.count(std::string(word)) != 0; }
  // A word after which a title names what is absent ("not specified as secondary", "without complications").
  bool IsNegator(std::string_view word) const { return negators_.count(std::string(word)) != 0; }
  // Qualifiers are a bit set per title.
  static constexpr std::size_t kMaxQualifiers = 64;
  // A word that asks for a procedure ("surgery", "operation") without naming one: not required of a title, and a
  // procedure classification's titles rank first.
  bool IsProcedureWord(std::string_view word) const { return procedure_words_.count(std::string(word)) != 0; }
  // Codes of a supplementary sense (ICD-10 Chapter XXI: factors influencing health status and contact with
  // health services) rank below the plain sense: true when `code` of `system_key` starts so.
  bool IsSupplementary(std::string_view system_key, std::string_view code) const;
  const std::vector<Words>& qualifiers() const { return qualifiers_; }
  const std::vector<Term>& terms() const { return terms_; }
  const std::vector<std::pair<std::string, std::string>>& spellings() const { return spellings_; }

 private:
  std::vector<Term> terms_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;
  // The first words of the terms, and the words within one edit of each, for a misspelt term ("colonscopy").
  std::vector<std::string> first_words_;
  TypoIndex first_word_typos_;
  std::vector<std::pair<std::string, std::string>> spellings_;  // (one spelling's part, the other's)
  // Whether any spelling part starts with these two bytes: most words contain none, and are told so in one pass.
  std::vector<bool> spelling_bigram_ = std::vector<bool>(1 << 16, false);
  bool MayHaveSpelling(std::string_view word) const;
  std::vector<Words> qualifiers_;
  std::unordered_set<std::string> filler_;
  std::unordered_set<std::string> procedure_words_;
  std::unordered_set<std::string> negators_;
  std::vector<std::pair<std::string, std::string>> supplementary_;  // (system key, code start)
};

// The folded words of `text`, in order.
Words FoldedWords(std::string_view text);

}  // namespace clincode::search

#endif  // CLINCODE_SEARCH_SEARCH_TERMS_H_
