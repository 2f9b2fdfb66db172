#include "engine.h"

#include "fhir_systems.h"

namespace clincode::server {
namespace {

// The OPCS-4 codes of the related recommendation for one CPT code: what the assistant codes from the CPT
// code's summary (our words) against that recommendation. A whole-system code (one that includes others)
// is the whole coded procedure; a part is coded with the same, wider set because OPCS-4 does not split it.
MapElement MapCptCode(const CodingAssistant& assistant, const CptCode& cpt, const Recommendation& target) {
  MapElement element{cpt.code, cpt.summary, {}};
  CodingRequest request;
  request.text = cpt.summary;
  request.guidance_id = target.id;
  request.system = CodeSystem::kOpcs4;
  auto coded = assistant.Code(request);
  if (!coded.ok()) return element;
  bool whole = !cpt.components.empty();
  for (const CodedItem& item : coded->procedures) {
    element.targets.push_back(
        {item.code, item.title, whole ? "equivalent" : "wider",
         whole ? "the whole system: " + item.why : "OPCS-4 codes the procedure, not the part: " + item.why});
  }
  return element;
}

std::vector<ConceptMapData> BuildConceptMaps(const GuidanceLibrary& library, const CodingAssistant& assistant) {
  std::vector<ConceptMapData> maps;
  for (const Recommendation& source : library.all()) {
    const Section* cpt = source.SectionFor(CodeSystem::kCpt);
    if (cpt == nullptr || cpt->cpt_codes.empty()) continue;
    for (const std::string& related : source.related) {
      const Recommendation* target = library.Find(related);
      if (target == nullptr || target->SectionFor(CodeSystem::kOpcs4) == nullptr) continue;
      ConceptMapData map;
      map.id = source.id + "-to-" + target->id;
      map.url = std::string(kClincodeCanonicalBase) + "/ConceptMap/" + map.id;
      map.title = source.title + " to the OPCS-4 codes of " + target->id;
      map.source_guidance = source.id;
      map.target_guidance = target->id;
      for (const CptCode& code : cpt->cpt_codes) map.elements.push_back(MapCptCode(assistant, code, *target));
      maps.push_back(std::move(map));
    }
  }
  return maps;
}

}  // namespace

Result<std::shared_ptr<const Engine>> Engine::Build(EngineParts parts) {
  auto engine = std::make_shared<Engine>();
  engine->catalog_ = parts.catalog;
  engine->guidance_ = parts.guidance;
  engine->rules_ = parts.rules;
  engine->search_ = SearchIndex::Build(parts.catalog);
  engine->validator_ = std::make_shared<const Validator>(parts.catalog, parts.rules, parts.guidance);
  engine->assistant_ = std::make_unique<CodingAssistant>(parts.catalog, parts.guidance, engine->validator_);
  auto matcher = GuidanceMatcher::Create(parts.guidance, parts.rules.get(), {});
  if (!matcher.ok()) return matcher.status();
  engine->matcher_ = *matcher;
  engine->concept_maps_ = BuildConceptMaps(*parts.guidance, *engine->assistant_);
  return std::shared_ptr<const Engine>(std::move(engine));
}

std::string Engine::version() const { return CLINCODE_VERSION; }

}  // namespace clincode::server
