// The Validator's checks of the NICE recommendations in the library: an episode that holds a
// recommendation's main procedure is checked against the way of coding it meets best.
#include <fmt/format.h>

#include <algorithm>

#include "clincode/validator.h"
#include "coding/group_patterns.h"
#include "coding/match_grade.h"

namespace clincode {
namespace {

using coding::AnyMatches;
using coding::CompilePatterns;

// A group as findings name it: its codes, or a placeholder with the codes that would do ("Site code (a code
// of Chapter Z, not Z94)"), `except` being the codes the rule never counts for the family.
std::string Describe(const Group& g, const std::optional<CodePattern>& except = std::nullopt) {
  if (!g.placeholder.empty()) {
    std::string detail;
    if (!g.family.empty() && g.placeholder.find(g.family) == std::string::npos) detail = "a code of " + g.family;
    if (!g.family.empty() && except) detail += (detail.empty() ? "" : ", ") + std::string("not ") + except->ToString();
    return detail.empty() ? g.placeholder : g.placeholder + " (" + detail + ")";
  }
  std::string out;
  for (std::size_t i = 0; i < g.any_of.size(); ++i) out += (i == 0 ? "" : " or ") + g.any_of[i];
  return out;
}

std::string Fill(std::string tmpl, const Recommendation& rec, const Group& g, const Rule* rule = nullptr,
                 const std::string& why = "", const std::string& distinguishing = "") {
  auto replace = [&](const std::string& key, const std::string& value) {
    // Search on after what was put in: a title or a code may itself hold "{group}" (a user's library).
    for (std::size_t pos = tmpl.find(key); pos != std::string::npos; pos = tmpl.find(key, pos + value.size()))
      tmpl.replace(pos, key.size(), value);
  };
  replace("{guidance}", rec.id);
  replace("{guidance_title}", rec.title);
  replace("{group}", Describe(g, rule != nullptr ? rule->except : std::nullopt));
  replace("{condition}", g.condition ? g.condition->text : "");
  replace("{why}", why);
  replace("{distinguishing}", distinguishing.empty() ? "none" : distinguishing);
  return tmpl;
}

void Emit(const Episode& episode, const Rule& r, const Recommendation& rec, const Group& g, const std::string& position,
          const std::string& code, std::vector<Finding>* to) {
  to->push_back({episode.id, episode.line, r.id, r.standard, r.severity, position, code, Fill(r.message, rec, g, &r),
                 Fill(r.fix, rec, g, &r)});
}

// The categories a main code pattern may hold codes of, or false when it is a chapter or a range (any
// category): exact codes and categories match only codes that begin with their own category.
bool CategoriesOf(const CodePattern& p, std::vector<std::string>* out) {
  switch (p.kind()) {
    case CodePattern::Kind::kExact:
    case CodePattern::Kind::kCategory: out->push_back(p.ToString().substr(0, 3)); return true;
    case CodePattern::Kind::kUnion:
      for (const CodePattern& alt : p.alternatives()) {
        if (!CategoriesOf(alt, out)) return false;
      }
      return true;
    case CodePattern::Kind::kChapter:
    case CodePattern::Kind::kRange: return false;
  }
  return false;
}

}  // namespace

// The rule of a kind that covers a group: a guidance rule's `applies_to` is tested against the group's first
// pattern ("Y53.-" -> Y53), so one kind can have rules worded for particular codes; those come before a
// general rule of the kind (one without applies_to).
const Rule* Validator::GuidanceRule(CheckKind kind, const Group& group) const {
  const std::string probe = group.any_of.empty() ? std::string() : group.any_of.front().substr(0, 3);
  const Rule* general = nullptr;
  for (const Rule& r : rules_->rules()) {
    if (r.check != kind) continue;
    if (!r.applies_to) {
      if (general == nullptr) general = &r;
    } else if (!probe.empty() && r.applies_to->Matches(probe)) {
      return &r;
    }
  }
  return general;
}

Validator::CompiledGroup Validator::CompileGroup(const Group& g, CodeSystem system) const {
  CompiledGroup cg{&g, CompilePatterns(system, g.any_of), std::nullopt};
  if (!g.family.empty()) {
    auto f = CodePattern::Parse(system, g.family);
    if (f.ok()) cg.family = *f;
  }
  if (g.condition && g.condition->fact.rfind("code=", 0) == 0) {
    auto with = CodePattern::Parse(CodeSystem::kOpcs4, g.condition->fact.substr(5));
    if (with.ok())
      cg.with = *with;
    else
      cg.never = true;
  }
  if (system == CodeSystem::kOpcs4) {
    cg.required_rule = GuidanceRule(CheckKind::kGuidanceRequiredGroup, g);
    cg.conditional_rule = GuidanceRule(CheckKind::kGuidanceConditional, g);
    if (cg.any_of.size() > 1) cg.one_alternative_rule = GuidanceRule(CheckKind::kGuidanceOneAlternative, g);
  } else {
    cg.diagnosis_rule = GuidanceRule(CheckKind::kGuidanceDiagnosis, g);
  }
  return cg;
}

void Validator::CompileGuidance() {
  for (const Rule& r : rules_->rules()) {
    if (r.check == CheckKind::kGuidanceForbidden && forbidden_rule_ == nullptr) forbidden_rule_ = &r;
    if (r.check == CheckKind::kGuidancePossibleMatch && possible_rule_ == nullptr) possible_rule_ = &r;
  }
  auto compile = [&](const std::vector<const Group*>& groups, CodeSystem system) {
    std::vector<CompiledGroup> out;
    for (const Group* g : groups) out.push_back(CompileGroup(*g, system));
    return out;
  };
  for (const Recommendation& rec : guidance_->all()) {
    const Section* opcs = rec.SectionFor(CodeSystem::kOpcs4);
    if (opcs == nullptr) continue;
    for (const coding::WayOfCoding& way : coding::WaysOfCoding(*opcs)) {
      if (way.groups.empty() || way.groups.front()->role != GroupRole::kMain) continue;
      CompiledRecommendation c{&rec,
                               way.scenario,
                               std::make_shared<coding::MatchGrader>(rec, way.groups, *guidance_),
                               compile(way.groups, CodeSystem::kOpcs4),
                               {},
                               {}};
      if (const Section* icd = rec.SectionFor(CodeSystem::kIcd10)) {
        std::vector<const Group*> diagnoses;
        for (const Group& g : icd->groups) diagnoses.push_back(&g);
        c.diagnosis_groups = compile(diagnoses, CodeSystem::kIcd10);
      }
      for (const Section& s : rec.sections) {
        if (s.classification != CodeSystem::kOpcs4 && s.classification != CodeSystem::kIcd10) continue;
        for (const Constraint& k : s.constraints) {
          for (const std::string& code : k.codes) {
            auto p = CodePattern::Parse(s.classification, code);
            if (p.ok()) c.forbidden.push_back({&k, *p});
          }
        }
      }
      compiled_.push_back(std::move(c));
    }
  }
  IndexMainCodes();
}

void Validator::IndexMainCodes() {
  for (std::uint32_t w = 0; w < compiled_.size(); ++w) {
    std::vector<std::string> categories;
    bool narrow = true;
    for (const CodePattern& p : compiled_[w].procedure_groups.front().any_of)
      narrow = narrow && CategoriesOf(p, &categories);
    if (!narrow) {
      broad_ways_.push_back(w);
      continue;
    }
    for (const std::string& c : categories) {
      auto& ways = ways_by_category_[c];
      if (ways.empty() || ways.back() != w) ways.push_back(w);
    }
  }
}

// The ways whose main group the episode may hold, in compiled order (so a recommendation's ways stay
// together): a superset of those it holds, which FindingsOfWay's caller tests.
void Validator::CandidateWays(const Episode& episode, std::vector<std::uint32_t>* ways) const {
  ways->assign(broad_ways_.begin(), broad_ways_.end());
  for (const EpisodeCode& c : episode.procedures) {
    if (c.code.size() < 3) continue;
    auto it = ways_by_category_.find(c.code.substr(0, 3));
    if (it != ways_by_category_.end()) ways->insert(ways->end(), it->second.begin(), it->second.end());
  }
  std::sort(ways->begin(), ways->end());
  ways->erase(std::unique(ways->begin(), ways->end()), ways->end());
}

void Validator::CheckGuidance(const Episode& episode, std::vector<Finding>* out) const {
  thread_local std::vector<std::uint32_t> ways;
  CandidateWays(episode, &ways);
  for (std::size_t first = 0; first < ways.size();) {
    std::size_t end = first + 1;
    while (end < ways.size() && compiled_[ways[end]].recommendation == compiled_[ways[first]].recommendation) ++end;
    CheckRecommendation(episode, ways.data() + first, end - first, out);
    first = end;
  }
}

// The findings of one way of coding, for an episode that has its main procedure. `missing` gets the
// required groups not coded, as findings name them.
void Validator::FindingsOfWay(const Episode& episode, const CompiledRecommendation& c, std::vector<Finding>* found,
                              std::vector<std::string>* missing) const {
  const CompiledGroup& main = c.procedure_groups.front();
  const Recommendation& rec = *c.recommendation;
  for (const CompiledGroup& g : c.procedure_groups) {
    // A group that applies with another code ("code=W83.3") is required when that code is coded, and
    // does not apply otherwise.
    bool required = g.group->required;
    if (g.never || (g.with && !AnyMatches({*g.with}, episode.procedures))) continue;
    if (g.with) required = true;
    const Rule* rule = required ? g.required_rule : g.conditional_rule;
    if (rule != nullptr && &g != &main) {
      // `except` limits what stands for a placeholder's family; written codes count as written.
      bool present = g.any_of.empty() ? (g.family && AnyMatches({*g.family}, episode.procedures, rule->except))
                                      : AnyMatches(g.any_of, episode.procedures);
      if (!present) {
        Emit(episode, *rule, rec, *g.group, "", "", found);
        if (required) missing->push_back(Describe(*g.group, rule->except));
      }
    }
    if (g.one_alternative_rule != nullptr) {
      int coded = 0;
      for (const auto& p : g.any_of) coded += AnyMatches({p}, episode.procedures) ? 1 : 0;
      if (coded > 1) Emit(episode, *g.one_alternative_rule, rec, *g.group, "", "", found);
    }
  }
  for (const CompiledGroup& g : c.diagnosis_groups) {
    if (g.diagnosis_rule != nullptr && g.group->required && !AnyMatches(g.any_of, episode.diagnoses)) {
      Emit(episode, *g.diagnosis_rule, rec, *g.group, "", "", found);
      missing->push_back("ICD-10 " + Describe(*g.group));
    }
  }
}

// One recommendation, given the candidate ways of it. An episode meets a recommendation when it meets one
// of its ways: the way with the fewest findings among those whose main procedure it has is the one it is
// checked against.
void Validator::CheckRecommendation(const Episode& episode, const std::uint32_t* ways, std::size_t n,
                                    std::vector<Finding>* out) const {
  std::vector<Finding> best;
  std::vector<std::string> best_missing;
  const CompiledRecommendation* chosen = nullptr;
  for (std::size_t k = 0; k < n; ++k) {
    const CompiledRecommendation& c = compiled_[ways[k]];
    if (!AnyMatches(c.procedure_groups.front().any_of, episode.procedures)) continue;
    std::vector<Finding> found;
    std::vector<std::string> missing;
    FindingsOfWay(episode, c, &found, &missing);
    if (chosen == nullptr || found.size() < best.size()) {
      best = std::move(found), best_missing = std::move(missing), chosen = &c;
    }
  }
  if (chosen == nullptr) return;
  if (chosen->grader->Of(episode) == MatchGrade::kPossible) {
    // The main code alone does not say this is the procedure: one info saying what would, instead of
    // findings against a recommendation the episode may not be.
    if (best.empty() || possible_rule_ == nullptr || best_missing.empty()) return;
    Group missing;  // "Y02.1, Z33.2 and ICD-10 I50.9 or I50.0", as the templates' {group}
    for (std::size_t i = 0; i < best_missing.size(); ++i) {
      missing.placeholder += (i == 0 ? "" : i + 1 == best_missing.size() ? " and " : ", ") + best_missing[i];
    }
    const std::string why = chosen->grader->WhyNotSpecific(episode);
    const std::string& distinguishing = chosen->grader->distinguishing();
    const Rule& r = *possible_rule_;
    out->push_back({episode.id, episode.line, r.id, r.standard, r.severity, "", "",
                    Fill(r.message, *chosen->recommendation, missing, nullptr, why, distinguishing),
                    Fill(r.fix, *chosen->recommendation, missing, nullptr, why, distinguishing)});
    return;
  }
  // A guidance rule is never an error on the recommendation's own evidence: at most a warning.
  for (Finding& f : best) {
    if (f.severity == Severity::kError) f.severity = Severity::kWarning;
    out->push_back(std::move(f));
  }
  if (forbidden_rule_ == nullptr) return;
  for (const auto& [constraint, pattern] : chosen->forbidden) {
    const auto& codes = pattern.system() == CodeSystem::kOpcs4 ? episode.procedures : episode.diagnoses;
    for (std::size_t k = 0; k < codes.size(); ++k) {
      if (codes[k].code.empty() || !pattern.Matches(codes[k].code)) continue;
      Group shown;
      shown.any_of = {codes[k].written.empty() ? codes[k].code : codes[k].written};
      shown.condition = Condition{constraint->text, ""};
      const std::string position = HesPosition(pattern.system(), k);
      Emit(episode, *forbidden_rule_, *chosen->recommendation, shown, position, shown.any_of.front(), out);
      if (out->back().severity == Severity::kError) out->back().severity = Severity::kWarning;
    }
  }
}

}  // namespace clincode
