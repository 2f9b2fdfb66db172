// What a recommendation leaves implicit, derived from the lexicon: roles, required, condition facts, the
// conditions national standards imply, and the standards each note states.
#include <cctype>

#include "clincode/guidance_reader.h"
#include "guidance/lexicon.h"

namespace clincode {
namespace {

void CompleteGroup(CodeSystem system, bool* seen_main, Group* g) {
  const guidance::Lexicon& lx = guidance::GetLexicon();
  const guidance::RoleRule* rule = nullptr;
  if (!g->any_of.empty()) rule = lx.RoleOf(system, g->any_of.front());
  // "In addition ..." marks a group additional, unless its code has a role of its own (Y68 is a method).
  if (g->role == GroupRole::kAdditional && rule != nullptr && g->placeholder.empty()) g->role = GroupRole::kUnknown;
  if (g->role == GroupRole::kUnknown) {
    if (system == CodeSystem::kIcd10 || system == CodeSystem::kIcd10Cm) {
      g->role = GroupRole::kDiagnosis;
    } else if (!g->placeholder.empty()) {
      const auto* p = lx.PlaceholderOf(g->placeholder);
      g->role = p != nullptr ? p->role : GroupRole::kUnknown;
      if (g->family.empty() && p != nullptr) g->family = p->family;
    } else if (rule != nullptr) {
      g->role = rule->role;
    } else {
      // A conditional code is never the main procedure ("U20.2 ... (when TOE is used)").
      g->role = *seen_main || g->condition ? GroupRole::kAdditional : GroupRole::kMain;
    }
  }
  if (g->role == GroupRole::kMain) *seen_main = true;
  std::string role_fact = rule != nullptr ? rule->fact : "";
  if (!g->condition && rule != nullptr && !rule->implies.empty()) g->condition = Condition{rule->implies, ""};
  if (g->condition && g->condition->fact.empty()) g->condition->fact = lx.FactOf(g->condition->text, role_fact);
  if (g->condition) g->required = false;
  if (!g->placeholder.empty()) {
    std::string lower;
    for (char c : g->placeholder) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    for (const auto& marker : lx.optional_markers) {
      if (lower.find(marker) != std::string::npos) g->required = false;
    }
    // "a code from Chapter 'K'": the family is the chapter named.
    if (g->family.empty()) {
      std::size_t at = lower.find("chapter ");
      const char letter = at == std::string::npos ? 0 : guidance::Lexicon::ChapterLetterAt(lower, at + 8);
      if (letter != 0) g->family = std::string("Chapter ") + letter;
    }
  }
  if (g->titles.size() < g->any_of.size()) g->titles.resize(g->any_of.size());
}

}  // namespace

void CompleteRecommendation(Recommendation* rec) {
  const guidance::Lexicon& lx = guidance::GetLexicon();
  for (Section& s : rec->sections) {
    bool seen_main = false;
    for (Group& g : s.groups) CompleteGroup(s.classification, &seen_main, &g);
    // Each scenario is a way of coding on its own: its first unmatched group is the main procedure unless
    // the section's own groups hold it.
    for (Scenario& sc : s.scenarios) {
      bool scenario_main = seen_main;
      for (Group& g : sc.groups) CompleteGroup(s.classification, &scenario_main, &g);
      if (sc.fact.empty()) sc.fact = lx.ScenarioFactOf(sc.label);
    }
    for (GuidanceNote& n : s.notes) {
      if (n.standards.empty()) n.standards = lx.StandardsOf(n.text);
    }
  }
}

}  // namespace clincode
