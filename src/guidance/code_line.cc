#include "guidance/code_line.h"

#include "clincode/code_pattern.h"
#include "guidance/lexicon.h"
#include "util/text.h"

namespace clincode::guidance {
namespace {

bool IsBoundary(std::string_view s, std::size_t i) { return i >= s.size() || !text::IsAlnum(s[i]); }

// Length of a dash at i: '-' or an en/em dash or minus sign (3 bytes); 0 if none.
std::size_t DashAt(std::string_view s, std::size_t i) {
  if (i < s.size() && s[i] == '-') return 1;
  if (i + 2 < s.size() && s[i] == '\xE2') {
    std::string_view seq = s.substr(i, 3);
    if (seq == "\xE2\x80\x93" || seq == "\xE2\x80\x94" || seq == "\xE2\x88\x92") return 3;
  }
  return 0;
}

// A code stem at i: letter and two digits, or a CPT code. Returns its end, or npos.
std::size_t StemEnd(std::string_view s, std::size_t i, CodeSystem system) {
  if (system == CodeSystem::kCpt) {
    if (i + 5 > s.size()) return std::string_view::npos;
    for (std::size_t k = 0; k < 4; ++k) {
      if (!text::IsDigit(s[i + k])) return std::string_view::npos;
    }
    char last = s[i + 4];
    bool ok = text::IsDigit(last) || last == 'F' || last == 'T' || last == 'U';
    return ok && IsBoundary(s, i + 5) ? i + 5 : std::string_view::npos;
  }
  if (i + 3 > s.size() || !text::IsUpper(s[i]) || !text::IsDigit(s[i + 1]) || !text::IsDigit(s[i + 2])) {
    return std::string_view::npos;
  }
  std::size_t j = i + 3;
  if (j + 1 < s.size() && s[j] == '.' && text::IsDigit(s[j + 1])) {
    j += 2;
    if (j < s.size() && text::IsDigit(s[j])) ++j;
  }
  return IsBoundary(s, j) ? j : std::string_view::npos;
}

// Extends a stem ending at j with a wildcard ("Y53.-", "Y53 -") or a range ("C71–C74"). Returns the end.
std::size_t ExtendToken(std::string_view s, std::size_t j, CodeSystem system, bool is_category) {
  std::size_t k = j;
  while (k < s.size() && s[k] == ' ') ++k;
  if (k < s.size() && s[k] == '.') ++k;
  while (k < s.size() && s[k] == ' ') ++k;
  std::size_t dash = DashAt(s, k);
  if (dash == 0) return j;
  std::size_t after = k + dash;
  std::size_t m = after;
  while (m < s.size() && s[m] == ' ') ++m;
  std::size_t range_end = StemEnd(s, m, system);
  if (range_end != std::string_view::npos) return range_end;                         // a range
  if (is_category && (after >= s.size() || !text::IsAlnum(s[after]))) return after;  // a wildcard
  return j;
}

}  // namespace

std::vector<CodeToken> FindCodeTokens(std::string_view line, CodeSystem system) {
  std::vector<CodeToken> out;
  int depth = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (depth > 0 || (i > 0 && text::IsAlnum(line[i - 1]))) continue;
    std::size_t stem = StemEnd(line, i, system);
    if (stem == std::string_view::npos) continue;
    std::size_t end = ExtendToken(line, stem, system, stem - i == 3);
    auto pattern = CodePattern::Parse(system, line.substr(i, end - i));
    if (!pattern.ok()) continue;
    out.push_back({i, end, pattern->ToString()});
    i = end - 1;
  }
  return out;
}

namespace {

// Removes a trailing connector ("or", "and a code from category") from a title segment.
Connector TrailingConnector(std::string* segment) {
  static constexpr std::string_view kTails[] = {
      " a code from category", " a code from categories", " a code from", " codes from category",
      " a code in category",   " code from category",     " code"};
  const Lexicon& lx = GetLexicon();
  std::string lower = Lower(*segment);
  while (!lower.empty() && (lower.back() == ' ' || lower.back() == ',')) lower.pop_back();
  for (std::string_view tail : kTails) {
    if (lower.size() >= tail.size() && lower.substr(lower.size() - tail.size()) == tail) {
      lower.resize(lower.size() - tail.size());
      break;
    }
  }
  auto ends_with_word = [&](const std::string& w) {
    return lower.size() >= w.size() + 1 && lower.substr(lower.size() - w.size()) == w &&
           lower[lower.size() - w.size() - 1] == ' ';
  };
  Connector found = Connector::kNone;
  std::size_t cut = lower.size();
  for (const auto& w : lx.or_words) {
    if (ends_with_word(w)) found = Connector::kOr, cut = lower.size() - w.size();
  }
  for (const auto& w : lx.plus_words) {
    if (found == Connector::kNone && ends_with_word(w)) found = Connector::kPlus, cut = lower.size() - w.size();
  }
  if (found != Connector::kNone) segment->resize(cut);
  return found;
}

// Takes a condition out of a title segment: a parenthesis that opens like a condition, or a clause.
std::string TakeCondition(std::string* segment) {
  const Lexicon& lx = GetLexicon();
  std::size_t open = segment->find('(');
  while (open != std::string::npos) {
    std::size_t close = segment->find(')', open);
    std::string inside = segment->substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    if (StartsWithAny(Lower(text::Trim(inside)), lx.condition_opens)) {
      segment->erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
      return std::string(text::Trim(inside));
    }
    open = segment->find('(', open + 1);
  }
  std::string lower = " " + Lower(*segment) + " ";
  std::size_t best = std::string::npos;
  for (const auto& clause : lx.condition_clauses) {
    std::size_t at = lower.find(clause);
    if (at != std::string::npos && (best == std::string::npos || at < best)) best = at;
  }
  if (best == std::string::npos) return {};
  std::string condition(text::Trim(segment->substr(best)));
  segment->resize(best);
  return condition;
}

// Cuts an assignment phrase ("would be recorded", "can be assigned in addition") and what follows it,
// returning what followed (it may hold a condition clause).
std::string CutAssignment(std::string* segment) {
  std::string lower = Lower(*segment);
  std::size_t best = std::string::npos;
  std::size_t len = 0;
  for (const auto& p : GetLexicon().assignment_phrases) {
    std::size_t at = lower.find(p);
    if (at != std::string::npos && (best == std::string::npos || at < best)) best = at, len = p.size();
  }
  if (best == std::string::npos) return {};
  std::string rest = segment->substr(best + len);
  segment->resize(best);
  return rest;
}

std::string Tidy(std::string_view s) {
  s = text::Trim(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';' || s.back() == ':')) {
    s = text::Trim(s.substr(0, s.size() - 1));
  }
  return std::string(s);
}

}  // namespace

std::vector<CodeFragment> SplitFragments(std::string_view line, const std::vector<CodeToken>& tokens) {
  std::vector<CodeFragment> out;
  Connector next_before = Connector::kNone;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    std::size_t end = k + 1 < tokens.size() ? tokens[k + 1].begin : line.size();
    std::string segment(line.substr(tokens[k].end, end - tokens[k].end));
    CodeFragment f;
    f.pattern = tokens[k].pattern;
    f.before = next_before;
    if (k + 1 < tokens.size()) next_before = TrailingConnector(&segment);
    std::string after = CutAssignment(&segment);
    f.condition = TakeCondition(&segment);
    if (f.condition.empty() && !after.empty()) f.condition = TakeCondition(&after);
    f.title = Tidy(segment);
    f.condition = Tidy(f.condition);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace clincode::guidance
