// Checks of FHIR R4 resources against the shapes the specification gives (required elements, cardinality,
// value sets of codes), for the resources the terminology operations answer with. Each returns "" when the
// resource conforms, else what is wrong.
#ifndef CLINCODE_TESTS_SERVER_FHIR_SHAPES_H_
#define CLINCODE_TESTS_SERVER_FHIR_SHAPES_H_

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace clincode::testing {

// Parameters: parameter 0..*, each with a name and exactly one of value[x], resource or part (inv-1).
inline std::string CheckParameters(const nlohmann::json& r) {
  if (r.value("resourceType", "") != "Parameters") return "resourceType is not Parameters";
  if (!r.contains("parameter")) return "";
  if (!r["parameter"].is_array()) return "parameter is not an array";
  for (const auto& p : r["parameter"]) {
    if (!p.contains("name") || !p["name"].is_string()) return "a parameter has no name";
    int values = 0;
    for (const auto& [k, v] : p.items()) values += k.starts_with("value") || k == "resource" ? 1 : 0;
    bool has_part = p.contains("part");
    if (values + (has_part ? 1 : 0) != 1) return "parameter " + p["name"].get<std::string>() + " breaks inv-1";
    if (has_part) {
      std::string inner = CheckParameters({{"resourceType", "Parameters"}, {"parameter", p["part"]}});
      if (!inner.empty()) return inner;
    }
  }
  return "";
}

// OperationOutcome: issue 1..*, severity (fatal|error|warning|information) and code 1..1.
inline std::string CheckOperationOutcome(const nlohmann::json& r) {
  static const std::set<std::string> kSeverities = {"fatal", "error", "warning", "information"};
  if (r.value("resourceType", "") != "OperationOutcome") return "resourceType is not OperationOutcome";
  if (!r.contains("issue") || !r["issue"].is_array() || r["issue"].empty()) return "issue 1..* missing";
  for (const auto& i : r["issue"]) {
    if (!kSeverities.count(i.value("severity", ""))) return "issue.severity not in the value set";
    if (!i.contains("code") || !i["code"].is_string()) return "issue.code missing";
  }
  return "";
}

// ValueSet with an expansion: status 1..1; expansion.timestamp 1..1; contains entries with code/system.
inline std::string CheckExpandedValueSet(const nlohmann::json& r) {
  if (r.value("resourceType", "") != "ValueSet") return "resourceType is not ValueSet";
  if (!r.contains("status")) return "status 1..1 missing";
  if (!r.contains("expansion")) return "expansion missing";
  const auto& e = r["expansion"];
  if (!e.contains("timestamp") || !e["timestamp"].is_string()) return "expansion.timestamp 1..1 missing";
  if (e.contains("total") && !e["total"].is_number_integer()) return "expansion.total is not an integer";
  for (const auto& c : e.value("contains", nlohmann::json::array())) {
    if (!c.contains("code") || !c.contains("system")) return "a contains entry lacks code or system";
  }
  return "";
}

// CapabilityStatement: status, date, kind, fhirVersion, format 1..*.
inline std::string CheckCapabilityStatement(const nlohmann::json& r) {
  if (r.value("resourceType", "") != "CapabilityStatement") return "resourceType is not CapabilityStatement";
  for (const char* k : {"status", "date", "kind", "fhirVersion"}) {
    if (!r.contains(k)) return std::string(k) + " 1..1 missing";
  }
  if (!r.contains("format") || !r["format"].is_array() || r["format"].empty()) return "format 1..* missing";
  return "";
}

// TerminologyCapabilities: status, date, kind 1..1; codeSystem entries with a uri.
inline std::string CheckTerminologyCapabilities(const nlohmann::json& r) {
  if (r.value("resourceType", "") != "TerminologyCapabilities") return "resourceType is not TerminologyCapabilities";
  for (const char* k : {"status", "date", "kind"}) {
    if (!r.contains(k)) return std::string(k) + " 1..1 missing";
  }
  for (const auto& c : r.value("codeSystem", nlohmann::json::array())) {
    if (!c.contains("uri")) return "codeSystem.uri missing";
  }
  return "";
}

}  // namespace clincode::testing

#endif  // CLINCODE_TESTS_SERVER_FHIR_SHAPES_H_
