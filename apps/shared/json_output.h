// JSON shapes shared by the CLI (--json) and the server (/v1/): one definition, so both answer alike.
#ifndef CLINCODE_APPS_SHARED_JSON_OUTPUT_H_
#define CLINCODE_APPS_SHARED_JSON_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clincode/release.h"
#include "clincode/search.h"

namespace clincode::shapes {

// JSON text of `j` (indented when indent >= 0). Never throws: a string that is not valid UTF-8 (a byte a
// client sent, echoed in an error) is written with U+FFFD in place of the bad bytes, as json_writer does.
// Every JSON the CLI and the server write goes through here (nlohmann's plain dump() throws on such bytes).
std::string Dump(const nlohmann::json& j, int indent = -1);

// {"system", "release", "code", "cds", "title", "kind", "parent", "ancestors", "children", "flags", "notes"}.
nlohmann::json CodeJson(const Release& release, std::uint32_t id);
// The hits as compact JSON text, an array of {"code", "match", ["matched_term",] "path": [{"code", "kind",
// "title"}] (root first), "recordable", "release", "score", "system", "title", ["via": {"means", "term"}]}:
// written directly rather than built as a json tree, because the server answers searches as you type (see
// json_writer.h).
std::string SearchHitsJson(const std::vector<SearchHit>& hits);
// {"system", "edition", "version", "sources", "formats", "builtin", "counts"}.
nlohmann::json ReleaseJson(const Release& release);

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_JSON_OUTPUT_H_
