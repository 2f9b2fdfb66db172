// JSON of a finding (check --json, validate --out findings.jsonl).
#ifndef CLINCODE_APPS_SHARED_FINDINGS_JSON_H_
#define CLINCODE_APPS_SHARED_FINDINGS_JSON_H_

#include <nlohmann/json.hpp>

#include "clincode/rules.h"
#include "csv_field.h"

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

// The CSV columns of findings (validate --out x.csv, POST /v1/validate?format=csv) and one row, no newline.
inline constexpr const char* kFindingCsvHeader = "episode_id,rule_id,severity,position,code,message,fix";
inline std::string FindingCsv(const Finding& f) {
  return CsvField(f.episode_id) + "," + f.rule_id + "," + std::string(SeverityName(f.severity)) + "," + f.position +
         "," + CsvField(f.code) + "," + CsvField(f.message) + "," + CsvField(f.fix);
}

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_FINDINGS_JSON_H_
