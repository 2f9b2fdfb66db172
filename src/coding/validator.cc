#include "clincode/validator.h"

#include <fmt/format.h>

#include <algorithm>

namespace clincode {
Validator::Validator(std::shared_ptr<const Catalog> catalog, std::shared_ptr<const RuleSet> rules,
                     std::shared_ptr<const GuidanceLibrary> guidance)
    : catalog_(std::move(catalog)), rules_(std::move(rules)), guidance_(std::move(guidance)) {
  one_opcs4_release_ = catalog_->ReleasesOf(CodeSystem::kOpcs4).size() <= 1;
  single_ = RuleSet::InForce(*catalog_, "");
  FindCoverage();
  if (guidance_) CompileGuidance();
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

}  // namespace clincode
