// Synthetic HES-like episodes for benchmarks: codes drawn from loaded releases with a skewed (Zipf-like)
// frequency, procedures grouped the way coders record them (main code, V55 after spinal codes, image control,
// site, laterality last), and a share of known violations.
#ifndef CLINCODE_BENCH_EPISODE_GENERATOR_H_
#define CLINCODE_BENCH_EPISODE_GENERATOR_H_

#include <cstdio>
#include <string>

#include "clincode/catalog.h"

namespace clincode::bench {

struct GeneratorOptions {
  std::size_t episodes = 1'000'000;
  double violations = 0.1;  // share of episodes given one known violation
  unsigned seed = 20261121;
};

// Writes a CSV with the HES header (EPIKEY, EPISTART, SEX, STARTAGE, DIAG_01..DIAG_20, OPERTN_01..OPERTN_24).
// Returns the number of episodes written with a violation.
std::size_t WriteEpisodes(const Catalog& catalog, const GeneratorOptions& options, std::FILE* out);

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_EPISODE_GENERATOR_H_
