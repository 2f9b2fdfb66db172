// A coding audit of two files: the smaller is held in memory (compactly), the other is streamed through
// the episode pipeline on every core, each row joined on its key and compared on a worker; delivery, in
// input order on the calling thread, settles what only order can tell (a second row with a key already
// audited) and merges the counts.
#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>
#include <unordered_map>

#include "clincode/audit.h"
#include "coding/audit_store.h"
#include "coding/episode_stream.h"
#include "util/text.h"

namespace clincode {

const std::vector<AuditBreakdownColumns>& AuditBreakdowns() {
  // HES names where HES has the field (TRETSPEF, MAINSPEF); CODER_ID and the consultant are columns of a
  // trust's own audit extract, under the names such extracts use.
  static const std::vector<AuditBreakdownColumns> kColumns = {
      {"coder", {"CODER_ID", "CODER"}},
      {"specialty", {"TRETSPEF", "MAINSPEF"}},
      {"consultant", {"CONSULTANT", "CONSULTANT_CODE", "CONSULT"}},
  };
  return kColumns;
}

namespace {

using coding::EpisodeStore;

// The columns both files are read with: the join key (unless it is the episode id), then the breakdown
// columns, in AuditBreakdowns order.
struct KeptColumns {
  std::vector<std::string> names;
  bool key_column = false;  // names[0] is the join key
  // For each breakdown dimension, the indexes in Episode::extra of its columns, in preference order.
  std::vector<std::vector<std::size_t>> dimensions;
};

KeptColumns ColumnsFor(const std::string& key) {
  KeptColumns k;
  const std::string upper = text::ToUpperAscii(text::Trim(key));
  if (!upper.empty() && upper != "EPIKEY") {
    k.names.push_back(upper);
    k.key_column = true;
  }
  for (const auto& d : AuditBreakdowns()) {
    std::vector<std::size_t> at;
    for (const std::string& c : d.columns) {
      at.push_back(k.names.size());
      k.names.push_back(c);
    }
    k.dimensions.push_back(std::move(at));
  }
  return k;
}

std::string KeyOf(const Episode& e, const KeptColumns& k) { return k.key_column ? e.extra[0] : e.id; }

// The values an episode pair is broken down by: coder, specialty, consultant (the original's, else the
// audited's) and month of the episode.
std::array<std::string, 4> BreakdownValues(const Episode& original, const Episode& audited, const KeptColumns& k) {
  std::array<std::string, 4> out;
  for (std::size_t d = 0; d < k.dimensions.size(); ++d) {
    for (const Episode* e : {&original, &audited}) {
      for (std::size_t at : k.dimensions[d]) {
        if (out[d].empty() && at < e->extra.size()) out[d] = e->extra[at];
      }
    }
  }
  const std::string& date = original.start_date.empty() ? audited.start_date : original.start_date;
  if (date.size() >= 7) out[3] = date.substr(0, 7);
  return out;
}

// The name of breakdown dimension d: AuditBreakdowns' dimensions, then the month.
std::string DimensionName(std::size_t d) {
  return d < AuditBreakdowns().size() ? AuditBreakdowns()[d].dimension : "month";
}

// The size of the chunks the files are read in (ValidateOptions::chunk_bytes, left at its default).
const std::size_t kChunkBytes = ValidateOptions{}.chunk_bytes;

// What the delivering thread needs of one streamed row.
struct RowResult {
  std::uint32_t held = EpisodeStore::kNone;  // the held episode it was joined to
  std::size_t line = 0;
  std::string key;
  std::size_t errors_begin = 0, errors_end = 0;  // its errors in the batch
  AuditFigures figures;                          // its pair's figures (scored rows only)
  std::array<std::string, 4> breakdown;
};

// What a batch adds to the summary: made on the worker (assuming no row of it repeats a key already
// audited), merged on the delivering thread.
struct Aggregate {
  AuditFigures figures;
  std::array<std::unordered_map<std::string, AuditFigures>, 4> breakdowns;
  std::unordered_map<std::string, std::size_t> wrong;  // code errors by the code they name
  std::array<std::size_t, kCodeErrorKinds> by_kind{};
  std::size_t code_errors = 0;

  void Pair(const RowResult& r, int sign = 1) {
    figures.Add(r.figures, sign);
    for (std::size_t d = 0; d < r.breakdown.size(); ++d) {
      if (!r.breakdown[d].empty()) breakdowns[d][r.breakdown[d]].Add(r.figures, sign);
    }
  }
  void Errors(const AuditError* begin, const AuditError* end) {
    for (const AuditError* e = begin; e != end; ++e) {
      if (!IsCodeError(e->kind)) continue;
      ++code_errors;
      ++by_kind[static_cast<std::size_t>(e->kind)];
      const std::string& code = e->audited_code.empty() ? e->original_code : e->audited_code;
      if (!code.empty()) ++wrong[code];
    }
  }
  void MergeInto(Aggregate* into) const {
    into->figures.Add(figures);
    for (std::size_t d = 0; d < breakdowns.size(); ++d) {
      for (const auto& [value, f] : breakdowns[d]) into->breakdowns[d][value].Add(f);
    }
    for (const auto& [code, n] : wrong) into->wrong[code] += n;
    for (std::size_t k = 0; k < kCodeErrorKinds; ++k) into->by_kind[k] += by_kind[k];
    into->code_errors += code_errors;
  }
};

// Everything the run shares.
struct Run {
  const Validator& validator;
  const AuditOptions& options;
  KeptColumns kept;
  bool original_held = false;
  std::string held_name, streamed_name;
  EpisodeStore store;
};

AuditError RowError(AuditErrorKind kind, const std::string& id, const std::string& file, std::size_t line,
                    std::string detail) {
  AuditError e;
  e.kind = kind;
  e.episode_id = id;
  e.file = file;
  e.line = line;
  e.detail = std::move(detail);
  return e;
}

// The held file, read into the store.
class StoreBatch : public coding::EpisodeBatch {
 public:
  explicit StoreBatch(const Run& run) : run_(run) {}
  void Add(const Episode& e) override {
    ++rows;
    std::string key = KeyOf(e, run_.kept);
    if (key.empty()) {
      errors.push_back(RowError(AuditErrorKind::kUnreadable, e.id, run_.held_name, e.line,
                                fmt::format("no {} value to join the files on", run_.kept.names[0])));
      return;
    }
    coding::EncodeEpisode(key, e, &arena);
    hashes.push_back(detail::FlatIndex::Hash(key));
  }
  void Unreadable(std::size_t line, const std::string& why) override {
    ++rows;
    errors.push_back(RowError(AuditErrorKind::kUnreadable, fmt::format("line {}", line), run_.held_name, line, why));
  }
  void Finish() override { arena.shrink_to_fit(); }  // held for the whole run: no slack

  std::size_t rows = 0;
  std::string arena;
  std::vector<std::uint64_t> hashes;  // of each episode's key, for the store's index
  std::vector<AuditError> errors;

 private:
  const Run& run_;
};

// The streamed file: each row joined and compared.
class PairBatch : public coding::EpisodeBatch {
 public:
  explicit PairBatch(const Run& run, const AuditSink* sink) : run_(run), sink_(sink) {}
  void Add(const Episode& e) override {
    RowResult r;
    r.line = e.line;
    r.key = KeyOf(e, run_.kept);
    r.errors_begin = errors.size();
    if (r.key.empty()) {
      errors.push_back(RowError(AuditErrorKind::kUnreadable, e.id, run_.streamed_name, e.line,
                                fmt::format("no {} value to join the files on", run_.kept.names[0])));
    } else if ((r.held = run_.store.Find(r.key)) == EpisodeStore::kNone) {
      const AuditErrorKind kind =
          run_.original_held ? AuditErrorKind::kUnmatchedAudited : AuditErrorKind::kUnmatchedOriginal;
      errors.push_back(RowError(kind, r.key, run_.streamed_name, e.line,
                                fmt::format("no episode with this key in {}", run_.held_name)));
    } else {
      thread_local Episode held;
      const bool same = run_.store.SameWrittenCodes(r.held, e);
      if (same)
        run_.store.DecodeContext(r.held, &held);  // coded alike: the codes are e's
      else
        run_.store.Decode(r.held, &held);
      const Episode& original = run_.original_held ? held : e;
      const Episode& audited = run_.original_held ? e : held;
      // A pair coded alike is e against itself (no error, every code right); only its context is the held one's.
      if (same)
        AuditEpisodePair(e, e, nullptr, &errors, &r.figures);
      else
        AuditEpisodePair(original, audited, &run_.validator, &errors, &r.figures);
      for (std::size_t i = r.errors_begin; i < errors.size(); ++i) errors[i].episode_id = r.key;  // as joined
      r.breakdown = BreakdownValues(original, audited, run_.kept);
      aggregate.Pair(r);
    }
    r.errors_end = errors.size();
    rows.push_back(std::move(r));
  }
  void Unreadable(std::size_t line, const std::string& why) override {
    RowResult r;
    r.line = line;
    r.errors_begin = errors.size();
    errors.push_back(
        RowError(AuditErrorKind::kUnreadable, fmt::format("line {}", line), run_.streamed_name, line, why));
    r.errors_end = errors.size();
    rows.push_back(std::move(r));
  }
  void Finish() override {
    aggregate.Errors(errors.data(), errors.data() + errors.size());
    if (sink_ != nullptr && !errors.empty()) formatted = sink_->Format(errors);
  }

  std::vector<RowResult> rows;
  std::vector<AuditError> errors;
  std::string formatted;
  Aggregate aggregate;

 private:
  const Run& run_;
  const AuditSink* sink_;
};

// Writes what the delivering thread accepts and keeps the run's aggregate; fills the summary at the end.
class Merger {
 public:
  Merger(AuditSummary* s, AuditSink* sink, std::size_t report_limit) : s_(s), sink_(sink), limit_(report_limit) {}

  // Errors whose counts are in an aggregate merged with Merge (or are rows, which have none).
  void Write(const std::vector<AuditError>& errors, const std::string& formatted) {
    if (errors.empty()) return;
    if (sink_ != nullptr) sink_->Write(errors, formatted.empty() ? sink_->Format(errors) : formatted);
    for (std::size_t i = 0; i < errors.size() && s_->report_errors.size() < limit_; ++i)
      s_->report_errors.push_back(errors[i]);
  }
  void Merge(const Aggregate& a) { a.MergeInto(&total_); }

  void Finish() {
    s_->figures = total_.figures;
    s_->errors_by_kind = total_.by_kind;
    s_->code_errors = total_.code_errors;
    // The codes most often wrong: the 25 most frequent, kept in the summary.
    std::vector<std::pair<std::string, std::size_t>> v(total_.wrong.begin(), total_.wrong.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (v.size() > 25) v.resize(25);
    s_->codes_most_often_wrong = std::map<std::string, std::size_t>(v.begin(), v.end());
    for (std::size_t d = 0; d < total_.breakdowns.size(); ++d) {
      if (!total_.breakdowns[d].empty())
        s_->breakdowns[DimensionName(d)] =
            std::map<std::string, AuditFigures>(total_.breakdowns[d].begin(), total_.breakdowns[d].end());
    }
  }

 private:
  AuditSummary* s_;
  AuditSink* sink_;
  std::size_t limit_;
  Aggregate total_;
};

std::size_t FileSize(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<std::size_t>(st.st_size);
}

ValidateOptions StreamOptions(const AuditOptions& options, const std::string& name) {
  ValidateOptions o;
  o.threads = options.threads;
  o.source_name = name;
  o.keep_going = options.keep_going;
  return o;
}

}  // namespace

Result<AuditSummary> AuditFiles(const std::string& original, const std::string& audited, const Validator& validator,
                                AuditSink* sink, const AuditOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  Run run{validator, options, ColumnsFor(options.key)};
  AuditSummary s;
  s.original_source = options.original_name.empty() ? original : options.original_name;
  s.audited_source = options.audited_name.empty() ? audited : options.audited_name;
  s.key = run.kept.key_column ? run.kept.names[0] : "EPIKEY";
  s.profile_id = options.profile;
  s.notices = validator.notices();
  // The smaller file is held (the audited sample, usually); from a pipe (size unknown) the original.
  const std::size_t original_bytes = FileSize(original), audited_bytes = FileSize(audited);
  run.original_held = original_bytes == 0 || (audited_bytes != 0 && original_bytes <= audited_bytes);
  const std::size_t held_bytes = run.original_held ? original_bytes : audited_bytes;
  const std::string& held_path = run.original_held ? original : audited;
  const std::string& streamed_path = run.original_held ? audited : original;
  run.held_name = run.original_held ? s.original_source : s.audited_source;
  run.streamed_name = run.original_held ? s.audited_source : s.original_source;
  std::size_t& held_rows = run.original_held ? s.rows_original : s.rows_audited;
  std::size_t& held_unreadable = run.original_held ? s.unreadable_original : s.unreadable_audited;
  std::size_t& streamed_rows = run.original_held ? s.rows_audited : s.rows_original;
  std::size_t& streamed_unreadable = run.original_held ? s.unreadable_audited : s.unreadable_original;
  std::size_t& streamed_unmatched = run.original_held ? s.unmatched_audited : s.unmatched_original;
  std::size_t& held_unmatched = run.original_held ? s.unmatched_original : s.unmatched_audited;
  const coding::StreamColumns columns{run.kept.names, run.kept.key_column};
  Merger merge(&s, sink, options.report_errors);

  Status read = coding::StreamEpisodes(
      held_path, StreamOptions(options, run.held_name), [&] { return std::make_unique<StoreBatch>(run); },
      [&](coding::EpisodeBatch& b) {
        auto& batch = static_cast<StoreBatch&>(b);
        if (held_rows == 0 && batch.rows > 0 && held_bytes > 0) {
          // Room for the whole file, judged by the first chunk's rows: the index never grows on the way.
          run.store.Reserve(held_bytes / kChunkBytes * batch.rows + batch.rows);
        }
        held_rows += batch.rows;
        run.store.AddBatch(
            std::move(batch.arena), batch.hashes, [&](std::string_view key, std::size_t line, std::size_t first) {
              batch.errors.push_back(RowError(AuditErrorKind::kUnreadable, std::string(key), run.held_name, line,
                                              fmt::format("a second row for this key (the first is line {})", first)));
            });
        held_unreadable += batch.errors.size();
        merge.Write(batch.errors, {});
      },
      columns);
  if (!read.ok()) return read;

  std::vector<bool> joined(run.store.size(), false);
  read = coding::StreamEpisodes(
      streamed_path, StreamOptions(options, run.streamed_name), [&] { return std::make_unique<PairBatch>(run, sink); },
      [&](coding::EpisodeBatch& b) {
        auto& batch = static_cast<PairBatch&>(b);
        std::vector<std::size_t> repeats;  // rows whose key was already audited, by index
        for (std::size_t k = 0; k < batch.rows.size(); ++k) {
          const RowResult& r = batch.rows[k];
          ++streamed_rows;
          if (r.held == EpisodeStore::kNone) {
            const bool unreadable =
                r.errors_end > r.errors_begin && batch.errors[r.errors_begin].kind == AuditErrorKind::kUnreadable;
            ++(unreadable ? streamed_unreadable : streamed_unmatched);
          } else if (joined[r.held]) {
            ++streamed_unreadable;
            repeats.push_back(k);
          } else {
            joined[r.held] = true;
            ++s.episodes_audited;
          }
        }
        if (repeats.empty()) {
          merge.Merge(batch.aggregate);
          return merge.Write(batch.errors, batch.formatted);
        }
        // A second row with a key already audited is not scored: its pair and errors give way to the reason.
        std::vector<AuditError> kept;
        std::size_t next = 0;
        for (std::size_t k = 0; k < batch.rows.size(); ++k) {
          const RowResult& r = batch.rows[k];
          if (next < repeats.size() && repeats[next] == k) {
            ++next;
            batch.aggregate.Pair(r, -1);
            kept.push_back(RowError(AuditErrorKind::kUnreadable, r.key, run.streamed_name, r.line,
                                    "a second row for this key, already audited"));
            continue;
          }
          for (std::size_t i = r.errors_begin; i < r.errors_end; ++i) kept.push_back(std::move(batch.errors[i]));
        }
        Aggregate errors_of_kept;
        errors_of_kept.Errors(kept.data(), kept.data() + kept.size());
        batch.aggregate.wrong = std::move(errors_of_kept.wrong);
        batch.aggregate.by_kind = errors_of_kept.by_kind;
        batch.aggregate.code_errors = errors_of_kept.code_errors;
        merge.Merge(batch.aggregate);
        merge.Write(kept, {});
      },
      columns);
  if (!read.ok()) return read;

  // The held file's episodes the streamed file did not have, in the held file's order.
  std::vector<AuditError> unmatched;
  const AuditErrorKind kind =
      run.original_held ? AuditErrorKind::kUnmatchedOriginal : AuditErrorKind::kUnmatchedAudited;
  for (std::uint32_t i = 0; i < run.store.size(); ++i) {
    if (joined[i]) continue;
    ++held_unmatched;
    unmatched.push_back(RowError(kind, std::string(run.store.KeyOf(i)), run.held_name, run.store.LineOf(i),
                                 fmt::format("no episode with this key in {}", run.streamed_name)));
    if (unmatched.size() == 4096) {
      merge.Write(unmatched, {});
      unmatched.clear();
    }
  }
  merge.Write(unmatched, {});
  merge.Finish();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return s;
}

}  // namespace clincode
