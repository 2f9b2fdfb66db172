// Search over the titles (and ICD-10-CM inclusion terms) of every release in a catalog, plus exact and
// prefix code lookup. Built once; Search() is const and safe to call from many threads at once.
//
// Ranking, best first (docs/search.md explains it):
//   1. the query is exactly a code ("k578" finds K57.8), then codes that start with it ("K57." lists K57.1 ...);
//   2. codes a term of the search lexicon names when it is the whole query ("CABG" -> K40-K46);
//   3. titles and inclusion terms that hold every query word as a word prefix, the query read as typed and
//      through the lexicon ("DVT" as "deep vein thrombosis", "anemia" as "anaemia"), scored by: how often the
//      code is used in English hospital episodes (HES), the title being the query plus filler words, the query
//      standing as a phrase, the title's length, and a qualified sense ("Family history of", "Old") that the
//      query does not say; a category whose title the query names comes above its own codes;
//   4. the same with one edit allowed in a word of five letters or more (four when nothing else is found),
//      the word being typed included ("pnuemoth");
//   5. when no title holds every word: the titles with the most of the rarest query words, marked partial.
// Case and accents are folded ("meniere" finds Ménière). No query scans all titles: words are looked up in
// a sorted vocabulary whose prefix ranges map to posting lists ordered by prior, and a walk stops once no later
// title could enter the results.
//
// Scope: with no system named, a catalog that holds a UK system (OPCS-4, ICD-10) searches only the UK systems;
// ICD-10-CM and CPT are then searched when named or with `all_systems`.
#ifndef CLINCODE_SEARCH_H_
#define CLINCODE_SEARCH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/status.h"

namespace clincode {

struct SearchOptions {
  std::optional<CodeSystem> system;  // only this system
  bool all_systems = false;          // every loaded system, US ones included, when `system` is not set
  std::string within;                // only this code and its descendants ("V44", "Chapter K")
  std::size_t limit = 20;            // at most this many hits (1..1000)
  bool typo_tolerance = true;        // allow tier 4 when tiers 1-3 leave room under the limit
};

enum class MatchKind : std::uint8_t { kExactCode, kCodePrefix, kTermCode, kTitle, kTitleWithTypo, kPartial };
// "exact_code", "code_prefix", "term_code", "title", "title_typo", "partial".
std::string_view MatchKindName(MatchKind kind);

struct SearchHit {
  const Release* release;
  std::uint32_t id;
  MatchKind kind;
  // Higher is better and follows the rank order (1000 exact code, 900 code prefix, 800 a term's code; titles
  // score their prior and bonuses, about -20 to 20; partial matches below -100).
  double score;
  // The inclusion term that matched, when the match was not on the title.
  std::string_view matched_term;
  // The lexicon term the query was read through ("DVT") and what it stands for ("deep vein thrombosis"), when
  // the hit came from that reading.
  std::string_view via_term;
  std::string_view via_meaning;
  // A code that can be recorded (no codes below it); false for chapters, blocks and divided categories.
  bool recordable = false;
  const CodeEntry& entry() const { return release->at(id); }
};

class SearchIndex {
 public:
  // Indexes every entry of every release of `catalog`, which the index keeps alive.
  static std::unique_ptr<SearchIndex> Build(std::shared_ptr<const Catalog> catalog);
  ~SearchIndex();

  // Hits in rank order. Fails with kInvalidArgument for a query over 256 bytes, a limit out of range or
  // an unknown `within` code.
  Result<std::vector<SearchHit>> Search(std::string_view query, const SearchOptions& options) const;

  const Catalog& catalog() const;
  std::size_t document_count() const;
  std::size_t vocabulary_size() const;
  std::size_t build_micros() const;  // time Build took
  std::size_t memory_bytes() const;  // the index's own arrays (the catalog not counted)
  // The releases a search with `options` covers, in catalog order (the UK default applied).
  std::vector<const Release*> Searched(const SearchOptions& options) const;

  class Impl;

 private:
  explicit SearchIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clincode

#endif  // CLINCODE_SEARCH_H_
