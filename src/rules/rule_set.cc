// Reading rule files and choosing the releases in force.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <filesystem>

#include "classification/embedded.h"
#include "clincode/rules.h"
#include "rules/message_template.h"
#include "util/file.h"
#include "util/text.h"
#include "util/yaml_error.h"

namespace clincode {

RuleSet::RuleSet() {
  static std::atomic<std::uint64_t> next{1};
  serial_ = next.fetch_add(1, std::memory_order_relaxed);
}
namespace {

constexpr std::pair<std::string_view, CheckKind> kChecks[] = {
    {"well_formed", CheckKind::kWellFormed},
    {"full_code", CheckKind::kFullCode},
    {"exists", CheckKind::kExists},
    {"not_retired", CheckKind::kNotRetired},
    {"never_first", CheckKind::kNeverFirst},
    {"follows_any", CheckKind::kFollowsAny},
    {"next_is", CheckKind::kNextIs},
    {"next_is_not", CheckKind::kNextIsNot},
    {"not_with_in_group", CheckKind::kNotWithInGroup},
    {"requires_in_episode", CheckKind::kRequiresInEpisode},
    {"requires_dagger", CheckKind::kRequiresDagger},
    {"requires_partner", CheckKind::kRequiresPartner},
    {"sex_matches", CheckKind::kSexMatches},
    {"age_in_range", CheckKind::kAgeInRange},
    {"not_repeated", CheckKind::kNotRepeated},
    {"field_valid", CheckKind::kFieldValid},
    {"guidance_required_group", CheckKind::kGuidanceRequiredGroup},
    {"guidance_one_alternative", CheckKind::kGuidanceOneAlternative},
    {"guidance_diagnosis", CheckKind::kGuidanceDiagnosis},
    {"guidance_conditional", CheckKind::kGuidanceConditional},
    {"guidance_forbidden", CheckKind::kGuidanceForbidden},
    {"guidance_possible_match", CheckKind::kGuidancePossibleMatch},
};

bool TakesPattern(CheckKind k) {
  return k == CheckKind::kFollowsAny || k == CheckKind::kNextIs || k == CheckKind::kNextIsNot ||
         k == CheckKind::kNotWithInGroup || k == CheckKind::kRequiresInEpisode;
}

CodePattern PatternAt(std::string_view source, CodeSystem system, const YAML::Node& node) {
  auto p = CodePattern::Parse(system, node.as<std::string>());
  if (!p.ok()) FailAt(source, node, p.status().message());
  return *p;
}

Rule Read(std::string_view yaml, std::string_view source) {
  YAML::Node n = YAML::Load(std::string(yaml));
  if (!n.IsMap()) FailAt(source, n, "a rule file is a YAML map");
  Rule r;
  r.source = std::string(source);
  auto str = [&](const char* key, bool required) {
    if (!n[key] || n[key].IsNull()) {
      if (required) FailAt(source, n, fmt::format("\"{}\" is required", key));
      return std::string();
    }
    return n[key].as<std::string>();
  };
  r.id = str("id", true);
  r.title = str("title", false);
  r.standard = str("standard", false);
  // A field rule looks at the episode, not at codes: its system is "episode".
  const std::string system_name = str("system", true);
  if (system_name == "episode") {
    // r.system keeps its default; RuleSet::Check runs field rules before it looks at a system.
    r.field = str("field", true);
    if (r.field != "SEX" && r.field != "STARTAGE" && r.field != "EPISTART")
      FailAt(source, n["field"], fmt::format("field must be SEX, STARTAGE or EPISTART, not \"{}\"", r.field));
  } else {
    auto system = ParseCodeSystem(system_name);
    if (!system.ok()) FailAt(source, n["system"], system.status().message());
    r.system = *system;
  }
  std::string severity = str("severity", true);
  if (severity == "error")
    r.severity = Severity::kError;
  else if (severity == "warning")
    r.severity = Severity::kWarning;
  else if (severity == "info")
    r.severity = Severity::kInfo;
  else
    FailAt(source, n["severity"], fmt::format("severity must be error, warning or info, not \"{}\"", severity));
  if (n["applies_to"]) r.applies_to = PatternAt(source, r.system, n["applies_to"]);
  if (n["except"]) r.except = PatternAt(source, r.system, n["except"]);
  std::string usage = str("applies_to_usage", false);
  if (usage == "asterisk")
    r.usage = DaggerAsterisk::kAsterisk;
  else if (usage == "dagger")
    r.usage = DaggerAsterisk::kDagger;
  else if (!usage.empty())
    FailAt(source, n["applies_to_usage"], "applies_to_usage must be dagger or asterisk");
  std::string check = str("check", true);
  auto it = std::find_if(std::begin(kChecks), std::end(kChecks), [&](const auto& c) { return c.first == check; });
  if (it == std::end(kChecks))
    FailAt(source, n["check"], fmt::format("unknown check \"{}\" (see docs/rules.md)", check));
  r.check = it->second;
  if ((r.check == CheckKind::kFieldValid) != (system_name == "episode"))
    FailAt(source, n["check"], "check field_valid goes with system: episode, and only it");
  if (TakesPattern(r.check)) {
    YAML::Node p = n["pattern"];
    if (!p) FailAt(source, n, fmt::format("check \"{}\" needs a pattern", check));
    if (p.IsMap() && p["not"]) {
      r.negate = true;
      r.pattern = PatternAt(source, r.system, p["not"]);
    } else {
      r.pattern = PatternAt(source, r.system, p);
    }
  }
  r.message = str("message", true);
  r.fix = str("fix", true);
  return r;
}

void Put(std::vector<Rule>* rules, Rule r) {
  for (Rule& have : *rules) {
    if (have.id == r.id) {
      have = std::move(r);
      return;
    }
  }
  rules->push_back(std::move(r));
}

struct InForceEntry {
  std::string version, from;
};

const std::vector<InForceEntry>& InForceTable() {
  static const std::vector<InForceEntry> table = [] {
    std::vector<InForceEntry> t;
    YAML::Node n = YAML::Load(std::string(embedded::Find("knowledge/rules/in_force.yaml")));
    for (const auto& e : n["opcs4"]) t.push_back({e["version"].as<std::string>(), e["from"].as<std::string>()});
    return t;
  }();
  return table;
}

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "error";
}

Result<Rule> RuleSet::ReadRule(std::string_view yaml, std::string_view source) {
  try {
    return Read(yaml, source);
  } catch (const YamlError& e) {
    return ParseError(e.message);
  } catch (const YAML::Exception& e) {
    return ParseError(fmt::format("{}:{}: {}", source, e.mark.line + 1, e.msg));
  }
}

Result<std::shared_ptr<const RuleSet>> RuleSet::Load(const RuleSetOptions& options) {
  std::shared_ptr<RuleSet> set(new RuleSet());
  if (options.builtin) {
    for (std::string_view name : embedded::Names()) {
      if (name.rfind("knowledge/rules/", 0) != 0 || name == "knowledge/rules/in_force.yaml") continue;
      auto r = ReadRule(embedded::Find(name), name);
      if (!r.ok()) return r.status();
      Put(&set->rules_, std::move(r).value());
    }
  }
  for (const std::string& dir : options.dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return IoError(fmt::format("rules folder {} does not exist", dir));
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      std::string p = e.path().string();
      if (e.is_regular_file() && (p.ends_with(".yaml") || p.ends_with(".yml"))) files.push_back(p);
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      auto content = file::ReadAll(f);
      if (!content.ok()) return content.status();
      auto r = ReadRule(*content, f);
      if (!r.ok()) return r.status();
      Put(&set->rules_, std::move(r).value());
    }
  }
  auto compiled = std::make_shared<rules::CompiledRules>();
  for (std::size_t i = 0; i < set->rules_.size(); ++i) {
    const Rule& r = set->rules_[i];
    compiled->messages.push_back(rules::ReadTemplate(r.message));
    compiled->fixes.push_back(rules::ReadTemplate(r.fix));
    if (i < 64 && (r.check == CheckKind::kFieldValid || (r.check == CheckKind::kWellFormed && !r.applies_to)))
      compiled->code_independent |= std::uint64_t{1} << i;
  }
  set->compiled_ = std::move(compiled);
  return std::shared_ptr<const RuleSet>(std::move(set));
}

const Rule* RuleSet::Find(std::string_view id) const {
  for (const Rule& r : rules_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

RuleSet::Releases RuleSet::InForce(const Catalog& catalog, std::string_view start_date) {
  Releases out;
  auto opcs = catalog.ReleasesOf(CodeSystem::kOpcs4);
  if (!opcs.empty()) out.opcs4 = opcs.front();
  if (!start_date.empty() && opcs.size() > 1) {
    std::string best_from;
    for (const auto& e : InForceTable()) {
      if (e.from > start_date || e.from < best_from) continue;
      for (const Release* r : opcs) {
        if (r->info().version == e.version) {
          out.opcs4 = r;
          best_from = e.from;
        }
      }
    }
  }
  auto icd = catalog.ReleasesOf(CodeSystem::kIcd10);
  if (!icd.empty()) out.icd10 = icd.front();
  return out;
}

}  // namespace clincode
