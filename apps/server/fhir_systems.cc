#include "fhir_systems.h"

#include <algorithm>

#include "json_output.h"

namespace clincode::server {
namespace {

struct SystemName {
  std::string_view uri;
  CodeSystem system;
  int edition;  // for ICD-10: 1 UK, 2 WHO; 0 any
};

// Canonical URIs first, then aliases met in the NHS, then clincode's own short names.
constexpr SystemName kNames[] = {
    {kUriOpcs4, CodeSystem::kOpcs4, 0},
    {kUriIcd10Uk, CodeSystem::kIcd10, 1},
    {kUriIcd10, CodeSystem::kIcd10, 2},
    {kUriIcd10Cm, CodeSystem::kIcd10Cm, 0},
    {kUriCpt, CodeSystem::kCpt, 0},
    {kUriSnomedCt, CodeSystem::kSnomedCt, 0},
    {"https://fhir.nhs.uk/Id/opcs-4", CodeSystem::kOpcs4, 0},
    {"opcs4", CodeSystem::kOpcs4, 0},
    {"icd10", CodeSystem::kIcd10, 0},
    {"icd10cm", CodeSystem::kIcd10Cm, 0},
    {"cpt", CodeSystem::kCpt, 0},
};

bool IsWho(const Release& release) { return release.info().edition.find("WHO") != std::string::npos; }

// p[key] as text; "" when absent or not a primitive. (find, not a const operator[]: that is undefined
// for a missing key, and a client decides which keys are there.)
std::string ValueAsString(const nlohmann::json& p, const std::string& key) {
  auto it = p.find(key);
  if (it == p.end()) return {};
  const nlohmann::json& v = *it;
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return shapes::Dump(v);
  return {};
}

}  // namespace

std::string CanonicalUri(const Release& release) {
  switch (release.system()) {
    case CodeSystem::kOpcs4: return kUriOpcs4;
    case CodeSystem::kIcd10: return IsWho(release) ? kUriIcd10 : kUriIcd10Uk;
    case CodeSystem::kIcd10Cm: return kUriIcd10Cm;
    case CodeSystem::kCpt: return kUriCpt;
    case CodeSystem::kSnomedCt: return kUriSnomedCt;
  }
  return {};
}

std::string FhirVersion(const Release& release) {
  return release.info().version.empty() ? release.info().edition : release.info().version;
}

bool KnownSystemUri(std::string_view uri) {
  return std::any_of(std::begin(kNames), std::end(kNames), [&](const SystemName& n) { return n.uri == uri; });
}

std::vector<const Release*> ReleasesFor(const Catalog& catalog, std::string_view uri, std::string_view version) {
  std::vector<const Release*> out;
  for (const SystemName& n : kNames) {
    if (n.uri != uri) continue;
    for (const auto& r : catalog.releases()) {
      if (r->system() != n.system) continue;
      if (n.edition == 1 && IsWho(*r)) continue;
      if (n.edition == 2 && !IsWho(*r)) continue;
      if (!version.empty() && FhirVersion(*r) != version && r->info().edition != version) continue;
      out.push_back(r.get());
    }
    break;
  }
  return out;
}

Result<FhirParams> FhirParams::Read(const ApiRequest& request) {
  FhirParams out;
  for (const auto& [k, v] : *request.query) out.values_.emplace(k, v);
  if (request.method != "POST") return out;
  if (request.body.empty()) return InvalidArgument("POST body is empty: expected a Parameters resource");
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return InvalidArgument("POST body is not valid JSON");
  if (!body.is_object() || body.value("resourceType", "") != "Parameters") {
    return InvalidArgument("POST body must be a Parameters resource (resourceType \"Parameters\")");
  }
  const nlohmann::json& params = body["parameter"];
  if (!params.is_null() && !params.is_array()) return InvalidArgument("Parameters.parameter must be an array");
  std::size_t index = 0;
  for (const nlohmann::json& p : params.is_array() ? params : nlohmann::json::array()) {
    std::string where = "Parameters.parameter[" + std::to_string(index++) + "]";
    if (!p.is_object() || !p.contains("name") || !p["name"].is_string()) return InvalidArgument(where + " has no name");
    std::string name = p["name"].get<std::string>();
    bool found = false;
    for (const auto& [key, value] : p.items()) {
      if (!key.starts_with("value")) continue;
      found = true;
      if (key == "valueCoding") {
        if (!value.is_object()) return InvalidArgument(where + " (" + name + "): valueCoding must be an object");
        for (const char* part : {"system", "code", "version", "display"}) {
          std::string s = ValueAsString(value, part);
          if (!s.empty()) out.values_.emplace(name + "." + part, s);
        }
      } else {
        std::string s = ValueAsString(p, key);
        if (s.empty() && !value.is_string())
          return InvalidArgument(where + " (" + name + "): " + key + " must be a primitive value");
        out.values_.emplace(name, s);
      }
    }
    if (!found && !p.contains("resource") && !p.contains("part"))
      return InvalidArgument(where + " (" + name + ") has no value[x]");
  }
  return out;
}

std::string FhirParams::Get(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string() : it->second;
}

bool FhirParams::Has(std::string_view name) const { return values_.find(name) != values_.end(); }

std::vector<std::string> FhirParams::GetAll(std::string_view name) const {
  std::vector<std::string> out;
  auto [first, last] = values_.equal_range(name);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

ApiResponse Outcome(int status, std::string_view issue_code, std::string_view diagnostics, std::string_view severity) {
  nlohmann::json oo = {{"resourceType", "OperationOutcome"},
                       {"issue", {{{"severity", severity}, {"code", issue_code}, {"diagnostics", diagnostics}}}}};
  return FhirResource(oo, status);
}

ApiResponse FhirResource(const nlohmann::json& resource, int status) {
  ApiResponse r;
  r.status = status;
  r.content_type = "application/fhir+json";
  r.body = shapes::Dump(resource);
  return r;
}

}  // namespace clincode::server
