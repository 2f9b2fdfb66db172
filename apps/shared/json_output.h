// JSON shapes shared by the CLI (--json) and the server (/v1/): one definition, so both answer alike.
#ifndef CLINCODE_APPS_SHARED_JSON_OUTPUT_H_
#define CLINCODE_APPS_SHARED_JSON_OUTPUT_H_

#include <nlohmann/json.hpp>

#include "clincode/release.h"
#include "clincode/search.h"

namespace clincode::shapes {

// {"system", "release", "code", "cds", "title", "kind", "parent", "ancestors", "children", "flags", "notes"}.
nlohmann::json CodeJson(const Release& release, std::uint32_t id);
// {"system", "code", "title", "score", "match", "release", "path": [{"code", "title", "kind"}] (root first)
// [, "matched_term"]}.
nlohmann::json SearchHitJson(const SearchHit& hit);
// {"system", "edition", "version", "sources", "formats", "builtin", "counts"}.
nlohmann::json ReleaseJson(const Release& release);

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_JSON_OUTPUT_H_
