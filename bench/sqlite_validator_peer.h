// The peer for validation: the same checks written as SQL over the episodes loaded into SQLite, the way an
// analyst does it today (load the extract, unpivot the code columns, join with the code list).
#ifndef CLINCODE_BENCH_SQLITE_VALIDATOR_PEER_H_
#define CLINCODE_BENCH_SQLITE_VALIDATOR_PEER_H_

#include <map>
#include <string>

#include "clincode/catalog.h"

namespace clincode::bench {

struct SqlPeerResult {
  double load_seconds = 0;                    // CSV into a table, codes unpivoted, code lists loaded, indexes built
  double query_seconds = 0;                   // the checks
  std::map<std::string, long long> findings;  // per check, named as clincode's rules
};

// Runs the SQL checks over `csv` (the generator's output: no quoted fields) against the first OPCS-4 and
// ICD-10 releases of `catalog`.
SqlPeerResult RunSqlChecks(const std::string& csv, const Catalog& catalog);

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_SQLITE_VALIDATOR_PEER_H_
