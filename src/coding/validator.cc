#include "clincode/validator.h"

#include <fmt/format.h>

#include <algorithm>

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

}  // namespace

Validator::Validator(std::shared_ptr<const Catalog> catalog, std::shared_ptr<const RuleSet> rules,
                     std::shared_ptr<const GuidanceLibrary> guidance)
    : catalog_(std::move(catalog)), rules_(std::move(rules)), guidance_(std::move(guidance)) {
  one_opcs4_release_ = catalog_->ReleasesOf(CodeSystem::kOpcs4).size() <= 1;
  single_ = RuleSet::InForce(*catalog_, "");
  FindCoverage();
  if (!guidance_) return;
  auto compile = [](const std::vector<const Group*>& groups, CodeSystem system) {
    std::vector<CompiledGroup> out;
    for (const Group* g : groups) {
      CompiledGroup cg{g, CompilePatterns(system, g->any_of), std::nullopt};
      if (!g->family.empty()) {
        auto f = CodePattern::Parse(system, g->family);
        if (f.ok()) cg.family = *f;
      }
      out.push_back(std::move(cg));
    }
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
}

namespace {

// The release metadata rules need, as an edition has it or not.
struct Metadata {
  bool sex = false, age = false, usage = false, partners = false;
};

Metadata MetadataOf(const Release& release) {
  Metadata m;
  for (std::uint32_t i = 0; i < release.size(); ++i) {
    const CodeEntry& e = release.at(i);
    m.sex = m.sex || e.flags.sex != SexRestriction::kNone;
    m.age = m.age || e.flags.min_age != kNoAge || e.flags.max_age != kNoAge;
    m.usage = m.usage || e.flags.usage != DaggerAsterisk::kNone;
    m.partners = m.partners || !e.asterisk_partners.empty();
  }
  return m;
}

}  // namespace

void Validator::FindCoverage() {
  auto first = [&](CodeSystem system) -> const Release* {
    auto releases = catalog_->ReleasesOf(system);
    return releases.empty() ? nullptr : releases.front();
  };
  const Release* icd = first(CodeSystem::kIcd10);
  const Metadata icd_meta = icd != nullptr ? MetadataOf(*icd) : Metadata{};
  std::vector<std::string> lacking;  // what the ICD-10 edition lacks, for the notice
  std::vector<std::string> not_run;
  for (const Rule& r : rules_->rules()) {
    RuleCoverage c{&r, true, ""};
    const Release* release =
        r.system == CodeSystem::kOpcs4 || r.system == CodeSystem::kIcd10 ? first(r.system) : nullptr;
    auto lacks = [&](bool has, const std::string& what) {
      if (has || !c.runs) return;
      c.runs = false;
      c.why_not = fmt::format("{} has no {}", release != nullptr ? release->Name() : "no release", what);
      if (std::find(lacking.begin(), lacking.end(), what) == lacking.end()) lacking.push_back(what);
    };
    if (r.system == CodeSystem::kIcd10 && icd != nullptr && !icd->info().builtin) {
      if (r.check == CheckKind::kSexMatches) lacks(icd_meta.sex, "sex restrictions");
      if (r.check == CheckKind::kAgeInRange) lacks(icd_meta.age, "age limits");
      if (r.check == CheckKind::kRequiresDagger || r.usage != DaggerAsterisk::kNone)
        lacks(icd_meta.usage, "dagger and asterisk marks");
      if (r.check == CheckKind::kRequiresPartner) lacks(icd_meta.partners, "dagger and asterisk pairs");
    }
    if (r.check == CheckKind::kExists && release != nullptr && release->info().builtin) {
      c.runs = false;
      c.why_not = fmt::format("no {} release is loaded: codes outside the built-in starter data are not checked",
                              CodeSystemName(r.system));
    }
    if (!c.runs) not_run.push_back(r.id);
    coverage_.push_back(std::move(c));
  }
  for (CodeSystem system : {CodeSystem::kOpcs4, CodeSystem::kIcd10}) {
    const Release* release = first(system);
    if (release != nullptr && release->info().builtin) {
      notices_.push_back(fmt::format(
          "{}: no release loaded, only the built-in starter data; codes outside it are not checked: load a release "
          "(--release FILE)",
          CodeSystemName(system)));
    }
  }
  if (!lacking.empty()) {
    std::string what;
    for (std::size_t i = 0; i < lacking.size(); ++i)
      what += (i == 0 ? "" : i + 1 == lacking.size() ? " or " : ", ") + lacking[i];
    std::string ids;
    for (const auto& c : coverage_) {
      if (!c.runs && c.rule->system == CodeSystem::kIcd10 && c.rule->check != CheckKind::kExists)
        ids += (ids.empty() ? "" : ", ") + c.rule->id;
    }
    notices_.push_back(fmt::format("{} has no {}, so these rules cannot run: {} (load ICD-10 5th Edition for them)",
                                   icd->Name(), what, ids));
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
  auto emit = [&](std::vector<Finding>* to, const Rule* r, const Recommendation& rec, const Group& g,
                  const std::string& position, const std::string& code) {
    to->push_back({episode.id, episode.line, r->id, r->standard, r->severity, position, code,
                   Fill(r->message, rec, g, r), Fill(r->fix, rec, g, r)});
  };
  // The findings of one way of coding, for an episode that has its main procedure.
  // `missing` gets the required groups not coded, as findings name them.
  auto findings_of = [&](const CompiledRecommendation& c, std::vector<Finding>* found,
                         std::vector<std::string>* missing) {
    const CompiledGroup& main = c.procedure_groups.front();
    const Recommendation& rec = *c.recommendation;
    for (const CompiledGroup& g : c.procedure_groups) {
      // A group that applies with another code ("code=W83.3") is required when that code is coded, and
      // does not apply otherwise.
      bool required = g.group->required;
      if (g.group->condition && g.group->condition->fact.rfind("code=", 0) == 0) {
        auto with = CodePattern::Parse(CodeSystem::kOpcs4, g.group->condition->fact.substr(5));
        if (!with.ok() || !AnyMatches({*with}, episode.procedures)) continue;
        required = true;
      }
      const Rule* rule = rule_for(required ? CheckKind::kGuidanceRequiredGroup : CheckKind::kGuidanceConditional, g);
      if (rule != nullptr && &g != &main) {
        // `except` limits what stands for a placeholder's family; written codes count as written.
        bool present = g.any_of.empty() ? (g.family && AnyMatches({*g.family}, episode.procedures, rule->except))
                                        : AnyMatches(g.any_of, episode.procedures);
        if (!present) {
          emit(found, rule, rec, *g.group, "", "");
          if (required) missing->push_back(Describe(*g.group, rule->except));
        }
      }
      const Rule* one = g.any_of.size() > 1 ? rule_for(CheckKind::kGuidanceOneAlternative, g) : nullptr;
      if (one != nullptr) {
        int coded = 0;
        for (const auto& p : g.any_of) coded += AnyMatches({p}, episode.procedures) ? 1 : 0;
        if (coded > 1) emit(found, one, rec, *g.group, "", "");
      }
    }
    for (const CompiledGroup& g : c.diagnosis_groups) {
      const Rule* diagnosis = rule_for(CheckKind::kGuidanceDiagnosis, g);
      if (diagnosis != nullptr && g.group->required && !AnyMatches(g.any_of, episode.diagnoses)) {
        emit(found, diagnosis, rec, *g.group, "", "");
        missing->push_back("ICD-10 " + Describe(*g.group));
      }
    }
  };
  const Rule* forbidden_rule = nullptr;
  const Rule* possible_rule = nullptr;
  for (const Rule& r : rules_->rules()) {
    if (r.check == CheckKind::kGuidanceForbidden && forbidden_rule == nullptr) forbidden_rule = &r;
    if (r.check == CheckKind::kGuidancePossibleMatch && possible_rule == nullptr) possible_rule = &r;
  }
  for (std::size_t first = 0; first < compiled_.size();) {
    std::size_t end = first + 1;
    while (end < compiled_.size() && compiled_[end].recommendation == compiled_[first].recommendation) ++end;
    // An episode meets a recommendation when it meets one of its ways: the way with the fewest findings
    // among those whose main procedure it has is the one it is checked against.
    std::vector<Finding> best;
    std::vector<std::string> best_missing;
    const CompiledRecommendation* chosen = nullptr;
    for (std::size_t w = first; w < end; ++w) {
      const CompiledRecommendation& c = compiled_[w];
      if (!AnyMatches(c.procedure_groups.front().any_of, episode.procedures)) continue;
      std::vector<Finding> found;
      std::vector<std::string> missing;
      findings_of(c, &found, &missing);
      if (chosen == nullptr || found.size() < best.size()) {
        best = std::move(found), best_missing = std::move(missing), chosen = &c;
      }
    }
    const MatchGrade grade = chosen != nullptr ? chosen->grader->Of(episode) : MatchGrade::kCertain;
    if (chosen != nullptr && !best.empty()) {
      if (grade == MatchGrade::kPossible) {
        // The main code alone does not say this is the procedure: one info saying what would, instead
        // of findings against a recommendation the episode may not be.
        if (possible_rule != nullptr && !best_missing.empty()) {
          Group missing;  // "Y02.1, Z33.2 and ICD-10 I50.9 or I50.0", as the templates' {group}
          for (std::size_t i = 0; i < best_missing.size(); ++i) {
            missing.placeholder += (i == 0 ? "" : i + 1 == best_missing.size() ? " and " : ", ") + best_missing[i];
          }
          const std::string why = chosen->grader->WhyNotSpecific(episode);
          const std::string& distinguishing = chosen->grader->distinguishing();
          out->push_back({episode.id, episode.line, possible_rule->id, possible_rule->standard, possible_rule->severity,
                          "", "",
                          Fill(possible_rule->message, *chosen->recommendation, missing, nullptr, why, distinguishing),
                          Fill(possible_rule->fix, *chosen->recommendation, missing, nullptr, why, distinguishing)});
        }
        first = end;
        continue;
      }
      // A guidance rule is never an error on the recommendation's own evidence: at most a warning.
      for (Finding& f : best) {
        if (f.severity == Severity::kError) f.severity = Severity::kWarning;
        out->push_back(std::move(f));
      }
    }
    if (chosen != nullptr && grade != MatchGrade::kPossible) {
      if (forbidden_rule != nullptr) {
        for (const auto& [constraint, pattern] : chosen->forbidden) {
          const auto& codes = pattern.system() == CodeSystem::kOpcs4 ? episode.procedures : episode.diagnoses;
          for (std::size_t k = 0; k < codes.size(); ++k) {
            if (codes[k].code.empty() || !pattern.Matches(codes[k].code)) continue;
            Group shown;
            shown.any_of = {codes[k].written.empty() ? codes[k].code : codes[k].written};
            shown.condition = Condition{constraint->text, ""};
            std::string position =
                fmt::format("{}_{:02}", pattern.system() == CodeSystem::kOpcs4 ? "OPERTN" : "DIAG", k + 1);
            emit(out, forbidden_rule, *chosen->recommendation, shown, position, shown.any_of.front());
            if (out->back().severity == Severity::kError) out->back().severity = Severity::kWarning;
          }
        }
      }
    }
    first = end;
  }
}

}  // namespace clincode
