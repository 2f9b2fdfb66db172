// What the benchmarks load: the open releases in ../shared/data (when present) and the fixed query list.
#ifndef CLINCODE_BENCH_BENCH_DATA_H_
#define CLINCODE_BENCH_BENCH_DATA_H_

#include <string>
#include <vector>

namespace clincode::bench {

// The release files of ../shared/data (OPCS-4 UK Biobank tree, WHO ICD-10 2019, ICD-10-CM 2021 order file
// and tabular XML), or empty when the folder is absent. `dir` overrides the folder.
std::vector<std::string> OpenReleaseFiles(const std::string& dir = "");

struct Query {
  std::string kind;  // word, prefix, typo, code
  std::string text;
};
// bench/queries.tsv.
std::vector<Query> FixedQueries();

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_BENCH_DATA_H_
