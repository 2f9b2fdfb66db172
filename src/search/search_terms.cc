#include "search/search_terms.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>

#include "search/built_in.h"
#include "util/text.h"
#include "util/yaml_error.h"

namespace clincode::search {

Words FoldedWords(std::string_view text) {
  Words out;
  std::string folded = text::Folded(text);
  text::ForEachWord(folded, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

namespace {

std::vector<std::string> Strings(const YAML::Node& node, std::string_view source, std::string_view what) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsScalar()) return {node.as<std::string>()};
  if (!node.IsSequence()) FailAt(source, node, fmt::format("{} must be a string or a list of strings", what));
  for (const auto& n : node) out.push_back(n.as<std::string>());
  return out;
}

Term ReadTerm(const YAML::Node& n, std::string_view source) {
  if (!n.IsMap() || !n["term"]) FailAt(source, n, "a term entry needs `term`");
  Term t;
  t.text = n["term"].as<std::string>();
  t.words = FoldedWords(t.text);
  if (t.words.empty()) FailAt(source, n, fmt::format("term \"{}\" has no words", t.text));
  for (const std::string& m : Strings(n["means"], source, "means")) {
    Words w = FoldedWords(m);
    if (w.empty()) FailAt(source, n, fmt::format("term \"{}\": a meaning has no words", t.text));
    if (w == t.words) FailAt(source, n, fmt::format("term \"{}\" means itself", t.text));
    t.means.push_back(std::move(w));
    t.means_text.push_back(m);
  }
  t.codes = Strings(n["codes"], source, "codes");
  if (t.means.empty() && t.codes.empty()) {
    FailAt(source, n, fmt::format("term \"{}\" needs `means` or `codes`", t.text));
  }
  return t;
}

std::size_t Bigram(char a, char b) {
  return (static_cast<std::size_t>(static_cast<unsigned char>(a)) << 8) | static_cast<unsigned char>(b);
}

}  // namespace

bool SearchTerms::MayHaveSpelling(std::string_view word) const {
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (spelling_bigram_[Bigram(word[i], i + 1 < word.size() ? word[i + 1] : '\0')]) return true;
  }
  return false;
}

Result<SearchTerms> SearchTerms::Parse(std::string_view yaml, std::string_view source) {
  SearchTerms st;
  try {
    YAML::Node y = YAML::Load(std::string(yaml));
    for (const auto& f : Strings(y["filler"], source, "filler")) st.filler_.insert(text::Folded(f));
    for (const auto& f : Strings(y["procedure_words"], source, "procedure_words")) {
      st.procedure_words_.insert(text::Folded(f));
    }
    if (const auto& sup = y["supplementary"]) {
      for (const auto& kv : sup) {
        for (const auto& start : Strings(kv.second, source, "supplementary")) {
          st.supplementary_.emplace_back(kv.first.as<std::string>(), start);
        }
      }
    }
    for (const auto& q : Strings(y["qualifiers"], source, "qualifiers")) st.qualifiers_.push_back(FoldedWords(q));
    if (st.qualifiers_.size() > kMaxQualifiers) {
      FailAt(source, y["qualifiers"], fmt::format("{} qualifiers; at most {}", st.qualifiers_.size(), kMaxQualifiers));
    }
    for (const auto& n : Strings(y["negators"], source, "negators")) st.negators_.insert(text::Folded(n));
    for (const auto& pair : y["spellings"]) {
      auto parts = Strings(pair, source, "a spelling pair");
      if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
        FailAt(source, pair, "a spelling pair is two word parts: [american, british]");
      }
      st.spellings_.emplace_back(text::Folded(parts[0]), text::Folded(parts[1]));
      for (const std::string& part : {st.spellings_.back().first, st.spellings_.back().second}) {
        st.spelling_bigram_[Bigram(part[0], part.size() > 1 ? part[1] : '\0')] = true;
      }
    }
    for (const auto& n : y["terms"]) st.terms_.push_back(ReadTerm(n, source));
    for (Term& t : st.terms_) {
      for (std::string& w : t.words) w = st.Canonical(w);
    }
  } catch (const YamlError& e) {
    return InvalidArgument(e.message);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(fmt::format("{}:{}: {}", source, e.mark.line + 1, e.msg));
  }
  for (std::size_t i = 0; i < st.terms_.size(); ++i) st.by_first_word_[st.terms_[i].words[0]].push_back(i);
  for (const auto& [word, list] : st.by_first_word_) st.first_words_.push_back(word);
  std::sort(st.first_words_.begin(), st.first_words_.end());
  st.first_word_typos_.Build(static_cast<std::uint32_t>(st.first_words_.size()),
                             [&](std::uint32_t i) { return std::string_view(st.first_words_[i]); });
  // Longest term first, so that "kidney stones" is read before "stones".
  for (auto& [word, list] : st.by_first_word_) {
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
      return st.terms_[a].words.size() > st.terms_[b].words.size();
    });
  }
  return st;
}

const SearchTerms& SearchTerms::BuiltIn() {
  static const SearchTerms terms = ParseBuiltIn<SearchTerms>("knowledge/search/terms.yaml", &SearchTerms::Parse);
  return terms;
}

std::string SearchTerms::Canonical(std::string_view word) const {
  std::string w(word);
  if (!MayHaveSpelling(word)) return w;
  for (const auto& [american, british] : spellings_) {
    if (w.find(british) != std::string::npos) continue;
    std::size_t at = w.find(american);
    if (at != std::string::npos) w.replace(at, american.size(), british);
  }
  return w;
}

bool SearchTerms::IsSupplementary(std::string_view system_key, std::string_view code) const {
  for (const auto& [key, start] : supplementary_) {
    if (key == system_key && code.substr(0, start.size()) == start) return true;
  }
  return false;
}

std::vector<Reading> SearchTerms::Readings(const Words& query, std::size_t max, bool fuzzy) const {
  std::vector<Reading> out;
  if (!fuzzy) out.push_back({query, {}});
  Words canonical;
  for (const std::string& w : query) canonical.push_back(Canonical(w));
  auto same = [&](const std::string& term_word, const std::string& word) {
    if (term_word == word) return true;
    return fuzzy && word.size() >= 5 && text::BoundedEditDistance(term_word, word, 1) <= 1;
  };
  auto term_at = [&](std::size_t i, bool single_words) -> const Term* {
    auto try_list = [&](const std::vector<std::size_t>& list) -> const Term* {
      for (std::size_t t : list) {
        const Words& w = terms_[t].words;
        if (i + w.size() > canonical.size() || terms_[t].means.empty()) continue;
        if (single_words && w.size() > 1) continue;
        bool all = true;
        for (std::size_t k = 0; k < w.size() && all; ++k) all = same(w[k], canonical[i + k]);
        if (all) return &terms_[t];
      }
      return nullptr;
    };
    auto it = by_first_word_.find(canonical[i]);
    if (it != by_first_word_.end()) {
      if (const Term* t = try_list(it->second)) return t;
    }
    if (!fuzzy || canonical[i].size() < 5) return nullptr;
    std::vector<std::uint32_t> near;
    first_word_typos_.Near(
        canonical[i], [&](std::uint32_t w) { return std::string_view(first_words_[w]); }, &near);
    for (std::uint32_t w : near) {
      if (const Term* t = try_list(by_first_word_.at(first_words_[w]))) return t;
    }
    return nullptr;
  };
  // The terms found, left to right, each the longest at its word; then, when a term of several words was
  // found, the terms of one word alone ("screening for bowel cancer" is also read word by word: bowel as
  // intestinal, cancer as malignant neoplasm).
  struct Found {
    std::size_t at;
    const Term* term;
  };
  auto segment = [&](bool single_words) {
    std::vector<Found> found;
    for (std::size_t i = 0; i < query.size();) {
      const Term* hit = term_at(i, single_words);
      if (hit) {
        found.push_back({i, hit});
        i += hit->words.size();
      } else {
        ++i;
      }
    }
    return found;
  };
  auto read = [&](const std::vector<Found>& found) {
    // Reading k takes meaning k of every term found (or its last meaning), so every meaning is tried once.
    std::size_t most = 0;
    for (const Found& f : found) most = std::max(most, f.term->means.size());
    for (std::size_t k = 0; k < most && out.size() < max; ++k) {
      Reading r;
      r.meaning = k;
      std::size_t next = 0;
      for (const Found& f : found) {
        r.words.insert(r.words.end(), query.begin() + next, query.begin() + f.at);
        const Words& m = f.term->means[std::min(k, f.term->means.size() - 1)];
        r.words.insert(r.words.end(), m.begin(), m.end());
        r.via.push_back(f.term);
        next = f.at + f.term->words.size();
      }
      r.words.insert(r.words.end(), query.begin() + next, query.end());
      out.push_back(std::move(r));
    }
  };
  const std::vector<Found> longest = segment(false);
  read(longest);
  if (std::any_of(longest.begin(), longest.end(), [](const Found& f) { return f.term->words.size() > 1; })) {
    const std::vector<Found> single = segment(true);
    if (!single.empty()) read(single);
  }
  return out;
}

std::vector<const Term*> SearchTerms::WholeQueryTerms(const Words& query) const {
  std::vector<const Term*> out;
  if (query.empty()) return out;
  Words canonical;
  for (const std::string& w : query) canonical.push_back(Canonical(w));
  auto it = by_first_word_.find(canonical[0]);
  if (it == by_first_word_.end()) return out;
  for (std::size_t t : it->second) {
    if (terms_[t].words == canonical && !terms_[t].codes.empty()) out.push_back(&terms_[t]);
  }
  return out;
}

Words SearchTerms::SpellingVariants(std::string_view word) const {
  Words out;
  if (!MayHaveSpelling(word)) return out;
  auto swap_in = [&](const std::string& from, const std::string& to) {
    std::size_t at = word.find(from);
    if (at == std::string_view::npos) return;
    std::string v(word);
    v.replace(at, from.size(), to);
    // "haem" contains "hem": a British word is not given a doubled British form.
    if (v != word && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  };
  for (const auto& [american, british] : spellings_) {
    if (word.find(british) != std::string_view::npos) {
      swap_in(british, american);
    } else {
      swap_in(american, british);
    }
  }
  return out;
}

}  // namespace clincode::search
