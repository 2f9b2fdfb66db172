// Curated recommendation files (YAML), as documented in docs/guidance.md.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "clincode/code_pattern.h"
#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "util/yaml_error.h"

namespace clincode {
namespace {

std::string Str(std::string_view source, const YAML::Node& node, const char* key) {
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (!v.IsScalar()) FailAt(source, v, fmt::format("\"{}\" must be text", key));
  return v.as<std::string>();
}

std::vector<std::string> StrList(std::string_view source, const YAML::Node& node, const char* key) {
  std::vector<std::string> out;
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return out;
  if (!v.IsSequence()) FailAt(source, v, fmt::format("\"{}\" must be a list", key));
  for (const auto& item : v) out.push_back(item.as<std::string>());
  return out;
}

Group ReadGroup(std::string_view source, CodeSystem system, const YAML::Node& n) {
  Group g;
  for (const std::string& p : StrList(source, n, "any_of")) {
    auto pattern = CodePattern::Parse(system, p);
    if (!pattern.ok()) FailAt(source, n["any_of"], pattern.status().message());
    g.any_of.push_back(pattern->ToString());
  }
  g.titles = StrList(source, n, "titles");
  if (!g.titles.empty() && g.titles.size() != g.any_of.size()) FailAt(source, n["titles"], "titles must match any_of");
  g.placeholder = Str(source, n, "placeholder");
  g.family = Str(source, n, "family");
  if (g.any_of.empty() == g.placeholder.empty()) FailAt(source, n, "a group needs any_of or a placeholder (not both)");
  if (n["condition"]) {
    const YAML::Node c = n["condition"];
    g.condition = Condition{c.IsScalar() ? c.as<std::string>() : Str(source, c, "text"),
                            c.IsScalar() ? std::string() : Str(source, c, "fact")};
  }
  if (n["required"]) g.required = n["required"].as<bool>();
  std::string role = Str(source, n, "role");
  if (!role.empty()) {
    auto r = ParseGroupRole(role);
    if (!r) FailAt(source, n["role"], fmt::format("unknown role \"{}\"", role));
    g.role = *r;
  }
  return g;
}

Section ReadSection(std::string_view source, const YAML::Node& n) {
  auto system = ParseCodeSystem(Str(source, n, "classification"));
  if (!system.ok()) FailAt(source, n, system.status().message());
  Section s;
  s.classification = *system;
  if (n["groups"]) {
    for (const auto& g : n["groups"]) s.groups.push_back(ReadGroup(source, s.classification, g));
  }
  if (n["notes"]) {
    for (const auto& note : n["notes"]) {
      if (note.IsScalar())
        s.notes.push_back({note.as<std::string>(), {}});
      else
        s.notes.push_back({Str(source, note, "text"), StrList(source, note, "standards")});
    }
  }
  std::string statement = Str(source, n, "statement");
  if (!statement.empty()) s.statement = statement;
  if (n["codes"]) {
    for (const auto& c : n["codes"]) {
      s.cpt_codes.push_back({Str(source, c, "code"), Str(source, c, "summary"), StrList(source, c, "components"),
                             StrList(source, c, "not_reported_with")});
    }
  }
  return s;
}

}  // namespace

Result<Recommendation> ReadRecommendationYaml(std::string_view yaml, std::string_view source) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) return ParseError(fmt::format("{}:1: a recommendation file is a YAML map", source));
    Recommendation rec;
    rec.id = Str(source, root, "id");
    if (rec.id.empty()) FailAt(source, root, "\"id\" is required");
    rec.title = Str(source, root, "title");
    rec.source = Str(source, root, "source");
    if (rec.source.empty()) rec.source = std::string(source);
    rec.description = Str(source, root, "description");
    while (!rec.description.empty() && rec.description.back() == '\n') rec.description.pop_back();
    rec.related = StrList(source, root, "related");
    if (root["written_for"]) {
      for (const auto& kv : root["written_for"])
        rec.written_for[kv.first.as<std::string>()] = kv.second.as<std::string>();
    }
    if (!root["sections"] || !root["sections"].IsSequence()) FailAt(source, root, "\"sections\" must be a list");
    for (const auto& s : root["sections"]) rec.sections.push_back(ReadSection(source, s));
    CompleteRecommendation(&rec);
    return rec;
  } catch (const YamlError& e) {
    return ParseError(e.message);
  } catch (const YAML::Exception& e) {
    return ParseError(fmt::format("{}:{}: {}", source, e.mark.line + 1, e.msg));
  }
}

}  // namespace clincode
