// JSON shapes of the coding assistant's answer, the matcher's rows and the guidance list, shared by the CLI
// (--json) and the server (/v1/).
#ifndef CLINCODE_APPS_SHARED_CODING_JSON_H_
#define CLINCODE_APPS_SHARED_CODING_JSON_H_

#include <nlohmann/json.hpp>

#include "clincode/assistant.h"
#include "clincode/guidance.h"
#include "clincode/matcher.h"

namespace clincode::shapes {

// {"guidance", "guidance_title", "found_by", "system", "procedures": [{"code", "title", "role", "role_label",
//  "why", "evidence"}], "diagnoses", "assumptions", "questions": [{"text", "facts": [{"key", "value",
//  "label", "kind", "values", "many"}]}], "findings", "facts": [{"key", "label", "value", "evidence",
//  "from"}]}.
nlohmann::json CodingResultJson(const CodingResult& result);

// One row of `match --out x.jsonl`: {"episode_id", "line", "guidance", "level", "met", "required",
// "missing"}, or {"episode_id", "line", "unreadable"} for a row that could not be read.
nlohmann::json MatchRowJson(const EpisodeMatches& episode, const GuidanceMatch& match);
nlohmann::json UnreadableRowJson(const EpisodeMatches& episode);

// The CSV columns of `match --out x.csv`, and a batch of rows as CSV or JSON lines, each ending in a newline.
inline constexpr const char* kMatchCsvHeader = "episode_id,line,guidance,level,grade,met,required,missing";
std::string MatchLines(const std::vector<EpisodeMatches>& batch, bool csv);

// One entry of `guidance list --json`: {"id", "title", "systems", "source"}.
nlohmann::json GuidanceListItemJson(const Recommendation& recommendation);

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_CODING_JSON_H_
