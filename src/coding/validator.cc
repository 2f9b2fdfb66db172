#include "clincode/validator.h"

#include <fmt/format.h>

#include "coding/group_patterns.h"

namespace clincode {
namespace {

using coding::AnyMatches;
using coding::CompilePatterns;

std::string Describe(const Group& g) {
  if (!g.placeholder.empty()) return g.placeholder;
  std::string out;
  for (std::size_t i = 0; i < g.any_of.size(); ++i) out += (i == 0 ? "" : " or ") + g.any_of[i];
  return out;
}

std::string Fill(std::string tmpl, const Recommendation& rec, const Group& g) {
  auto replace = [&](const std::string& key, const std::string& value) {
    for (std::size_t pos; (pos = tmpl.find(key)) != std::string::npos;) tmpl.replace(pos, key.size(), value);
  };
  replace("{guidance}", rec.id);
  replace("{guidance_title}", rec.title);
  replace("{group}", Describe(g));
  replace("{condition}", g.condition ? g.condition->text : "");
  return tmpl;
}

}  // namespace

Validator::Validator(std::shared_ptr<const Catalog> catalog, std::shared_ptr<const RuleSet> rules,
                     std::shared_ptr<const GuidanceLibrary> guidance)
    : catalog_(std::move(catalog)), rules_(std::move(rules)), guidance_(std::move(guidance)) {
  one_opcs4_release_ = catalog_->ReleasesOf(CodeSystem::kOpcs4).size() <= 1;
  single_ = RuleSet::InForce(*catalog_, "");
  if (!guidance_) return;
  for (const Recommendation& rec : guidance_->all()) {
    const Section* opcs = rec.SectionFor(CodeSystem::kOpcs4);
    if (opcs == nullptr || opcs->groups.empty() || opcs->groups.front().role != GroupRole::kMain) continue;
    CompiledRecommendation c{&rec, {}, {}};
    for (const Group& g : opcs->groups) {
      CompiledGroup cg{&g, CompilePatterns(CodeSystem::kOpcs4, g.any_of), std::nullopt};
      if (!g.family.empty()) {
        auto f = CodePattern::Parse(CodeSystem::kOpcs4, g.family);
        if (f.ok()) cg.family = *f;
      }
      c.procedure_groups.push_back(std::move(cg));
    }
    if (const Section* icd = rec.SectionFor(CodeSystem::kIcd10)) {
      for (const Group& g : icd->groups)
        c.diagnosis_groups.push_back({&g, CompilePatterns(CodeSystem::kIcd10, g.any_of), std::nullopt});
    }
    compiled_.push_back(std::move(c));
  }
}

void Validator::Check(const Episode& episode, std::vector<Finding>* out) const {
  rules_->Check(episode, one_opcs4_release_ ? single_ : RuleSet::InForce(*catalog_, episode.start_date), out);
  if (!compiled_.empty()) CheckGuidance(episode, out);
}

void Validator::CheckGuidance(const Episode& episode, std::vector<Finding>* out) const {
  // The rule of a kind that covers a group: a guidance rule's `applies_to` is tested against the group's first
  // pattern ("Y53.-" -> Y53), so one kind can have rules worded for particular codes; those come before a
  // general rule of the kind (one without applies_to).
  auto rule_for = [&](CheckKind kind, const CompiledGroup& g) -> const Rule* {
    const std::string probe = g.group->any_of.empty() ? std::string() : g.group->any_of.front().substr(0, 3);
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
  };
  auto emit = [&](const Rule* r, const Recommendation& rec, const Group& g, const std::string& position,
                  const std::string& code) {
    out->push_back({episode.id, episode.line, r->id, r->standard, r->severity, position, code, Fill(r->message, rec, g),
                    Fill(r->fix, rec, g)});
  };
  for (const CompiledRecommendation& c : compiled_) {
    const CompiledGroup& main = c.procedure_groups.front();
    if (!AnyMatches(main.any_of, episode.procedures)) continue;
    const Recommendation& rec = *c.recommendation;
    for (const CompiledGroup& g : c.procedure_groups) {
      const Rule* rule =
          rule_for(g.group->required ? CheckKind::kGuidanceRequiredGroup : CheckKind::kGuidanceConditional, g);
      if (rule != nullptr && &g != &main) {
        // `except` limits what stands for a placeholder's family; written codes count as written.
        bool present = g.any_of.empty() ? (g.family && AnyMatches({*g.family}, episode.procedures, rule->except))
                                        : AnyMatches(g.any_of, episode.procedures);
        if (!present) emit(rule, rec, *g.group, "", "");
      }
      const Rule* one = g.any_of.size() > 1 ? rule_for(CheckKind::kGuidanceOneAlternative, g) : nullptr;
      if (one != nullptr) {
        int coded = 0;
        for (const auto& p : g.any_of) coded += AnyMatches({p}, episode.procedures) ? 1 : 0;
        if (coded > 1) emit(one, rec, *g.group, "", "");
      }
    }
    for (const CompiledGroup& g : c.diagnosis_groups) {
      const Rule* diagnosis = rule_for(CheckKind::kGuidanceDiagnosis, g);
      if (diagnosis != nullptr && g.group->required && !AnyMatches(g.any_of, episode.diagnoses)) {
        emit(diagnosis, rec, *g.group, "", "");
      }
    }
  }
}

}  // namespace clincode
