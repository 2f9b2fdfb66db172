// A query: its scope, code hits, the lexicon's readings, word matches (prefixes, spellings, singulars, typos)
// and the tiers in order. Scoring is in search_rank.cc.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "clincode/normalise.h"
#include "search/search_impl.h"
#include "util/text.h"

namespace clincode {
namespace {

constexpr std::size_t kMaxQueryBytes = 256;
constexpr std::size_t kMaxQueryWords = 8;  // more words only narrow an already tiny result
constexpr std::size_t kMaxLimit = 1000;
// Readings of one query through the lexicon: the query as typed and up to five with terms replaced.
constexpr std::size_t kMaxReadings = 6;
// The word being typed is matched with one edit against vocabulary words that share its first letters; the
// scan stops at this many words (a range this big means the start is common and the word is long enough to
// reach the typo index whole).
constexpr std::uint32_t kMaxPrefixTypoScan = 2000;
// The typo tier runs when the words as typed found fewer titles than this.
constexpr std::size_t kTypoTierBelow = 3;

bool IsUkSystem(CodeSystem s) { return s == CodeSystem::kOpcs4 || s == CodeSystem::kIcd10; }

// Other forms of a query word that its prefix does not reach: singulars ("stones" -> "stone", "arteries" ->
// "artery") and past participles and gerunds ("sprained" -> "sprain", "fractured" -> "fracture", "bleeding" ->
// "bleed"). Words ending in -ss, -us, -is (abscess, calculus, arthritis) are not plurals; stems shorter than
// four letters are not tried ("bed", "red").
search::Words Stems(std::string_view w) {
  search::Words out;
  auto add = [&](std::string s) {
    if (s.size() >= 4 && s != w) out.push_back(std::move(s));
  };
  if (w.size() >= 4 && w.back() == 's' && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is")) {
    if (w.ends_with("ies")) add(std::string(w.substr(0, w.size() - 3)) + "y");
    if (w.ends_with("es")) add(std::string(w.substr(0, w.size() - 2)));
    add(std::string(w.substr(0, w.size() - 1)));
  }
  if (w.size() >= 6 && w.ends_with("ed")) {
    add(std::string(w.substr(0, w.size() - 2)));
    add(std::string(w.substr(0, w.size() - 1)));
  }
  if (w.size() >= 7 && w.ends_with("ing")) {
    add(std::string(w.substr(0, w.size() - 3)));
    add(std::string(w.substr(0, w.size() - 3)) + "e");
  }
  return out;
}

void AddRange(std::pair<std::uint32_t, std::uint32_t> r, search::WordMatch* m) {
  if (r.first >= r.second) return;
  for (const auto& have : m->ranges) {
    if (have.first <= r.first && r.second <= have.second) return;
  }
  m->ranges.push_back(r);
}

}  // namespace

Result<search::Scope> SearchIndex::Impl::ResolveScope(const SearchOptions& options) const {
  search::Scope scope;
  bool has_uk = false;
  for (const Release* r : releases_) has_uk = has_uk || IsUkSystem(r->system());
  for (const Release* r : releases_) {
    bool in =
        options.system ? r->system() == *options.system : options.all_systems || !has_uk || IsUkSystem(r->system());
    scope.release_in.push_back(in);
  }
  if (options.within.empty()) return scope;
  scope.has_within = true;
  auto hits = catalog_->Lookup(options.within, options.system);
  if (!hits.ok()) return InvalidArgument("within: " + hits.status().message());
  for (const auto& h : *hits) {
    for (std::uint16_t r = 0; r < releases_.size(); ++r) {
      if (releases_[r] == h.release) {
        scope.within.push_back({r, h.release->Preorder(h.id), h.release->SubtreeEnd(h.id)});
        scope.release_in[r] = true;  // a subtree named is searched whatever the default
      }
    }
  }
  return scope;
}

bool SearchIndex::Impl::InScope(std::uint16_t release, std::uint32_t preorder, const search::Scope& scope) const {
  if (!scope.release_in[release]) return false;
  if (!scope.has_within) return true;
  for (const auto& s : scope.within) {
    if (s.release == release && preorder >= s.lo && preorder <= s.hi) return true;
  }
  return false;
}

bool SearchIndex::Impl::InScope(const search::Document& d, const search::Scope& scope) const {
  return InScope(d.release, d.preorder, scope);
}

void SearchIndex::Impl::CodeHits(std::string_view query, const search::Scope& scope, std::size_t limit,
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
    if (!scope.release_in[r]) continue;
    auto in_scope = [&](std::uint32_t id) { return InScope(r, rel.Preorder(id), scope); };
    std::string exact_code;
    NormalisedCode norm;
    if (TryNormaliseCode(rel.system(), exact_input, &norm)) {
      std::uint32_t id = rel.Find(norm.code);
      if (id != Release::kNone && in_scope(id)) {
        SearchHit h{&rel, id, MatchKind::kExactCode, 1000.0, {}, {}, {}, rel.Children(id).empty()};
        out->push_back(h);
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
      prefix_hits.push_back({&rel, *it, MatchKind::kCodePrefix, 900.0, {}, {}, {}, rel.Children(*it).empty()});
    }
  }
  for (auto& h : prefix_hits) {
    if (out->size() >= limit) break;
    out->push_back(h);
  }
}

// A lexicon term that is the whole query and names codes ("CABG"): those codes, most used first.
void SearchIndex::Impl::TermCodeHits(const search::Words& query, const search::Scope& scope,
                                     std::vector<SearchHit>* out) const {
  std::vector<SearchHit> found;
  for (const search::Term* t : terms_.WholeQueryTerms(query)) {
    for (const std::string& written : t->codes) {
      // "icd10:I80.2" names the code in one system only; a plain code in every system that has it.
      std::string_view code = written, only;
      if (auto colon = code.find(':'); colon != std::string_view::npos) {
        only = code.substr(0, colon);
        code = code.substr(colon + 1);
      }
      for (std::uint16_t r = 0; r < releases_.size(); ++r) {
        const Release& rel = *releases_[r];
        NormalisedCode norm;
        if (!only.empty() && only != CodeSystemKey(rel.system())) continue;
        if (!scope.release_in[r] || !TryNormaliseCode(rel.system(), code, &norm)) continue;
        std::uint32_t id = rel.Find(norm.code);
        if (id == Release::kNone || !InScope(r, rel.Preorder(id), scope)) continue;
        bool seen = std::any_of(out->begin(), out->end(),
                                [&](const SearchHit& h) { return h.release == &rel && h.id == id; }) ||
                    std::any_of(found.begin(), found.end(),
                                [&](const SearchHit& h) { return h.release == &rel && h.id == id; });
        if (seen) continue;
        double use = static_cast<double>(usage_.Count(rel.system(), rel.at(id).code));
        std::string_view means = t->means_text.empty() ? std::string_view() : std::string_view(t->means_text.front());
        found.push_back({&rel,
                         id,
                         MatchKind::kTermCode,
                         800.0 + std::log10(1.0 + use),
                         {},
                         t->text,
                         means,
                         rel.Children(id).empty()});
      }
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  out->insert(out->end(), found.begin(), found.end());
}

search::WordMatch SearchIndex::Impl::MatchWord(std::string_view word, bool /*typed_last*/) const {
  search::WordMatch m;
  if (word.size() <= 2) {
    auto it = std::lower_bound(short_prefix_.begin(), short_prefix_.end(), word);
    if (it != short_prefix_.end() && *it == word) m.short_list = static_cast<std::int32_t>(it - short_prefix_.begin());
  }
  auto add = [&](std::string_view form) {
    auto range = PrefixRange(form);
    AddRange(range, &m);
    // The range is sorted: the word itself, when in the vocabulary, is its first.
    if (range.first < range.second && Word(range.first) == form) m.whole.push_back(range.first);
  };
  add(word);
  for (const std::string& v : terms_.SpellingVariants(word)) add(v);
  for (const std::string& s : Stems(word)) {
    add(s);
    for (const std::string& v : terms_.SpellingVariants(s)) add(v);
  }
  std::sort(m.whole.begin(), m.whole.end());
  return m;
}

search::WordMatch SearchIndex::Impl::WholeWord(std::string_view word) const {
  search::WordMatch m;
  if (auto id = WordId(word)) {
    m.ranges.push_back({*id, *id + 1});
    m.whole.push_back(*id);
  }
  return m;
}

void SearchIndex::Impl::AddTypos(std::string_view word, std::size_t min_length, bool typed_last,
                                 search::WordMatch* m) const {
  std::vector<std::uint32_t> ids;
  typos_.Near(
      word, [this](std::uint32_t w) { return Word(w); }, &ids, min_length);
  // The word being typed, when no word starts with it and no whole word is one edit away: one edit from the start
  // of a longer word ("pnuemoth" -> "pneumothorax").
  if (typed_last && word.size() >= search::TypoIndex::kMinQueryLength && m->Empty() && ids.empty()) {
    std::size_t shared = 2;
    auto range = PrefixRange(word.substr(0, shared));
    while (range.second - range.first > kMaxPrefixTypoScan && shared < 4) range = PrefixRange(word.substr(0, ++shared));
    if (range.second - range.first <= kMaxPrefixTypoScan) {
      const std::size_t n = word.size();
      for (std::uint32_t w = range.first; w < range.second; ++w) {
        std::string_view v = Word(w);
        if (v.size() <= n) continue;  // whole words are the typo index's
        bool near = text::BoundedEditDistance(word, v.substr(0, n), 1) <= 1 ||
                    text::BoundedEditDistance(word, v.substr(0, n + 1), 1) <= 1 ||
                    text::BoundedEditDistance(word, v.substr(0, n - 1), 1) <= 1;
        if (near) ids.push_back(w);
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  // A word one edit away is the word meant, whole: "pneumonai" is exactly "Pneumonia, unspecified". The start of
  // a longer word is not.
  const std::size_t whole_words = m->whole.size();
  for (std::uint32_t id : ids) {
    if (Word(id).size() + 1 >= word.size() && Word(id).size() <= word.size() + 1) m->whole.push_back(id);
  }
  if (m->whole.size() != whole_words) {
    std::sort(m->whole.begin(), m->whole.end());
    m->whole.erase(std::unique(m->whole.begin(), m->whole.end()), m->whole.end());
  }
  for (std::size_t i = 0; i < ids.size();) {  // consecutive ids make one range
    std::size_t j = i + 1;
    while (j < ids.size() && ids[j] <= ids[j - 1] + 1) ++j;
    if (!m->Accepts(ids[i]) || !m->Accepts(ids[j - 1])) {
      m->ranges.push_back({ids[i], ids[j - 1] + 1});
      m->typo = true;
    }
    i = j;
  }
}

// Filler words ("of", "unspecified") and words that only ask for a procedure ("surgery") are not required of a
// title: "cancer of breast" finds "Malignant neoplasm: Breast". A reading of such words alone keeps them.
void SearchIndex::Impl::DropUnrequiredWords(std::vector<search::Reading>* readings) const {
  for (search::Reading& reading : *readings) {
    search::Words content;
    for (const std::string& w : reading.words) {
      reading.negation = reading.negation || terms_.IsNegator(w);
      if (!terms_.IsFiller(w) && !terms_.IsProcedureWord(w)) content.push_back(w);
    }
    if (!content.empty()) reading.words = std::move(content);
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

  Query q(options.limit);
  q.scope = std::move(*scope);
  for (std::string& w : search::FoldedWords(trimmed)) {
    // A lone "s" is a possessive ("Alzheimer's"), not a word prefix.
    if (w == "s" || q.typed.size() >= kMaxQueryWords) continue;
    if (std::find(q.typed.begin(), q.typed.end(), w) == q.typed.end()) q.typed.push_back(std::move(w));
  }
  if (q.typed.empty()) return out;
  TermCodeHits(q.typed, q.scope, &out);
  ReadQuery(&q);
  TitleTier(&q);
  // One edit per word only when the words as typed find (almost) nothing: a title that has every word is a
  // better answer than one reached by changing a word.
  if (options.typo_tolerance && q.top.size() < std::min<std::size_t>(options.limit, kTypoTierBelow)) TypoTier(&q);
  if (q.top.size() == 0) {
    for (std::size_t r = 0; r < q.readings.size(); ++r) PartialHits(q.matches[r], q.scope, &q.top);
  }
  const std::size_t first_title = out.size();
  for (const search::Candidate& c : CategoriesFirst(q.top)) {
    const search::Document& d = docs_[c.doc];
    bool seen = std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(first_title),
                            [&](const SearchHit& h) { return h.release == releases_[d.release] && h.id == d.entry; });
    if (!seen) out.push_back(ToHit(c));
  }
  if (out.size() > options.limit) out.resize(options.limit);
  return out;
}

// The query's qualifiers, intent and negation, and its readings through the lexicon with the words each one
// matches.
void SearchIndex::Impl::ReadQuery(Query* q) const {
  const auto& qualifiers = terms_.qualifiers();
  for (std::size_t k = 0; k < qualifiers.size(); ++k) {
    const auto& qw = qualifiers[k];
    for (std::size_t i = 0; i + qw.size() <= q->typed.size(); ++i) {
      if (std::equal(qw.begin(), qw.end(), q->typed.begin() + static_cast<std::ptrdiff_t>(i))) {
        q->scope.qualifiers_said |= std::uint64_t{1} << k;
        q->said_words.insert(q->said_words.end(), qw.begin(), qw.end());
      }
    }
  }
  for (const std::string& w : q->typed) {
    q->scope.procedure_intent = q->scope.procedure_intent || terms_.IsProcedureWord(w);
    q->scope.negation_said = q->scope.negation_said || terms_.IsNegator(w);
  }
  q->readings = terms_.Readings(q->typed, kMaxReadings);
  // Candidates point at their reading: no reallocation once walks begin (the typo tier adds fuzzy readings).
  q->readings.reserve(2 * kMaxReadings);
  DropUnrequiredWords(&q->readings);
  for (std::size_t r = 0; r < q->readings.size(); ++r) {
    const auto& words = q->readings[r].words;
    std::vector<search::WordMatch> m;
    for (std::size_t i = 0; i < words.size(); ++i) {
      m.push_back(IsAbbreviation(*q, r, words[i]) ? WholeWord(words[i]) : MatchWord(words[i], i + 1 == words.size()));
      m.back().qualifier = std::find(q->said_words.begin(), q->said_words.end(), words[i]) != q->said_words.end();
    }
    q->matches.push_back(std::move(m));
  }
}

// A short word the lexicon reads as an abbreviation ("mi", "lap"; "d" and "c" of "D and C") is not also a word
// prefix ("migraine", "descending colon") in the query as typed.
bool SearchIndex::Impl::IsAbbreviation(const Query& q, std::size_t reading, const std::string& word) const {
  if (reading != 0 || q.readings.size() < 2 || word.size() > 3) return false;
  const auto& via = q.readings[1].via;
  return std::any_of(via.begin(), via.end(), [&](const search::Term* t) {
    bool short_words = std::all_of(t->words.begin(), t->words.end(), [](const auto& w) { return w.size() <= 3; });
    return short_words && std::find(t->words.begin(), t->words.end(), word) != t->words.end();
  });
}

void SearchIndex::Impl::TitleTier(Query* q) const {
  for (std::size_t r = 0; r < q->readings.size(); ++r) {
    float uniform = q->readings[r].via.empty() ? 0.0f : search::Weights::kTerm;
    WalkTitles({&q->matches[r], &q->scope, MatchKind::kTitle, &q->readings[r], uniform}, &q->top);
  }
}

// The words as typed with one edit allowed, five letters first (the contract) and four only when that finds
// nothing ("hart fail"); a misspelt lexicon term ("colonscopy") is read through the lexicon too. The lexicon's
// own readings are spelt right and get no edits.
void SearchIndex::Impl::TypoTier(Query* q) const {
  auto fuzzy = terms_.Readings(q->typed, kMaxReadings, /*fuzzy=*/true);
  DropUnrequiredWords(&fuzzy);
  for (auto& f : fuzzy) {
    if (q->readings.size() == q->readings.capacity()) break;
    std::vector<search::WordMatch> m;
    for (std::size_t i = 0; i < f.words.size(); ++i) {
      m.push_back(MatchWord(f.words[i], i + 1 == f.words.size()));
      m.back().qualifier = std::find(q->said_words.begin(), q->said_words.end(), f.words[i]) != q->said_words.end();
    }
    q->readings.push_back(std::move(f));
    q->matches.push_back(std::move(m));
    WalkTitles({&q->matches.back(), &q->scope, MatchKind::kTitleWithTypo, &q->readings.back(),
                search::Weights::kTerm - search::Weights::kTypo},
               &q->top);
  }
  for (std::size_t min_length : {search::TypoIndex::kMinQueryLength, search::TypoIndex::kMinIndexedLength}) {
    if (min_length < search::TypoIndex::kMinQueryLength && q->top.size() > 0) break;
    auto with_typos = q->matches[0];
    bool any = false;
    for (std::size_t i = 0; i < with_typos.size(); ++i) {
      AddTypos(q->readings[0].words[i], min_length, i + 1 == with_typos.size(), &with_typos[i]);
      any = any || with_typos[i].typo;
    }
    if (!any) continue;
    WalkTitles({&with_typos, &q->scope, MatchKind::kTitleWithTypo, &q->readings[0], -search::Weights::kTypo}, &q->top);
    q->matches[0] = std::move(with_typos);
  }
}

std::vector<const Release*> SearchIndex::Searched(const SearchOptions& options) const {
  std::vector<const Release*> out;
  auto scope = impl_->ResolveScope(options);
  if (!scope.ok()) return out;
  for (std::size_t r = 0; r < impl_->releases_.size(); ++r) {
    if (scope->release_in[r]) out.push_back(impl_->releases_[r]);
  }
  return out;
}

}  // namespace clincode
