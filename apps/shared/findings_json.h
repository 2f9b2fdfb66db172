// JSON of a finding (check --json, validate --out findings.jsonl).
#ifndef CLINCODE_APPS_SHARED_FINDINGS_JSON_H_
#define CLINCODE_APPS_SHARED_FINDINGS_JSON_H_

#include <nlohmann/json.hpp>

#include "clincode/rules.h"

namespace clincode::shapes {

// {"episode_id", "line", "rule_id", "standard", "severity", "position", "code", "message", "fix"}.
inline nlohmann::json FindingJson(const Finding& f) {
  return {{"episode_id", f.episode_id},
          {"line", f.line},
          {"rule_id", f.rule_id},
          {"standard", f.standard.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.standard)},
          {"severity", SeverityName(f.severity)},
          {"position", f.position},
          {"code", f.code},
          {"message", f.message},
          {"fix", f.fix}};
}

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_FINDINGS_JSON_H_
