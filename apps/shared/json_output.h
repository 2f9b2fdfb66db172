// JSON shapes shared by the CLI (--json) and the server (/v1/): one definition, so both answer alike.
#ifndef CLINCODE_APPS_SHARED_JSON_OUTPUT_H_
#define CLINCODE_APPS_SHARED_JSON_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clincode/release.h"
#include "clincode/search.h"

namespace clincode::shapes {

// {"system", "release", "code", "cds", "title", "kind", "parent", "ancestors", "children", "flags", "notes"}.
nlohmann::json CodeJson(const Release& release, std::uint32_t id);
// The hits as compact JSON text, an array of {"code", "match", ["matched_term",] "path": [{"code", "kind",
// "title"}] (root first), "release", "score", "system", "title"}: written directly rather than built as a
// json tree, because the server answers searches as you type (see json_writer.h).
std::string SearchHitsJson(const std::vector<SearchHit>& hits);
// {"system", "edition", "version", "sources", "formats", "builtin", "counts"}.
nlohmann::json ReleaseJson(const Release& release);

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_JSON_OUTPUT_H_
