// Builds the search index: documents (titles and inclusion terms), their priors, the sorted vocabulary, posting
// lists in prior order and the typo index. The query is in search_query.cc, the ranking in search_rank.cc.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "clincode/detail/flat_index.h"
#include "search/search_impl.h"
#include "util/text.h"

namespace clincode {

std::string_view MatchKindName(MatchKind kind) {
  switch (kind) {
    case MatchKind::kExactCode: return "exact_code";
    case MatchKind::kCodePrefix: return "code_prefix";
    case MatchKind::kTermCode: return "term_code";
    case MatchKind::kTitle: return "title";
    case MatchKind::kTitleWithTypo: return "title_typo";
    case MatchKind::kPartial: return "partial";
  }
  return "?";
}

// Words met while collecting documents, numbered in order of first appearance. Each distinct word is copied
// once into `arena`.
class SearchIndex::Impl::WordNumbering {
 public:
  WordNumbering() { starts_.push_back(0); }
  std::uint32_t Number(std::string_view w) {
    std::uint32_t id = Find(w);
    if (id != detail::FlatIndex::kNone) return id;
    id = static_cast<std::uint32_t>(starts_.size() - 1);
    arena_.append(w);
    starts_.push_back(static_cast<std::uint32_t>(arena_.size()));
    index_.Insert(Word(id), id, key_of_);
    return id;
  }
  std::uint32_t Find(std::string_view w) const { return index_.Find(w, key_of_); }
  std::string_view Word(std::uint32_t id) const {
    return std::string_view(arena_).substr(starts_[id], starts_[id + 1] - starts_[id]);
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(starts_.size() - 1); }

 private:
  std::string arena_;
  std::vector<std::uint32_t> starts_;  // word i: arena_[starts_[i] .. starts_[i + 1])
  detail::FlatIndex index_;
  std::function<std::string_view(std::uint32_t)> key_of_ = [this](std::uint32_t i) { return Word(i); };
};

void SearchIndex::Impl::Build() {
  auto start = std::chrono::steady_clock::now();
  for (const auto& r : catalog_->releases()) releases_.push_back(r.get());
  WordNumbering words;
  std::vector<std::uint32_t> raw_offsets{0}, raw_words;
  CollectDocuments(&words, &raw_offsets, &raw_words);
  ScoreDocuments(raw_offsets, raw_words, words);
  OrderDocuments(raw_offsets, raw_words);
  SortVocabulary(words);
  BuildPostings();
  BuildShortLists();
  BuildExactKeys();
  typos_.Build(VocabSize(), [this](std::uint32_t i) { return Word(i); });
  build_micros_ = static_cast<std::size_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
}

// Every title and inclusion term becomes a document, read in entry order (sequential in memory) and tokenised
// on the way: the words of document i, in order, are raw_words[raw_offsets[i] .. raw_offsets[i + 1]).
void SearchIndex::Impl::CollectDocuments(WordNumbering* words, std::vector<std::uint32_t>* raw_offsets,
                                         std::vector<std::uint32_t>* raw_words) {
  std::string folded;
  for (std::uint16_t r = 0; r < releases_.size(); ++r) {
    const Release& rel = *releases_[r];
    for (std::uint32_t i = 0; i < rel.size(); ++i) {
      const CodeEntry& e = rel.at(i);
      const std::uint8_t heading = e.kind == CodeKind::kChapter || e.kind == CodeKind::kBlock;
      auto add = [&](std::string_view text, std::uint32_t term) {
        docs_.push_back({i, r, 0, heading, rel.Preorder(i), term, 0, 0.0f});
        folded.clear();
        text::AppendFolded(text, &folded);
        text::ForEachWord(folded, [&](std::string_view w) { raw_words->push_back(words->Number(w)); });
        raw_offsets->push_back(static_cast<std::uint32_t>(raw_words->size()));
      };
      add(e.title, search::kNoTerm);
      for (std::uint32_t n = 0; n < e.notes.size(); ++n) {
        if (e.notes[n].kind == NoteKind::kInclusion || e.notes[n].kind == NoteKind::kIndexTerm) add(e.notes[n].text, n);
      }
    }
  }
}

// The prior of each document: how often its code is used, how long its title is, and whether it names a
// qualified sense or a heading.
void SearchIndex::Impl::ScoreDocuments(const std::vector<std::uint32_t>& raw_offsets,
                                       const std::vector<std::uint32_t>& raw_words, const WordNumbering& words) {
  std::vector<bool> filler(words.size(), false);
  for (std::uint32_t w = 0; w < words.size(); ++w) filler[w] = terms_.IsFiller(words.Word(w));
  // Qualifiers as word ids; one whose words the releases never use cannot occur.
  const auto& qualifiers = terms_.qualifiers();
  std::vector<std::vector<std::uint32_t>> qual_ids;
  std::vector<std::vector<std::uint8_t>> starting(words.size());  // raw word -> qualifiers it starts
  for (std::size_t q = 0; q < qualifiers.size(); ++q) {
    std::vector<std::uint32_t> ids;
    for (const std::string& w : qualifiers[q]) ids.push_back(words.Find(w));
    qual_ids.push_back(ids);
    if (std::find(ids.begin(), ids.end(), detail::FlatIndex::kNone) == ids.end()) {
      starting[ids[0]].push_back(static_cast<std::uint8_t>(q));
    }
  }
  std::vector<std::uint64_t> usage_of_entry;
  std::vector<bool> supplementary;
  std::uint16_t usage_release = UINT16_MAX;
  for (std::uint32_t d = 0; d < docs_.size(); ++d) {
    search::Document& doc = docs_[d];
    const Release& rel = *releases_[doc.release];
    if (doc.release != usage_release) {  // documents come release by release
      usage_release = doc.release;
      usage_of_entry.assign(rel.size(), 0);
      supplementary.assign(rel.size(), false);
      for (std::uint32_t i = 0; i < rel.size(); ++i) {
        const CodeEntry& e = rel.at(i);
        if (e.kind == CodeKind::kCategory || e.kind == CodeKind::kCode) {
          usage_of_entry[i] = usage_.Count(rel.system(), e.code);
          supplementary[i] = terms_.IsSupplementary(CodeSystemKey(rel.system()), e.code);
        }
      }
    }
    unsigned content = 0;
    const std::uint32_t b = raw_offsets[d], end = raw_offsets[d + 1];
    for (std::uint32_t k = b; k < end; ++k) {
      const std::uint32_t w = raw_words[k];
      if (!filler[w]) ++content;
      for (std::uint8_t q : starting[w]) {
        const auto& ids = qual_ids[q];
        if (k + ids.size() <= end && std::equal(ids.begin(), ids.end(), raw_words.begin() + k)) {
          doc.qualifiers |= std::uint64_t{1} << q;
        }
      }
    }
    doc.content_words = static_cast<std::uint8_t>(std::min(content, 255u));
    float prior = search::Weights::kUsage * static_cast<float>(std::log10(1.0 + usage_of_entry[doc.entry])) -
                  search::Weights::kLength * static_cast<float>(doc.content_words);
    if (doc.qualifiers) prior -= search::Weights::kQualified;
    if (supplementary[doc.entry]) prior -= search::Weights::kSupplementary;
    if (doc.heading) prior -= search::Weights::kHeading;
    if (doc.term != search::kNoTerm) prior -= search::Weights::kInclusion;
    doc.prior = prior;
  }
}

// Renumbers the documents by prior, best first (ties in collection order: release, then entry), so that every
// posting list comes out in prior order.
void SearchIndex::Impl::OrderDocuments(const std::vector<std::uint32_t>& raw_offsets,
                                       const std::vector<std::uint32_t>& raw_words) {
  std::vector<std::uint32_t> perm(docs_.size());
  for (std::uint32_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::stable_sort(perm.begin(), perm.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return docs_[a].prior > docs_[b].prior; });
  std::vector<search::Document> sorted(docs_.size());
  seq_offsets_.assign(1, 0);
  seq_offsets_.reserve(docs_.size() + 1);
  seq_.reserve(raw_words.size());
  for (std::uint32_t i = 0; i < perm.size(); ++i) {
    sorted[i] = docs_[perm[i]];
    seq_.insert(seq_.end(), raw_words.begin() + raw_offsets[perm[i]], raw_words.begin() + raw_offsets[perm[i] + 1]);
    seq_offsets_.push_back(static_cast<std::uint32_t>(seq_.size()));
  }
  docs_ = std::move(sorted);
}

// Numbers the words in sorted order, so that the words starting with a prefix form one id range.
void SearchIndex::Impl::SortVocabulary(const WordNumbering& words) {
  std::vector<std::uint32_t> order(words.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return words.Word(a) < words.Word(b); });
  std::vector<std::uint32_t> final_id(order.size());
  vocab_offsets_.reserve(order.size() + 1);
  filler_.assign(order.size(), false);
  negator_.assign(order.size(), false);
  for (std::uint32_t rank = 0; rank < order.size(); ++rank) {
    final_id[order[rank]] = rank;
    vocab_offsets_.push_back(static_cast<std::uint32_t>(vocab_chars_.size()));
    vocab_chars_.append(words.Word(order[rank]));
    filler_[rank] = terms_.IsFiller(words.Word(order[rank]));
    negator_[rank] = terms_.IsNegator(words.Word(order[rank]));
  }
  vocab_offsets_.push_back(static_cast<std::uint32_t>(vocab_chars_.size()));
  for (std::uint32_t& w : seq_) w = final_id[w];
}

// Posting lists in vocabulary order, each in document (prior) order and each document once, by counting sort.
void SearchIndex::Impl::BuildPostings() {
  const std::uint32_t vocab = VocabSize();
  posting_offsets_.assign(vocab + 1, 0);
  std::vector<std::uint32_t> last_doc(vocab, UINT32_MAX);
  for (std::uint32_t d = 0; d < docs_.size(); ++d) {
    for (std::uint32_t k = seq_offsets_[d]; k < seq_offsets_[d + 1]; ++k) {
      if (last_doc[seq_[k]] != d) {
        last_doc[seq_[k]] = d;
        ++posting_offsets_[seq_[k] + 1];
      }
    }
  }
  for (std::uint32_t i = 0; i < vocab; ++i) posting_offsets_[i + 1] += posting_offsets_[i];
  postings_.resize(posting_offsets_[vocab]);
  std::vector<std::uint32_t> fill(posting_offsets_.begin(), posting_offsets_.end() - 1);
  std::fill(last_doc.begin(), last_doc.end(), UINT32_MAX);
  for (std::uint32_t d = 0; d < docs_.size(); ++d) {
    for (std::uint32_t k = seq_offsets_[d]; k < seq_offsets_[d + 1]; ++k) {
      if (last_doc[seq_[k]] != d) {
        last_doc[seq_[k]] = d;
        postings_[fill[seq_[k]]++] = d;
      }
    }
  }
}

std::uint64_t search::WordSetHash(std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::uint64_t h = 1469598103934665603ull;
  for (std::uint32_t id : ids) {
    h ^= id;
    h *= 1099511628211ull;
    h ^= h >> 29;
  }
  return h;
}

void SearchIndex::Impl::BuildExactKeys() {
  exact_keys_.reserve(docs_.size());
  std::vector<std::uint32_t> ids;
  for (std::uint32_t d = 0; d < docs_.size(); ++d) {
    ids.clear();
    for (std::uint32_t k = seq_offsets_[d]; k < seq_offsets_[d + 1]; ++k) {
      if (negator_[seq_[k]]) break;
      if (!filler_[seq_[k]]) ids.push_back(seq_[k]);
    }
    if (!ids.empty()) exact_keys_.emplace_back(search::WordSetHash(ids), d);
  }
  std::sort(exact_keys_.begin(), exact_keys_.end());
}

void SearchIndex::Impl::BuildShortLists() {
  // Below this many words a prefix's posting lists are opened directly at little cost.
  constexpr std::uint32_t kManyWords = 64;
  std::vector<std::string> prefixes;  // the vocabulary is sorted, so its prefixes come in order
  for (std::uint32_t w = 0; w < VocabSize(); ++w) {
    std::string_view word = Word(w);
    for (std::size_t n = 1; n <= 2 && n <= word.size(); ++n) {
      std::string_view p = word.substr(0, n);
      if (std::find(prefixes.end() - std::min<std::ptrdiff_t>(2, static_cast<std::ptrdiff_t>(prefixes.size())),
                    prefixes.end(), p) == prefixes.end()) {
        prefixes.emplace_back(p);
      }
    }
  }
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
  std::vector<std::uint32_t> gathered;
  for (const std::string& p : prefixes) {
    auto [lo, hi] = PrefixRange(p);
    if (hi - lo < kManyWords) continue;
    gathered.clear();
    for (std::uint32_t w = lo; w < hi; ++w) {
      std::uint32_t end = std::min<std::uint32_t>(posting_offsets_[w + 1],
                                                  posting_offsets_[w] + static_cast<std::uint32_t>(kShortListSize));
      gathered.insert(gathered.end(), postings_.begin() + posting_offsets_[w], postings_.begin() + end);
    }
    std::sort(gathered.begin(), gathered.end());
    gathered.erase(std::unique(gathered.begin(), gathered.end()), gathered.end());
    if (gathered.size() > kShortListSize) gathered.resize(kShortListSize);
    short_prefix_.push_back(p);
    short_list_.push_back(gathered);
  }
}

std::pair<std::uint32_t, std::uint32_t> SearchIndex::Impl::PrefixRange(std::string_view word) const {
  const std::uint32_t n = VocabSize();
  std::uint32_t lo = 0, hi = n;
  while (lo < hi) {  // first word >= `word`
    std::uint32_t mid = lo + (hi - lo) / 2;
    if (Word(mid) < word)
      lo = mid + 1;
    else
      hi = mid;
  }
  std::uint32_t end_lo = lo, end_hi = n;
  while (end_lo < end_hi) {  // first word that does not start with `word`
    std::uint32_t mid = end_lo + (end_hi - end_lo) / 2;
    if (Word(mid).substr(0, word.size()) == word)
      end_lo = mid + 1;
    else
      end_hi = mid;
  }
  return {lo, end_lo};
}

std::optional<std::uint32_t> SearchIndex::Impl::WordId(std::string_view word) const {
  auto [lo, hi] = PrefixRange(word);
  if (lo < hi && Word(lo) == word) return lo;
  return std::nullopt;
}

std::unique_ptr<SearchIndex> SearchIndex::Build(std::shared_ptr<const Catalog> catalog) {
  auto impl = std::make_unique<Impl>(std::move(catalog), search::SearchTerms::BuiltIn(), search::UsagePrior::BuiltIn());
  impl->Build();
  return std::unique_ptr<SearchIndex>(new SearchIndex(std::move(impl)));
}

SearchIndex::SearchIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchIndex::~SearchIndex() = default;

Result<std::vector<SearchHit>> SearchIndex::Search(std::string_view query, const SearchOptions& options) const {
  return impl_->Search(query, options);
}
const Catalog& SearchIndex::catalog() const { return *impl_->catalog_; }
std::size_t SearchIndex::document_count() const { return impl_->docs_.size(); }
std::size_t SearchIndex::vocabulary_size() const { return impl_->VocabSize(); }
std::size_t SearchIndex::build_micros() const { return impl_->build_micros_; }
std::size_t SearchIndex::memory_bytes() const {
  const Impl& m = *impl_;
  return m.docs_.capacity() * sizeof(search::Document) +
         (m.seq_.capacity() + m.seq_offsets_.capacity() + m.vocab_offsets_.capacity() + m.posting_offsets_.capacity() +
          m.postings_.capacity()) *
             sizeof(std::uint32_t) +
         m.vocab_chars_.capacity() + m.filler_.size() / 8 + m.typos_.memory_bytes();
}

}  // namespace clincode
