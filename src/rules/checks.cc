// The check vocabulary: generic checks, parameterised by each rule's data. No check knows a rule.
#include <fmt/format.h>

#include "classification/chapters.h"
#include "clincode/rules.h"

namespace clincode {
namespace {

// What a check sees of one episode list (procedures or diagnoses) against its release.
struct ListView {
  const Episode& episode;
  const std::vector<EpisodeCode>& codes;
  const Release* release;
  CodeSystem system;
  // The release entry of each code, looked up once per episode (null when absent): most checks need it,
  // and looking it up per rule made the lookups the largest cost of validating.
  std::vector<const CodeEntry*>& entries;

  void LookUp() {
    entries.assign(codes.size(), nullptr);
    if (release == nullptr) return;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (codes[i].code.empty()) continue;
      std::uint32_t id = release->Find(codes[i].code);
      if (id != Release::kNone) entries[i] = &release->at(id);
    }
  }
  const CodeEntry* Entry(std::size_t i) const { return entries[i]; }
  bool Matches(const CodePattern& p, std::size_t i) const { return !codes[i].code.empty() && p.Matches(codes[i].code); }
  // OPCS-4 groups: a body-system code and the subsidiary codes after it.
  std::pair<std::size_t, std::size_t> GroupOf(std::size_t i) const {
    auto subsidiary = [&](std::size_t k) { return chapters::IsOpcs4Subsidiary(codes[k].code); };
    std::size_t lo = i;
    while (lo > 0 && subsidiary(lo)) --lo;
    std::size_t hi = i + 1;
    while (hi < codes.size() && subsidiary(hi)) ++hi;
    return {lo, hi};
  }
  DaggerAsterisk Usage(std::size_t i) const {
    if (codes[i].mark != DaggerAsterisk::kNone) return codes[i].mark;
    const CodeEntry* e = Entry(i);
    return e == nullptr ? DaggerAsterisk::kNone : e->flags.usage;
  }
};

// Fills a message template: "{code}" and the other names of docs/rules.md.
std::string Fill(const std::string& tmpl, const ListView& v, const Rule& rule, std::size_t i) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  for (std::size_t k = 0; k < tmpl.size(); ++k) {
    if (tmpl[k] != '{') {
      out.push_back(tmpl[k]);
      continue;
    }
    std::size_t close = tmpl.find('}', k);
    if (close == std::string::npos) {
      out.append(tmpl.substr(k));
      break;
    }
    std::string_view name = std::string_view(tmpl).substr(k + 1, close - k - 1);
    const CodeEntry* e = v.Entry(i);
    if (name == "code")
      out += v.codes[i].written;
    else if (name == "canonical")
      out += v.codes[i].code;
    else if (name == "title")
      out += e != nullptr ? e->title : "";
    else if (name == "position")
      out += fmt::format("{}_{:02}", v.system == CodeSystem::kOpcs4 ? "OPERTN" : "DIAG", i + 1);
    else if (name == "next")
      out += i + 1 < v.codes.size() ? v.codes[i + 1].written : "nothing";
    else if (name == "partner")
      out += e != nullptr ? e->asterisk_partner : "";
    else if (name == "pattern")
      out += rule.pattern ? rule.pattern->ToString() : "";
    else if (name == "chapter")
      out.push_back(chapters::Opcs4EffectiveChapter(v.codes[i].code));
    else if (name == "sex")
      out += v.episode.sex == 1 ? "male" : v.episode.sex == 2 ? "female" : "not known";
    else if (name == "age")
      out += std::to_string(v.episode.age);
    else if (name == "min_age")
      out += e != nullptr ? std::to_string(e->flags.min_age) : "";
    else if (name == "max_age")
      out += e != nullptr ? std::to_string(e->flags.max_age) : "";
    else if (name == "release")
      out += v.release != nullptr ? v.release->Name() : "no release";
    else
      out.append(tmpl.substr(k, close - k + 1));
    k = close;
  }
  return out;
}

// Whether the check fails for code i.
bool Fails(const Rule& r, const ListView& v, std::size_t i) {
  const std::size_t n = v.codes.size();
  auto pattern_at = [&](std::size_t k) { return r.negate != v.Matches(*r.pattern, k); };
  switch (r.check) {
    case CheckKind::kWellFormed: return v.codes[i].code.empty();
    case CheckKind::kFullCode: {
      if (v.codes[i].code.size() != 3) return false;
      if (v.system == CodeSystem::kOpcs4) return true;
      const CodeEntry* e = v.Entry(i);
      return e != nullptr && !e->flags.undivided;
    }
    case CheckKind::kExists: return v.release != nullptr && v.Entry(i) == nullptr;
    case CheckKind::kNotRetired: {
      const CodeEntry* e = v.Entry(i);
      return e != nullptr && e->flags.retired;
    }
    case CheckKind::kNeverFirst: return i == 0;
    case CheckKind::kFollowsAny:
      for (std::size_t k = 0; k < i; ++k) {
        if (pattern_at(k)) return false;
      }
      return true;
    case CheckKind::kNextIs: return i + 1 >= n || !pattern_at(i + 1);
    case CheckKind::kNextIsNot: return i + 1 < n && pattern_at(i + 1);
    case CheckKind::kNotWithInGroup: {
      auto [lo, hi] = v.GroupOf(i);
      for (std::size_t k = i + 1; k < hi; ++k) {  // reported once, at the first of the two
        if (pattern_at(k)) return true;
      }
      (void)lo;
      return false;
    }
    case CheckKind::kRequiresInEpisode:
      for (std::size_t k = 0; k < n; ++k) {
        if (k != i && pattern_at(k)) return false;
      }
      return true;
    case CheckKind::kRequiresDagger:
      for (std::size_t k = 0; k < n; ++k) {
        if (k != i && v.Usage(k) == DaggerAsterisk::kDagger) return false;
      }
      return true;
    case CheckKind::kRequiresPartner: {
      const CodeEntry* e = v.Entry(i);
      if (e == nullptr || e->asterisk_partner.empty() || e->flags.usage_uk == 4) return false;
      const std::string& partner = e->asterisk_partner;
      for (std::size_t k = 0; k < n; ++k) {
        const std::string& c = v.codes[k].code;
        if (k != i && (c == partner || (partner.size() == 3 && c.compare(0, 3, partner) == 0))) return false;
      }
      return true;
    }
    case CheckKind::kSexMatches: {
      const CodeEntry* e = v.Entry(i);
      if (e == nullptr) return false;
      return (e->flags.sex == SexRestriction::kMaleOnly && v.episode.sex == 2) ||
             (e->flags.sex == SexRestriction::kFemaleOnly && v.episode.sex == 1);
    }
    case CheckKind::kGuidanceRequiredGroup:
    case CheckKind::kGuidanceOneAlternative:
    case CheckKind::kGuidanceDiagnosis: return false;  // run by the Validator, which has the guidance library
    case CheckKind::kAgeInRange: {
      const CodeEntry* e = v.Entry(i);
      if (e == nullptr || v.episode.age < 0) return false;
      return (e->flags.min_age != kNoAge && v.episode.age < e->flags.min_age) ||
             (e->flags.max_age != kNoAge && v.episode.age > e->flags.max_age);
    }
  }
  return false;
}

}  // namespace

void RuleSet::Check(const Episode& episode, const Releases& releases, std::vector<Finding>* out) const {
  thread_local std::vector<const CodeEntry*> procedure_entries, diagnosis_entries;
  ListView procedures{episode, episode.procedures, releases.opcs4, CodeSystem::kOpcs4, procedure_entries};
  ListView diagnoses{episode, episode.diagnoses, releases.icd10, CodeSystem::kIcd10, diagnosis_entries};
  procedures.LookUp();
  diagnoses.LookUp();
  for (const Rule& r : rules_) {
    if (r.check >= CheckKind::kGuidanceRequiredGroup) continue;
    const ListView* v = r.system == CodeSystem::kOpcs4   ? &procedures
                        : r.system == CodeSystem::kIcd10 ? &diagnoses
                                                         : nullptr;
    if (v == nullptr) continue;
    for (std::size_t i = 0; i < v->codes.size(); ++i) {
      // Only the well-formedness check looks at codes that are not codes; the others skip them.
      if (v->codes[i].code.empty() && r.check != CheckKind::kWellFormed) continue;
      if (r.applies_to && !v->Matches(*r.applies_to, i)) continue;
      if (r.except && v->Matches(*r.except, i)) continue;
      if (r.usage != DaggerAsterisk::kNone && v->Usage(i) != r.usage) continue;
      if (!Fails(r, *v, i)) continue;
      out->push_back({episode.id, episode.line, r.id, r.standard, r.severity,
                      fmt::format("{}_{:02}", r.system == CodeSystem::kOpcs4 ? "OPERTN" : "DIAG", i + 1),
                      v->codes[i].written, Fill(r.message, *v, r, i), Fill(r.fix, *v, r, i)});
    }
  }
}

}  // namespace clincode
