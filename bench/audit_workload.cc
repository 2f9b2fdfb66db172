#include "audit_workload.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <random>
#include <string_view>
#include <vector>

#include "audit_json.h"
#include "clincode/audit.h"
#include "measure.h"

namespace clincode::bench {
namespace {

// The selectable four-character codes of a system's first release, in CDS form (no dot), in code order.
std::vector<std::string> CdsCodes(const Catalog& catalog, CodeSystem system) {
  std::vector<std::string> out;
  auto releases = catalog.ReleasesOf(system);
  if (releases.empty()) return out;
  const Release& r = *releases.front();
  for (std::uint32_t id : r.CodesInOrder()) {
    const CodeEntry& e = r.at(id);
    if (e.code.size() != 5 || e.code[3] != '.' || e.flags.usage != DaggerAsterisk::kNone) continue;
    std::string cds = e.code.substr(0, 3) + e.code.substr(4);
    if (system == CodeSystem::kOpcs4 && e.flags.subsidiary) continue;
    out.push_back(std::move(cds));
  }
  return out;
}

struct Pick {
  const std::vector<std::string>& codes;
  // A skewed draw: a few codes are common, most are rare, as in HES.
  const std::string& operator()(std::mt19937& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return codes[static_cast<std::size_t>(u * u * u * static_cast<double>(codes.size() - 1))];
  }
};

struct Row {
  std::vector<std::string> diagnoses, procedures;
};

// One difference a coder might make, chosen at random; the auditor's row is the truth.
void Perturb(Row* row, std::mt19937& rng, const Pick& diagnosis, const Pick& procedure) {
  auto& d = row->diagnoses;
  auto& p = row->procedures;
  switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
    case 0: d[0][3] = static_cast<char>('0' + (d[0][3] - '0' + 1) % 10); break;  // fourth character
    case 1: d[rng() % d.size()] = diagnosis(rng); break;                         // another code
    case 2:
      if (d.size() > 1)
        d.erase(d.begin() + 1 + static_cast<long>(rng() % (d.size() - 1)));  // a secondary dropped
      else
        d.push_back(diagnosis(rng));
      break;
    case 3:
      if (d.size() < 6) d.push_back(diagnosis(rng));  // a secondary added
      break;
    case 4:
      if (d.size() > 1) std::swap(d[0], d[1]);  // sequencing
      break;
    case 5:
      if (!p.empty())
        p[0][3] = static_cast<char>('0' + (p[0][3] - '0' + 1) % 10);
      else
        p.push_back(procedure(rng));
      break;
  }
}

void WriteRow(std::FILE* f, std::size_t id, const Row& row, std::mt19937& rng) {
  fmt::print(f, "E{},C{},{},2024-{:02}-{:02},{},{}", id, id % 23, 100 + (id % 17) * 10, 1 + id % 12, 1 + id % 28,
             1 + id % 2, 18 + id % 70);
  for (std::size_t i = 0; i < 6; ++i) fmt::print(f, ",{}", i < row.diagnoses.size() ? row.diagnoses[i] : "");
  for (std::size_t i = 0; i < 5; ++i) fmt::print(f, ",{}", i < row.procedures.size() ? row.procedures[i] : "");
  std::fputc('\n', f);
  (void)rng;
}

constexpr const char* kHeader =
    "EPIKEY,CODER_ID,TRETSPEF,EPISTART,SEX,STARTAGE,DIAG_01,DIAG_02,DIAG_03,DIAG_04,DIAG_05,DIAG_06,OPERTN_01,"
    "OPERTN_02,OPERTN_03,OPERTN_04,OPERTN_05\n";

class FileSink : public AuditSink {
 public:
  explicit FileSink(std::FILE* f) : f_(f) { std::fprintf(f_, "%s\n", shapes::kAuditErrorCsvHeader); }
  std::string Format(const std::vector<AuditError>& batch) const override {
    return shapes::AuditErrorLines(batch, true);
  }
  void Write(const std::vector<AuditError>&, const std::string& formatted) override {
    std::fwrite(formatted.data(), 1, formatted.size(), f_);
  }

 private:
  std::FILE* f_;
};

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    fmt::print(stderr, "audit peer: {}: {}\n", sql.substr(0, 60), error ? error : "?");
    sqlite3_free(error);
    std::exit(1);
  }
}

std::size_t Count(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  std::size_t n = sqlite3_step(st) == SQLITE_ROW ? static_cast<std::size_t>(sqlite3_column_int64(st, 0)) : 0;
  sqlite3_finalize(st);
  return n;
}

// One file unpivoted into table `t`: (k, sys 0 diagnosis / 1 procedure, pos 1.., code).
void Load(sqlite3* db, const std::string& path, const char* t) {
  Exec(db, fmt::format("CREATE TABLE {0}(k TEXT, sys INT, pos INT, code TEXT); CREATE TABLE {0}k(k TEXT)", t));
  sqlite3_stmt* code = nullptr;
  sqlite3_stmt* key = nullptr;
  sqlite3_prepare_v2(db, fmt::format("INSERT INTO {} VALUES(?,?,?,?)", t).c_str(), -1, &code, nullptr);
  sqlite3_prepare_v2(db, fmt::format("INSERT INTO {}k VALUES(?)", t).c_str(), -1, &key, nullptr);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string_view> f;
  while (std::getline(in, line)) {
    f.clear();
    std::string_view rest = line;
    for (std::size_t at; (at = rest.find(',')) != std::string_view::npos; rest.remove_prefix(at + 1))
      f.push_back(rest.substr(0, at));
    f.push_back(rest);
    sqlite3_bind_text(key, 1, f[0].data(), static_cast<int>(f[0].size()), SQLITE_STATIC);
    sqlite3_step(key);
    sqlite3_reset(key);
    for (std::size_t i = 6; i < f.size(); ++i) {
      if (f[i].empty()) continue;
      const bool diagnosis = i < 12;
      sqlite3_bind_text(code, 1, f[0].data(), static_cast<int>(f[0].size()), SQLITE_STATIC);
      sqlite3_bind_int(code, 2, diagnosis ? 0 : 1);
      sqlite3_bind_int(code, 3, static_cast<int>(diagnosis ? i - 5 : i - 11));
      sqlite3_bind_text(code, 4, f[i].data(), static_cast<int>(f[i].size()), SQLITE_STATIC);
      sqlite3_step(code);
      sqlite3_reset(code);
    }
  }
  sqlite3_finalize(code);
  sqlite3_finalize(key);
  Exec(db, fmt::format("CREATE INDEX {0}_i ON {0}(k, sys, pos)", t));
}

}  // namespace

void WriteAuditPair(const Catalog& catalog, const AuditWorkloadOptions& options, const std::string& original_path,
                    const std::string& audited_path) {
  const std::vector<std::string> icd = CdsCodes(catalog, CodeSystem::kIcd10),
                                 opcs = CdsCodes(catalog, CodeSystem::kOpcs4);
  const Pick diagnosis{icd}, procedure{opcs};
  // Each episode is made from its own number, so neither file needs the others in memory: the benchmark's
  // peak memory is the audit's.
  auto truth = [&](std::size_t i, std::mt19937* rng) {
    rng->seed(options.seed ^ static_cast<unsigned>(i * 2654435761u));
    Row r;
    r.diagnoses.resize(1 + (*rng)() % 6);
    for (auto& d : r.diagnoses) d = diagnosis(*rng);
    if ((*rng)() % 10 < 7) {
      r.procedures.resize(1 + (*rng)() % 5);
      for (auto& p : r.procedures) p = procedure(*rng);
    }
    return r;
  };
  std::mt19937 rng;
  std::FILE* o = std::fopen(original_path.c_str(), "wb");
  std::fputs(kHeader, o);
  for (std::size_t i = 0; i < options.pairs; ++i) {
    Row coded = truth(i, &rng);
    if (rng() % 4 == 0) Perturb(&coded, rng, diagnosis, procedure);
    WriteRow(o, i, coded, rng);
  }
  std::fclose(o);
  std::vector<std::uint32_t> order(options.pairs);
  std::iota(order.begin(), order.end(), 0u);
  std::mt19937 shuffle(options.seed);
  std::shuffle(order.begin(), order.end(), shuffle);
  std::FILE* a = std::fopen(audited_path.c_str(), "wb");
  std::fputs(kHeader, a);
  for (std::uint32_t i : order) WriteRow(a, i, truth(i, &rng), rng);
  std::fclose(a);
}

SqlAuditFigures SqlAudit(const std::string& original_path, const std::string& audited_path) {
  SqlAuditFigures out;
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  auto t0 = Clock::now();
  Exec(db, "BEGIN");
  Load(db, original_path, "o");
  Load(db, audited_path, "a");
  Exec(db, "COMMIT; CREATE TABLE m AS SELECT k FROM ak INTERSECT SELECT k FROM ok; CREATE UNIQUE INDEX m_k ON m(k)");
  auto t1 = Clock::now();
  for (int sys = 0; sys < 2; ++sys) {
    const std::size_t primary = sys == 0 ? 0 : 2, secondary = primary + 1;
    out.correct[primary] = Count(db, fmt::format("SELECT COUNT(*) FROM a JOIN o ON a.k = o.k AND o.sys = {0} AND "
                                                 "o.pos = 1 AND a.code = o.code WHERE a.sys = {0} AND a.pos = 1",
                                                 sys));
    out.total[primary] = sys == 0 ? Count(db, "SELECT COUNT(*) FROM m")
                                  : Count(db, "SELECT COUNT(*) FROM a JOIN m USING (k) WHERE a.sys = 1 AND a.pos = 1");
    out.total[secondary] = Count(db, fmt::format("SELECT COUNT(*) FROM a JOIN m USING (k) WHERE a.sys = {} AND "
                                                 "a.pos > 1",
                                                 sys));
    out.correct[secondary] = Count(
        db, fmt::format("SELECT IFNULL(SUM(MIN(x.n, IFNULL(y.n, 0))), 0) FROM (SELECT k, code, COUNT(*) n FROM a "
                        "WHERE sys = {0} AND pos > 1 GROUP BY k, code) x JOIN m USING (k) LEFT JOIN (SELECT k, code, "
                        "COUNT(*) n FROM o WHERE sys = {0} AND pos > 1 GROUP BY k, code) y USING (k, code)",
                        sys));
  }
  out.load_seconds = Seconds(t1 - t0);
  out.query_seconds = Seconds(Clock::now() - t1);
  sqlite3_close(db);
  return out;
}

void RunAuditWorkload(std::shared_ptr<const Catalog> catalog, const AuditWorkloadOptions& options) {
  const std::string original = "/tmp/clincode-bench-audit-original.csv";
  const std::string audited = "/tmp/clincode-bench-audit-audited.csv";
  const std::string errors = "/tmp/clincode-bench-audit-errors.csv";
  WriteAuditPair(*catalog, options, original, audited);
  auto rules = RuleSet::Load({});
  auto guidance = GuidanceLibrary::Load({});
  Validator validator(catalog, *rules, *guidance);
  const long before = PeakRssKb();
  std::vector<double> times;
  Result<AuditSummary> summary = AuditSummary{};
  for (int r = 0; r < std::max(1, options.repeat); ++r) {
    std::FILE* f = std::fopen(errors.c_str(), "wb");
    FileSink sink(f);
    auto t0 = Clock::now();
    summary = AuditFiles(original, audited, validator, &sink, AuditOptions{});
    std::fclose(f);
    times.push_back(Seconds(Clock::now() - t0));
    if (!summary.ok()) {
      fmt::print(stderr, "audit failed: {}\n", summary.status().message());
      std::exit(1);
    }
  }
  const double s = Percentile(times, 0.5);
  fmt::print(
      "audit: {} episode pairs, the audited file shuffled; {} code errors; peak memory {:.1f} MB (before the "
      "audit: {:.1f} MB)\n",
      summary->episodes_audited, summary->code_errors, PeakRssKb() / 1024.0, before / 1024.0);
  fmt::print("  clincode audit (two CSV files in, errors CSV out): {:.2f} s median of {}, {:.0f} pairs/s\n", s,
             times.size(), static_cast<double>(summary->episodes_audited) / s);
  for (AuditCodeType t : kAuditCodeTypes) {
    const AuditFigure& x = summary->figures.of(t);
    fmt::print("    {:<22} {:>7.2f}%  {} of {}\n", AuditCodeTypeTitle(t), x.Percent(), x.correct, x.total);
  }
  if (options.peer) {
    SqlAuditFigures sql = SqlAudit(original, audited);
    const double peer = sql.load_seconds + sql.query_seconds;
    bool agree = true;
    for (AuditCodeType t : kAuditCodeTypes) {
      const int i = static_cast<int>(t);
      agree = agree && sql.correct[i] == summary->figures.of(t).correct && sql.total[i] == summary->figures.of(t).total;
    }
    fmt::print(
        "  SQLite peer (load both, unpivot, join, four figures): {:.2f} s ({:.2f} s loading, {:.2f} s "
        "querying), {:.0f} pairs/s; clincode {:.1f}x; figures {}\n",
        peer, sql.load_seconds, sql.query_seconds, static_cast<double>(summary->episodes_audited) / peer, peer / s,
        agree ? "agree exactly" : "DIFFER");
  }
  // CLINCODE_BENCH_KEEP=1 keeps the files, to profile `clincode audit` on them alone.
  if (std::getenv("CLINCODE_BENCH_KEEP") != nullptr) return fmt::print("    kept: {} and {}\n", original, audited);
  std::remove(original.c_str());
  std::remove(audited.c_str());
  std::remove(errors.c_str());
}

}  // namespace clincode::bench
