// What one `clincode serve` process answers from: the catalog, its search index, the guidance library, the
// rules, the validator, the coding assistant, the matcher and the concept maps, built once at start and
// shared read-only by every request thread.
#ifndef CLINCODE_APPS_SERVER_ENGINE_H_
#define CLINCODE_APPS_SERVER_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "clincode/assistant.h"
#include "clincode/catalog.h"
#include "clincode/guidance_library.h"
#include "clincode/matcher.h"
#include "clincode/rules.h"
#include "clincode/search.h"
#include "clincode/validator.h"

namespace clincode::server {

// One correspondence of a concept map: a source code and what it maps to.
struct MapTarget {
  std::string code;
  std::string display;
  std::string equivalence;  // FHIR R4 ConceptMapEquivalence: "equivalent", "wider", ...
  std::string comment;
};
struct MapElement {
  std::string code;
  std::string display;
  std::vector<MapTarget> targets;
};

// A map from a CPT code family to the OPCS-4 code set of the NICE recommendation it is related to, made
// by coding each CPT code's summary with the assistant against that recommendation (so it follows the
// data: a new CPT family file with `related:` gives a new map).
struct ConceptMapData {
  std::string id;   // "CPT-CCM-to-IPG655"
  std::string url;  // canonical URL in clincode's namespace
  std::string title;
  CodeSystem source_system = CodeSystem::kCpt;
  CodeSystem target_system = CodeSystem::kOpcs4;
  std::string source_guidance, target_guidance;
  std::vector<MapElement> elements;
};

struct EngineParts {
  std::shared_ptr<const Catalog> catalog;
  std::shared_ptr<const GuidanceLibrary> guidance;
  std::shared_ptr<const RuleSet> rules;
};

class Engine {
 public:
  // Builds the search index, validator, assistant, matcher and concept maps over `parts`. Fails only when
  // the matcher cannot be made from the library.
  static Result<std::shared_ptr<const Engine>> Build(EngineParts parts);

  const Catalog& catalog() const { return *catalog_; }
  const SearchIndex& search() const { return *search_; }
  const GuidanceLibrary& guidance() const { return *guidance_; }
  const RuleSet& rules() const { return *rules_; }
  const Validator& validator() const { return *validator_; }
  const CodingAssistant& assistant() const { return *assistant_; }
  const GuidanceMatcher& matcher() const { return *matcher_; }
  const std::shared_ptr<const GuidanceLibrary>& guidance_ptr() const { return guidance_; }
  const std::vector<ConceptMapData>& concept_maps() const { return concept_maps_; }
  std::string version() const;

 private:
  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<SearchIndex> search_;
  std::shared_ptr<const GuidanceLibrary> guidance_;
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const Validator> validator_;
  std::unique_ptr<CodingAssistant> assistant_;
  std::shared_ptr<const GuidanceMatcher> matcher_;
  std::vector<ConceptMapData> concept_maps_;
};

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_ENGINE_H_
