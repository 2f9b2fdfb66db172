#include "sqlite_validator_peer.h"

#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "clincode/normalise.h"

namespace clincode::bench {
namespace {

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(msg + " in: " + sql.substr(0, 200));
  }
}

long long Count(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return n;
}

void LoadCodes(sqlite3* db, const Release* r, const char* table) {
  Exec(db, std::string("CREATE TABLE ") + table + "(code TEXT PRIMARY KEY, subsidiary INT, undivided INT)");
  if (r == nullptr) return;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, (std::string("INSERT OR IGNORE INTO ") + table + " VALUES (?, ?, ?)").c_str(), -1, &st,
                     nullptr);
  for (std::uint32_t id : r->CodesInOrder()) {
    const CodeEntry& e = r->at(id);
    std::string cds = CdsForm(r->system(), e.code, e.flags.undivided);
    sqlite3_bind_text(st, 1, cds.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, e.flags.subsidiary ? 1 : 0);
    sqlite3_bind_int(st, 3, e.flags.undivided ? 1 : 0);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
}

}  // namespace

SqlPeerResult RunSqlChecks(const std::string& csv, const Catalog& catalog) {
  using Clock = std::chrono::steady_clock;
  SqlPeerResult out;
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  auto t0 = Clock::now();
  Exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN");
  std::string cols = "epikey TEXT, epistart TEXT, sex INT, age INT";
  for (int i = 1; i <= 20; ++i) cols += ", d" + std::to_string(i) + " TEXT";
  for (int i = 1; i <= 24; ++i) cols += ", o" + std::to_string(i) + " TEXT";
  Exec(db, "CREATE TABLE ep(" + cols + ")");
  std::string marks = "?";
  for (int i = 1; i < 48; ++i) marks += ",?";
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, ("INSERT INTO ep VALUES (" + marks + ")").c_str(), -1, &ins, nullptr);
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> f;
  while (std::getline(in, line)) {
    f.clear();
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',') {
        f.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
    for (int c = 0; c < 48; ++c) {
      const std::string& v = c < static_cast<int>(f.size()) ? f[c] : std::string();
      if (v.empty() || v == "-")
        sqlite3_bind_null(ins, c + 1);
      else
        sqlite3_bind_text(ins, c + 1, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  // Unpivot the code columns into (episode, position, code).
  std::string diag = "CREATE TABLE diag AS ", proc = "CREATE TABLE proc AS ";
  for (int i = 1; i <= 20; ++i) {
    diag += (i > 1 ? " UNION ALL " : "") + std::string("SELECT epikey, ") + std::to_string(i) + " AS pos, d" +
            std::to_string(i) + " AS code FROM ep WHERE d" + std::to_string(i) + " IS NOT NULL";
  }
  for (int i = 1; i <= 24; ++i) {
    proc += (i > 1 ? " UNION ALL " : "") + std::string("SELECT epikey, ") + std::to_string(i) + " AS pos, o" +
            std::to_string(i) + " AS code FROM ep WHERE o" + std::to_string(i) + " IS NOT NULL";
  }
  Exec(db, diag);
  Exec(db, proc);
  Exec(db, "CREATE INDEX proc_ep ON proc(epikey, pos); CREATE INDEX diag_ep ON diag(epikey, pos)");
  auto opcs = catalog.ReleasesOf(CodeSystem::kOpcs4);
  auto icd = catalog.ReleasesOf(CodeSystem::kIcd10);
  LoadCodes(db, opcs.empty() ? nullptr : opcs.front(), "opcs");
  LoadCodes(db, icd.empty() ? nullptr : icd.front(), "icd");
  Exec(db, "COMMIT");
  auto t1 = Clock::now();
  out.findings["opcs4.full-code"] =
      Count(db, "SELECT count(*) FROM proc WHERE length(code) = 3 AND code NOT IN ('Y53', 'Y68')");
  out.findings["opcs4.image-control-four-characters"] =
      Count(db, "SELECT count(*) FROM proc WHERE code IN ('Y53', 'Y68')");
  out.findings["opcs4.exists"] =
      Count(db, "SELECT count(*) FROM proc LEFT JOIN opcs ON opcs.code = proc.code WHERE opcs.code IS NULL");
  out.findings["opcs4.subsidiary-not-first"] =
      Count(db, "SELECT count(*) FROM proc JOIN opcs ON opcs.code = proc.code WHERE pos = 1 AND subsidiary = 1");
  out.findings["opcs4.levels-of-spine-second"] =
      Count(db,
            "SELECT count(*) FROM proc p LEFT JOIN proc n ON n.epikey = p.epikey AND n.pos = p.pos + 1 "
            "WHERE ((substr(p.code,1,3) BETWEEN 'V22' AND 'V54') OR (substr(p.code,1,3) BETWEEN 'V56' AND 'V63') "
            "OR (substr(p.code,1,3) BETWEEN 'V66' AND 'V70')) AND (n.code IS NULL OR substr(n.code,1,3) <> 'V55')");
  out.findings["opcs4.laterality-last"] =
      Count(db,
            "SELECT count(*) FROM proc p JOIN proc n ON n.epikey = p.epikey AND n.pos = p.pos + 1 "
            "JOIN opcs o ON o.code = n.code WHERE substr(p.code,1,3) = 'Z94' AND o.subsidiary = 1");
  out.findings["icd10.exists"] =
      Count(db, "SELECT count(*) FROM diag LEFT JOIN icd ON icd.code = diag.code WHERE icd.code IS NULL");
  out.findings["icd10.four-characters"] =
      Count(db, "SELECT count(*) FROM diag JOIN icd ON icd.code = diag.code WHERE length(diag.code) = 3");
  out.findings["icd10.external-cause-not-primary"] =
      Count(db, "SELECT count(*) FROM diag WHERE pos = 1 AND substr(code,1,1) IN ('V','W','X','Y')");
  out.findings["icd10.secondary-needs-primary"] =
      Count(db,
            "SELECT count(*) FROM diag s WHERE substr(s.code,1,3) BETWEEN 'C77' AND 'C79' AND NOT EXISTS "
            "(SELECT 1 FROM diag p WHERE p.epikey = s.epikey AND (substr(p.code,1,3) BETWEEN 'C00' AND 'C76' "
            "OR substr(p.code,1,3) = 'C80'))");
  auto t2 = Clock::now();
  out.load_seconds = std::chrono::duration<double>(t1 - t0).count();
  out.query_seconds = std::chrono::duration<double>(t2 - t1).count();
  sqlite3_close(db);
  return out;
}

}  // namespace clincode::bench
