// Synthetic releases in the forms NHS England distributes through TRUD (../shared/FORMATS.md), for the
// national-scale benchmark: OPCS-4.11 CodesAndTitles XML with the codes and titles of an open OPCS-4 release,
// and ICD-10 5th Edition CodesAndTitlesAndMetadata XML with the codes and titles of WHO ICD-10 and metadata
// of the real file's shapes and about its counts (USAGE, USAGE_UK, QUALIFIERS, GENDER_MASK, MIN_AGE,
// MAX_AGE, MODIFIER_4). The metadata is made up by rules below, not the real values: it is there so every
// rule that needs it runs, as it would on the licensed files.
#ifndef CLINCODE_BENCH_TRUD_SHAPES_H_
#define CLINCODE_BENCH_TRUD_SHAPES_H_

#include <string>

#include "clincode/release.h"

namespace clincode::bench {

struct TrudCounts {
  std::size_t rows = 0, dagger = 0, asterisk = 0, gender = 0, ages = 0;
};

// Writes `path`; returns the number of rows written.
std::size_t WriteOpcs411Xml(const Release& opcs4, const std::string& path);
TrudCounts WriteIcd10UkXml(const Release& who, const std::string& path);

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_TRUD_SHAPES_H_
