// Curated recommendation files (YAML), as documented in docs/guidance.md.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

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
  if (n["scenarios"]) {
    if (!n["scenarios"].IsSequence()) FailAt(source, n["scenarios"], "\"scenarios\" must be a list");
    for (const auto& sc : n["scenarios"]) {
      Scenario scenario{Str(source, sc, "label"), Str(source, sc, "fact"), {}};
      if (scenario.label.empty()) FailAt(source, sc, "a scenario needs a \"label\"");
      for (const auto& g : sc["groups"]) scenario.groups.push_back(ReadGroup(source, s.classification, g));
      if (scenario.groups.empty()) FailAt(source, sc, "a scenario needs \"groups\"");
      s.scenarios.push_back(std::move(scenario));
    }
  }
  if (n["constraints"]) {
    for (const auto& c : n["constraints"]) {
      Constraint k{c.IsScalar() ? c.as<std::string>() : Str(source, c, "text"), {}};
      if (!c.IsScalar()) {
        for (const std::string& p : StrList(source, c, "codes")) {
          auto pattern = CodePattern::Parse(s.classification, p);
          if (!pattern.ok()) FailAt(source, c["codes"], pattern.status().message());
          k.codes.push_back(pattern->ToString());
        }
      }
      s.constraints.push_back(std::move(k));
    }
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

void WriteGroup(const Group& g, YAML::Emitter* out) {
  *out << YAML::BeginMap;
  if (!g.any_of.empty()) {
    *out << YAML::Key << "any_of" << YAML::Value << YAML::Flow << g.any_of;
    bool titled = std::any_of(g.titles.begin(), g.titles.end(), [](const std::string& t) { return !t.empty(); });
    if (titled) *out << YAML::Key << "titles" << YAML::Value << YAML::Flow << g.titles;
  } else {
    *out << YAML::Key << "placeholder" << YAML::Value << g.placeholder;
    if (!g.family.empty()) *out << YAML::Key << "family" << YAML::Value << g.family;
  }
  if (g.condition) {
    *out << YAML::Key << "condition" << YAML::Value << YAML::BeginMap << YAML::Key << "text" << YAML::Value
         << g.condition->text;
    if (!g.condition->fact.empty()) *out << YAML::Key << "fact" << YAML::Value << g.condition->fact;
    *out << YAML::EndMap;
  }
  if (!g.condition && !g.required) *out << YAML::Key << "required" << YAML::Value << false;
  if (g.role != GroupRole::kUnknown) *out << YAML::Key << "role" << YAML::Value << std::string(GroupRoleName(g.role));
  *out << YAML::EndMap;
}

void WriteGroups(const char* key, const std::vector<Group>& groups, YAML::Emitter* out) {
  if (groups.empty()) return;
  *out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const Group& g : groups) WriteGroup(g, out);
  *out << YAML::EndSeq;
}

}  // namespace

std::string WriteRecommendationYaml(const Recommendation& rec) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << rec.id;
  out << YAML::Key << "title" << YAML::Value << rec.title;
  if (!rec.source.empty()) out << YAML::Key << "source" << YAML::Value << rec.source;
  if (!rec.written_for.empty()) {
    out << YAML::Key << "written_for" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [k, v] : rec.written_for) out << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
    out << YAML::EndMap;
  }
  if (!rec.description.empty()) out << YAML::Key << "description" << YAML::Value << rec.description;
  if (!rec.related.empty()) out << YAML::Key << "related" << YAML::Value << YAML::Flow << rec.related;
  out << YAML::Key << "sections" << YAML::Value << YAML::BeginSeq;
  for (const Section& s : rec.sections) {
    out << YAML::BeginMap << YAML::Key << "classification" << YAML::Value
        << std::string(CodeSystemName(s.classification));
    WriteGroups("groups", s.groups, &out);
    if (!s.scenarios.empty()) {
      out << YAML::Key << "scenarios" << YAML::Value << YAML::BeginSeq;
      for (const Scenario& sc : s.scenarios) {
        out << YAML::BeginMap << YAML::Key << "label" << YAML::Value << sc.label;
        if (!sc.fact.empty()) out << YAML::Key << "fact" << YAML::Value << sc.fact;
        WriteGroups("groups", sc.groups, &out);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    if (s.statement) out << YAML::Key << "statement" << YAML::Value << *s.statement;
    if (!s.constraints.empty()) {
      out << YAML::Key << "constraints" << YAML::Value << YAML::BeginSeq;
      for (const Constraint& c : s.constraints) {
        out << YAML::BeginMap << YAML::Key << "text" << YAML::Value << c.text;
        if (!c.codes.empty()) out << YAML::Key << "codes" << YAML::Value << YAML::Flow << c.codes;
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    if (!s.notes.empty()) {
      out << YAML::Key << "notes" << YAML::Value << YAML::BeginSeq;
      for (const GuidanceNote& n : s.notes) {
        out << YAML::BeginMap << YAML::Key << "text" << YAML::Value << n.text;
        if (!n.standards.empty()) out << YAML::Key << "standards" << YAML::Value << YAML::Flow << n.standards;
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    if (!s.cpt_codes.empty()) {
      out << YAML::Key << "codes" << YAML::Value << YAML::BeginSeq;
      for (const CptCode& c : s.cpt_codes) {
        out << YAML::BeginMap << YAML::Key << "code" << YAML::Value << c.code << YAML::Key << "summary" << YAML::Value
            << c.summary;
        if (!c.components.empty()) out << YAML::Key << "components" << YAML::Value << YAML::Flow << c.components;
        if (!c.not_reported_with.empty())
          out << YAML::Key << "not_reported_with" << YAML::Value << YAML::Flow << c.not_reported_with;
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string("# Clinical coding recommendation ") + rec.id +
         ", read by clincode from its published text (format: docs/guidance.md).\n" + out.c_str() + "\n";
}

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
