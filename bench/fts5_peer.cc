#include "fts5_peer.h"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace clincode::bench {
namespace {

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

std::size_t Utf8Length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// One searchable text. Rows are ordered the way clincode ranks documents: text length, release, the
// entry's place in its release's code order (chapters and blocks last), the title before its terms.
struct Row {
  std::size_t length;
  std::size_t release;
  std::size_t code_rank;
  std::size_t term;
  std::string system, code, text;
};

}  // namespace

std::string Fts5Expression(const std::string& query) {
  std::string expr, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!expr.empty()) expr += " ";
    expr += "\"" + word + "\"*";
    word.clear();
  };
  for (unsigned char c : query) {
    if (std::isalnum(c) || c >= 0x80)
      word.push_back(static_cast<char>(std::tolower(c)));
    else
      flush();
  }
  flush();
  return expr;
}

Fts5Peer::Fts5Peer(const Catalog& catalog) {
  Check(sqlite3_open(":memory:", &db_), db_, "open");
  Check(sqlite3_exec(db_, "CREATE VIRTUAL TABLE t USING fts5(text, system UNINDEXED, code UNINDEXED)", nullptr, nullptr,
                     nullptr),
        db_, "create");
  std::vector<Row> rows;
  const auto& releases = catalog.releases();
  for (std::size_t r = 0; r < releases.size(); ++r) {
    const Release& rel = *releases[r];
    std::vector<std::size_t> rank(rel.size());
    auto in_order = rel.CodesInOrder();
    for (std::size_t k = 0; k < in_order.size(); ++k) rank[in_order[k]] = k;
    for (std::uint32_t i = 0; i < rel.size(); ++i) {
      const CodeEntry& e = rel.at(i);
      if (e.kind == CodeKind::kChapter || e.kind == CodeKind::kBlock) rank[i] = in_order.size() + i;
      std::string system(CodeSystemKey(rel.system()));
      rows.push_back({Utf8Length(e.title), r, rank[i], 0, system, e.code, e.title});
      for (std::size_t n = 0; n < e.notes.size(); ++n) {
        if (e.notes[n].kind == NoteKind::kInclusion || e.notes[n].kind == NoteKind::kIndexTerm) {
          rows.push_back({Utf8Length(e.notes[n].text), r, rank[i], n + 1, system, e.code, e.notes[n].text});
        }
      }
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.length, a.release, a.code_rank, a.term) < std::tie(b.length, b.release, b.code_rank, b.term);
  });
  Check(sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr), db_, "begin");
  sqlite3_stmt* insert = nullptr;
  Check(sqlite3_prepare_v2(db_, "INSERT INTO t(rowid, text, system, code) VALUES (?, ?, ?, ?)", -1, &insert, nullptr),
        db_, "prepare insert");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i + 1));
    sqlite3_bind_text(insert, 2, rows[i].text.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, rows[i].system.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, rows[i].code.c_str(), -1, SQLITE_STATIC);
    Check(sqlite3_step(insert), db_, "insert");
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  Check(sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), db_, "commit");
  rows_ = rows.size();
  Check(sqlite3_prepare_v2(db_, "SELECT system, code FROM t WHERE t MATCH ? ORDER BY length(text), rowid LIMIT ?", -1,
                           &by_length_, nullptr),
        db_, "prepare search");
  Check(sqlite3_prepare_v2(db_, "SELECT system, code FROM t WHERE t MATCH ? ORDER BY rowid LIMIT ?", -1, &by_rowid_,
                           nullptr),
        db_, "prepare search");
}

Fts5Peer::~Fts5Peer() {
  sqlite3_finalize(by_length_);
  sqlite3_finalize(by_rowid_);
  sqlite3_close(db_);
}

std::vector<std::string> Fts5Peer::Search(const std::string& query, std::size_t limit, bool by_rowid) {
  std::vector<std::string> out;
  std::string expr = Fts5Expression(query);
  if (expr.empty()) return out;
  sqlite3_stmt* stmt = by_rowid ? by_rowid_ : by_length_;
  sqlite3_bind_text(stmt, 1, expr.c_str(), -1, SQLITE_TRANSIENT);
  // A code found by its title and by an inclusion term is one result; ask for spare rows to fill the limit.
  sqlite3_bind_int64(stmt, 2, static_cast<sqlite3_int64>(limit * 2 + 8));
  while (sqlite3_step(stmt) == SQLITE_ROW && out.size() < limit) {
    std::string key = std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) + " " +
                      reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(std::move(key));
  }
  sqlite3_reset(stmt);
  return out;
}

}  // namespace clincode::bench
