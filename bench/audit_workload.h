// The `audit` workload: a coder's file and an auditor's re-coding of the same episodes, in shuffled order,
// audited end to end (both CSV files in, the errors CSV out, the summary), beside the same four figures
// computed in SQLite the way an analyst would (both files loaded, codes unpivoted, joined on the key).
#ifndef CLINCODE_BENCH_AUDIT_WORKLOAD_H_
#define CLINCODE_BENCH_AUDIT_WORKLOAD_H_

#include <array>
#include <cstddef>
#include <memory>
#include <string>

#include "clincode/catalog.h"

namespace clincode::bench {

struct AuditWorkloadOptions {
  std::size_t pairs = 1'000'000;
  int repeat = 3;
  bool peer = true;
  unsigned seed = 20261208;
};

// Writes the pair of files: the auditor's episodes (the truth: up to six diagnoses, up to five procedures,
// CODER_ID, TRETSPEF and EPISTART columns) in shuffled order, and the coder's, in order, with about a quarter
// of the episodes given one difference (a fourth character, another category, a code dropped or added, the
// primary and a secondary swapped).
void WriteAuditPair(const Catalog& catalog, const AuditWorkloadOptions& options, const std::string& original_path,
                    const std::string& audited_path);

// The four figures as correct and total, computed by SQL in SQLite over the two files (the generator's
// output: no quoted fields, codes in one written form), with the seconds it took to load and to query.
struct SqlAuditFigures {
  std::array<std::size_t, 4> correct{}, total{};
  double load_seconds = 0, query_seconds = 0;
};
SqlAuditFigures SqlAudit(const std::string& original_path, const std::string& audited_path);

void RunAuditWorkload(std::shared_ptr<const Catalog> catalog, const AuditWorkloadOptions& options);

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_AUDIT_WORKLOAD_H_
