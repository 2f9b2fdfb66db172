// The FHIR R4 terminology operations under /fhir/: metadata, CodeSystem/$lookup, $validate-code and
// $subsumes, ValueSet/$expand and $validate-code, ConceptMap/$translate, each in GET and POST
// (Parameters) form, errors as OperationOutcome.
#ifndef CLINCODE_APPS_SERVER_FHIR_ROUTES_H_
#define CLINCODE_APPS_SERVER_FHIR_ROUTES_H_

#include <memory>

#include "engine.h"
#include "router.h"

namespace clincode::server {

void AddFhirRoutes(Router* router, std::shared_ptr<const Engine> engine);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_FHIR_ROUTES_H_
