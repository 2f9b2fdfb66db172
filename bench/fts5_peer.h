// The peer for search: SQLite FTS5 over the same titles and inclusion terms, queried with prefix MATCH the
// way an analyst would, ordered by title length like clincode.
#ifndef CLINCODE_BENCH_FTS5_PEER_H_
#define CLINCODE_BENCH_FTS5_PEER_H_

#include <memory>
#include <string>
#include <vector>

#include "clincode/catalog.h"

struct sqlite3;
struct sqlite3_stmt;

namespace clincode::bench {

class Fts5Peer {
 public:
  // Builds an in-memory FTS5 table holding one row per title and inclusion term of `catalog`, inserted in
  // clincode's rank order (text length, system, code), so rowid ties break the same way.
  explicit Fts5Peer(const Catalog& catalog);
  ~Fts5Peer();

  // "word"* AND "word"* ... for the query's words. `by_rowid`: ORDER BY rowid (uses the pre-sorted
  // insertion); otherwise ORDER BY length(text), rowid (what an analyst would write).
  // Returns "SYSTEM CODE" strings, distinct, at most `limit`.
  std::vector<std::string> Search(const std::string& query, std::size_t limit, bool by_rowid);
  std::size_t rows() const { return rows_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* by_length_ = nullptr;
  sqlite3_stmt* by_rowid_ = nullptr;
  std::size_t rows_ = 0;
};

// The FTS5 MATCH expression for a free-text query: each folded word as a quoted prefix term.
std::string Fts5Expression(const std::string& query);

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_FTS5_PEER_H_
