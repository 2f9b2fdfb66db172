// The recommendation reader. The text is cleaned into logical lines (text_lines.h); this driver takes the
// header, headings, boilerplate and SNOMED CT concepts, makes every other line a clause with its code
// mentions (clauses.h), and has the clauses assembled into groups, scenarios and constraints (assemble.h).
#include <fmt/format.h>

#include <algorithm>

#include "clincode/guidance_reader.h"
#include "guidance/assemble.h"
#include "guidance/clauses.h"
#include "guidance/code_line.h"
#include "guidance/cpt_page.h"
#include "guidance/lexicon.h"
#include "guidance/text_lines.h"
#include "util/text.h"

namespace clincode {
namespace {

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

// SNOMED CT identifiers: the Verhoeff check digit and the partition (concepts: 00 short form, 10 long form).
bool VerhoeffValid(std::string_view digits) {
  static constexpr int kD[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
                                     {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
                                     {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                                     {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
                                     {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr int kP[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                                    {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                                    {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                                    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  int c = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) c = kD[c][kP[i % 8][digits[digits.size() - 1 - i] - '0']];
  return c == 0;
}

std::string SnomedProblem(std::string_view id) {
  if (!VerhoeffValid(id)) return fmt::format("SNOMED CT id {} fails its Verhoeff check digit", id);
  std::string_view partition = id.substr(id.size() - 3, 2);
  if (partition != "00" && partition != "10") {
    return fmt::format("SNOMED CT id {} is not a concept id (partition {})", id, partition);
  }
  return {};
}

class Reader {
 public:
  explicit Reader(const ReadOptions& options) : options_(options) { rec_.source = options.source; }
  Result<Recommendation> Read(const std::vector<LogicalLine>& lines);

 private:
  void Handle(const LogicalLine& line, std::string_view text);
  bool Heading(std::string_view text, const LogicalLine& line);
  void Snomed(const guidance::Clause& c);
  bool Cpt(std::string_view text);
  Section& SectionOf(CodeSystem system) {
    for (Section& each : rec_.sections) {
      if (each.classification == system) return each;
    }
    rec_.sections.push_back(Section{system, {}, {}, {}, std::nullopt, {}, {}});
    return rec_.sections.back();
  }

  const ReadOptions& options_;
  Recommendation rec_;
  std::vector<guidance::Clause> clauses_;
  std::optional<CodeSystem> section_;  // the classification heading in force
  bool coding_ = false;                // a heading has opened the coding part
  bool snomed_ = false;                // under a SNOMED CT heading
  bool diagnosis_ = false;             // under a diagnosis heading
  bool tail_ = false;
  bool title_next_ = false;
};

bool Reader::Heading(std::string_view text, const LogicalLine& line) {
  const auto& lx = GetLexicon();
  std::string lower = Lower(text);
  std::string bare = lower;
  while (!bare.empty() && (bare.back() == ':' || bare.back() == ' ')) bare.pop_back();
  for (const auto& h : lx.classification_headings) {
    if (!guidance::StartsWithAny(lower, h.starts)) continue;
    // "OPCS-4 code Y27.1 ..." in prose is not a heading; "OPCS-4 code(s): K57.8 ..." is one with content.
    std::size_t colon = text.find(':');
    if (colon == std::string_view::npos && !guidance::FindCodeTokens(text, CodeSystem::kIcd10).empty()) return false;
    coding_ = true;
    snomed_ = h.system == CodeSystem::kSnomedCt;
    if (!snomed_) section_ = h.system;
    guidance::Clause c;
    c.kind = guidance::ClauseKind::kHeading;
    c.heading = h.system;
    c.line = line.line;
    c.text = std::string(text);
    clauses_.push_back(std::move(c));
    // A version in the heading: "OPCS4.6 Code(s)" -> 4.6.
    std::size_t dot = lower.find_first_of("0123456789");
    if (h.system == CodeSystem::kOpcs4 && dot != std::string::npos && lower.substr(dot, 1) == "4" &&
        dot + 2 < lower.size() && lower[dot + 1] == '.' && text::IsDigit(lower[dot + 2])) {
      std::size_t end = dot + 2;
      while (end < lower.size() && text::IsDigit(lower[end])) ++end;
      rec_.written_for["OPCS-4"] = lower.substr(dot, end - dot);
    }
    if (colon != std::string_view::npos && !text::Trim(text.substr(colon + 1)).empty()) {
      Handle(line, text::Trim(text.substr(colon + 1)));
    }
    return true;
  }
  auto is = [&](const std::vector<std::string>& headings) {
    return std::find(headings.begin(), headings.end(), bare) != headings.end();
  };
  if (is(lx.procedure_headings) || is(lx.diagnosis_headings) || is(lx.coding_headings)) {
    coding_ = true;
    if (is(lx.diagnosis_headings)) diagnosis_ = true;
    if (is(lx.procedure_headings)) diagnosis_ = false;
    snomed_ = false;
    guidance::Clause c;
    c.kind = guidance::ClauseKind::kHeading;
    c.line = line.line;
    c.text = std::string(text);
    clauses_.push_back(std::move(c));
    return true;
  }
  return false;
}

// A SNOMED CT concept under its heading: a group of the SNOMED CT section, its id checked.
void Reader::Snomed(const guidance::Clause& c) {
  Section* s = &SectionOf(CodeSystem::kSnomedCt);
  Group g;
  g.any_of = {c.snomed_id};
  g.titles = {c.snomed_term};
  g.role = diagnosis_ ? GroupRole::kDiagnosis : GroupRole::kMain;
  s->groups.push_back(std::move(g));
  if (std::string problem = SnomedProblem(c.snomed_id); !problem.empty()) {
    rec_.warnings.push_back(fmt::format("{}: {}", c.line, problem));
  }
}

// A line under a CPT heading: a code of the family and our summary, or its relations to the others
// ("0408T includes 0409T, 0410T", "0411T is not reported with 0408T").
bool Reader::Cpt(std::string_view text) {
  if (section_ != CodeSystem::kCpt) return false;
  auto tokens = guidance::FindCodeTokens(text, CodeSystem::kCpt);
  if (tokens.empty()) return false;
  Section* s = &SectionOf(CodeSystem::kCpt);
  std::string lower = Lower(text);
  std::vector<std::string> others;
  for (std::size_t k = 1; k < tokens.size(); ++k) others.push_back(tokens[k].pattern);
  CptCode* code = nullptr;
  for (CptCode& c : s->cpt_codes) {
    if (c.code == tokens[0].pattern) code = &c;
  }
  if (lower.find("not reported with") != std::string::npos && code != nullptr) {
    code->not_reported_with = others;
  } else if (lower.find(" includes ") != std::string::npos && code != nullptr) {
    code->components = others;
  } else {
    s->cpt_codes.push_back({tokens[0].pattern, std::string(text::Trim(text.substr(tokens[0].end))), {}, {}});
  }
  return true;
}

void Reader::Handle(const LogicalLine& line, std::string_view text) {
  const auto& lx = GetLexicon();
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
    if (!Heading(text, line)) rec_.title = std::string(text);
    return;
  }
  if (Heading(text, line)) return;
  std::string lower = Lower(text);
  if (guidance::StartsWithAny(lower, lx.related)) {
    std::string_view ids = text.substr(text.find(':') == std::string_view::npos ? text.size() : text.find(':') + 1);
    for (std::string_view id : text::Split(ids, ',')) {
      if (!text::Trim(id).empty()) rec_.related.push_back(std::string(text::Trim(id)));
    }
    return;
  }
  if (Cpt(text)) return;
  std::size_t note_start = 0;
  const bool note = guidance::IsNoteLabel(lower, &note_start);
  std::string_view body = note ? text::Trim(text.substr(note_start)) : text;
  guidance::ClauseContext context{options_.catalog};
  guidance::Clause c = guidance::ReadClause(line, body, note, section_, snomed_, context);
  if (c.kind == guidance::ClauseKind::kSnomed) {
    Snomed(c);
    return;
  }
  if (!coding_ && !note && c.kind == guidance::ClauseKind::kProse && c.mentions.empty() && !rec_.id.empty()) {
    rec_.description += (rec_.description.empty() ? "" : "\n\n") + std::string(text);
    return;
  }
  coding_ = coding_ || !c.mentions.empty();
  clauses_.push_back(std::move(c));
}

Result<Recommendation> Reader::Read(const std::vector<LogicalLine>& lines) {
  for (const LogicalLine& l : lines) Handle(l, l.text);
  if (rec_.id.empty()) {
    return InvalidArgument(fmt::format("{}:{}: no guidance id (such as IPG655) found at the top of the text",
                                       rec_.source, lines.empty() ? 1 : lines.front().line));
  }
  guidance::Assemble(std::move(clauses_), &rec_);
  bool any = false;
  for (const Section& s : rec_.sections) {
    any = any || !s.groups.empty() || !s.scenarios.empty() || s.statement || !s.cpt_codes.empty();
  }
  if (!any) {
    return InvalidArgument(
        fmt::format("{}: {} has no OPCS-4, ICD-10 or CPT codes the reader could place", rec_.source, rec_.id));
  }
  // Sections in the order a reader expects: procedures, diagnoses, then the rest.
  std::stable_sort(rec_.sections.begin(), rec_.sections.end(), [](const Section& a, const Section& b) {
    auto rank = [](CodeSystem s) { return s == CodeSystem::kOpcs4 ? 0 : s == CodeSystem::kIcd10 ? 1 : 2; };
    return rank(a.classification) < rank(b.classification);
  });
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
