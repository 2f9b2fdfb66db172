// The check vocabulary: generic checks, parameterised by each rule's data. No check knows a rule.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <iterator>

#include "classification/chapters.h"
#include "clincode/detail/flat_index.h"
#include "clincode/rules.h"
#include "rules/message_template.h"

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

  // Which rules apply to each code (bit r: rule r's system, applies_to and except admit it).
  std::vector<std::uint64_t>& applies;
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

// Where a template is filled: code i of a list, or (list null) an episode's field holding `value`.
struct FillAt {
  const ListView* list = nullptr;
  std::size_t i = 0;
  const Rule& rule;
  std::string_view value;  // field rules: the value HES does not allow
};

void AppendValue(rules::TemplateName name, const FillAt& at, std::string* out) {
  using rules::TemplateName;
  if (name == TemplateName::kField) {
    *out += at.rule.field;
    return;
  }
  if (name == TemplateName::kValue) {
    *out += at.value;
    return;
  }
  if (at.list == nullptr) return;
  const ListView& v = *at.list;
  const std::size_t i = at.i;
  const CodeEntry* e = v.Entry(i);
  switch (name) {
    case TemplateName::kCode: *out += v.codes[i].written; break;
    case TemplateName::kCanonical: *out += v.codes[i].code; break;
    case TemplateName::kTitle: *out += e != nullptr ? std::string_view(e->title) : ""; break;
    case TemplateName::kPosition: *out += HesPosition(v.system, i); break;
    case TemplateName::kNext:
      *out += i + 1 < v.codes.size() ? std::string_view(v.codes[i + 1].written) : "nothing";
      break;
    case TemplateName::kPartner:
      if (e != nullptr) *out += fmt::format("{}", fmt::join(e->asterisk_partners, " or "));
      break;
    case TemplateName::kPattern: *out += at.rule.pattern ? at.rule.pattern->ToString() : ""; break;
    case TemplateName::kChapter: out->push_back(chapters::Opcs4EffectiveChapter(v.codes[i].code)); break;
    case TemplateName::kSex: *out += v.episode.sex == 1 ? "male" : v.episode.sex == 2 ? "female" : "not known"; break;
    case TemplateName::kAge: *out += std::to_string(v.episode.age); break;
    case TemplateName::kMinAge: *out += e != nullptr ? std::to_string(e->flags.min_age) : ""; break;
    case TemplateName::kMaxAge: *out += e != nullptr ? std::to_string(e->flags.max_age) : ""; break;
    case TemplateName::kFirst:
      for (std::size_t j = 0; j < i; ++j) {
        if (v.codes[j].code == v.codes[i].code) {
          *out += HesPosition(v.system, j);
          break;
        }
      }
      break;
    case TemplateName::kRelease: *out += v.release != nullptr ? v.release->Name() : "no release"; break;
    case TemplateName::kText:
    case TemplateName::kField:
    case TemplateName::kValue: break;
  }
}

// Fills a template read by rules::ReadTemplate. A value is never read as a template: a field holding
// "{value}" is shown as written.
std::string Fill(const rules::MessageTemplate& tmpl, const FillAt& at) {
  std::string out;
  out.reserve(96);
  for (const rules::TemplatePart& part : tmpl) {
    if (part.name == rules::TemplateName::kText)
      out += part.text;
    else
      AppendValue(part.name, at, &out);
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
    // Starter data is not a release: a code outside it is not checked (the validator says so once).
    case CheckKind::kExists: return v.release != nullptr && !v.release->info().builtin && v.Entry(i) == nullptr;
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
      if (e == nullptr || e->asterisk_partners.empty() || e->flags.usage_uk == 4) return false;
      // Any one partner will do; a partner category or code also stands for the codes below it (canonical
      // codes are prefixes of their subdivisions: G01 -> G01, M07.0 -> M07.00).
      for (std::size_t k = 0; k < n; ++k) {
        if (k == i) continue;
        const std::string& c = v.codes[k].code;
        for (const std::string& partner : e->asterisk_partners) {
          if (c.compare(0, partner.size(), partner) == 0) return false;
        }
      }
      return true;
    }
    case CheckKind::kSexMatches: {
      const CodeEntry* e = v.Entry(i);
      if (e == nullptr) return false;
      return (e->flags.sex == SexRestriction::kMaleOnly && v.episode.sex == 2) ||
             (e->flags.sex == SexRestriction::kFemaleOnly && v.episode.sex == 1);
    }
    case CheckKind::kNotRepeated:
      for (std::size_t k = 0; k < i; ++k) {
        if (v.codes[k].code == v.codes[i].code) return true;
      }
      return false;
    case CheckKind::kFieldValid: return false;  // an episode check, run apart
    case CheckKind::kGuidanceRequiredGroup:
    case CheckKind::kGuidanceOneAlternative:
    case CheckKind::kGuidanceDiagnosis:
    case CheckKind::kGuidanceConditional:
    case CheckKind::kGuidanceForbidden:
    case CheckKind::kGuidancePossibleMatch: return false;  // run by the Validator, which has the guidance library
    case CheckKind::kAgeInRange: {
      const CodeEntry* e = v.Entry(i);
      if (e == nullptr || v.episode.age < 0) return false;
      return (e->flags.min_age != kNoAge && v.episode.age < e->flags.min_age) ||
             (e->flags.max_age != kNoAge && v.episode.age > e->flags.max_age);
    }
  }
  return false;
}

// What the rules need to know of a code, computed once per distinct code and thread: its release entry and
// which rules apply to it. Episodes repeat codes heavily, so most codes are found here by one hash lookup
// instead of a release lookup and a pattern test per rule.
class CodeFactsCache {
 public:
  CodeFactsCache() { Clear(); }

  struct Facts {
    const CodeEntry* entry = nullptr;
    std::uint64_t applies = 0;
  };

  const Facts& Get(const RuleSet& set, const Release* release, CodeSystem system, const std::string& code) {
    // The facts belong to one rule set and one release per system: another one starts afresh. Owners are
    // told apart by serial number, never by address: a release loaded after another was freed can sit at
    // the same address, and its entries must not be confused with the old ones (which are gone).
    const std::vector<Rule>& rules = set.rules();
    std::uint64_t& owner = owner_release_[static_cast<int>(system)];
    const std::uint64_t serial = release == nullptr ? 0 : release->serial();
    if (owner_rules_ != set.serial() || (owner != kUnset && owner != serial) || facts_.size() > kMaxCodes) Clear();
    owner_rules_ = set.serial();
    owner = serial;
    key_.assign(1, static_cast<char>('0' + static_cast<int>(system)));
    key_ += code;
    auto key_of = [this](std::uint32_t i) { return Key(i); };
    std::uint32_t id = index_.Find(key_, key_of);
    if (id != detail::FlatIndex::kNone) return facts_[id];
    Facts f;
    if (release != nullptr) {
      std::uint32_t e = release->Find(code);
      if (e != Release::kNone) f.entry = &release->at(e);
    }
    for (std::size_t r = 0; r < rules.size() && r < 64; ++r) {
      const Rule& rule = rules[r];
      bool ok = rule.system == system && (!rule.applies_to || rule.applies_to->Matches(code)) &&
                (!rule.except || !rule.except->Matches(code));
      if (ok) f.applies |= std::uint64_t{1} << r;
    }
    id = static_cast<std::uint32_t>(facts_.size());
    starts_.push_back(static_cast<std::uint32_t>(arena_.size()));
    arena_ += key_;
    facts_.push_back(f);
    index_.Insert(Key(id), id, key_of);
    return facts_.back();
  }

 private:
  // Bounded so that a stream of distinct codes cannot grow it without limit.
  static constexpr std::size_t kMaxCodes = 1 << 17;
  std::string_view Key(std::uint32_t i) const {
    std::uint32_t end = i + 1 < starts_.size() ? starts_[i + 1] : static_cast<std::uint32_t>(arena_.size());
    return std::string_view(arena_).substr(starts_[i], end - starts_[i]);
  }
  void Clear() {
    index_.Clear();
    facts_.clear();
    starts_.clear();
    arena_.clear();
    std::fill(std::begin(owner_release_), std::end(owner_release_), kUnset);
  }

  // No release has this serial (a null release is 0): the facts of a system not yet asked about.
  static constexpr std::uint64_t kUnset = ~std::uint64_t{0};
  std::uint64_t owner_rules_ = 0;
  std::uint64_t owner_release_[kAllCodeSystems.size()];
  detail::FlatIndex index_;
  std::vector<Facts> facts_;
  std::vector<std::uint32_t> starts_;
  std::string arena_, key_;
};

void Describe(const RuleSet& rules, ListView* v, CodeFactsCache* cache) {
  v->entries.assign(v->codes.size(), nullptr);
  v->applies.assign(v->codes.size(), 0);
  for (std::size_t i = 0; i < v->codes.size(); ++i) {
    if (v->codes[i].code.empty()) continue;
    const auto& f = cache->Get(rules, v->release, v->system, v->codes[i].code);
    v->entries[i] = f.entry;
    v->applies[i] = f.applies;
  }
}

// A field rule: the value the reader kept because HES does not allow it.
void CheckField(const Rule& r, const rules::MessageTemplate& message, const rules::MessageTemplate& fix,
                const Episode& episode, std::vector<Finding>* out) {
  const std::string& value = r.field == "SEX"        ? episode.invalid_sex
                             : r.field == "STARTAGE" ? episode.invalid_age
                                                     : episode.invalid_start_date;
  if (value.empty()) return;
  const FillAt at{nullptr, 0, r, value};
  out->push_back(
      {episode.id, episode.line, r.id, r.standard, r.severity, r.field, value, Fill(message, at), Fill(fix, at)});
}

}  // namespace

void RuleSet::Check(const Episode& episode, const Releases& releases, std::vector<Finding>* out) const {
  thread_local std::vector<const CodeEntry*> procedure_entries, diagnosis_entries;
  thread_local std::vector<std::uint64_t> procedure_applies, diagnosis_applies;
  thread_local CodeFactsCache cache;
  ListView procedures{episode,           episode.procedures, releases.opcs4, CodeSystem::kOpcs4,
                      procedure_entries, procedure_applies};
  ListView diagnoses{episode,           episode.diagnoses, releases.icd10, CodeSystem::kIcd10,
                     diagnosis_entries, diagnosis_applies};
  Describe(*this, &procedures, &cache);
  Describe(*this, &diagnoses, &cache);
  auto check_rule = [&](std::size_t ri) {
    const Rule& r = rules_[ri];
    const bool cached = ri < 64;
    if (r.check >= CheckKind::kGuidanceRequiredGroup) return;
    if (r.check == CheckKind::kFieldValid) {
      CheckField(r, compiled_->messages[ri], compiled_->fixes[ri], episode, out);
      return;
    }
    const ListView* v = r.system == CodeSystem::kOpcs4   ? &procedures
                        : r.system == CodeSystem::kIcd10 ? &diagnoses
                                                         : nullptr;
    if (v == nullptr) return;
    for (std::size_t i = 0; i < v->codes.size(); ++i) {
      // Only the well-formedness check looks at codes that are not codes; the others skip them.
      if (v->codes[i].code.empty()) {
        if (r.check != CheckKind::kWellFormed || r.applies_to) continue;
      } else if (cached) {
        if (((v->applies[i] >> ri) & 1u) == 0) continue;
      } else {
        if (r.applies_to && !v->Matches(*r.applies_to, i)) continue;
        if (r.except && v->Matches(*r.except, i)) continue;
      }
      if (r.usage != DaggerAsterisk::kNone && v->Usage(i) != r.usage) continue;
      if (!Fails(r, *v, i)) continue;
      // Built in place: a findings-heavy file makes a million a second.
      const FillAt at{v, i, r, {}};
      Finding& f = out->emplace_back();
      f.episode_id = episode.id;
      f.line = episode.line;
      f.rule_id = r.id;
      f.standard = r.standard;
      f.severity = r.severity;
      f.position = HesPosition(r.system, i);
      f.code = v->codes[i].written;
      f.message = Fill(compiled_->messages[ri], at);
      f.fix = Fill(compiled_->fixes[ri], at);
    }
  };
  // Of the first 64 rules, only those some code admits (or that run whatever the codes) can find anything:
  // visiting their bits in order keeps the findings in rule order and skips most of the rules per episode.
  std::uint64_t candidates = compiled_->code_independent;
  for (std::uint64_t a : procedure_applies) candidates |= a;
  for (std::uint64_t a : diagnosis_applies) candidates |= a;
  for (std::uint64_t m = candidates; m != 0; m &= m - 1) check_rule(static_cast<std::size_t>(std::countr_zero(m)));
  for (std::size_t ri = 64; ri < rules_.size(); ++ri) check_rule(ri);
}

}  // namespace clincode
