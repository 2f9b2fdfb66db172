// The episode readers row by row: a CSV header and its rows, or JSON objects; every episode read is
// checked by the validator and matched to the recommendations.
#include <vector>

#include "clincode/episode.h"
#include "clincode/matcher.h"
#include "clincode/validator.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size > 64 << 10) return 0;
  std::string_view text = fuzz::Text(data, size);
  const auto& engine = fuzz::StarterEngine();
  std::vector<Episode> read;
  std::size_t nl = text.find('\n');
  auto csv = EpisodeCsvReader::FromHeader(text.substr(0, nl), "fuzz.csv");
  if (csv.ok() && nl != std::string_view::npos) {
    std::string_view rest = text.substr(nl + 1);
    for (std::size_t line = 2; !rest.empty(); ++line) {
      std::size_t end = rest.find('\n');
      Episode ep;
      if (csv->ReadRow(rest.substr(0, end), line, &ep).empty()) {
        FUZZ_CHECK(ep.line == line && IsSexCode(ep.sex) && ep.age >= -1 && ep.age <= kMaxAgeYears);
        read.push_back(std::move(ep));
      }
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    }
  }
  auto json = EpisodeFromJson(text);
  if (json.ok()) {
    FUZZ_CHECK(IsSexCode(json->sex) && json->age >= -1 && json->age <= kMaxAgeYears);
    read.push_back(std::move(json).value());
  }
  std::vector<Finding> findings;
  for (const Episode& ep : read) {
    engine.validator().Check(ep, &findings);
    std::vector<GuidanceMatch> matches;
    engine.matcher().Match(ep, &matches);
  }
  return 0;
}
