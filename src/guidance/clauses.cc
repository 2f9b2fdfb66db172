#include "guidance/clauses.h"

#include <algorithm>
#include <unordered_set>

#include "clincode/code_pattern.h"
#include "guidance/lexicon.h"
#include "util/text.h"

namespace clincode::guidance {
namespace {

std::size_t Words(std::string_view s) {
  return s.empty() ? 0 : static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

// Byte offsets where sentences start: after ". ", "? " or "! " followed by a capital or a digit. A dot
// inside a code ("Y53.9") has no space after it.
std::vector<std::size_t> SentenceStarts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if ((text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i + 1] == ' ' &&
        (text::IsUpper(text[i + 2]) || text::IsDigit(text[i + 2]))) {
      starts.push_back(i + 2);
    }
  }
  return starts;
}

std::size_t SentenceOf(const std::vector<std::size_t>& starts, std::size_t at) {
  return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), at) - starts.begin()) - 1;
}

// Counts a title's words of one kind: a word or phrase of the lexicon, or else a word with one of its
// endings ("colitis", "colectomy"); each word of the title counts once.
int CountWords(std::string_view lower_title, const std::vector<std::string>& words,
               const std::unordered_set<std::string>& word_set, const std::vector<std::string>& endings) {
  std::string padded = " " + std::string(lower_title) + " ";
  for (char& c : padded) {
    if (!text::IsAlnum(c) && c != ' ') c = ' ';
  }
  int n = 0;
  for (const std::string& w : words) {
    if (w.find(' ') != std::string::npos) n += padded.find(" " + w + " ") != std::string::npos;
  }
  for (std::string_view word : text::Split(padded, ' ')) {
    if (word.empty()) continue;
    bool listed = word_set.count(std::string(word)) != 0;
    bool ending = false;
    for (const std::string& e : endings) {
      ending = ending || (word.size() > e.size() + 1 && word.substr(word.size() - e.size()) == e);
    }
    n += listed || ending;
  }
  return n;
}

// The classification a title reads as, if its words say: a diagnosis or a procedure.
std::optional<CodeSystem> SystemOfTitle(std::string_view title) {
  const Lexicon& lx = GetLexicon();
  std::string lower = Lower(title);
  int d = CountWords(lower, lx.diagnosis_words, lx.diagnosis_word_set, lx.diagnosis_endings);
  int p = CountWords(lower, lx.procedure_words, lx.procedure_word_set, lx.procedure_endings);
  if (d > p) return CodeSystem::kIcd10;
  if (p > d) return CodeSystem::kOpcs4;
  return std::nullopt;
}

// The classification a loaded release gives the code: the one system that holds it, or the one whose
// title shares most words with the written title.
std::optional<CodeSystem> SystemOfRelease(const Catalog& catalog, std::string_view pattern, std::string_view title) {
  std::string code(pattern.substr(0, std::min<std::size_t>(pattern.size(), pattern.find(".-"))));
  if (code.find('-') != std::string::npos) code = code.substr(0, 3);
  std::optional<CodeSystem> best;
  int best_score = -1;
  bool tie = false;
  for (CodeSystem system : {CodeSystem::kOpcs4, CodeSystem::kIcd10}) {
    auto hits = catalog.Lookup(code, system);
    if (!hits.ok() || hits->empty()) continue;
    const CodeEntry& e = hits->front().release->at(hits->front().id);
    int score = 0;
    std::string have = " " + Lower(e.title) + " ";
    const std::string written = Lower(title);  // outlives the views Split makes into it
    for (std::string_view w : text::Split(written, ' ')) {
      if (w.size() > 3 && have.find(" " + std::string(w)) != std::string::npos) ++score;
    }
    if (score > best_score) {
      best = system, best_score = score, tie = false;
    } else if (score == best_score) {
      tie = true;
    }
  }
  if (tie) return std::nullopt;
  return best;
}

// Positions of the lexicon's system words in `lower`, in order.
std::vector<std::pair<std::size_t, CodeSystem>> SystemWordsIn(std::string_view lower) {
  std::vector<std::pair<std::size_t, CodeSystem>> out;
  for (const SystemWords& sw : GetLexicon().system_words) {
    for (const std::string& w : sw.words) {
      for (std::size_t at = lower.find(w); at != std::string_view::npos; at = lower.find(w, at + 1)) {
        out.push_back({at, sw.system});
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ".8 and .9 codes from extended category L89": the codes a sentence forbids.
std::vector<std::string> ForbiddenCodes(std::string_view sentence, const std::vector<Mention>& mentions) {
  std::vector<std::string> out;
  std::vector<char> digits;
  for (std::size_t i = 0; i + 1 < sentence.size(); ++i) {
    if (sentence[i] == '.' && text::IsDigit(sentence[i + 1]) && (i == 0 || sentence[i - 1] == ' ') &&
        (i + 2 >= sentence.size() || !text::IsAlnum(sentence[i + 2]))) {
      if (std::find(digits.begin(), digits.end(), sentence[i + 1]) == digits.end()) digits.push_back(sentence[i + 1]);
    }
  }
  for (const Mention& m : mentions) {
    if (digits.empty()) {
      out.push_back(m.pattern);
      continue;
    }
    for (char d : digits) out.push_back(m.pattern.substr(0, 3) + "." + d);
  }
  return out;
}

bool IsSnomedId(std::string_view s) {
  if (s.size() < 6 || s.size() > 18 || s[0] == '0') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return text::IsDigit(c); });
}

// "Mitral valve regurgitation (48724000)": term and id, or false.
bool ReadSnomedLine(std::string_view text, std::string* term, std::string* id) {
  text = text::Trim(text);
  if (text.empty() || text.back() != ')') return false;
  std::size_t open = text.rfind('(');
  if (open == std::string_view::npos) return false;
  std::string_view inside = text::Trim(text.substr(open + 1, text.size() - open - 2));
  if (!IsSnomedId(inside)) return false;
  *term = std::string(text::Trim(text.substr(0, open)));
  *id = std::string(inside);
  return !term->empty();
}

bool IsConnectorWord(std::string_view lower, Connector* c) {
  const Lexicon& lx = GetLexicon();
  for (const auto& w : lx.or_words) {
    if (lower == w) return *c = Connector::kOr, true;
  }
  for (const auto& w : lx.plus_words) {
    if (lower == w) return *c = Connector::kPlus, true;
  }
  return false;
}

// Reads the mentions of a line (codes written as ICD-10-shaped tokens, the wider shape) and gives each its
// classification. Returns whether the line starts with a code.
bool ReadMentions(std::string_view text, std::optional<CodeSystem> section, const ClauseContext& ctx, Clause* clause) {
  auto tokens = FindCodeTokens(text, CodeSystem::kIcd10, /*in_parentheses=*/true);
  const bool starts_with_code = !tokens.empty() && tokens.front().begin == 0;
  // A code in a condition that names it ("(with W83.3)") is the condition's, not a mention.
  const Lexicon& lx = GetLexicon();
  tokens.erase(std::remove_if(tokens.begin(), tokens.end(),
                              [&](const CodeToken& t) {
                                if (!t.in_parentheses || t.begin < 2) return false;
                                // Only a few words back: "(with " directly before the code.
                                std::size_t from = t.begin > 12 ? t.begin - 12 : 0;
                                std::size_t open = text.substr(from, t.begin - from).rfind('(');
                                if (open == std::string_view::npos) return false;
                                std::string_view inside = text.substr(from + open + 1, t.end - from - open - 1);
                                return !lx.CodeOfCondition(inside).empty();
                              }),
               tokens.end());
  if (tokens.empty()) return starts_with_code;
  auto fragments = SplitFragments(text, tokens);
  const auto starts = SentenceStarts(text);
  const std::string lower = Lower(text);
  const auto system_words = SystemWordsIn(lower);
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    Mention m;
    m.title = fragments[k].title;
    m.condition = fragments[k].condition;
    m.before = fragments[k].before;
    m.in_parentheses = tokens[k].in_parentheses;
    m.sentence = SentenceOf(starts, tokens[k].begin);
    // The classification: the nearest system word before the code in its sentence, then its title (against
    // the loaded releases, then by its words), then the heading above it; OPCS-4 when nothing says.
    std::optional<CodeSystem> system;
    auto before =
        std::lower_bound(system_words.begin(), system_words.end(), std::make_pair(tokens[k].begin, CodeSystem::kOpcs4),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    if (before != system_words.begin() && SentenceOf(starts, std::prev(before)->first) == m.sentence) {
      system = std::prev(before)->second;
    }
    m.named = system.has_value();
    if (!system && ctx.catalog != nullptr) system = SystemOfRelease(*ctx.catalog, tokens[k].pattern, m.title);
    if (!system) system = SystemOfTitle(m.title);
    if (!system && section && (*section == CodeSystem::kOpcs4 || *section == CodeSystem::kIcd10)) system = section;
    m.system = system.value_or(CodeSystem::kOpcs4);
    auto pattern = CodePattern::Parse(m.system, tokens[k].pattern);
    if (!pattern.ok()) {
      // An ICD-10 shape that OPCS-4 cannot hold (M80.05) is ICD-10.
      m.system = CodeSystem::kIcd10;
      pattern = CodePattern::Parse(m.system, tokens[k].pattern);
      if (!pattern.ok()) continue;
    }
    m.pattern = pattern->ToString();
    clause->mentions.push_back(std::move(m));
  }
  // A condition stated at the end of a sentence ("B18.9 ... and Y05.2 ... are assigned in addition if part of
  // the thymus gland is excised") is the condition of the codes before it in the sentence. One backward pass.
  std::string carried;
  for (std::size_t k = clause->mentions.size(); k-- > 0;) {
    Mention& m = clause->mentions[k];
    if (k + 1 == clause->mentions.size() || clause->mentions[k + 1].sentence != m.sentence) carried.clear();
    if (!m.condition.empty()) {
      carried = m.condition;
    } else if (!m.in_parentheses) {
      m.condition = carried;
    }
  }
  return starts_with_code;
}

// Sentences that forbid codes or say one is not needed: kept, their codes marked excluded. One pass over
// the sentences and one over the mentions (they come in sentence order).
void ReadExclusions(std::string_view text, Clause* clause) {
  const Lexicon& lx = GetLexicon();
  const auto starts = SentenceStarts(text);
  std::vector<int> exclusion_of(starts.size(), -1);
  std::vector<std::string_view> sentences(starts.size());
  for (std::size_t s = 0; s < starts.size(); ++s) {
    std::size_t end = s + 1 < starts.size() ? starts[s + 1] : text.size();
    sentences[s] = text::Trim(text.substr(starts[s], end - starts[s]));
    std::string lower = Lower(sentences[s]);
    if (ContainsAny(lower, lx.cannot_capture)) clause->cannot_capture = true;
    if (!ContainsAny(lower, lx.exclusions)) continue;
    exclusion_of[s] = static_cast<int>(clause->exclusions.size());
    clause->exclusions.push_back({std::string(sentences[s]), {}, std::nullopt});
  }
  if (clause->exclusions.empty()) return;
  std::vector<std::vector<Mention>> named(clause->exclusions.size());
  for (std::size_t k = 0; k < clause->mentions.size(); ++k) {
    Mention& m = clause->mentions[k];
    const int e = exclusion_of[m.sentence];
    if (e < 0) continue;
    // The code a code line lists is not what prose run on after its title forbids: "K40.9 Unspecified ...
    // of coronary artery The endoscopic harvest ... is not coded in addition" ends its title at "The".
    if (k == 0 && clause->kind == ClauseKind::kCodes) {
      if (ContainsAny(Lower(m.title), lx.exclusions)) {
        for (std::size_t i = 2; i + 1 < m.title.size(); ++i) {
          if (m.title[i - 1] == ' ' && text::IsUpper(m.title[i]) && text::IsLower(m.title[i - 2])) {
            clause->exclusions[e].text = m.title.substr(i);
            m.title = std::string(text::Trim(m.title.substr(0, i)));
            break;
          }
        }
      }
      continue;
    }
    m.excluded = true;
    clause->exclusions[e].system = m.system;
    named[e].push_back(m);
  }
  for (std::size_t e = 0; e < clause->exclusions.size(); ++e) {
    clause->exclusions[e].codes = ForbiddenCodes(clause->exclusions[e].text, named[e]);
  }
}

}  // namespace

bool IsNoteLabel(std::string_view lower, std::size_t* text_start) {
  // "Note:", "Notes:", and typos such as "Notte:" or "Nte:": n, o's, t's, e's, s, then ':' or '-'.
  std::size_t i = 0;
  if (i >= lower.size() || lower[i] != 'n') return false;
  ++i;
  while (i < lower.size() && lower[i] == 'o') ++i;
  std::size_t t = i;
  while (i < lower.size() && lower[i] == 't') ++i;
  if (i == t) return false;
  while (i < lower.size() && (lower[i] == 'e' || lower[i] == 's')) ++i;
  while (i < lower.size() && lower[i] == ' ') ++i;
  if (i >= lower.size() || (lower[i] != ':' && lower[i] != '-')) return false;
  *text_start = i + 1;
  return true;
}

Clause ReadClause(const LogicalLine& line, std::string_view text, bool is_note, std::optional<CodeSystem> section,
                  bool in_snomed, const ClauseContext& context) {
  const Lexicon& lx = GetLexicon();
  Clause c;
  c.text = std::string(text);
  c.line = line.line;
  c.blank_before = line.blank_before;
  c.section = section;
  std::string lower = Lower(text);
  if (is_note) c.kind = ClauseKind::kNote;
  if (!is_note && IsConnectorWord(lower, &c.connector)) {
    c.kind = ClauseKind::kConnector;
    return c;
  }
  if (!is_note && text::StartsWithIgnoreCase(text, "includes")) {
    c.kind = ClauseKind::kIncludes;
    return c;
  }
  if (in_snomed && ReadSnomedLine(text, &c.snomed_term, &c.snomed_id)) {
    c.kind = ClauseKind::kSnomed;
    return c;
  }
  // A leading connector word: "Or K57.8 ...", "Plus Z94.2 ...", "Plus a Chapter 'Z' code ...".
  std::string_view body = text;
  for (const auto* words : {&lx.or_words, &lx.plus_words}) {
    for (const auto& w : *words) {
      if (!is_note && lower.size() > w.size() && lower.compare(0, w.size(), w) == 0 && lower[w.size()] == ' ') {
        c.connector = words == &lx.or_words ? Connector::kOr : Connector::kPlus;
        body = text::Trim(text.substr(w.size()));
      }
    }
  }
  const bool starts_with_code = ReadMentions(body, section, context, &c);
  std::string body_lower = Lower(body);
  if (!is_note && starts_with_code) c.kind = ClauseKind::kCodes;
  ReadExclusions(body, &c);
  c.one_or_more = ContainsAny(body_lower, lx.one_or_more_markers);
  c.one_of = c.one_or_more || ContainsAny(body_lower, lx.one_of_markers);
  c.additional = ContainsAny(body_lower, lx.additional_markers);
  std::string_view trimmed = text::Trim(body);
  c.lead_in = !trimmed.empty() && trimmed.back() == ':';
  if (c.lead_in && c.kind != ClauseKind::kCodes) {
    // "If an adjunctive ... is carried out (...) the following codes are assigned in addition:"
    for (const auto& open : lx.condition_opens) {
      if (body_lower.compare(0, open.size(), open) != 0 || open.back() != ' ') continue;
      std::size_t following = body_lower.find("the following");
      if (following != std::string::npos) c.lead_condition = std::string(text::Trim(body.substr(0, following)));
    }
  }
  if (c.kind == ClauseKind::kProse && c.mentions.empty()) {
    const std::size_t words = Words(trimmed);
    bool label = c.lead_in && words <= lx.label_max_words && !ContainsAny(body_lower, lx.label_not_words) &&
                 c.lead_condition.empty() && !c.one_of;
    if (label) {
      c.kind = ClauseKind::kLabel;
      c.text = std::string(text::Trim(trimmed.substr(0, trimmed.size() - 1)));
      return c;
    }
    // A short line naming a code family stands for a group; a long one that mentions site codes is prose.
    if (words <= 16 && lx.PlaceholderOf(body) != nullptr && !c.lead_in && !c.one_of) {
      c.kind = ClauseKind::kPlaceholder;
      c.text = std::string(body);
      while (!c.text.empty() && c.text.back() == '.') c.text.pop_back();
      return c;
    }
    c.statement_like = std::all_of(lx.statement_all.begin(), lx.statement_all.end(),
                                   [&](const std::string& w) { return body_lower.find(w) != std::string::npos; }) &&
                       ContainsAny(body_lower, lx.statement_any);
  }
  return c;
}

}  // namespace clincode::guidance
