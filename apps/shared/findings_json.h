// JSON of a finding (check --json, validate --out findings.jsonl).
#ifndef CLINCODE_APPS_SHARED_FINDINGS_JSON_H_
#define CLINCODE_APPS_SHARED_FINDINGS_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clincode/rules.h"
#include "csv_field.h"
#include "json_output.h"

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
// Appends one row, no newline, to `out`.
inline void AppendFindingCsv(const Finding& f, std::string* out) {
  AppendCsvField(f.episode_id, out);
  out->push_back(',');
  AppendCsvField(f.rule_id, out);  // a user rule's id may hold anything
  out->push_back(',');
  out->append(SeverityName(f.severity));
  out->push_back(',');
  AppendCsvField(f.position, out);
  out->push_back(',');
  AppendCsvField(f.code, out);
  out->push_back(',');
  AppendCsvField(f.message, out);
  out->push_back(',');
  AppendCsvField(f.fix, out);
}
inline std::string FindingCsv(const Finding& f) {
  std::string out;
  AppendFindingCsv(f, &out);
  return out;
}

// A batch of findings as CSV rows or JSON lines, each ending in a newline.
inline std::string FindingLines(const std::vector<Finding>& batch, bool csv) {
  std::string buf;
  buf.reserve(batch.size() * 160);  // a finding's row is 120 to 200 bytes
  for (const Finding& f : batch) {
    if (csv)
      AppendFindingCsv(f, &buf);
    else
      buf += Dump(FindingJson(f));
    buf.push_back('\n');
  }
  return buf;
}

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_FINDINGS_JSON_H_
