#include "coding_json.h"

#include <fmt/format.h>

#include "csv_field.h"
#include "findings_json.h"
#include "json_output.h"

namespace clincode::shapes {
namespace {

nlohmann::json ItemsJson(const std::vector<CodedItem>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) {
    auto role = ParseGroupRole(i.role);
    out.push_back({{"code", i.code},
                   {"title", i.title},
                   {"role", i.role},
                   {"role_label", role ? GroupRoleLabel(*role) : std::string_view(i.role)},
                   {"why", i.why},
                   {"evidence", i.evidence}});
  }
  return out;
}

// A fact a question asks for, with what a screen needs to ask it: {"key", "value" (the answer proposed, or
// null), "label", "kind", "values", "many"}.
nlohmann::json AskedFactJson(const std::string& fact) {
  const std::size_t eq = fact.find('=');
  const FactSpec spec = DescribeFact(fact.substr(0, eq));
  return {{"key", spec.key},
          {"value", eq == std::string::npos ? nlohmann::json(nullptr) : nlohmann::json(fact.substr(eq + 1))},
          {"label", spec.label},
          {"kind", FactValueKindName(spec.kind)},
          {"values", spec.values},
          {"many", spec.many}};
}

}  // namespace

nlohmann::json CodingResultJson(const CodingResult& r) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : r.findings) findings.push_back(FindingJson(f));
  nlohmann::json facts = nlohmann::json::array();
  for (const auto& f : r.facts.all()) {
    facts.push_back({{"key", f.key},
                     {"label", DescribeFact(f.key).label},
                     {"value", f.value},
                     {"evidence", f.evidence},
                     {"from", f.from_user ? "user" : "note"}});
  }
  bool cpt = r.system == CodeSystem::kCpt;
  nlohmann::json scenario = nullptr;
  if (r.scenario) scenario = {{"label", r.scenario->label}, {"why", r.scenario->why}, {"others", r.scenario->others}};
  nlohmann::json questions = nlohmann::json::array();
  for (const auto& q : r.questions) {
    nlohmann::json asked = nlohmann::json::array();
    for (const auto& f : q.facts) asked.push_back(AskedFactJson(f));
    questions.push_back({{"text", q.text}, {"facts", asked}});
  }
  nlohmann::json conditions = nlohmann::json::array();
  for (const auto& c : r.conditions) {
    conditions.push_back(
        {{"codes", c.codes}, {"condition", c.condition}, {"state", c.state}, {"evidence", c.evidence}});
  }
  return {{"guidance", r.guidance},
          {"guidance_title", r.guidance_title},
          {"found_by", r.found_by},
          {"from_library", r.from_library},
          {"system", CodeSystemName(r.system)},
          {"procedures", ItemsJson(r.procedures)},
          {"diagnoses", cpt ? nlohmann::json::array() : ItemsJson(r.diagnoses)},
          {"scenario", scenario},
          {"conditions", conditions},
          {"assumptions", r.assumptions},
          {"questions", questions},
          {"findings", findings},
          {"facts", facts}};
}

nlohmann::json MatchRowJson(const EpisodeMatches& e, const GuidanceMatch& m) {
  return {{"episode_id", e.episode_id},       {"line", e.line},
          {"guidance", m.recommendation->id}, {"level", MatchLevelName(m.level)},
          {"grade", MatchGradeName(m.grade)}, {"met", m.met},
          {"required", m.required},           {"missing", m.missing}};
}

nlohmann::json UnreadableRowJson(const EpisodeMatches& e) {
  return {{"episode_id", e.episode_id}, {"line", e.line}, {"unreadable", e.unreadable}};
}

nlohmann::json GuidanceListItemJson(const Recommendation& r) {
  std::string systems;
  for (const Section& s : r.sections) {
    systems += (systems.empty() ? "" : ", ") + std::string(CodeSystemName(s.classification));
  }
  return {{"id", r.id}, {"title", r.title}, {"systems", systems}, {"source", r.source}};
}

std::string MatchLines(const std::vector<EpisodeMatches>& batch, bool csv) {
  std::string buf;
  for (const auto& e : batch) {
    if (!e.unreadable.empty()) {
      buf += csv ? fmt::format("{},{},,unreadable,,,,{}", CsvField(e.episode_id), e.line, CsvField(e.unreadable))
                 : Dump(UnreadableRowJson(e));
      buf.push_back('\n');
    }
    for (const auto& m : e.matches) {
      if (csv) {
        std::string missing;
        for (const auto& g : m.missing) missing += (missing.empty() ? "" : "; ") + g;
        buf += fmt::format("{},{},{},{},{},{},{},{}", CsvField(e.episode_id), e.line, m.recommendation->id,
                           MatchLevelName(m.level), MatchGradeName(m.grade), m.met, m.required, CsvField(missing));
      } else {
        buf += Dump(MatchRowJson(e, m));
      }
      buf.push_back('\n');
    }
  }
  return buf;
}

}  // namespace clincode::shapes
