#include "guidance_json.h"

namespace clincode::shapes {
namespace {

nlohmann::json OrNull(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json GroupJson(const Group& g) {
  return {{"any_of", g.any_of},
          {"titles", g.titles},
          {"required", g.required},
          {"condition", g.condition ? nlohmann::json(g.condition->text) : nlohmann::json(nullptr)},
          {"fact", g.condition ? OrNull(g.condition->fact) : nlohmann::json(nullptr)},
          {"placeholder", OrNull(g.placeholder)},
          {"family", OrNull(g.family)},
          {"role", g.role == GroupRole::kUnknown ? nlohmann::json(nullptr) : nlohmann::json(GroupRoleName(g.role))}};
}

nlohmann::json SectionJson(const Section& s) {
  nlohmann::json groups = nlohmann::json::array(), notes = nlohmann::json::array(), standards = nlohmann::json::array(),
                 cpt = nlohmann::json::array();
  for (const Group& g : s.groups) groups.push_back(GroupJson(g));
  for (const GuidanceNote& n : s.notes) {
    notes.push_back(n.text);
    standards.push_back(n.standards);
  }
  for (const CptCode& c : s.cpt_codes) {
    cpt.push_back({{"code", c.code},
                   {"summary", c.summary},
                   {"components", c.components},
                   {"not_reported_with", c.not_reported_with}});
  }
  nlohmann::json scenarios = nlohmann::json::array(), constraints = nlohmann::json::array();
  for (const Scenario& sc : s.scenarios) {
    nlohmann::json sg = nlohmann::json::array();
    for (const Group& g : sc.groups) sg.push_back(GroupJson(g));
    scenarios.push_back({{"label", sc.label}, {"fact", OrNull(sc.fact)}, {"groups", sg}});
  }
  for (const Constraint& c : s.constraints) constraints.push_back({{"text", c.text}, {"codes", c.codes}});
  nlohmann::json j = {{"classification", CodeSystemName(s.classification)},
                      {"groups", groups},
                      {"scenarios", scenarios},
                      {"constraints", constraints},
                      {"notes", notes},
                      {"note_standards", standards},
                      {"statement", s.statement ? nlohmann::json(*s.statement) : nlohmann::json(nullptr)}};
  if (s.classification == CodeSystem::kCpt) j["cpt_codes"] = cpt;
  return j;
}

}  // namespace

nlohmann::json RecommendationJson(const Recommendation& rec) {
  nlohmann::json sections = nlohmann::json::array();
  for (const Section& s : rec.sections) sections.push_back(SectionJson(s));
  return {{"id", rec.id},
          {"title", rec.title},
          {"source", rec.source},
          {"written_for", rec.written_for},
          {"description", OrNull(rec.description)},
          {"related", rec.related},
          {"sections", sections},
          {"unparsed", rec.unparsed},
          {"warnings", rec.warnings}};
}

}  // namespace clincode::shapes
