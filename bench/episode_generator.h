// Synthetic HES-like episodes for benchmarks: codes drawn from loaded releases with a skewed (Zipf-like)
// frequency, procedures grouped the way coders record them (main code, V55 after spinal codes, image control,
// site, laterality last), and a share of known violations.
#ifndef CLINCODE_BENCH_EPISODE_GENERATOR_H_
#define CLINCODE_BENCH_EPISODE_GENERATOR_H_

#include <cstdio>
#include <string>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/guidance_library.h"

namespace clincode::bench {

struct GeneratorOptions {
  std::size_t episodes = 1'000'000;
  double violations = 0.1;  // share of episodes given one known violation
  unsigned seed = 20261121;
  // Share of clean episodes whose main procedure is a generic code (below), with nothing else of any
  // recommendation: their EPIKEY starts with "G", and no error or warning is right for them.
  double generic = 0.0;
  std::vector<std::string> generic_codes;     // canonical OPCS-4 codes
  int max_diagnoses = 8, max_procedures = 4;  // per episode (groups of procedures: each with its Y/Z codes)
  int max_procedure_codes = 24;               // OPERTN fields filled at most
};

struct Written {
  std::size_t episodes = 0, violated = 0, generic = 0;
};

// Writes a CSV with the HES header (EPIKEY, EPISTART, SEX, STARTAGE, DIAG_01..DIAG_20, OPERTN_01..OPERTN_24).
Written WriteEpisodes(const Catalog& catalog, const GeneratorOptions& options, std::FILE* out);

// The generic codes ("other specified" .8 and "unspecified" .9) of the categories the library's
// recommendations take their main procedures from, as the release has them: K57.8, J12.8, V44.8, ...
// Coders use these for many procedures other than the recommendations'.
std::vector<std::string> GenericCodesNearRecommendations(const GuidanceLibrary& library, const Catalog& catalog);

// Whether an episode id is one of the generic clean episodes.
inline bool IsGenericEpisode(const std::string& id) { return !id.empty() && id[0] == 'G'; }

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_EPISODE_GENERATOR_H_
