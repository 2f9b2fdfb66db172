#include <fmt/format.h>

#include "clincode/guidance.h"

namespace clincode {
namespace {

constexpr std::pair<GroupRole, std::string_view> kRoleNames[] = {
    {GroupRole::kUnknown, "unknown"},
    {GroupRole::kMain, "main"},
    {GroupRole::kLevelsOfSpine, "levels_of_spine"},
    {GroupRole::kMethod, "method"},
    {GroupRole::kDevice, "device"},
    {GroupRole::kSite, "site"},
    {GroupRole::kLaterality, "laterality"},
    {GroupRole::kDiagnosis, "diagnosis"},
    {GroupRole::kAdditional, "additional"},
};

std::string ConditionText(const std::optional<Condition>& c) {
  return c ? fmt::format("\"{}\" ({})", c->text, c->fact) : "none";
}

bool SameGroup(const Group& a, const Group& b, std::string* why) {
  if (a.any_of != b.any_of)
    *why = fmt::format("any_of {} vs {}", fmt::join(a.any_of, ","), fmt::join(b.any_of, ","));
  else if (a.placeholder != b.placeholder)
    *why = fmt::format("placeholder \"{}\" vs \"{}\"", a.placeholder, b.placeholder);
  else if (a.family != b.family)
    *why = fmt::format("family \"{}\" vs \"{}\"", a.family, b.family);
  else if (a.required != b.required)
    *why = fmt::format("required {} vs {}", a.required, b.required);
  else if (a.condition != b.condition)
    *why = "condition " + ConditionText(a.condition) + " vs " + ConditionText(b.condition);
  else if (a.role != b.role)
    *why = fmt::format("role {} vs {}", GroupRoleName(a.role), GroupRoleName(b.role));
  else
    return true;
  return false;
}

bool SameGroups(const std::vector<Group>& a, const std::vector<Group>& b, std::string* why) {
  if (a.size() != b.size()) {
    *why = fmt::format("{} groups vs {}", a.size(), b.size());
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!SameGroup(a[i], b[i], why)) {
      *why = fmt::format("group {}: {}", i + 1, *why);
      return false;
    }
  }
  return true;
}

bool SameSection(const Section& a, const Section& b, std::string* why) {
  if (!SameGroups(a.groups, b.groups, why)) return false;
  if (a.scenarios.size() != b.scenarios.size()) {
    *why = fmt::format("{} scenarios vs {}", a.scenarios.size(), b.scenarios.size());
    return false;
  }
  for (std::size_t i = 0; i < a.scenarios.size(); ++i) {
    const Scenario& x = a.scenarios[i];
    const Scenario& y = b.scenarios[i];
    if (x.label != y.label || x.fact != y.fact) {
      *why = fmt::format("scenario {}: \"{}\" ({}) vs \"{}\" ({})", i + 1, x.label, x.fact, y.label, y.fact);
      return false;
    }
    if (!SameGroups(x.groups, y.groups, why)) {
      *why = fmt::format("scenario \"{}\": {}", x.label, *why);
      return false;
    }
  }
  if (a.constraints != b.constraints) {
    *why = fmt::format("{} constraints vs {}", a.constraints.size(), b.constraints.size());
    return false;
  }
  if (a.notes.size() != b.notes.size()) {
    *why = fmt::format("{} notes vs {}", a.notes.size(), b.notes.size());
    return false;
  }
  for (std::size_t i = 0; i < a.notes.size(); ++i) {
    if (a.notes[i].text != b.notes[i].text || a.notes[i].standards != b.notes[i].standards) {
      *why = fmt::format("note {}: \"{}\" vs \"{}\"", i + 1, a.notes[i].text, b.notes[i].text);
      return false;
    }
  }
  if (a.statement != b.statement) {
    *why = fmt::format("statement \"{}\" vs \"{}\"", a.statement.value_or(""), b.statement.value_or(""));
    return false;
  }
  if (a.cpt_codes.size() != b.cpt_codes.size()) {
    *why = fmt::format("{} CPT codes vs {}", a.cpt_codes.size(), b.cpt_codes.size());
    return false;
  }
  for (std::size_t i = 0; i < a.cpt_codes.size(); ++i) {
    const CptCode& x = a.cpt_codes[i];
    const CptCode& y = b.cpt_codes[i];
    if (x.code != y.code || x.summary != y.summary || x.components != y.components ||
        x.not_reported_with != y.not_reported_with) {
      *why = fmt::format("CPT code {} vs {}", x.code, y.code);
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view GroupRoleName(GroupRole role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::string_view GroupRoleLabel(GroupRole role) {
  switch (role) {
    case GroupRole::kMain: return "Main procedure";
    case GroupRole::kLevelsOfSpine: return "Levels of spine";
    case GroupRole::kMethod: return "Method";
    case GroupRole::kDevice: return "Device";
    case GroupRole::kSite: return "Site";
    case GroupRole::kLaterality: return "Laterality";
    case GroupRole::kDiagnosis: return "Diagnosis";
    case GroupRole::kAdditional: return "Additional procedure";
    case GroupRole::kUnknown: break;
  }
  return "Other code";
}

std::optional<GroupRole> ParseGroupRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

const Section* Recommendation::SectionFor(CodeSystem system) const {
  for (const Section& s : sections) {
    if (s.classification == system) return &s;
  }
  return nullptr;
}

bool SameStructure(const Recommendation& a, const Recommendation& b, std::string* difference) {
  std::string why;
  if (a.id != b.id)
    why = fmt::format("id {} vs {}", a.id, b.id);
  else if (a.title != b.title)
    why = fmt::format("title \"{}\" vs \"{}\"", a.title, b.title);
  else if (a.description != b.description)
    why = "description differs";
  else if (a.sections.size() != b.sections.size())
    why = fmt::format("{} sections vs {}", a.sections.size(), b.sections.size());
  for (std::size_t i = 0; why.empty() && i < a.sections.size(); ++i) {
    if (a.sections[i].classification != b.sections[i].classification) {
      why = fmt::format("section {} classification differs", i + 1);
    } else if (!SameSection(a.sections[i], b.sections[i], &why)) {
      why = fmt::format("{} section: {}", CodeSystemName(a.sections[i].classification), why);
    }
  }
  if (difference != nullptr) *difference = why;
  return why.empty();
}

}  // namespace clincode
