#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "clincode/detail/flat_index.h"
#include "clincode/normalise.h"
#include "clincode/search.h"
#include "search/typo_index.h"
#include "util/text.h"

namespace clincode {

std::string_view MatchKindName(MatchKind kind) {
  switch (kind) {
    case MatchKind::kExactCode: return "exact_code";
    case MatchKind::kCodePrefix: return "code_prefix";
    case MatchKind::kTitle: return "title";
    case MatchKind::kTitleWithTypo: return "title_typo";
  }
  return "?";
}

namespace {

constexpr std::size_t kMaxQueryBytes = 256;
constexpr std::size_t kMaxQueryWords = 8;  // more words only narrow an already tiny result
constexpr std::size_t kMaxLimit = 1000;

// A searchable text: an entry's title, or one of its inclusion terms. Documents are numbered in rank order
// (shortest text first), so every posting list is already sorted by rank.
struct Document {
  std::uint32_t entry;
  std::uint16_t release;
  std::uint16_t length;    // code points of the text, capped
  std::uint32_t preorder;  // of the entry, for `within`
  std::uint32_t term;      // kNoTerm, or the index of the inclusion note in the entry's notes
};
constexpr std::uint32_t kNoTerm = 0xFFFFFFFFu;

// The vocabulary words one query word accepts: a contiguous range of the sorted vocabulary (its prefix
// matches) plus, in the typo tier, isolated words within one edit.
struct WordMatch {
  std::uint32_t lo = 0, hi = 0;
  std::vector<std::uint32_t> extra;  // sorted
  bool Accepts(std::uint32_t w) const {
    return (w >= lo && w < hi) || (!extra.empty() && std::binary_search(extra.begin(), extra.end(), w));
  }
};

struct Scope {
  std::optional<CodeSystem> system;
  struct Subtree {
    std::uint16_t release;
    std::uint32_t lo, hi;
  };
  std::vector<Subtree> within;  // empty: anywhere
  bool has_within = false;
};

}  // namespace

class SearchIndex::Impl {
 public:
  explicit Impl(std::shared_ptr<const Catalog> catalog) : catalog_(std::move(catalog)) {}
  void Build();
  class WordNumbering;
  Result<std::vector<SearchHit>> Search(std::string_view query, const SearchOptions& options) const;

  std::shared_ptr<const Catalog> catalog_;
  std::vector<const Release*> releases_;
  std::vector<Document> docs_;
  std::vector<std::uint32_t> doc_word_offsets_, doc_words_;
  std::string vocab_chars_;
  std::vector<std::uint32_t> vocab_offsets_;  // word i: vocab_chars_[offsets[i] .. offsets[i+1])
  std::vector<std::uint32_t> posting_offsets_, postings_;
  search::TypoIndex typos_;

  std::string_view Word(std::uint32_t i) const {
    return std::string_view(vocab_chars_).substr(vocab_offsets_[i], vocab_offsets_[i + 1] - vocab_offsets_[i]);
  }
  std::uint32_t VocabSize() const { return static_cast<std::uint32_t>(vocab_offsets_.size() - 1); }

 private:
  void CollectDocuments(WordNumbering* words, std::vector<std::uint64_t>* keys, std::vector<std::uint32_t>* raw_offsets,
                        std::vector<std::uint32_t>* raw_words);
  void OrderDocuments(const std::vector<std::uint64_t>& keys, const std::vector<std::uint32_t>& raw_offsets,
                      const std::vector<std::uint32_t>& raw_words);
  void SortVocabulary(const WordNumbering& words);
  void BuildPostings();
  WordMatch PrefixRange(std::string_view word) const;
  bool InScope(const Document& d, const Scope& scope) const;
  Result<Scope> ResolveScope(const SearchOptions& options) const;
  void CodeHits(std::string_view query, const Scope& scope, std::size_t limit, std::vector<SearchHit>* out) const;
  void TitleHits(const std::vector<WordMatch>& words, const Scope& scope, MatchKind kind, std::size_t limit,
                 std::vector<SearchHit>* out) const;
};

// Words met while collecting documents, numbered in order of first appearance. Each distinct word is copied
// once into `arena`.
class SearchIndex::Impl::WordNumbering {
 public:
  WordNumbering() { starts_.push_back(0); }
  std::uint32_t Number(std::string_view w) {
    std::uint32_t id = index_.Find(w, key_of_);
    if (id != detail::FlatIndex::kNone) return id;
    id = static_cast<std::uint32_t>(starts_.size() - 1);
    arena_.append(w);
    starts_.push_back(static_cast<std::uint32_t>(arena_.size()));
    index_.Insert(Word(id), id, key_of_);
    return id;
  }
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
  for (const auto& r : catalog_->releases()) releases_.push_back(r.get());
  WordNumbering words;
  std::vector<std::uint32_t> raw_offsets{0}, raw_words;
  std::vector<std::uint64_t> keys;
  CollectDocuments(&words, &keys, &raw_offsets, &raw_words);
  OrderDocuments(keys, raw_offsets, raw_words);
  SortVocabulary(words);
  BuildPostings();
  typos_.Build(VocabSize(), [this](std::uint32_t i) { return Word(i); });
}

// Every title and inclusion term becomes a document, read in entry order (sequential in memory) and
// tokenised on the way: the words of document i are raw_words[raw_offsets[i] .. raw_offsets[i + 1]).
void SearchIndex::Impl::CollectDocuments(WordNumbering* words, std::vector<std::uint64_t>* keys,
                                         std::vector<std::uint32_t>* raw_offsets,
                                         std::vector<std::uint32_t>* raw_words) {
  std::string folded;
  for (std::uint16_t r = 0; r < releases_.size(); ++r) {
    const Release& rel = *releases_[r];
    // Ties in length break by release, then by the entry's place in the release's code order (chapters and
    // blocks after the codes), then the title before its inclusion terms.
    std::vector<std::uint32_t> code_rank(rel.size());
    auto in_order = rel.CodesInOrder();
    for (std::uint32_t k = 0; k < in_order.size(); ++k) code_rank[in_order[k]] = k;
    for (std::uint32_t i = 0; i < rel.size(); ++i) {
      const CodeEntry& e = rel.at(i);
      if (e.kind == CodeKind::kChapter || e.kind == CodeKind::kBlock) {
        code_rank[i] = static_cast<std::uint32_t>(in_order.size()) + i;
      }
      auto add = [&](std::string_view text, std::uint32_t term) {
        auto len = static_cast<std::uint16_t>(std::min<std::size_t>(text::Utf8Length(text), 0xFFFF));
        // Packed so that one integer sort orders the documents: comparing code strings of entries scattered
        // in memory made this sort the slowest step of the build.
        // length 16 bits | release 8 | code rank 24 | term 16 (the title, 0, before its inclusion terms).
        keys->push_back((std::uint64_t{len} << 48) | (std::uint64_t{r} << 40) |
                        (std::uint64_t{code_rank[i] & 0xFFFFFFu} << 16) | std::min<std::uint32_t>(term + 1, 0xFFFF));
        docs_.push_back({i, r, len, rel.Preorder(i), term});
        folded.clear();
        text::AppendFolded(text, &folded);
        const std::size_t start = raw_words->size();
        text::ForEachWord(folded, [&](std::string_view w) { raw_words->push_back(words->Number(w)); });
        std::sort(raw_words->begin() + static_cast<std::ptrdiff_t>(start), raw_words->end());
        raw_words->erase(std::unique(raw_words->begin() + static_cast<std::ptrdiff_t>(start), raw_words->end()),
                         raw_words->end());
        raw_offsets->push_back(static_cast<std::uint32_t>(raw_words->size()));
      };
      add(e.title, kNoTerm);
      for (std::uint32_t n = 0; n < e.notes.size(); ++n) {
        if (e.notes[n].kind == NoteKind::kInclusion) add(e.notes[n].text, n);
      }
    }
  }
}

// Renumbers the documents in rank order, so that every posting list comes out sorted by rank.
void SearchIndex::Impl::OrderDocuments(const std::vector<std::uint64_t>& keys,
                                       const std::vector<std::uint32_t>& raw_offsets,
                                       const std::vector<std::uint32_t>& raw_words) {
  std::vector<std::uint32_t> perm(docs_.size());
  for (std::uint32_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::sort(perm.begin(), perm.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
  std::vector<Document> sorted(docs_.size());
  doc_word_offsets_.assign(1, 0);
  doc_word_offsets_.reserve(docs_.size() + 1);
  doc_words_.reserve(raw_words.size());
  for (std::uint32_t i = 0; i < perm.size(); ++i) {
    sorted[i] = docs_[perm[i]];
    doc_words_.insert(doc_words_.end(), raw_words.begin() + raw_offsets[perm[i]],
                      raw_words.begin() + raw_offsets[perm[i] + 1]);
    doc_word_offsets_.push_back(static_cast<std::uint32_t>(doc_words_.size()));
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
  for (std::uint32_t rank = 0; rank < order.size(); ++rank) {
    final_id[order[rank]] = rank;
    vocab_offsets_.push_back(static_cast<std::uint32_t>(vocab_chars_.size()));
    vocab_chars_.append(words.Word(order[rank]));
  }
  vocab_offsets_.push_back(static_cast<std::uint32_t>(vocab_chars_.size()));
  for (std::uint32_t& w : doc_words_) w = final_id[w];
}

// Posting lists in vocabulary order, each in document (rank) order, by counting sort.
void SearchIndex::Impl::BuildPostings() {
  const std::uint32_t vocab = VocabSize();
  posting_offsets_.assign(vocab + 1, 0);
  for (std::uint32_t w : doc_words_) ++posting_offsets_[w + 1];
  for (std::uint32_t i = 0; i < vocab; ++i) posting_offsets_[i + 1] += posting_offsets_[i];
  postings_.resize(doc_words_.size());
  std::vector<std::uint32_t> fill(posting_offsets_.begin(), posting_offsets_.end() - 1);
  for (std::uint32_t d = 0; d < docs_.size(); ++d) {
    for (std::uint32_t k = doc_word_offsets_[d]; k < doc_word_offsets_[d + 1]; ++k) {
      postings_[fill[doc_words_[k]]++] = d;
    }
  }
}

WordMatch SearchIndex::Impl::PrefixRange(std::string_view word) const {
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
  WordMatch m;
  m.lo = lo;
  m.hi = end_lo;
  return m;
}

bool SearchIndex::Impl::InScope(const Document& d, const Scope& scope) const {
  if (scope.system && releases_[d.release]->system() != *scope.system) return false;
  if (!scope.has_within) return true;
  for (const auto& s : scope.within) {
    if (s.release == d.release && d.preorder >= s.lo && d.preorder <= s.hi) return true;
  }
  return false;
}

Result<Scope> SearchIndex::Impl::ResolveScope(const SearchOptions& options) const {
  Scope scope;
  scope.system = options.system;
  if (options.within.empty()) return scope;
  scope.has_within = true;
  auto hits = catalog_->Lookup(options.within, options.system);
  if (!hits.ok()) return InvalidArgument("within: " + hits.status().message());
  for (const auto& h : *hits) {
    for (std::uint16_t r = 0; r < releases_.size(); ++r) {
      if (releases_[r] == h.release)
        scope.within.push_back({r, h.release->Preorder(h.id), h.release->SubtreeEnd(h.id)});
    }
  }
  return scope;
}

void SearchIndex::Impl::CodeHits(std::string_view query, const Scope& scope, std::size_t limit,
                                 std::vector<SearchHit>* out) const {
  if (query.size() < 2 || query.size() > 12) return;
  for (char c : query) {
    if (!text::IsAlnum(c) && c != '.') return;
  }
  std::string exact_input(query);
  if (exact_input.back() == '.') exact_input.pop_back();
  std::vector<SearchHit> prefix_hits;
  for (std::uint16_t r = 0; r < releases_.size(); ++r) {
    const Release& rel = *releases_[r];
    if (scope.system && rel.system() != *scope.system) continue;
    auto in_scope = [&](std::uint32_t id) {
      Document d{id, r, 0, rel.Preorder(id), kNoTerm};
      return InScope(d, scope);
    };
    std::string exact_code;
    NormalisedCode norm;
    if (TryNormaliseCode(rel.system(), exact_input, &norm)) {
      std::uint32_t id = rel.Find(norm.code);
      if (id != Release::kNone && in_scope(id)) {
        out->push_back({&rel, id, MatchKind::kExactCode, 4.0, {}});
        exact_code = norm.code;
      }
    }
    // Prefix key in canonical shape: upper case, with the dot after the category where the system has one.
    std::string key = text::ToUpperAscii(query);
    bool dotted = rel.system() == CodeSystem::kOpcs4 || rel.system() == CodeSystem::kIcd10 ||
                  rel.system() == CodeSystem::kIcd10Cm;
    if (dotted && key.size() > 3 && key[3] != '.') key.insert(3, ".");
    auto codes = rel.CodesInOrder();
    auto it = std::lower_bound(codes.begin(), codes.end(), key,
                               [&](std::uint32_t id, const std::string& k) { return rel.at(id).code < k; });
    for (; it != codes.end() && prefix_hits.size() < limit; ++it) {
      const std::string& code = rel.at(*it).code;
      if (code.compare(0, key.size(), key) != 0) break;
      if (code == exact_code || !in_scope(*it)) continue;
      prefix_hits.push_back({&rel, *it, MatchKind::kCodePrefix, 3.0, {}});
    }
  }
  for (auto& h : prefix_hits) {
    if (out->size() >= limit) break;
    out->push_back(h);
  }
}

// Walks the posting lists of the most selective query word in rank order and keeps the first `limit`
// documents that every other word accepts. With several lists (a prefix matching many words), each list is
// cut as soon as it passes the current limit-th best document, so short prefixes stay cheap.
void SearchIndex::Impl::TitleHits(const std::vector<WordMatch>& words, const Scope& scope, MatchKind kind,
                                  std::size_t limit, std::vector<SearchHit>* out) const {
  if (words.empty() || out->size() >= limit) return;
  std::size_t driver = 0;
  std::uint64_t best = UINT64_MAX;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::uint64_t cost = posting_offsets_[words[i].hi] - posting_offsets_[words[i].lo];
    for (std::uint32_t w : words[i].extra) cost += posting_offsets_[w + 1] - posting_offsets_[w];
    if (cost < best) {
      best = cost;
      driver = i;
    }
  }
  if (best == 0) return;
  // An entry found in an earlier tier is not listed again.
  auto in_earlier_tier = [&](const Document& d) {
    for (const SearchHit& h : *out) {
      if (h.id == d.entry && h.release == releases_[d.release]) return true;
    }
    return false;
  };
  auto accepted = [&](std::uint32_t doc) {
    const Document& d = docs_[doc];
    if (!InScope(d, scope)) return false;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i == driver) continue;
      bool found = false;
      for (std::uint32_t k = doc_word_offsets_[doc]; k < doc_word_offsets_[doc + 1] && !found; ++k) {
        found = words[i].Accepts(doc_words_[k]);
      }
      if (!found) return false;
    }
    return true;
  };
  const std::size_t want = limit - out->size();
  std::vector<std::uint32_t> picked;  // sorted ascending, at most `want`
  auto walk = [&](std::uint32_t w) {
    for (std::uint32_t k = posting_offsets_[w]; k < posting_offsets_[w + 1]; ++k) {
      std::uint32_t doc = postings_[k];
      if (picked.size() == want && doc >= picked.back()) return;
      if (!accepted(doc) || std::binary_search(picked.begin(), picked.end(), doc)) continue;
      const Document& d = docs_[doc];
      if (in_earlier_tier(d)) continue;
      // A code found by its title and by an inclusion term is listed once, at its best-ranked text.
      auto same = std::find_if(picked.begin(), picked.end(), [&](std::uint32_t p) {
        return docs_[p].entry == d.entry && docs_[p].release == d.release;
      });
      if (same != picked.end()) {
        if (*same < doc) continue;
        picked.erase(same);
      }
      picked.insert(std::upper_bound(picked.begin(), picked.end(), doc), doc);
      if (picked.size() > want) picked.pop_back();
    }
  };
  const WordMatch& d = words[driver];
  for (std::uint32_t w = d.lo; w < d.hi; ++w) walk(w);
  for (std::uint32_t w : d.extra) walk(w);
  for (std::uint32_t doc : picked) {
    const Document& dd = docs_[doc];
    double base = kind == MatchKind::kTitle ? 2.0 : 1.0;
    const CodeEntry& e = releases_[dd.release]->at(dd.entry);
    std::string_view term = dd.term == kNoTerm ? std::string_view() : std::string_view(e.notes[dd.term].text);
    out->push_back({releases_[dd.release], dd.entry, kind, base + 1.0 / (2.0 + dd.length), term});
  }
}

Result<std::vector<SearchHit>> SearchIndex::Impl::Search(std::string_view query, const SearchOptions& options) const {
  if (query.size() > kMaxQueryBytes) {
    return InvalidArgument(fmt::format("query is {} bytes; the limit is {}", query.size(), kMaxQueryBytes));
  }
  if (options.limit == 0 || options.limit > kMaxLimit) {
    return InvalidArgument(fmt::format("limit {} is out of range 1..{}", options.limit, kMaxLimit));
  }
  auto scope = ResolveScope(options);
  if (!scope.ok()) return scope.status();
  std::vector<SearchHit> out;
  std::string_view trimmed = text::Trim(query);
  if (trimmed.empty()) return out;
  CodeHits(trimmed, *scope, options.limit, &out);

  std::string folded = text::Folded(trimmed);
  std::vector<std::string_view> terms;
  text::ForEachWord(folded, [&](std::string_view w) {
    if (terms.size() < kMaxQueryWords && std::find(terms.begin(), terms.end(), w) == terms.end()) terms.push_back(w);
  });
  if (terms.empty()) return out;
  std::vector<WordMatch> words;
  bool all_found = true;
  for (std::string_view t : terms) {
    words.push_back(PrefixRange(t));
    all_found = all_found && words.back().hi > words.back().lo;
  }
  if (all_found) TitleHits(words, *scope, MatchKind::kTitle, options.limit, &out);
  if (!options.typo_tolerance || out.size() >= options.limit) return out;
  bool any_typo = false;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    typos_.Near(
        terms[i], [this](std::uint32_t w) { return Word(w); }, &words[i].extra);
    any_typo = any_typo || !words[i].extra.empty();
  }
  if (any_typo) TitleHits(words, *scope, MatchKind::kTitleWithTypo, options.limit, &out);
  return out;
}

std::unique_ptr<SearchIndex> SearchIndex::Build(std::shared_ptr<const Catalog> catalog) {
  auto impl = std::make_unique<Impl>(std::move(catalog));
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

}  // namespace clincode
