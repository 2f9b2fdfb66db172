// Audit errors as the CLI writes them (audit --out x.csv or x.jsonl) and the server answers them.
#ifndef CLINCODE_APPS_SHARED_AUDIT_JSON_H_
#define CLINCODE_APPS_SHARED_AUDIT_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clincode/audit.h"

namespace clincode::shapes {

// The CSV columns of the errors file, in order.
inline constexpr const char* kAuditErrorCsvHeader =
    "episode_id,type,kind,original_position,original_code,original_title,audited_position,audited_code,"
    "audited_title,rule_id,standard,file,line,audited_line,detail";

// {"episode_id", "type", "kind", "original": {"position", "code", "title"}, "audited": {...}, "rule_id",
// "standard", "line", "audited_line"} for a code error; {"episode_id", "kind", "file", "line", "detail"} for a
// row that was not scored.
nlohmann::json AuditErrorJson(const AuditError& e);
void AppendAuditErrorCsv(const AuditError& e, std::string* out);
// A batch as CSV rows or JSON lines, each ending in a newline.
std::string AuditErrorLines(const std::vector<AuditError>& batch, bool csv);

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_AUDIT_JSON_H_
