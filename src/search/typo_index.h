// Finds the vocabulary words within one edit (insertion, deletion, substitution or adjacent transposition)
// of a query word, without scanning the vocabulary: the symmetric-deletion method. Every word of at least
// kMinIndexedLength letters is stored under the hash of itself and of each form with one letter deleted; a
// query looks up the same forms of itself and verifies the candidates with an edit-distance check.
// Immutable after Build; thread-safe for lookups.
#ifndef CLINCODE_SEARCH_TYPO_INDEX_H_
#define CLINCODE_SEARCH_TYPO_INDEX_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace clincode::search {

class TypoIndex {
 public:
  // Query words shorter than this get no typo tolerance (the ranking contract: five letters or more).
  static constexpr std::size_t kMinQueryLength = 5;
  // A five-letter query with one letter too many matches a four-letter word, so four is the shortest stored.
  static constexpr std::size_t kMinIndexedLength = 4;

  // `word(i)` returns vocabulary word i, for i < count.
  void Build(std::uint32_t count, const std::function<std::string_view(std::uint32_t)>& word);

  // Appends to `out` the ids of words within one edit of `query` (including an exact match), unsorted.
  // Query words shorter than `min_length` (at least kMinIndexedLength) find nothing.
  void Near(std::string_view query, const std::function<std::string_view(std::uint32_t)>& word,
            std::vector<std::uint32_t>* out, std::size_t min_length = kMinQueryLength) const;

  std::size_t size() const { return entries_.size(); }
  std::size_t memory_bytes() const { return entries_.capacity() * sizeof(Entry) + bucket_start_.capacity() * 4; }

 private:
  struct Entry {
    std::uint64_t hash;
    std::uint32_t word;
  };
  // Entries grouped by the top `bucket_bits_` bits of their hash (a counting sort, linear to build):
  // bucket b holds entries_[bucket_start_[b] .. bucket_start_[b + 1]).
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> bucket_start_;
  int bucket_bits_ = 0;
};

}  // namespace clincode::search

#endif  // CLINCODE_SEARCH_TYPO_INDEX_H_
