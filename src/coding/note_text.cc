#include "coding/note_text.h"

#include <algorithm>

#include "util/text.h"

namespace clincode::coding {
namespace {

bool IsWordByte(unsigned char c) { return text::IsAlnum(static_cast<char>(c)) || c >= 0x80; }

// Length of a UTF-8 punctuation sequence at `s[i]` that must not be read as part of a word: general
// punctuation U+2010..U+2027 (dashes, quotes, bullets) and the no-break space. 0 when there is none.
std::size_t PunctuationAt(std::string_view s, std::size_t i, char* kind) {
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  if (at(0) == 0xE2 && at(1) == 0x80 && at(2) >= 0x90 && at(2) <= 0xA7) {
    *kind = at(2) >= 0x90 && at(2) <= 0x95 ? '-' : ' ';
    return 3;
  }
  if (at(0) == 0xC2 && (at(1) == 0xA0 || at(1) == 0xB7)) {
    *kind = ' ';
    return 2;
  }
  return 0;
}

bool EndsWith(const std::string& w, std::string_view suffix) {
  return w.size() >= suffix.size() && std::string_view(w).substr(w.size() - suffix.size()) == suffix;
}

// A light stemmer: plural, -ed, -ing, -ation and a final e, so "implanted", "implantation" and "implants"
// read alike, while short words and words with digits stay as written. A full Porter stemmer was
// rejected: it folds words the titles keep apart ("vertebra"/"vertebroplasty" both to "vertebr").
std::string Stem(std::string w) {
  if (w.size() <= 4 || std::any_of(w.begin(), w.end(), [](char c) { return text::IsDigit(c); })) return w;
  auto strip = [&](std::size_t n) { w.resize(w.size() - n); };
  if (EndsWith(w, "ies")) {
    strip(3);
    w += 'y';
  } else if (w.size() > 6 && EndsWith(w, "oses")) {  // Greek plurals: keratoses, stenoses -> -osis
    strip(2);
    w += "is";
  } else if (EndsWith(w, "s") && !EndsWith(w, "ss") && !EndsWith(w, "us") && !EndsWith(w, "is")) {
    strip(1);
  }
  if (w.size() > 6 && EndsWith(w, "ation")) {
    strip(5);
  } else if (w.size() > 5 && EndsWith(w, "ing")) {
    strip(3);
  } else if (w.size() > 4 && EndsWith(w, "ed")) {
    strip(2);
  }
  if (w.size() > 4 && EndsWith(w, "e")) strip(1);
  return w;
}

}  // namespace

Normaliser::Normaliser(std::vector<Abbreviation> abbreviations, std::unordered_map<std::string, std::string> synonyms,
                       std::vector<PhraseRewrite> rewrites, std::vector<std::string> stop_words,
                       std::vector<std::string> clause_breaks, std::vector<std::string> clause_words)
    : abbreviations_(std::move(abbreviations)), synonyms_(std::move(synonyms)) {
  for (const auto& a : abbreviations_) (a.exact ? exact_abbreviations_ : folded_abbreviations_)[a.from] = &a;
  for (const auto& b : clause_breaks) clause_chars_ += b;
  for (auto& w : clause_words) clause_words_.insert(std::move(w));
  for (auto& w : stop_words) stop_words_.insert(NormaliseWord(w));
  // Rewrites are compared with normalised words, so their sides are normalised here once.
  for (auto& r : rewrites) {
    PhraseRewrite n;
    for (const auto& w : r.from) n.from.push_back(NormaliseWord(w));
    for (const auto& w : r.to) n.to.push_back(NormaliseWord(w));
    rewrites_.push_back(std::move(n));
  }
  std::sort(rewrites_.begin(), rewrites_.end(),
            [](const PhraseRewrite& a, const PhraseRewrite& b) { return a.from.size() > b.from.size(); });
}

std::string Normaliser::NormaliseWord(std::string_view lower) const {
  auto it = synonyms_.find(std::string(lower));
  return Stem(it == synonyms_.end() ? std::string(lower) : it->second);
}

std::vector<Token> Normaliser::Tokenize(std::string_view s) const {
  std::vector<Token> out;
  std::uint32_t clause = 0;
  char joined = ' ';
  bool gap_has_break = false;
  std::size_t i = 0;
  auto emit = [&](std::size_t begin, std::size_t end, std::string_view written) {
    if (gap_has_break) ++clause;
    std::string lower = text::Folded(written);
    if (clause_words_.count(lower) > 0) {
      gap_has_break = true;
      return;
    }
    gap_has_break = false;
    const Abbreviation* a = nullptr;
    if (auto e = exact_abbreviations_.find(std::string(written)); e != exact_abbreviations_.end()) a = e->second;
    if (a == nullptr) {
      if (auto f = folded_abbreviations_.find(lower); f != folded_abbreviations_.end()) a = f->second;
    }
    auto span = [&](std::string word, bool expanded) {
      Token t{std::move(word),
              static_cast<std::uint32_t>(begin),
              static_cast<std::uint32_t>(end),
              clause,
              joined,
              expanded,
              expanded && a->exact};
      joined = ' ';
      out.push_back(std::move(t));
    };
    if (a != nullptr) {
      for (const auto& w : a->to) span(NormaliseWord(w), true);
    } else {
      span(NormaliseWord(lower), false);
    }
  };
  while (i < s.size()) {
    char kind = ' ';
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::size_t n = PunctuationAt(s, i, &kind); n > 0) {
      if (kind != ' ') joined = kind;
      i += n;
    } else if (c == '#') {
      emit(i, i + 1, "#");
      ++i;
    } else if (IsWordByte(c)) {
      std::size_t start = i;
      while (i < s.size() && IsWordByte(static_cast<unsigned char>(s[i]))) {
        char k;
        if (PunctuationAt(s, i, &k) > 0) break;
        ++i;
      }
      emit(start, i, s.substr(start, i - start));
    } else {
      if (clause_chars_.find(static_cast<char>(c)) != std::string::npos) gap_has_break = true;
      // A '.' between digits or inside a code ("V44.4", "2.5") is not a clause break.
      if (c == '.' && i > 0 && i + 1 < s.size() && IsWordByte(static_cast<unsigned char>(s[i - 1])) &&
          text::IsDigit(s[i + 1])) {
        gap_has_break = false;
      }
      if (c == '/' || c == '-' || c == '&') joined = static_cast<char>(c);
      ++i;
    }
  }
  Rewrite(&out);
  return out;
}

void Normaliser::Rewrite(std::vector<Token>* tokens) const {
  if (rewrites_.empty()) return;
  std::vector<Token> out;
  out.reserve(tokens->size());
  const auto& in = *tokens;
  for (std::size_t i = 0; i < in.size();) {
    const PhraseRewrite* hit = nullptr;
    for (const auto& r : rewrites_) {
      if (i + r.from.size() > in.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < r.from.size() && same; ++k) {
        same = in[i + k].word == r.from[k] && in[i + k].clause == in[i].clause;
      }
      if (same) {
        hit = &r;
        break;
      }
    }
    if (hit == nullptr) {
      out.push_back(in[i++]);
      continue;
    }
    const Token& first = in[i];
    const Token& last = in[i + hit->from.size() - 1];
    for (const auto& w : hit->to) out.push_back({w, first.begin, last.end, first.clause, first.joined_by, true});
    i += hit->from.size();
  }
  *tokens = std::move(out);
}

Words Normaliser::PhraseWords(std::string_view phrase) const {
  Words out;
  for (auto& t : Tokenize(phrase)) out.push_back(std::move(t.word));
  return out;
}

Words Normaliser::ContentWords(std::string_view title) const {
  Words out;
  for (auto& w : PhraseWords(title)) {
    if (!IsStopWord(w) && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
  }
  return out;
}

void PhraseSet::Add(const Words& phrase, int value) {
  if (phrase.empty()) return;
  auto& list = by_first_[phrase.front()];
  list.emplace_back(phrase, value);
  std::stable_sort(list.begin(), list.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

PhraseSet::Match PhraseSet::LongestAt(const std::vector<Token>& tokens, std::size_t at) const {
  auto it = by_first_.find(tokens[at].word);
  if (it == by_first_.end()) return {at, at, -1};
  for (const auto& [words, value] : it->second) {
    if (at + words.size() > tokens.size()) continue;
    bool same = true;
    for (std::size_t k = 1; k < words.size() && same; ++k) {
      same = tokens[at + k].word == words[k] && tokens[at + k].clause == tokens[at].clause;
    }
    if (same) return {at, at + words.size(), value};
  }
  return {at, at, -1};
}

std::vector<PhraseSet::Match> PhraseSet::FindAll(const std::vector<Token>& tokens) const {
  std::vector<Match> out;
  for (std::size_t i = 0; i < tokens.size();) {
    Match m = LongestAt(tokens, i);
    if (m.value < 0) {
      ++i;
      continue;
    }
    out.push_back(m);
    i = m.end;
  }
  return out;
}

}  // namespace clincode::coding
