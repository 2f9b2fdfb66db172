#include "audit_json.h"

#include "csv_field.h"
#include "json_output.h"

namespace clincode::shapes {

nlohmann::json AuditErrorJson(const AuditError& e) {
  if (!IsCodeError(e.kind)) {
    return {{"episode_id", e.episode_id},
            {"kind", AuditErrorKindName(e.kind)},
            {"file", e.file},
            {"line", e.line},
            {"detail", e.detail}};
  }
  auto side = [](const std::string& position, const std::string& code, const std::string& title) {
    return code.empty() ? nlohmann::json(nullptr)
                        : nlohmann::json{{"position", position}, {"code", code}, {"title", title}};
  };
  nlohmann::json j = {{"episode_id", e.episode_id},
                      {"type", AuditCodeTypeName(e.type)},
                      {"kind", AuditErrorKindName(e.kind)},
                      {"original", side(e.original_position, e.original_code, e.original_title)},
                      {"audited", side(e.audited_position, e.audited_code, e.audited_title)},
                      {"rule_id", e.rule_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.rule_id)},
                      {"standard", e.standard.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.standard)},
                      {"line", e.line},
                      {"audited_line", e.audited_line}};
  return j;
}

void AppendAuditErrorCsv(const AuditError& e, std::string* out) {
  const bool code = IsCodeError(e.kind);
  for (std::string_view field :
       {std::string_view(e.episode_id), code ? AuditCodeTypeName(e.type) : std::string_view(),
        AuditErrorKindName(e.kind), std::string_view(e.original_position), std::string_view(e.original_code),
        std::string_view(e.original_title), std::string_view(e.audited_position), std::string_view(e.audited_code),
        std::string_view(e.audited_title), std::string_view(e.rule_id), std::string_view(e.standard),
        std::string_view(e.file)}) {
    AppendCsvField(field, out);
    out->push_back(',');
  }
  out->append(std::to_string(e.line));
  out->push_back(',');
  if (code) out->append(std::to_string(e.audited_line));
  out->push_back(',');
  AppendCsvField(e.detail, out);
}

std::string AuditErrorLines(const std::vector<AuditError>& batch, bool csv) {
  std::string buf;
  buf.reserve(batch.size() * 160);
  for (const AuditError& e : batch) {
    if (csv)
      AppendAuditErrorCsv(e, &buf);
    else
      buf += Dump(AuditErrorJson(e));
    buf.push_back('\n');
  }
  return buf;
}

}  // namespace clincode::shapes
