#include "guidance/code_line.h"

#include <algorithm>
#include <vector>

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
  } else if (j + 2 < s.size() && s[j] == '.' && s[j + 1] == ' ' && text::IsDigit(s[j + 2]) && IsBoundary(s, j + 3)) {
    j += 3;  // "S07. 9": a space typed inside the code
  } else if (system != CodeSystem::kOpcs4 && j + 1 < s.size() && s[j] == '.' && s[j + 1] == 'X' &&
             IsBoundary(s, j + 2)) {
    j += 2;  // "C61.X": an undivided ICD-10 category
  }
  return IsBoundary(s, j) ? j : std::string_view::npos;
}

// The code as CodePattern reads it: "S07. 9" -> "S07.9", "C61.X" -> "C61".
std::string Compact(std::string_view written) {
  std::string out;
  for (char c : written) {
    if (c != ' ') out.push_back(c);
  }
  if (out.size() == 5 && out.compare(3, 2, ".X") == 0) out.resize(3);
  return out;
}

// A code glued to a connector word before it ("plusZ84.6"): the word's start, or npos.
bool GluedToConnector(std::string_view s, std::size_t i) {
  const Lexicon& lx = GetLexicon();
  std::size_t start = i;
  while (start > 0 && text::IsAlpha(s[start - 1])) --start;
  if (start > 0 && text::IsAlnum(s[start - 1])) return false;
  std::string word = Lower(s.substr(start, i - start));
  for (const auto* words : {&lx.or_words, &lx.plus_words}) {
    for (const auto& w : *words) {
      if (word == w) return true;
    }
  }
  return false;
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

std::vector<CodeToken> FindCodeTokens(std::string_view line, CodeSystem system, bool in_parentheses) {
  std::vector<CodeToken> out;
  int depth = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (depth > 0 && !in_parentheses) continue;
    std::size_t stem = StemEnd(line, i, system);
    if (stem == std::string_view::npos) continue;
    if (i > 0 && text::IsAlnum(line[i - 1]) && !GluedToConnector(line, i)) continue;
    std::size_t end = ExtendToken(line, stem, system, stem - i == 3);
    auto pattern = CodePattern::Parse(system, Compact(line.substr(i, end - i)));
    if (!pattern.ok()) continue;
    out.push_back({i, end, pattern->ToString(), depth > 0});
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
  {
    std::string raw = Lower(*segment);
    while (!raw.empty() && raw.back() == ' ') raw.pop_back();
    // "A ..., B ... or C": the list's last connector decides. A list item is a title: short, one clause.
    const bool title_like = std::count(raw.begin(), raw.end(), ' ') <= 12 && raw.find(':') == std::string::npos;
    if (!raw.empty() && raw.back() == ',' && title_like) {
      segment->resize(raw.size() - 1);
      return Connector::kList;
    }
  }
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
  // The matching parenthesis of each "(", found in one pass: "(when ... (TOE) is used)".
  std::vector<std::size_t> match(segment->size(), std::string::npos), stack;
  for (std::size_t i = 0; i < segment->size(); ++i) {
    if ((*segment)[i] == '(') stack.push_back(i);
    if ((*segment)[i] == ')' && !stack.empty()) {
      match[stack.back()] = i;
      stack.pop_back();
    }
  }
  std::size_t open = segment->find('(');
  while (open != std::string::npos) {
    const std::size_t close = match[open];
    std::string_view rest = std::string_view(*segment).substr(open + 1);
    std::string_view inside = close == std::string::npos ? rest : rest.substr(0, close - open - 1);
    if (!StartsWithAny(Lower(text::Trim(inside.substr(0, 40))), lx.condition_opens) &&
        lx.CodeOfCondition(inside.substr(0, 40)).empty()) {
      open = segment->find('(', open + 1);
      continue;
    }
    {
      std::string taken(text::Trim(inside));
      segment->erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
      return taken;
    }
  }
  std::string lower = " " + Lower(*segment) + " ";
  std::size_t best = std::string::npos;
  for (const auto& clause : lx.condition_clauses) {
    for (std::size_t at = lower.find(clause); at != std::string::npos; at = lower.find(clause, at + 1)) {
      // "(depending if this is as an inpatient ...)" says how to choose among the codes, not when they apply.
      bool choice = std::any_of(lx.choice_words.begin(), lx.choice_words.end(), [&](const std::string& w) {
        return at >= w.size() && lower.compare(at - w.size(), w.size(), w) == 0;
      });
      if (choice) continue;
      if (best == std::string::npos || at < best) best = at;
      break;
    }
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
  // Depth of parentheses at each byte: a phrase inside "(if image control is used)" is a condition's.
  std::vector<int> depth(lower.size() + 1, 0);
  for (std::size_t i = 0, d = 0; i < lower.size(); ++i) {
    if (lower[i] == '(') ++d;
    if (lower[i] == ')' && d > 0) --d;
    depth[i] = static_cast<int>(d);
  }
  for (const auto& p : GetLexicon().assignment_phrases) {
    for (std::size_t at = lower.find(p); at != std::string::npos; at = lower.find(p, at + 1)) {
      if (depth[at] > 0) continue;
      if (best == std::string::npos || at < best) best = at, len = p.size();
      break;
    }
  }
  if (best == std::string::npos) return {};
  std::string rest = segment->substr(best + len);
  segment->resize(best);
  return rest;
}

std::string Tidy(std::string_view s) {
  s = text::Trim(s);
  // A closing parenthesis the text opened before the part taken: "(depending if ... day case)".
  int depth = 0;
  for (char c : s) depth += c == '(' ? 1 : c == ')' ? -1 : 0;
  while (depth < 0 && !s.empty() && (s.back() == ')' || s.back() == '.' || s.back() == ' ')) {
    if (s.back() == ')') ++depth;
    s.remove_suffix(1);
  }
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
    // A code's title and condition end with its sentence ("... if image control has been used. Codes in").
    for (std::size_t i = 0; i + 2 < segment.size(); ++i) {
      if (segment[i] == '.' && segment[i + 1] == ' ' && text::IsUpper(segment[i + 2])) {
        segment.resize(i);
        break;
      }
    }
    std::string after = CutAssignment(&segment);
    f.condition = TakeCondition(&segment);
    if (f.condition.empty() && !after.empty()) f.condition = TakeCondition(&after);
    f.title = Tidy(segment);
    f.condition = Tidy(f.condition);
    out.push_back(std::move(f));
  }
  // A list joined by commas takes the connector that ends it ("A, B or C": all alternatives); a list with
  // none ("(Y35, Y36)") names alternatives.
  for (std::size_t k = out.size(); k-- > 0;) {
    if (out[k].before != Connector::kList) continue;
    Connector next = k + 1 < out.size() && out[k + 1].before != Connector::kList ? out[k + 1].before : Connector::kOr;
    if (k + 1 < out.size() && out[k + 1].before == Connector::kNone) next = Connector::kOr;
    out[k].before = next;
  }
  return out;
}

}  // namespace clincode::guidance
