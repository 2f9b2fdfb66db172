// Attainment profiles of the coding audit, read from knowledge/audit/*.yaml.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "classification/embedded.h"
#include "clincode/audit.h"
#include "util/yaml_error.h"

namespace clincode {
namespace {

std::string Text(const YAML::Node& y, const char* key, std::string_view source) {
  if (!y[key] || !y[key].IsScalar()) FailAt(source, y, fmt::format("`{}` is missing or not text", key));
  return y[key].as<std::string>();
}

AttainmentProfile ReadProfile(std::string_view yaml, std::string_view source) {
  YAML::Node y = YAML::Load(std::string(yaml));
  if (!y.IsMap()) throw YamlError{fmt::format("{}:1: expected a profile (id, title, source, levels)", source)};
  AttainmentProfile p;
  p.id = Text(y, "id", source);
  p.title = Text(y, "title", source);
  p.source = Text(y, "source", source);
  if (y["note"]) p.note = y["note"].as<std::string>();
  if (!y["levels"] || !y["levels"].IsSequence() || y["levels"].size() == 0)
    FailAt(source, y, "`levels` must list at least one level");
  for (const YAML::Node& l : y["levels"]) {
    AttainmentProfile::Level level;
    level.name = Text(l, "name", source);
    for (AuditCodeType t : kAuditCodeTypes) {
      const std::string key(AuditCodeTypeName(t));
      const YAML::Node v = l[key];
      double d = -1;
      if (!v || !YAML::convert<double>::decode(v, d) || !(d >= 0 && d <= 100))
        FailAt(source, l, fmt::format("`{}` of level {} must be a percentage (0 to 100)", key, level.name));
      level.threshold[static_cast<int>(t)] = d;
    }
    if (!p.levels.empty()) {
      for (std::size_t t = 0; t < 4; ++t) {
        if (level.threshold[t] < p.levels.back().threshold[t])
          FailAt(source, l, fmt::format("level {} asks less than the level before it", level.name));
      }
    }
    p.levels.push_back(std::move(level));
  }
  return p;
}

}  // namespace

std::string AttainmentProfile::LevelReached(AuditCodeType type, const AuditFigure& figure) const {
  std::string reached;
  for (const Level& l : levels) {
    if (figure.Meets(l.threshold[static_cast<int>(type)])) reached = l.name;
  }
  return reached;
}

std::string AttainmentProfile::LevelReachedByAll(const AuditFigures& f) const {
  std::string reached;
  for (const Level& l : levels) {
    bool all = true;
    for (AuditCodeType t : kAuditCodeTypes) all = all && f.of(t).Meets(l.threshold[static_cast<int>(t)]);
    if (all) reached = l.name;
  }
  return reached;
}

Result<std::vector<AttainmentProfile>> LoadAttainmentProfiles() {
  std::vector<AttainmentProfile> out;
  for (std::string_view name : embedded::Names()) {
    if (!name.starts_with("knowledge/audit/")) continue;
    try {
      out.push_back(ReadProfile(embedded::Find(name), name));
    } catch (const YamlError& e) {
      return ParseError(e.message);
    } catch (const YAML::Exception& e) {
      return ParseError(fmt::format("{}:{}: {}", name, e.mark.line + 1, e.msg));
    }
  }
  return out;
}

}  // namespace clincode
