#include "search/typo_index.h"

#include <algorithm>
#include <string>

#include "util/text.h"

namespace clincode::search {
namespace {

// FNV-1a, then a finaliser, over the word with the letter at `skip` left out (skip >= size: the whole word). 64 bits
// make a collision between two forms vanishingly rare, and every candidate is verified anyway.
std::uint64_t HashSkipping(std::string_view w, std::size_t skip) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i == skip) continue;
    h ^= static_cast<unsigned char>(w[i]);
    h *= 1099511628211ull;
  }
  h ^= skip < w.size() ? w.size() - 1 : w.size();
  // MurmurHash3's finaliser: buckets are taken from the top bits, which FNV alone mixes poorly.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

}  // namespace

void TypoIndex::Build(std::uint32_t count, const std::function<std::string_view(std::uint32_t)>& word) {
  std::vector<Entry> all;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string_view w = word(i);
    if (w.size() < kMinIndexedLength) continue;
    all.push_back({HashSkipping(w, w.size()), i});
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (k > 0 && w[k] == w[k - 1]) continue;  // deleting either of a doubled letter gives the same form
      all.push_back({HashSkipping(w, k), i});
    }
  }
  // About one entry per bucket; a full sort of ~500,000 entries cost 30 ms, the counting sort a few.
  bucket_bits_ = 1;
  while ((std::size_t{1} << bucket_bits_) < all.size() && bucket_bits_ < 30) ++bucket_bits_;
  const std::size_t buckets = std::size_t{1} << bucket_bits_;
  bucket_start_.assign(buckets + 1, 0);
  auto bucket_of = [this](std::uint64_t h) { return static_cast<std::size_t>(h >> (64 - bucket_bits_)); };
  for (const Entry& e : all) ++bucket_start_[bucket_of(e.hash) + 1];
  for (std::size_t b = 0; b < buckets; ++b) bucket_start_[b + 1] += bucket_start_[b];
  entries_.resize(all.size());
  std::vector<std::uint32_t> fill(bucket_start_.begin(), bucket_start_.end() - 1);
  for (const Entry& e : all) entries_[fill[bucket_of(e.hash)]++] = e;
}

void TypoIndex::Near(std::string_view query, const std::function<std::string_view(std::uint32_t)>& word,
                     std::vector<std::uint32_t>* out, std::size_t min_length) const {
  if (query.size() < std::max(min_length, kMinIndexedLength)) return;
  const std::size_t first = out->size();
  if (entries_.empty()) return;
  auto probe = [&](std::uint64_t h) {
    std::size_t b = static_cast<std::size_t>(h >> (64 - bucket_bits_));
    for (std::uint32_t k = bucket_start_[b]; k < bucket_start_[b + 1]; ++k) {
      const Entry& e = entries_[k];
      if (e.hash == h && text::BoundedEditDistance(query, word(e.word), 1) <= 1) out->push_back(e.word);
    }
  };
  probe(HashSkipping(query, query.size()));
  for (std::size_t k = 0; k < query.size(); ++k) {
    if (k > 0 && query[k] == query[k - 1]) continue;
    probe(HashSkipping(query, k));
  }
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
  out->erase(std::unique(out->begin() + static_cast<std::ptrdiff_t>(first), out->end()), out->end());
}

}  // namespace clincode::search
