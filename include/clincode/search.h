// Search over the titles (and ICD-10-CM inclusion terms) of every release in a catalog, plus exact and
// prefix code lookup. Built once; Search() is const and safe to call from many threads at once.
//
// Ranking, best first:
//   1. the query is exactly a code ("k578" finds K57.8);
//   2. codes that start with the query ("K57", "K57." list K57.1 ... K57.9);
//   3. titles containing every query word as a word prefix, shortest title first;
//   4. the same with one typo allowed in each query word of five letters or more.
// Case and accents are folded ("meniere" finds Ménière). No query scans all titles: words are looked up in
// a sorted vocabulary whose prefix ranges map to posting lists ordered by rank.
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
  std::string within;                // only this code and its descendants ("V44", "Chapter K")
  std::size_t limit = 20;            // at most this many hits (1..1000)
  bool typo_tolerance = true;        // allow tier 4 when tiers 1-3 leave room under the limit
};

enum class MatchKind : std::uint8_t { kExactCode, kCodePrefix, kTitle, kTitleWithTypo };
// "exact_code", "code_prefix", "title", "title_typo".
std::string_view MatchKindName(MatchKind kind);

struct SearchHit {
  const Release* release;
  std::uint32_t id;
  MatchKind kind;
  // Higher is better and follows the rank order: 4 exact code, 3 code prefix, 2 title, 1 title with a
  // typo, plus a fraction that falls with the title's length.
  double score;
  // The inclusion term that matched, when the match was not on the title.
  std::string_view matched_term;
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

  class Impl;

 private:
  explicit SearchIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clincode

#endif  // CLINCODE_SEARCH_H_
