// The recommendation reader: a line-by-line state machine over the cleaned text (see text_lines.h).
#include <fmt/format.h>

#include <algorithm>

#include "clincode/guidance_reader.h"
#include "guidance/code_line.h"
#include "guidance/cpt_page.h"
#include "guidance/lexicon.h"
#include "guidance/text_lines.h"
#include "util/text.h"

namespace clincode {
namespace {

using guidance::CodeFragment;
using guidance::Connector;
using guidance::GetLexicon;
using guidance::LogicalLine;
using guidance::Lower;

// "IPG655 - Title", "IPG 366 Title", "IPG327 – Title": the id and the title, or false.
bool ReadHeader(std::string_view line, std::string* id, std::string* title) {
  const auto& lx = GetLexicon();
  std::vector<std::pair<std::string, bool>> prefixes;  // prefix, followed by digits only
  for (const auto& p : lx.guidance_ids) prefixes.push_back({p, true});
  for (const auto& p : lx.family_ids) prefixes.push_back({p, false});
  for (const auto& [prefix, digits_only] : prefixes) {
    if (!text::StartsWithIgnoreCase(line, prefix)) continue;
    std::size_t i = prefix.size();
    while (digits_only && i < line.size() && line[i] == ' ') ++i;
    std::size_t digits = i;
    while (i < line.size() && (digits_only ? text::IsDigit(line[i]) : text::IsAlnum(line[i]))) ++i;
    if (i == digits || (i < line.size() && text::IsAlnum(line[i]))) continue;
    *id = text::ToUpperAscii(prefix) + text::ToUpperAscii(line.substr(digits, i - digits));
    std::string_view rest = text::Trim(line.substr(i));
    // Separators between id and title: "-", "–", "—", ":".
    for (std::string_view sep : {"-", "\xE2\x80\x93", "\xE2\x80\x94", ":"}) {
      if (rest.substr(0, sep.size()) == sep) {
        rest = text::Trim(rest.substr(sep.size()));
        break;
      }
    }
    *title = std::string(rest);
    return true;
  }
  return false;
}

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

class Reader {
 public:
  explicit Reader(const ReadOptions& options) { rec_.source = options.source; }
  Result<Recommendation> Read(const std::vector<LogicalLine>& lines);

 private:
  void Handle(const LogicalLine& line);
  bool Heading(std::string_view text, const LogicalLine& line);
  bool Connectors(std::string_view* text);
  bool Codes(std::string_view text, const LogicalLine& line);
  void AddFragments(const std::vector<CodeFragment>& fragments, bool additional);
  void AddCpt(std::string_view text, const std::vector<guidance::CodeToken>& tokens);
  Section* OpenSection(CodeSystem system);
  void Unparsed(const LogicalLine& line) { rec_.unparsed.push_back(fmt::format("{}: {}", line.line, line.text)); }

  Recommendation rec_;
  int section_ = -1;                          // index in rec_.sections
  std::optional<CodeSystem> heading_system_;  // SNOMED CT headings open no section until content
  Connector pending_ = Connector::kNone;
  bool one_of_ = false;        // following code lines are alternatives of one group
  bool one_of_fresh_ = false;  // ... which the next code line starts
  bool tail_ = false;
  bool last_note_ = false;
  bool title_next_ = false;
};

Section* Reader::OpenSection(CodeSystem system) {
  for (std::size_t i = 0; i < rec_.sections.size(); ++i) {
    if (rec_.sections[i].classification == system) {
      section_ = static_cast<int>(i);
      return &rec_.sections[i];
    }
  }
  rec_.sections.push_back(Section{system, {}, {}, std::nullopt, {}});
  section_ = static_cast<int>(rec_.sections.size() - 1);
  return &rec_.sections.back();
}

bool Reader::Heading(std::string_view text, const LogicalLine& line) {
  const auto& lx = GetLexicon();
  std::string lower = Lower(text);
  for (const auto& h : lx.classification_headings) {
    if (!guidance::StartsWithAny(lower, h.starts)) continue;
    pending_ = Connector::kNone;
    one_of_ = last_note_ = tail_ = false;
    heading_system_ = h.system;
    if (h.system == CodeSystem::kSnomedCt) {
      section_ = -1;
    } else {
      OpenSection(h.system);
    }
    // A version in the heading: "OPCS4.6 Code(s)" -> 4.6.
    std::size_t dot = lower.find_first_of("0123456789");
    if (h.system == CodeSystem::kOpcs4 && dot != std::string::npos && lower.substr(dot, 1) == "4" &&
        dot + 2 < lower.size() && lower[dot + 1] == '.' && text::IsDigit(lower[dot + 2])) {
      std::size_t end = dot + 2;
      while (end < lower.size() && text::IsDigit(lower[end])) ++end;
      rec_.written_for["OPCS-4"] = lower.substr(dot, end - dot);
    }
    std::size_t colon = text.find(':');
    if (colon != std::string_view::npos && !text::Trim(text.substr(colon + 1)).empty()) {
      Handle({std::string(text::Trim(text.substr(colon + 1))), line.line});
    }
    return true;
  }
  std::string bare = lower;
  while (!bare.empty() && (bare.back() == ':' || bare.back() == ' ')) bare.pop_back();
  for (const auto* list : {&lx.procedure_headings, &lx.diagnosis_headings}) {
    for (const auto& h : *list) {
      if (bare == h) return true;
    }
  }
  return false;
}

// "Or", "Plus", "And" alone, or at the start of a line (the rest is handled as the line).
bool Reader::Connectors(std::string_view* text) {
  const auto& lx = GetLexicon();
  std::string lower = Lower(*text);
  auto try_words = [&](const std::vector<std::string>& words, Connector c) {
    for (const auto& w : words) {
      if (lower == w) {
        pending_ = c;
        *text = {};
        return true;
      }
      if (lower.size() > w.size() && lower.substr(0, w.size() + 1) == w + " ") {
        pending_ = c;
        text->remove_prefix(w.size() + 1);
        return true;
      }
    }
    return false;
  };
  return try_words(lx.or_words, Connector::kOr) || try_words(lx.plus_words, Connector::kPlus);
}

void Reader::AddFragments(const std::vector<CodeFragment>& fragments, bool additional) {
  Section& s = rec_.sections[section_];
  for (std::size_t k = 0; k < fragments.size(); ++k) {
    const CodeFragment& f = fragments[k];
    bool join = k == 0 ? (pending_ == Connector::kOr || (one_of_ && !one_of_fresh_)) : f.before == Connector::kOr;
    one_of_fresh_ = false;
    if (!(join && !s.groups.empty() && s.groups.back().placeholder.empty())) {
      s.groups.emplace_back();
      if (additional && s.classification == CodeSystem::kOpcs4) s.groups.back().role = GroupRole::kAdditional;
    }
    Group& g = s.groups.back();
    g.any_of.push_back(f.pattern);
    g.titles.push_back(f.title);
    if (!f.condition.empty() && !g.condition) g.condition = Condition{f.condition, ""};
  }
  pending_ = Connector::kNone;
}

void Reader::AddCpt(std::string_view text, const std::vector<guidance::CodeToken>& tokens) {
  Section& s = rec_.sections[section_];
  std::string lower = Lower(text);
  std::vector<std::string> others;
  for (std::size_t k = 1; k < tokens.size(); ++k) others.push_back(tokens[k].pattern);
  CptCode* code = nullptr;
  for (CptCode& c : s.cpt_codes) {
    if (c.code == tokens[0].pattern) code = &c;
  }
  if (lower.find("not reported with") != std::string::npos && code != nullptr) {
    code->not_reported_with = others;
  } else if (lower.find(" includes ") != std::string::npos && code != nullptr) {
    code->components = others;
  } else {
    std::string summary(text::Trim(text.substr(tokens[0].end)));
    s.cpt_codes.push_back({tokens[0].pattern, summary, {}, {}});
  }
}

bool Reader::Codes(std::string_view text, const LogicalLine& line) {
  if (section_ < 0) return false;
  Section& s = rec_.sections[section_];
  auto tokens = guidance::FindCodeTokens(text, s.classification);
  if (tokens.empty()) return false;
  if (s.classification == CodeSystem::kCpt) {
    AddCpt(text, tokens);
    return true;
  }
  std::string prefix = Lower(text.substr(0, tokens.front().begin));
  const auto& lx = GetLexicon();
  if (guidance::ContainsAny(prefix, lx.one_of_markers)) one_of_ = one_of_fresh_ = true;
  // A line starting with prose that is a note in disguise is not code: only prose of a few words before the
  // first code counts ("A code from category", "In addition").
  if (std::count(prefix.begin(), prefix.end(), ' ') > 8) return false;
  AddFragments(guidance::SplitFragments(text, tokens), guidance::ContainsAny(prefix, lx.additional_markers));
  (void)line;
  return true;
}

void Reader::Handle(const LogicalLine& line) {
  const auto& lx = GetLexicon();
  std::string_view text = line.text;
  if (tail_ && !Heading(text, line)) return;
  if (lx.IsTailHeading(text)) {
    tail_ = true;
    return;
  }
  if (lx.IsBoilerplate(text)) return;
  if (rec_.id.empty() && ReadHeader(text, &rec_.id, &rec_.title)) {
    title_next_ = rec_.title.empty();
    return;
  }
  if (title_next_) {
    title_next_ = false;
    if (!Heading(text, line)) {
      rec_.title = std::string(text);
      return;
    }
    return;
  }
  if (Heading(text, line)) return;
  std::string lower = Lower(text);
  std::size_t note_start = 0;
  if (IsNoteLabel(lower, &note_start)) {
    std::string note(text::Trim(text.substr(note_start)));
    if (section_ >= 0)
      rec_.sections[section_].notes.push_back({note, {}});
    else
      Unparsed(line);
    last_note_ = section_ >= 0;
    return;
  }
  if (guidance::StartsWithAny(lower, lx.related)) {
    std::string_view ids = text.substr(text.find(':') == std::string_view::npos ? text.size() : text.find(':') + 1);
    for (std::string_view id : text::Split(ids, ',')) {
      if (!text::Trim(id).empty()) rec_.related.push_back(std::string(text::Trim(id)));
    }
    return;
  }
  if (Connectors(&text) && text.empty()) return;
  if (Codes(text, line)) {
    last_note_ = false;
    return;
  }
  bool in_section = section_ >= 0;
  Section* s = in_section ? &rec_.sections[section_] : nullptr;
  if (guidance::ContainsAny(Lower(text), lx.one_of_markers)) {
    one_of_ = one_of_fresh_ = true;
    return;
  }
  one_of_ = false;
  // A short line naming a code family ("Site code", "Plus Site code from Chapter Z") stands for a group; a
  // long one that mentions site codes is prose.
  const auto words = std::count(text.begin(), text.end(), ' ') + 1;
  if (in_section && s->classification == CodeSystem::kOpcs4 && words <= 12 && lx.PlaceholderOf(text) != nullptr) {
    Group g;
    g.placeholder = std::string(text);
    while (!g.placeholder.empty() && g.placeholder.back() == '.') g.placeholder.pop_back();
    s->groups.push_back(std::move(g));
    pending_ = Connector::kNone;
    return;
  }
  std::string low = Lower(text);
  bool statement_like = std::all_of(lx.statement_all.begin(), lx.statement_all.end(),
                                    [&](const std::string& w) { return low.find(w) != std::string::npos; }) &&
                        guidance::ContainsAny(low, lx.statement_any);
  if (in_section && s->groups.empty() && !s->statement && !last_note_ && statement_like) {
    s->statement = std::string(text);
    return;
  }
  if (in_section && last_note_) {
    s->notes.push_back({std::string(text), {}});
    return;
  }
  if (!in_section && !heading_system_ && !rec_.id.empty()) {
    rec_.description += (rec_.description.empty() ? "" : "\n\n") + std::string(text);
    return;
  }
  if (heading_system_ == CodeSystem::kSnomedCt && !in_section) return;  // SNOMED CT terms are not read yet
  Unparsed(line);
}

Result<Recommendation> Reader::Read(const std::vector<LogicalLine>& lines) {
  for (const LogicalLine& l : lines) Handle(l);
  if (rec_.id.empty()) {
    return InvalidArgument(fmt::format("{}:{}: no guidance id (such as IPG655) found at the top of the text",
                                       rec_.source, lines.empty() ? 1 : lines.front().line));
  }
  bool any = false;
  for (const Section& s : rec_.sections) any = any || !s.groups.empty() || s.statement || !s.cpt_codes.empty();
  if (!any) {
    return InvalidArgument(
        fmt::format("{}: {} has no OPCS-4, ICD-10 or CPT codes the reader could place", rec_.source, rec_.id));
  }
  CompleteRecommendation(&rec_);
  return std::move(rec_);
}

}  // namespace

Result<Recommendation> ReadRecommendationText(std::string_view text, const ReadOptions& options) {
  std::string source = options.source.empty() ? "text" : options.source;
  auto lines = guidance::CleanLines(text, source);
  if (!lines.ok()) return lines.status();
  if (guidance::IsCptPage(*lines)) return guidance::ReadCptPage(*lines, options);
  Reader reader(options);
  return reader.Read(*lines);
}

}  // namespace clincode
