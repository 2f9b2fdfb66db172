// The search index's private parts, shared by its build (search_index.cc), its query (search_query.cc) and its
// ranking (search_rank.cc). Not installed.
#ifndef CLINCODE_SEARCH_SEARCH_IMPL_H_
#define CLINCODE_SEARCH_SEARCH_IMPL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clincode/search.h"
#include "search/search_terms.h"
#include "search/typo_index.h"
#include "search/usage_prior.h"

namespace clincode {

namespace search {

// Ranking weights. A document's prior is fixed at build time; the bonuses depend on the query and are bounded,
// so a walk in prior order can stop once no later document could reach the current top `limit`.
struct Weights {
  // log10 of the HES count: ten times the use is worth one point, so a code used 10,000 times a year outranks
  // one used 10 times unless its title fits the query clearly better.
  static constexpr float kUsage = 1.0f;
  // Each content word of a title the query does not ask for costs this much: between two codes of similar use,
  // the shorter title is the plainer sense.
  static constexpr float kLength = 0.4f;
  // A qualified sense ("Family history of", "in pregnancy") that the query does not say.
  static constexpr float kQualified = 3.5f;
  // A supplementary sense (ICD-10 Chapter XXI: "Need for immunization against rubella", "Sterilization" as a
  // reason for contact) below the disease or the procedure itself.
  static constexpr float kSupplementary = 2.5f;
  // The query asks for a procedure ("varicose veins surgery"): procedure classifications first.
  static constexpr float kProcedureIntent = 6.0f;
  // Chapters and blocks name groups of codes, not a codable concept.
  static constexpr float kHeading = 6.0f;
  // An inclusion term is a code's other name, slightly less sure than its title.
  static constexpr float kInclusion = 0.5f;
  // Query-time: the title is the query plus filler words; the query's words stand together in the title.
  static constexpr float kExact = 3.0f;
  static constexpr float kPhrase = 1.5f;
  // A query word that matched only as the start of a longer word ("af" in "after").
  static constexpr float kPrefixOnly = 0.5f;
  // The query read through a term of the lexicon ("DVT" as "deep vein thrombosis"): what the user meant.
  static constexpr float kTerm = 2.0f;
  // A query word found only where a title names what is absent ("secondary" in "not specified as primary or
  // secondary"), when the query itself says no "not".
  static constexpr float kNegated = 2.5f;
  // A word matched with one edit: below every title found by the words as typed ("vertebro" finds
  // "Vertebroplasty" before "Vertebra"), as partial matches are below both.
  static constexpr float kTypo = 50.0f;
};

// A searchable text: an entry's title, or one of its inclusion terms. Documents are numbered by prior, best
// first, so every posting list is already in prior order.
struct Document {
  std::uint32_t entry;
  std::uint16_t release;
  std::uint8_t content_words;  // words that are not filler
  std::uint8_t heading;        // 1 for a chapter or block
  std::uint32_t preorder;      // of the entry, for `within`
  std::uint32_t term;          // kNoTerm, or the index of the inclusion note in the entry's notes
  std::uint64_t qualifiers;    // bit q: the text says qualifier q
  float prior;
};
inline constexpr std::uint32_t kNoTerm = 0xFFFFFFFFu;

// The vocabulary words one query word accepts: ranges of the sorted vocabulary (its prefix matches, those of
// its other spellings and singular), and the subset that are whole-word matches.
struct WordMatch {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;  // [lo, hi)
  std::vector<std::uint32_t> whole;                             // sorted
  bool typo = false;                                            // some range came from an edit
  bool qualifier = false;                                       // a word of a qualifier the query says
  std::int32_t short_list = -1;  // a word of one or two letters: its list of best documents (see short_list_)
  bool Accepts(std::uint32_t w) const {
    for (const auto& [lo, hi] : ranges) {
      if (w >= lo && w < hi) return true;
    }
    return false;
  }
  bool Whole(std::uint32_t w) const { return std::binary_search(whole.begin(), whole.end(), w); }
  bool Empty() const { return ranges.empty(); }
};

struct Scope {
  std::vector<bool> release_in;  // by release index
  struct Subtree {
    std::uint16_t release;
    std::uint32_t lo, hi;
  };
  std::vector<Subtree> within;  // empty: anywhere
  bool has_within = false;
  std::uint64_t qualifiers_said = 0;  // bits of the qualifiers the query says
  bool negation_said = false;         // the query says "not", "without"
  bool procedure_intent = false;      // the query says "surgery", "operation"
};

// The hash of a set of word ids (in any order; repeats count once).
std::uint64_t WordSetHash(std::vector<std::uint32_t> ids);

// A document found, with its score.
struct Candidate {
  float score;
  std::uint32_t doc;
  MatchKind kind;
  bool exact;              // every content word of the title was asked for
  const Reading* reading;  // null for codes
};

// The best candidates so far, at most one per entry, best first.
class TopHits {
 public:
  explicit TopHits(std::size_t limit) : limit_(limit) {}
  // The score a new candidate must beat to enter (lowest kept, or -inf while not full).
  float Threshold() const;
  // True when `c` entered the top.
  bool Offer(const Candidate& c, std::uint64_t entry_key);
  const std::vector<std::pair<Candidate, std::uint64_t>>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }

 private:
  std::size_t limit_;
  std::vector<std::pair<Candidate, std::uint64_t>> items_;  // sorted by score, best first
};

}  // namespace search

class SearchIndex::Impl {
 public:
  Impl(std::shared_ptr<const Catalog> catalog, const search::SearchTerms& terms, const search::UsagePrior& usage)
      : catalog_(std::move(catalog)), terms_(terms), usage_(usage) {}
  void Build();
  class WordNumbering;
  Result<std::vector<SearchHit>> Search(std::string_view query, const SearchOptions& options) const;

  std::shared_ptr<const Catalog> catalog_;
  const search::SearchTerms& terms_;
  const search::UsagePrior& usage_;
  std::vector<const Release*> releases_;
  std::vector<search::Document> docs_;
  std::vector<std::uint32_t> seq_offsets_, seq_;  // words of document d in order: seq_[offsets[d] .. offsets[d+1])
  std::string vocab_chars_;
  std::vector<std::uint32_t> vocab_offsets_;  // word i: vocab_chars_[offsets[i] .. offsets[i+1])
  std::vector<std::uint32_t> posting_offsets_, postings_;
  std::vector<bool> filler_;   // by vocabulary word
  std::vector<bool> negator_;  // by vocabulary word
  search::TypoIndex typos_;
  // For each prefix of one or two letters that starts many words: the kShortListSize best documents (lowest
  // numbers) holding a word with that prefix. A query word typed so far as "a" or "he" walks this list instead of
  // the posting lists of thousands of words, each of which would cost a cache miss to open.
  static constexpr std::size_t kShortListSize = 256;
  // (hash of the set of a title's words, filler and what it says is absent aside; document), sorted.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> exact_keys_;
  std::vector<std::string> short_prefix_;               // sorted
  std::vector<std::vector<std::uint32_t>> short_list_;  // by prefix
  std::size_t build_micros_ = 0;

  std::string_view Word(std::uint32_t i) const {
    return std::string_view(vocab_chars_).substr(vocab_offsets_[i], vocab_offsets_[i + 1] - vocab_offsets_[i]);
  }
  std::uint32_t VocabSize() const { return static_cast<std::uint32_t>(vocab_offsets_.size() - 1); }
  std::pair<std::uint32_t, std::uint32_t> PrefixRange(std::string_view word) const;
  std::optional<std::uint32_t> WordId(std::string_view word) const;
  std::uint64_t EntryKey(const search::Document& d) const { return (std::uint64_t{d.release} << 32) | d.entry; }

  // search_query.cc
  // A query being answered: its words as typed, its readings through the lexicon and the words each matches,
  // and the best titles so far.
  struct Query {
    explicit Query(std::size_t limit) : top(limit) {}
    search::Scope scope;
    search::Words typed;
    search::Words said_words;  // the words of the qualifiers the query says
    std::vector<search::Reading> readings;
    std::vector<std::vector<search::WordMatch>> matches;  // by reading
    search::TopHits top;
  };
  void ReadQuery(Query* q) const;
  bool IsAbbreviation(const Query& q, std::size_t reading, const std::string& word) const;
  void TitleTier(Query* q) const;
  void TypoTier(Query* q) const;
  Result<search::Scope> ResolveScope(const SearchOptions& options) const;
  bool InScope(const search::Document& d, const search::Scope& scope) const;
  bool InScope(std::uint16_t release, std::uint32_t preorder, const search::Scope& scope) const;
  void CodeHits(std::string_view query, const search::Scope& scope, std::size_t limit,
                std::vector<SearchHit>* out) const;
  void TermCodeHits(const search::Words& query, const search::Scope& scope, std::vector<SearchHit>* out) const;
  search::WordMatch MatchWord(std::string_view word, bool typed_last) const;
  search::WordMatch WholeWord(std::string_view word) const;
  void DropUnrequiredWords(std::vector<search::Reading>* readings) const;
  void AddTypos(std::string_view word, std::size_t min_length, bool typed_last, search::WordMatch* m) const;

  // search_rank.cc
  struct Walk {
    const std::vector<search::WordMatch>* words;
    const search::Scope* scope;
    MatchKind kind;
    const search::Reading* reading;
    float uniform;  // added to every document of this walk
  };
  // Returns how many documents entered the top.
  std::size_t WalkTitles(const Walk& walk, search::TopHits* top) const;
  std::size_t ExactTitles(const Walk& walk, search::TopHits* top) const;
  bool Offer(std::uint32_t doc, const Walk& walk, bool negation, search::TopHits* top) const;
  // How a document fits the query's words beyond its prior.
  struct Fit {
    float bonus = 0.0f;
    bool exact = false;  // every content word of the title (what it says is absent aside) was asked for
    bool whole = true;   // every query word matched a whole word, not only the start of one
  };
  Fit QueryBonus(std::uint32_t doc, const std::vector<search::WordMatch>& words, const search::Scope& scope,
                 bool negation_said) const;
  void PartialHits(const std::vector<search::WordMatch>& words, const search::Scope& scope, search::TopHits* top) const;
  // The candidates best first, a category the query names moved above its own codes, its most used code next.
  std::vector<search::Candidate> CategoriesFirst(const search::TopHits& top) const;
  SearchHit ToHit(const search::Candidate& c) const;

 private:
  void CollectDocuments(WordNumbering* words, std::vector<std::uint32_t>* raw_offsets,
                        std::vector<std::uint32_t>* raw_words);
  void OrderDocuments(const std::vector<std::uint32_t>& raw_offsets, const std::vector<std::uint32_t>& raw_words);
  void SortVocabulary(const WordNumbering& words);
  void BuildPostings();
  void BuildShortLists();
  void BuildExactKeys();
  void ScoreDocuments(const std::vector<std::uint32_t>& raw_offsets, const std::vector<std::uint32_t>& raw_words,
                      const WordNumbering& words);
};

}  // namespace clincode

#endif  // CLINCODE_SEARCH_SEARCH_IMPL_H_
