// JSON shapes of the CLI's --json output (the server will answer with the same shapes).
#ifndef CLINCODE_APPS_CLI_JSON_OUTPUT_H_
#define CLINCODE_APPS_CLI_JSON_OUTPUT_H_

#include <nlohmann/json.hpp>

#include "clincode/release.h"
#include "clincode/search.h"

namespace clincode::cli {

// {"system", "release", "code", "cds", "title", "kind", "parent", "ancestors", "children", "flags", "notes"}.
nlohmann::json CodeJson(const Release& release, std::uint32_t id);
// {"system", "code", "title", "score", "match", "release"[, "matched_term"]}.
nlohmann::json SearchHitJson(const SearchHit& hit);
// {"system", "edition", "version", "sources", "formats", "builtin", "counts"}.
nlohmann::json ReleaseJson(const Release& release);

}  // namespace clincode::cli

#endif  // CLINCODE_APPS_CLI_JSON_OUTPUT_H_
