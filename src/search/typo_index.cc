#include "search/typo_index.h"

#include <algorithm>
#include <string>

#include "util/text.h"

namespace clincode::search {
namespace {

// FNV-1a over the word with the letter at `skip` left out (skip >= size: the whole word). 64 bits make a
// collision between two forms vanishingly rare, and every candidate is verified anyway.
std::uint64_t HashSkipping(std::string_view w, std::size_t skip) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i == skip) continue;
    h ^= static_cast<unsigned char>(w[i]);
    h *= 1099511628211ull;
  }
  return h ^ (skip < w.size() ? w.size() - 1 : w.size());
}

}  // namespace

void TypoIndex::Build(std::uint32_t count, const std::function<std::string_view(std::uint32_t)>& word) {
  entries_.clear();
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string_view w = word(i);
    if (w.size() < kMinIndexedLength) continue;
    entries_.push_back({HashSkipping(w, w.size()), i});
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (k > 0 && w[k] == w[k - 1]) continue;  // deleting either of a doubled letter gives the same form
      entries_.push_back({HashSkipping(w, k), i});
    }
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.hash < b.hash || (a.hash == b.hash && a.word < b.word); });
}

void TypoIndex::Near(std::string_view query, const std::function<std::string_view(std::uint32_t)>& word,
                     std::vector<std::uint32_t>* out) const {
  if (query.size() < kMinQueryLength) return;
  const std::size_t first = out->size();
  auto probe = [&](std::uint64_t h) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), h,
                               [](const Entry& e, std::uint64_t key) { return e.hash < key; });
    for (; it != entries_.end() && it->hash == h; ++it) {
      if (text::BoundedEditDistance(query, word(it->word), 1) <= 1) out->push_back(it->word);
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
