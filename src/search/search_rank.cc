// Scoring and ranking of title documents: the walk over posting lists in prior order with its stopping bound,
// the query-time bonuses, partial matches and categories above their codes.
#include <algorithm>
#include <cmath>
#include <limits>

#include "search/search_impl.h"

namespace clincode {
namespace search {

float TopHits::Threshold() const {
  return items_.size() < limit_ ? -std::numeric_limits<float>::infinity() : items_.back().first.score;
}

// One entry is kept once, at its best document (a title and an inclusion term of the same code; the same
// title found by two readings).
bool TopHits::Offer(const Candidate& c, std::uint64_t entry_key) {
  auto same = std::find_if(items_.begin(), items_.end(), [&](const auto& it) { return it.second == entry_key; });
  if (same != items_.end()) {
    if (same->first.score >= c.score) return false;
    items_.erase(same);
  } else if (items_.size() >= limit_ && c.score <= items_.back().first.score) {
    return false;
  }
  auto at = std::upper_bound(items_.begin(), items_.end(), c.score,
                             [](float s, const auto& it) { return s > it.first.score; });
  items_.insert(at, {c, entry_key});
  if (items_.size() > limit_) items_.pop_back();
  return true;
}

}  // namespace search

// Walks the posting lists of the most selective query word in prior order and offers every document that all
// the other words accept. A list is left as soon as its next document, with the largest bonus the query could
// give it, could not enter the top: priors only fall along a list.
std::size_t SearchIndex::Impl::WalkTitles(const Walk& walk, search::TopHits* top) const {
  const auto& words = *walk.words;
  std::size_t entered = 0;
  if (words.empty()) return 0;
  std::size_t driver = 0;
  std::uint64_t best = UINT64_MAX;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].Empty()) return 0;
    std::uint64_t cost = 0;
    for (const auto& [lo, hi] : words[i].ranges) cost += posting_offsets_[hi] - posting_offsets_[lo];
    if (cost < best) {
      best = cost;
      driver = i;
    }
  }
  if (best == 0) return 0;
  const bool typed = walk.reading && walk.reading->via.empty() && walk.kind == MatchKind::kTitle;
  const bool negation = walk.scope->negation_said || (walk.reading && walk.reading->negation);
  // Exact titles are offered first, found by their words; the walk then needs room only for the other bonuses
  // (with a negation said, exactness depends on more than the words, and the walk keeps room for it).
  if (!negation) entered += ExactTitles(walk, top);
  const float max_bonus = search::Weights::kPhrase +
                          (negation ? search::Weights::kExact + (typed ? search::Weights::kTerm : 0.0f) : 0.0f) +
                          (walk.scope->qualifiers_said ? search::Weights::kQualified : 0.0f) +
                          (walk.scope->procedure_intent ? search::Weights::kProcedureIntent : 0.0f);
  auto others_accept = [&](std::uint32_t doc) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i == driver) continue;
      bool found = false;
      for (std::uint32_t k = seq_offsets_[doc]; k < seq_offsets_[doc + 1] && !found; ++k) {
        found = words[i].Accepts(seq_[k]);
      }
      if (!found) return false;
    }
    return true;
  };
  // Offers the documents of one list in order, until none later could enter; false when the list ran out first.
  auto walk_list = [&](const std::uint32_t* begin, const std::uint32_t* end) {
    for (const std::uint32_t* it = begin; it != end; ++it) {
      const std::uint32_t doc = *it;
      const search::Document& d = docs_[doc];
      if (d.prior + walk.uniform + max_bonus <= top->Threshold()) return true;
      if (!InScope(d, *walk.scope) || !others_accept(doc)) continue;
      if (Offer(doc, walk, negation, top)) ++entered;
    }
    return false;
  };
  const search::WordMatch& lead = words[driver];
  if (lead.short_list >= 0) {
    const auto& list = short_list_[static_cast<std::size_t>(lead.short_list)];
    // The list holds every document up to its last: walking it is the whole walk unless it runs out while full.
    if (walk_list(list.data(), list.data() + list.size()) || list.size() < kShortListSize) return entered;
  }
  for (const auto& [lo, hi] : lead.ranges) {
    for (std::uint32_t w = lo; w < hi; ++w) {
      walk_list(postings_.data() + posting_offsets_[w], postings_.data() + posting_offsets_[w + 1]);
    }
  }
  return entered;
}

bool SearchIndex::Impl::Offer(std::uint32_t doc, const Walk& walk, bool negation, search::TopHits* top) const {
  const search::Document& d = docs_[doc];
  const bool typed = walk.reading && walk.reading->via.empty() && walk.kind == MatchKind::kTitle;
  const Fit fit = QueryBonus(doc, *walk.words, *walk.scope, negation);
  float score = d.prior + walk.uniform + fit.bonus;
  // The words as typed, none set aside as asking for a procedure, name the title exactly: as sure as a lexicon
  // term.
  if (fit.exact && typed && !walk.scope->procedure_intent) score += search::Weights::kTerm;
  return top->Offer({score, doc, walk.kind, fit.exact, walk.reading}, EntryKey(d));
}

// The titles whose words (filler and what they say is absent aside) are exactly the query's words, found by the
// hash of their word set: one lookup per way of reading each query word whole (a spelling, a singular).
std::size_t SearchIndex::Impl::ExactTitles(const Walk& walk, search::TopHits* top) const {
  const auto& words = *walk.words;
  constexpr std::size_t kMaxCombinations = 32;
  std::size_t combinations = 1;
  for (const auto& m : words) {
    if (m.whole.empty()) return 0;
    combinations *= m.whole.size();
    if (combinations > kMaxCombinations) return 0;
  }
  std::size_t entered = 0;
  std::vector<std::uint32_t> ids(words.size());
  for (std::size_t c = 0; c < combinations; ++c) {
    std::size_t rest = c;
    for (std::size_t i = 0; i < words.size(); ++i) {
      ids[i] = words[i].whole[rest % words[i].whole.size()];
      rest /= words[i].whole.size();
    }
    auto [lo, hi] = std::equal_range(exact_keys_.begin(), exact_keys_.end(), std::pair{search::WordSetHash(ids), 0u},
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = lo; it != hi; ++it) {
      const std::uint32_t doc = it->second;
      if (!InScope(docs_[doc], *walk.scope)) continue;
      if (Offer(doc, walk, /*negation=*/false, top)) ++entered;
    }
  }
  return entered;
}

// What the query adds to a document's prior: the title is the query plus filler (exact); the query's words
// stand in order, filler between them allowed (phrase); a word matched only as the start of a longer word; a
// qualifier the query says.
SearchIndex::Impl::Fit SearchIndex::Impl::QueryBonus(std::uint32_t doc, const std::vector<search::WordMatch>& words,
                                                     const search::Scope& scope, bool negation_said) const {
  Fit fit;
  const std::uint32_t b = seq_offsets_[doc], e = seq_offsets_[doc + 1];
  std::uint32_t negated_from = e;  // words from here on name what is absent
  for (std::uint32_t k = b; k < e && negated_from == e; ++k) {
    if (negator_[seq_[k]]) negated_from = k;
  }
  float bonus = 0.0f;
  bool all_content_asked = true;
  // What a title says is absent need not be asked for: "Stroke, not specified as haemorrhage or infarction" is
  // exactly "stroke".
  const std::uint32_t said_end = negation_said ? e : negated_from;
  for (std::uint32_t k = b; k < said_end && all_content_asked; ++k) {
    if (filler_[seq_[k]]) continue;
    all_content_asked = std::any_of(words.begin(), words.end(), [&](const auto& m) { return m.Accepts(seq_[k]); });
  }
  if (words.size() > 1) {
    for (std::uint32_t start = b; start < e; ++start) {
      if (!words[0].Accepts(seq_[start])) continue;
      std::size_t next = 1;
      for (std::uint32_t k = start + 1; k < e && next < words.size(); ++k) {
        if (words[next].Accepts(seq_[k])) {
          ++next;
        } else if (!filler_[seq_[k]]) {
          break;
        }
      }
      if (next == words.size()) {
        bonus += search::Weights::kPhrase;
        break;
      }
    }
  } else {
    bonus += search::Weights::kPhrase;
  }
  for (const auto& m : words) {
    bool whole = false, affirmed = false;
    for (std::uint32_t k = b; k < e; ++k) {
      if (!m.Accepts(seq_[k])) continue;
      whole = whole || m.Whole(seq_[k]);
      affirmed = affirmed || k < negated_from;
    }
    if (!whole) bonus -= search::Weights::kPrefixOnly;
    fit.whole = fit.whole && whole;
    if (!affirmed && !negation_said) bonus -= search::Weights::kNegated;
  }
  // Exact only on whole words: "heart fail" as typed is not yet the title "Heart failure". So an exact title can
  // be found by its words (ExactTitles) rather than by walking, and the walk's bound leaves the bonus out.
  fit.exact = all_content_asked && fit.whole;
  if (fit.exact) bonus += search::Weights::kExact;
  const std::uint64_t q = docs_[doc].qualifiers;
  if (q && (q & ~scope.qualifiers_said) == 0) bonus += search::Weights::kQualified;
  if (scope.procedure_intent) {
    CodeSystem system = releases_[docs_[doc].release]->system();
    if (system == CodeSystem::kOpcs4 || system == CodeSystem::kCpt) bonus += search::Weights::kProcedureIntent;
  }
  fit.bonus = bonus;
  return fit;
}

// No title holds every word: the titles holding the most words, the rarer words counting more. Each subset of
// the words one smaller than the last is tried, and the first size that finds anything is kept.
void SearchIndex::Impl::PartialHits(const std::vector<search::WordMatch>& words, const search::Scope& scope,
                                    search::TopHits* top) const {
  const std::size_t n = words.size();
  if (n < 2) return;
  std::vector<double> weight(n);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t df = 0;
    for (const auto& [lo, hi] : words[i].ranges) df += posting_offsets_[hi] - posting_offsets_[lo];
    weight[i] = df == 0 ? 0.0 : std::log(1.0 + static_cast<double>(docs_.size()) / static_cast<double>(df));
    total += weight[i];
  }
  if (total <= 0.0) return;
  // Words of a qualifier the query says ("screening", "family history") are kept in every subset: the query
  // asks for that sense.
  std::uint32_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (words[i].qualifier) kept |= 1u << i;
  }
  for (std::size_t k = n - 1; k >= 1; --k) {
    std::size_t entered = 0;
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
      if (static_cast<std::size_t>(__builtin_popcount(mask)) != k || (mask & kept) != kept) continue;
      std::vector<search::WordMatch> subset;
      double share = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        if (mask & (1u << i)) {
          subset.push_back(words[i]);
          share += weight[i];
        }
      }
      // Below every full match; among partial ones, the share of the query's rare words decides first.
      float uniform = -200.0f + 40.0f * static_cast<float>(share / total);
      entered += WalkTitles({&subset, &scope, MatchKind::kPartial, nullptr, uniform}, top);
    }
    if (entered > 0) return;
  }
}

std::vector<search::Candidate> SearchIndex::Impl::CategoriesFirst(const search::TopHits& top) const {
  std::vector<search::Candidate> out;
  for (const auto& [c, key] : top.items()) out.push_back(c);
  auto entry = [&](const search::Candidate& c) -> const CodeEntry& {
    return releases_[docs_[c.doc].release]->at(docs_[c.doc].entry);
  };
  auto below = [&](const search::Candidate& child, const search::Candidate& cat) {
    const search::Document& a = docs_[child.doc];
    const search::Document& c = docs_[cat.doc];
    return a.release == c.release && a.entry != c.entry && a.preorder > c.preorder &&
           a.preorder <= releases_[c.release]->SubtreeEnd(c.entry);
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const search::Candidate cat = out[i];
    if (!cat.exact || entry(cat).kind != CodeKind::kCategory || cat.kind == MatchKind::kPartial) continue;
    // Only above codes found by the same reading of the query: "cataract surgery" read as phacoemulsification
    // keeps C71.2 above C71 "Extracapsular extraction of lens", which another reading named.
    std::size_t first_child = i;
    for (std::size_t j = 0; j < i; ++j) {
      if (below(out[j], cat) && out[j].reading == cat.reading) {
        first_child = j;
        break;
      }
    }
    if (first_child < i) {
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(i));
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(first_child), cat);
      i = first_child;
    }
    // Its most used code found comes next.
    std::size_t pick = out.size();
    std::uint64_t most = 0;
    const Release& rel = *releases_[docs_[cat.doc].release];
    for (std::size_t j = i + 1; j < out.size(); ++j) {
      if (!below(out[j], cat)) continue;
      std::uint64_t use = usage_.Count(rel.system(), entry(out[j]).code);
      if (pick == out.size() || use > most) {
        pick = j;
        most = use;
      }
    }
    if (pick < out.size() && pick != i + 1) {
      search::Candidate child = out[pick];
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(pick));
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(i + 1), child);
    }
  }
  // Scores follow the order: a category moved up takes the score of the code it now precedes.
  for (std::size_t i = out.size(); i-- > 1;) out[i - 1].score = std::max(out[i - 1].score, out[i].score);
  return out;
}

SearchHit SearchIndex::Impl::ToHit(const search::Candidate& c) const {
  const search::Document& d = docs_[c.doc];
  const Release* rel = releases_[d.release];
  const CodeEntry& e = rel->at(d.entry);
  SearchHit h{rel, d.entry, c.kind, c.score, {}, {}, {}, false};
  if (d.term != search::kNoTerm) h.matched_term = e.notes[d.term].text;
  if (c.reading && !c.reading->via.empty()) {
    const search::Term* t = c.reading->via.front();
    h.via_term = t->text;
    h.via_meaning = t->means_text[std::min(c.reading->meaning, t->means_text.size() - 1)];
  }
  h.recordable = (e.kind == CodeKind::kCode || e.kind == CodeKind::kCategory) && rel->Children(d.entry).empty();
  return h;
}

}  // namespace clincode
