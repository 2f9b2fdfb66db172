#include "guidance/assemble.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "clincode/code_pattern.h"
#include "guidance/lexicon.h"
#include "util/text.h"

namespace clincode::guidance {
namespace {

// The categories or codes a pattern stands for, without wildcards: "Y53.-" -> {"Y53"}, "K57.8" -> {"K57.8"},
// "C71-C74" -> {"C71", "C72", "C73", "C74"}, "L76 or L89" -> {"L76", "L89"}.
std::vector<std::string> Keys(const std::string& pattern) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= pattern.size()) {
    std::size_t next = pattern.find(" or ", at);
    std::string part = pattern.substr(at, next == std::string::npos ? std::string::npos : next - at);
    std::size_t dash = part.find('-');
    if (dash == 3 && part.size() == 7 && text::IsDigit(part[1]) && text::IsDigit(part[5])) {
      int from = std::stoi(part.substr(1, 2)), to = std::stoi(part.substr(5, 2));
      for (int n = from; n <= to; ++n) out.push_back(fmt::format("{}{:02}", part[0], n));
    } else {
      if (part.size() > 3 && part.compare(3, 2, ".-") == 0) part.resize(3);
      out.push_back(part);
    }
    if (next == std::string::npos) break;
    at = next + 4;
  }
  return out;
}

// What the requirements of one scope (a section's own groups, one scenario's, or all scenarios') cover, by
// key, so that coverage is found in constant time however long the text: a key itself, a category over its
// codes, or a category mentioned as a whole after one of its codes is listed (Y53.- after Y53.4).
class CoverIndex {
 public:
  void Add(const std::string& pattern, std::size_t group) {
    for (const std::string& key : Keys(pattern)) {
      exact_.emplace(key, group);
      if (key.size() == 3) whole_.emplace(key, group);
      prefix_.emplace(key.substr(0, 3), group);
    }
  }
  // The group covering every key of `pattern`, if there is one. `fallback`: a code's category having any
  // requirement covers it (the unspecified .9 code a standard note names).
  std::optional<std::size_t> Find(const std::string& pattern, bool fallback) const {
    std::optional<std::size_t> found;
    for (const std::string& key : Keys(pattern)) {
      auto hit = Lookup(key, fallback);
      if (!hit) return std::nullopt;
      if (!found) found = hit;
    }
    return found;
  }

 private:
  std::optional<std::size_t> Lookup(const std::string& key, bool fallback) const {
    if (auto it = exact_.find(key); it != exact_.end()) return it->second;
    const std::string category = key.substr(0, 3);
    if (key.size() > 3) {
      if (auto it = whole_.find(category); it != whole_.end()) return it->second;
    }
    if (key.size() == 3 || fallback) {
      if (auto it = prefix_.find(category); it != prefix_.end()) return it->second;
    }
    return std::nullopt;
  }
  std::unordered_map<std::string, std::size_t> exact_, whole_, prefix_;
};

// Whether `pattern` falls within the lead-in's categories or codes (a category over its codes).
class LeadIns {
 public:
  LeadIns() = default;
  explicit LeadIns(const std::vector<std::string>& patterns) {
    for (const std::string& p : patterns) {
      for (std::string& key : Keys(p)) keys_.insert(std::move(key));
    }
  }
  bool empty() const { return keys_.empty(); }
  bool Within(const std::string& pattern) const {
    for (const std::string& want : Keys(pattern)) {
      if (keys_.count(want) != 0 || keys_.count(want.substr(0, 3)) != 0) return true;
    }
    return false;
  }

 private:
  std::unordered_set<std::string> keys_;
};

bool IsWhole(const std::string& pattern) {  // a category, a range or a union, not one code
  return pattern.find('.') == std::string::npos || pattern.find(".-") != std::string::npos;
}

bool CodeBearing(const Clause& c) {
  return c.kind == ClauseKind::kCodes || c.kind == ClauseKind::kProse || c.kind == ClauseKind::kNote;
}

std::size_t NextListed(const std::vector<Clause>& clauses, std::size_t i) {
  for (std::size_t j = i + 1; j < clauses.size(); ++j) {
    if (clauses[j].kind == ClauseKind::kIncludes) continue;
    return clauses[j].kind == ClauseKind::kCodes ? j : clauses.size();
  }
  return clauses.size();
}

// A prose or note clause naming categories (or codes in parentheses) whose members are listed next is a
// lead-in: those mentions are not codes to assign, and the listed members are one requirement.
void FindLeadIns(std::vector<Clause>* clauses) {
  for (std::size_t i = 0; i < clauses->size(); ++i) {
    Clause& c = (*clauses)[i];
    if (c.kind == ClauseKind::kCodes || !CodeBearing(c)) continue;
    std::size_t j = NextListed(*clauses, i);
    if (j == clauses->size() || (*clauses)[j].mentions.empty()) continue;
    const Mention& first = (*clauses)[j].mentions.front();
    std::vector<std::string> lead;
    for (const Mention& m : c.mentions) {
      if (!m.excluded && m.system == first.system && (IsWhole(m.pattern) || m.in_parentheses))
        lead.push_back(m.pattern);
    }
    if (!LeadIns(lead).Within(first.pattern)) continue;
    c.lead_in_patterns = lead;
    c.mentions.erase(std::remove_if(c.mentions.begin(), c.mentions.end(),
                                    [system = first.system](const Mention& m) {
                                      return !m.excluded && m.system == system &&
                                             (IsWhole(m.pattern) || m.in_parentheses);
                                    }),
                     c.mentions.end());
  }
}

// Blocks of code lines set apart by a wider gap than the lines within them, of equal length, sharing a
// code: alternatives position by position. The first block's lines take the others' codes.
void MergeBlocks(std::vector<Clause>* clauses) {
  std::size_t i = 0;
  while (i < clauses->size()) {
    std::vector<std::size_t> run;
    std::size_t j = i;
    for (; j < clauses->size(); ++j) {
      const Clause& c = (*clauses)[j];
      if (c.kind == ClauseKind::kIncludes) continue;
      if (c.kind != ClauseKind::kCodes || c.mentions.size() != 1 || c.connector != Connector::kNone) break;
      run.push_back(j);
    }
    i = std::max(j, i + 1);
    if (run.size() < 4) continue;
    std::size_t widest = 0, narrowest = SIZE_MAX;
    for (std::size_t k = 1; k < run.size(); ++k) {
      widest = std::max(widest, (*clauses)[run[k]].blank_before);
      narrowest = std::min(narrowest, (*clauses)[run[k]].blank_before);
    }
    if (widest <= narrowest) continue;
    std::vector<std::vector<std::size_t>> blocks(1);
    for (std::size_t k = 0; k < run.size(); ++k) {
      if (k > 0 && (*clauses)[run[k]].blank_before == widest) blocks.emplace_back();
      blocks.back().push_back(run[k]);
    }
    bool equal = blocks.size() >= 2;
    for (const auto& b : blocks) equal = equal && b.size() == blocks[0].size() && b.size() >= 2;
    if (!equal) continue;
    bool shared = false;
    for (std::size_t p = 0; p < blocks[0].size(); ++p) {
      bool same = true;
      for (const auto& b : blocks)
        same = same && (*clauses)[b[p]].mentions[0].pattern == (*clauses)[blocks[0][p]].mentions[0].pattern;
      shared = shared || same;
    }
    if (!shared) continue;
    (*clauses)[blocks[0][0]].heads_blocks = true;
    for (std::size_t b = 1; b < blocks.size(); ++b) {
      for (std::size_t p = 0; p < blocks[b].size(); ++p) {
        Clause& from = (*clauses)[blocks[b][p]];
        Mention m = from.mentions[0];
        m.before = Connector::kOr;
        (*clauses)[blocks[0][p]].mentions.push_back(std::move(m));
        from.skip = true;
      }
    }
  }
}

class Assembler {
 public:
  explicit Assembler(Recommendation* rec) : rec_(rec) {}
  void Run(std::vector<Clause>& clauses);

 private:
  // Coverage indexes of a section's scopes: its own groups, each scenario's, and all scenarios' together.
  struct Scopes {
    CoverIndex common, any_scenario;
    std::vector<CoverIndex> scenarios;
  };
  Section& SectionOf(CodeSystem system);
  std::vector<Group>& Target(CodeSystem system, bool note);
  CoverIndex& TargetIndex(CodeSystem system, bool note);
  // The group of the target scope covering `pattern`, or npos when another scope covers it; nullopt when
  // nothing in scope does.
  std::optional<std::size_t> Covered(CodeSystem system, const std::string& pattern, bool note);
  void Added(CodeSystem system, bool note, const std::string& pattern, std::size_t group);
  void Codes(const Clause& c);
  void MainOfChapter(const Clause& c);
  void NoCodes(const Clause& c);
  void Constraints(const Clause& c);
  void EndList() {
    one_of_ = false;
    list_condition_.clear();
    lead_ins_ = LeadIns();
  }
  std::string Where(const Clause& c) const { return fmt::format("{}: {}", c.line, c.text); }

  Recommendation* rec_;
  int scenario_ = -1;  // in the OPCS-4 section
  CodeSystem last_ = CodeSystem::kOpcs4;
  std::optional<CodeSystem> heading_;
  Connector pending_ = Connector::kNone;
  bool one_of_ = false, one_of_fresh_ = false, additional_list_ = false;
  bool after_note_ = false;  // the clause before was a note
  LeadIns lead_ins_;
  std::string list_condition_;
  std::map<CodeSystem, Scopes> scopes_;
};

Section& Assembler::SectionOf(CodeSystem system) {
  for (Section& s : rec_->sections) {
    if (s.classification == system) return s;
  }
  rec_->sections.push_back(Section{system, {}, {}, {}, std::nullopt, {}, {}});
  return rec_->sections.back();
}

std::vector<Group>& Assembler::Target(CodeSystem system, bool note) {
  Section& s = SectionOf(system);
  if (system == CodeSystem::kOpcs4 && !note && scenario_ >= 0) return s.scenarios[scenario_].groups;
  return s.groups;
}

CoverIndex& Assembler::TargetIndex(CodeSystem system, bool note) {
  Scopes& scopes = scopes_[system];
  if (system == CodeSystem::kOpcs4 && !note && scenario_ >= 0) {
    if (scopes.scenarios.size() <= static_cast<std::size_t>(scenario_)) scopes.scenarios.resize(scenario_ + 1);
    return scopes.scenarios[scenario_];
  }
  return scopes.common;
}

std::optional<std::size_t> Assembler::Covered(CodeSystem system, const std::string& pattern, bool note) {
  // In a note, the unspecified code of a category already required (Y53.9 beside Y53.4) is the standard's
  // fallback, not another requirement.
  const bool fallback = note && pattern.size() == 5 && pattern[4] == '9' && pattern[3] == '.';
  Scopes& scopes = scopes_[system];
  CoverIndex& target = TargetIndex(system, note);
  if (auto hit = target.Find(pattern, fallback)) return hit;
  if (auto hit = scopes.common.Find(pattern, fallback)) return std::string::npos;
  if (system == CodeSystem::kOpcs4 && note && scopes.any_scenario.Find(pattern, fallback)) return std::string::npos;
  return std::nullopt;
}

void Assembler::Added(CodeSystem system, bool note, const std::string& pattern, std::size_t group) {
  TargetIndex(system, note).Add(pattern, group);
  if (system == CodeSystem::kOpcs4 && !note && scenario_ >= 0) scopes_[system].any_scenario.Add(pattern, group);
}

void Assembler::Constraints(const Clause& c) {
  for (const Clause::Exclusion& e : c.exclusions) {
    SectionOf(e.system.value_or(last_)).constraints.push_back(Constraint{e.text, e.codes});
  }
}

// "... as a supplementary code following a code from Chapter 'K' for the primary mitral valve surgery": the
// main procedure is a code of Chapter K, chosen from the note; a placeholder group before the codes.
void Assembler::MainOfChapter(const Clause& c) {
  const std::string lower = text::ToLowerAscii(c.text);
  for (const auto& phrase : GetLexicon().follows_chapter) {
    std::size_t at = lower.find(phrase);
    if (at == std::string::npos) continue;
    const char letter = Lexicon::ChapterLetterAt(lower, at + phrase.size());
    if (letter == 0) continue;
    std::vector<Group>& target = Target(CodeSystem::kOpcs4, false);
    if (std::any_of(target.begin(), target.end(), [](const Group& g) { return g.role == GroupRole::kMain; })) return;
    Group g;
    // The placeholder reads from the phrase's second word ("a code from Chapter 'K' for the primary ...").
    const std::size_t space = phrase.find(' ');
    g.placeholder =
        std::string(text::Trim(std::string_view(c.text).substr(at + (space == std::string::npos ? 0 : space + 1))));
    if (g.placeholder.ends_with(".")) g.placeholder.pop_back();
    g.family = fmt::format("Chapter {}", letter);
    g.role = GroupRole::kMain;
    target.insert(target.begin(), std::move(g));
    return;
  }
}

void Assembler::Codes(const Clause& c) {
  const bool note = c.kind == ClauseKind::kNote;
  const bool listed = c.kind == ClauseKind::kCodes;
  if (!note) MainOfChapter(c);
  if (c.heads_blocks) EndList();
  if (!listed && !(one_of_ && one_of_fresh_)) EndList();
  bool first = true;
  std::map<CodeSystem, std::ptrdiff_t> last_group;  // the group the previous mention of each system went to
  // Alternatives joined by "or" of which one is already required add nothing ("(Y35, Y36)" after Y35.4).
  std::vector<bool> run_covered(c.mentions.size(), false);
  for (std::size_t k = 0; k < c.mentions.size();) {
    std::size_t end = k + 1;
    while (end < c.mentions.size() && c.mentions[end].before == Connector::kOr) ++end;
    bool covered = false;
    for (std::size_t i = k; i < end; ++i) {
      covered = covered ||
                (!c.mentions[i].excluded && Covered(c.mentions[i].system, c.mentions[i].pattern, note).has_value());
    }
    for (std::size_t i = k; i < end && end - k > 1; ++i) run_covered[i] = covered;
    k = end;
  }
  std::string alternative;  // the alternative this code line offers, when it is one of a list
  for (std::size_t index = 0; index < c.mentions.size(); ++index) {
    const Mention& m = c.mentions[index];
    if (m.excluded) continue;
    if (run_covered[index]) {
      first = false;
      continue;
    }
    std::vector<Group>& groups = Target(m.system, note);
    bool join = false;
    if (first) {
      join = pending_ == Connector::kOr || c.connector == Connector::kOr;
      if (listed && one_of_ && !one_of_fresh_) {
        join = lead_ins_.empty() || lead_ins_.Within(m.pattern);
        if (!join) EndList();
      }
    } else {
      join = m.before == Connector::kOr && last_group.count(m.system) != 0;
    }
    if (auto covering = Covered(m.system, m.pattern, note)) {
      if (*covering != std::string::npos) last_group[m.system] = static_cast<std::ptrdiff_t>(*covering);
      first = false;
      if (listed && one_of_) one_of_fresh_ = false;
      continue;
    }
    Group* g = nullptr;
    if (join && !groups.empty()) {
      std::ptrdiff_t at =
          last_group.count(m.system) != 0 ? last_group[m.system] : static_cast<std::ptrdiff_t>(groups.size()) - 1;
      if (groups[at].placeholder.empty()) g = &groups[at];
    }
    if (g == nullptr) {
      groups.emplace_back();
      g = &groups.back();
      if ((c.additional || additional_list_) && m.system == CodeSystem::kOpcs4) g->role = GroupRole::kAdditional;
    }
    g->any_of.push_back(m.pattern);
    g->titles.push_back(m.title);
    Added(m.system, note, m.pattern, static_cast<std::size_t>(g - groups.data()));
    std::string condition = !m.condition.empty() ? m.condition : listed ? list_condition_ : "";
    if (!condition.empty() && !g->condition) g->condition = Condition{condition, ""};
    // In a list of alternatives, a code added to one of them ("W83.3 ... plus Z84.6 ...") applies with that
    // alternative only, and comes after it.
    if (listed && one_of_ && index > 0 && !alternative.empty() && !g->condition && g->any_of.size() == 1) {
      g->condition = Condition{"with " + alternative, "code=" + alternative};
    }
    if (index == 0 || alternative.empty()) alternative = m.system == CodeSystem::kOpcs4 ? m.pattern : "";
    last_group[m.system] = g - groups.data();
    last_ = m.system;
    first = false;
    if (listed && one_of_) one_of_fresh_ = false;
  }
  pending_ = Connector::kNone;
  if (note) SectionOf(c.mentions.empty() ? last_ : c.mentions.front().system).notes.push_back({c.text, {}});
  if (c.one_of || !c.lead_in_patterns.empty()) {
    one_of_ = one_of_fresh_ = true;
    lead_ins_ = LeadIns(c.lead_in_patterns);
    additional_list_ = c.additional;
  }
  Constraints(c);
}

void Assembler::NoCodes(const Clause& c) {
  const Lexicon& lx = GetLexicon();
  // A note, or a paragraph that goes on from one without a label of its own.
  if (c.kind == ClauseKind::kNote || (after_note_ && c.kind == ClauseKind::kProse && !c.one_of && !c.lead_in)) {
    EndList();
    SectionOf(last_).notes.push_back({c.text, {}});
    Constraints(c);
    after_note_ = true;
    return;
  }
  if (c.one_of || !c.lead_condition.empty()) {
    EndList();
    one_of_ = one_of_fresh_ = c.one_of;
    list_condition_ = c.lead_condition;
    additional_list_ = c.additional;
    return;
  }
  EndList();
  if (c.lead_in) return;        // "The OPCS-4 codes for ... are:" introduces the list that follows
  if (!c.exclusions.empty()) {  // "... is not coded in addition": a constraint, not how codes are assigned
    Constraints(c);
    return;
  }
  if (c.statement_like) {
    std::optional<CodeSystem> named;
    std::string lower = Lower(c.text);
    for (const SystemWords& sw : lx.system_words) {
      if (ContainsAny(lower, sw.words)) named = sw.system;
    }
    CodeSystem system = named.value_or(heading_.value_or(last_));
    Section& s = SectionOf(system);
    if (!s.statement) {
      s.statement = c.text;
      return;
    }
  }
  if (c.cannot_capture) {
    SectionOf(last_).notes.push_back({c.text, {}});
    return;
  }
  rec_->unparsed.push_back(Where(c));
}

void Assembler::Run(std::vector<Clause>& clauses) {
  FindLeadIns(&clauses);
  MergeBlocks(&clauses);
  const Lexicon& lx = GetLexicon();
  for (const Clause& c : clauses) {
    if (c.skip) continue;
    const bool after_note = after_note_;
    after_note_ = false;
    switch (c.kind) {
      case ClauseKind::kHeading:
        EndList();
        pending_ = Connector::kNone;
        if (c.heading && *c.heading != CodeSystem::kSnomedCt) {
          heading_ = c.heading;
          last_ = *c.heading;
          SectionOf(*c.heading);
        }
        break;
      case ClauseKind::kLabel: {
        EndList();
        Section& s = SectionOf(CodeSystem::kOpcs4);
        s.scenarios.push_back(Scenario{c.text, lx.ScenarioFactOf(c.text), {}});
        scenario_ = static_cast<int>(s.scenarios.size()) - 1;
        last_ = CodeSystem::kOpcs4;
        break;
      }
      case ClauseKind::kConnector: pending_ = c.connector; break;
      case ClauseKind::kIncludes: break;
      case ClauseKind::kPlaceholder: {
        EndList();
        Group g;
        g.placeholder = c.text;
        CodeSystem system = heading_.value_or(CodeSystem::kOpcs4);
        Target(system, false).push_back(std::move(g));
        pending_ = Connector::kNone;
        break;
      }
      case ClauseKind::kSnomed: break;  // read by the driver
      case ClauseKind::kCodes:
      case ClauseKind::kProse:
      case ClauseKind::kNote: {
        bool any = std::any_of(c.mentions.begin(), c.mentions.end(), [](const Mention& m) { return !m.excluded; });
        if (any || !c.lead_in_patterns.empty()) {
          Codes(c);
          after_note_ = c.kind == ClauseKind::kNote;
        } else {
          after_note_ = after_note;
          NoCodes(c);
        }
        break;
      }
    }
  }
  // A label with no codes after it gates nothing.
  for (Section& s : rec_->sections) {
    s.scenarios.erase(
        std::remove_if(s.scenarios.begin(), s.scenarios.end(), [](const Scenario& sc) { return sc.groups.empty(); }),
        s.scenarios.end());
  }
}

}  // namespace

void Assemble(std::vector<Clause> clauses, Recommendation* recommendation) { Assembler(recommendation).Run(clauses); }

}  // namespace clincode::guidance
