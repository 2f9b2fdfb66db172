// FHIR R4 naming of what the engine holds: the canonical URI of each loaded code system (the ones the FHIR
// and NHS communities use, see docs/server.md), operation parameters read from a query string or a
// Parameters resource, and errors as OperationOutcome.
#ifndef CLINCODE_APPS_SERVER_FHIR_SYSTEMS_H_
#define CLINCODE_APPS_SERVER_FHIR_SYSTEMS_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/catalog.h"
#include "router.h"

namespace clincode::server {

// Canonical code system URIs.
inline constexpr const char* kUriOpcs4 = "https://fhir.hl7.org.uk/Id/opcs-4";    // HL7 UK / NHS England
inline constexpr const char* kUriIcd10Uk = "http://hl7.org/fhir/sid/icd-10-uk";  // NHS England Terminology Server
inline constexpr const char* kUriIcd10 = "http://hl7.org/fhir/sid/icd-10";       // FHIR R4 registry (WHO)
inline constexpr const char* kUriIcd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";  // FHIR R4 registry
inline constexpr const char* kUriCpt = "http://www.ama-assn.org/go/cpt";         // FHIR R4 registry
inline constexpr const char* kUriSnomedCt = "http://snomed.info/sct";            // FHIR R4 registry
// clincode's own value sets and concept maps (recommendation sections, CPT-to-OPCS-4 maps).
inline constexpr const char* kClincodeCanonicalBase = "https://clincode.org/fhir";

// The canonical URI of a loaded release: ICD-10 is the UK edition (and the built-in starter, which holds
// UK codes) unless the release is a WHO edition.
std::string CanonicalUri(const Release& release);
// The FHIR `version` of a release: the version its files state, else its edition.
std::string FhirVersion(const Release& release);

// The releases a system URI names (canonical, a known alias, or clincode's own name such as "opcs4"),
// restricted to `version` when given. Empty when none is loaded.
std::vector<const Release*> ReleasesFor(const Catalog& catalog, std::string_view uri, std::string_view version);
// True when `uri` names a system clincode knows, loaded or not.
bool KnownSystemUri(std::string_view uri);

// An operation's input parameters, flattened: from the query string (GET) or a Parameters resource (POST).
// valueCoding parameters are spread into <name>.system, <name>.code, <name>.version, <name>.display.
class FhirParams {
 public:
  // Fails with a message naming what is wrong with the body (not JSON, not a Parameters resource, a
  // parameter without a name or a value).
  static Result<FhirParams> Read(const ApiRequest& request);
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  void Set(const std::string& name, std::string value) { values_.emplace(name, std::move(value)); }

 private:
  std::multimap<std::string, std::string, std::less<>> values_;
};

// An OperationOutcome with one issue, as an application/fhir+json response.
ApiResponse Outcome(int status, std::string_view issue_code, std::string_view diagnostics,
                    std::string_view severity = "error");
// A resource as an application/fhir+json response.
ApiResponse FhirResource(const nlohmann::json& resource, int status = 200);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_FHIR_SYSTEMS_H_
