// JSON shape of a recommendation (the `guidance parse --json` contract; the server answers the same).
#ifndef CLINCODE_APPS_SHARED_GUIDANCE_JSON_H_
#define CLINCODE_APPS_SHARED_GUIDANCE_JSON_H_

#include <nlohmann/json.hpp>

#include "clincode/guidance.h"

namespace clincode::shapes {

// {"id", "title", "source", "written_for", "description", "related", "sections": [{"classification",
//  "groups": [{"any_of", "titles", "required", "condition", "fact", "placeholder", "family", "role"}],
//  "notes", "note_standards", "statement", "cpt_codes"}], "unparsed"}
nlohmann::json RecommendationJson(const Recommendation& rec);

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_GUIDANCE_JSON_H_
