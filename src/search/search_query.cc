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
constexpr std::uint32_t kMaxPrefixTypoScan = 4000;

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
        found.push_back(
            {&rel, id, MatchKind::kTermCode, 800.0 + std::log10(1.0 + use), {}, t->text, {}, rel.Children(id).empty()});
      }
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  out->insert(out->end(), found.begin(), found.end());
}

search::WordMatch SearchIndex::Impl::MatchWord(std::string_view word, bool /*typed_last*/) const {
  search::WordMatch m;
  auto add = [&](std::string_view form) {
    AddRange(PrefixRange(form), &m);
    if (auto id = WordId(form)) m.whole.push_back(*id);
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
  // The word being typed: one edit from the start of a longer word ("pnuemoth" -> "pneumothorax").
  if (typed_last && word.size() >= search::TypoIndex::kMinQueryLength) {
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

  search::Words typed;
  for (std::string& w : search::FoldedWords(trimmed)) {
    // A lone "s" is a possessive ("Alzheimer's"), not a word prefix.
    if (w == "s" || typed.size() >= kMaxQueryWords) continue;
    if (std::find(typed.begin(), typed.end(), w) == typed.end()) typed.push_back(std::move(w));
  }
  if (typed.empty()) return out;
  TermCodeHits(typed, *scope, &out);
  const auto& qualifiers = terms_.qualifiers();
  search::Words said_words;  // the words of the qualifiers the query says
  for (std::size_t q = 0; q < qualifiers.size(); ++q) {
    const auto& qw = qualifiers[q];
    for (std::size_t i = 0; i + qw.size() <= typed.size(); ++i) {
      if (std::equal(qw.begin(), qw.end(), typed.begin() + static_cast<std::ptrdiff_t>(i))) {
        scope->qualifiers_said |= std::uint64_t{1} << q;
        said_words.insert(said_words.end(), qw.begin(), qw.end());
      }
    }
  }
  std::vector<search::Reading> readings = terms_.Readings(typed, kMaxReadings);
  // Candidates point at their reading: no reallocation once walks begin (the typo tier adds fuzzy readings).
  readings.reserve(2 * kMaxReadings);
  const std::size_t typed_readings = readings.size();
  std::vector<std::vector<search::WordMatch>> matches(readings.size());
  search::TopHits top(options.limit);
  for (const std::string& w : typed) {
    scope->procedure_intent = scope->procedure_intent || terms_.IsProcedureWord(w);
    scope->negation_said = scope->negation_said || terms_.IsNegator(w);
  }
  DropUnrequiredWords(&readings);
  for (std::size_t r = 0; r < readings.size(); ++r) {
    const auto& words = readings[r].words;
    for (std::size_t i = 0; i < words.size(); ++i) {
      // A short word the lexicon reads as an abbreviation ("mi", "lap"; "d" and "c" of "D and C") is not also
      // a word prefix ("migraine", "descending colon").
      bool abbreviation =
          r == 0 && readings.size() > 1 && words[i].size() <= 3 &&
          std::any_of(readings[1].via.begin(), readings[1].via.end(), [&](const search::Term* t) {
            bool short_words =
                std::all_of(t->words.begin(), t->words.end(), [](const auto& w) { return w.size() <= 3; });
            return short_words && std::find(t->words.begin(), t->words.end(), words[i]) != t->words.end();
          });
      matches[r].push_back(abbreviation ? WholeWord(words[i]) : MatchWord(words[i], i + 1 == words.size()));
      matches[r].back().qualifier = std::find(said_words.begin(), said_words.end(), words[i]) != said_words.end();
    }
    float uniform = readings[r].via.empty() ? 0.0f : search::Weights::kTerm;
    WalkTitles({&matches[r], &*scope, MatchKind::kTitle, &readings[r], uniform}, &top);
  }
  if (options.typo_tolerance && top.size() < options.limit) {
    // Five letters first (the contract); four only when that finds nothing ("hart fail").
    for (std::size_t min_length : {search::TypoIndex::kMinQueryLength, search::TypoIndex::kMinIndexedLength}) {
      if (min_length < search::TypoIndex::kMinQueryLength && top.size() > 0) break;
      if (min_length == search::TypoIndex::kMinQueryLength) {
        // A misspelt term ("colonscopy") is read through the lexicon too.
        auto fuzzy = terms_.Readings(typed, kMaxReadings, /*fuzzy=*/true);
        DropUnrequiredWords(&fuzzy);
        for (auto& f : fuzzy) {
          std::vector<search::WordMatch> m;
          for (std::size_t i = 0; i < f.words.size(); ++i) {
            m.push_back(MatchWord(f.words[i], i + 1 == f.words.size()));
            m.back().qualifier = std::find(said_words.begin(), said_words.end(), f.words[i]) != said_words.end();
          }
          readings.push_back(std::move(f));
          matches.push_back(std::move(m));
          WalkTitles({&matches.back(), &*scope, MatchKind::kTitleWithTypo, &readings.back(),
                      search::Weights::kTerm - search::Weights::kTypo},
                     &top);
        }
      }
      for (std::size_t r = 0; r < typed_readings; ++r) {
        auto with_typos = matches[r];
        bool any = false;
        for (std::size_t i = 0; i < with_typos.size(); ++i) {
          AddTypos(readings[r].words[i], min_length, i + 1 == with_typos.size(), &with_typos[i]);
          any = any || with_typos[i].typo;
        }
        if (!any) continue;
        float uniform = (readings[r].via.empty() ? 0.0f : search::Weights::kTerm) - search::Weights::kTypo;
        WalkTitles({&with_typos, &*scope, MatchKind::kTitleWithTypo, &readings[r], uniform}, &top);
        matches[r] = std::move(with_typos);
      }
    }
  }
  if (top.size() == 0) {
    for (std::size_t r = 0; r < readings.size(); ++r) PartialHits(matches[r], *scope, &top);
  }
  const std::size_t first_title = out.size();
  for (const search::Candidate& c : CategoriesFirst(top)) {
    const search::Document& d = docs_[c.doc];
    bool seen = std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(first_title),
                            [&](const SearchHit& h) { return h.release == releases_[d.release] && h.id == d.entry; });
    if (!seen) out.push_back(ToHit(c));
  }
  if (out.size() > options.limit) out.resize(options.limit);
  return out;
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
