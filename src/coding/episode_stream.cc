#include "coding/episode_stream.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "util/text.h"

namespace clincode::coding {
namespace {

// A row longer than the limit: it is not held, and an empty line stands in its place in the chunk's text.
struct Overlong {
  std::size_t line = 0;
  std::size_t bytes = 0;
};

struct Chunk {
  std::size_t seq = 0;
  std::size_t first_line = 0;      // line number of the chunk's first row
  std::string text;                // whole rows, each ending in '\n'
  std::vector<Overlong> overlong;  // in line order
};

using ChunkResult = std::unique_ptr<EpisodeBatch>;

enum class InputKind { kCsv, kJsonLines };

// Splits a chunk into rows and reads each as an episode, or says why it cannot be read.
void Process(const Chunk& chunk, InputKind kind, const EpisodeCsvReader* csv, std::size_t max_line_bytes,
             const std::vector<std::string>& keep, EpisodeBatch* batch) {
  Episode ep;
  std::size_t line_no = chunk.first_line;
  std::string_view rest = chunk.text;
  auto overlong = chunk.overlong.begin();
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    std::size_t this_line = line_no++;
    if (overlong != chunk.overlong.end() && overlong->line == this_line) {
      batch->Unreadable(this_line,
                        fmt::format("the row is {} bytes; the limit is {} bytes", overlong->bytes, max_line_bytes));
      ++overlong;
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (text::Trim(line).empty()) continue;
    std::string why;
    if (line.size() > max_line_bytes) {
      why = fmt::format("the row is {} bytes; the limit is {} bytes", line.size(), max_line_bytes);
    } else {
      std::size_t bad = 0;
      if (!text::IsValidUtf8(line, &bad)) {
        why = fmt::format("not UTF-8 (byte 0x{:02X} at column {})", static_cast<unsigned char>(line[bad]), bad + 1);
      } else if (kind == InputKind::kCsv) {
        why = csv->ReadRow(line, this_line, &ep);
      } else {
        auto parsed = EpisodeFromJson(line, keep);
        if (parsed.ok()) {
          ep = std::move(parsed).value();
          ep.line = this_line;
          if (ep.id.empty()) ep.id = fmt::format("line {}", this_line);
        } else {
          why = parsed.status().message();
        }
      }
    }
    if (!why.empty()) {
      batch->Unreadable(this_line, why);
    } else {
      batch->Add(ep);
    }
  }
  batch->Finish();
}

// Hands chunks to worker threads and takes back results in order, holding at most `limit` at a time.
class Pipeline {
 public:
  Pipeline(unsigned threads, std::function<ChunkResult(const Chunk&)> work) : work_(std::move(work)) {
    limit_ = 2 * threads + 2;
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { Run(); });
  }
  ~Pipeline() { Finish(); }

  // Blocks while too many chunks are in flight, delivering finished results to `deliver` meanwhile.
  void Push(Chunk chunk, const std::function<void(ChunkResult&)>& deliver) {
    std::unique_lock<std::mutex> lock(mu_);
    while (in_flight_ >= limit_) DeliverReady(&lock, deliver, true);
    ++in_flight_;
    queue_.push_back(std::move(chunk));
    work_ready_.notify_one();
    DeliverReady(&lock, deliver, false);
  }

  void Drain(const std::function<void(ChunkResult&)>& deliver) {
    std::unique_lock<std::mutex> lock(mu_);
    while (in_flight_ > 0) DeliverReady(&lock, deliver, true);
  }

  void Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    work_ready_.notify_all();
    for (auto& t : workers_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  void Run() {
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_ready_.wait(lock, [&] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;
        chunk = std::move(queue_.front());
        queue_.pop_front();
      }
      ChunkResult r = work_(chunk);
      {
        std::lock_guard<std::mutex> lock(mu_);
        results_.emplace(chunk.seq, std::move(r));
      }
      result_ready_.notify_all();
    }
  }

  // Delivers results in sequence order; when `wait`, first waits for the next one.
  void DeliverReady(std::unique_lock<std::mutex>* lock, const std::function<void(ChunkResult&)>& deliver, bool wait) {
    if (wait) result_ready_.wait(*lock, [&] { return results_.count(next_) > 0; });
    for (auto it = results_.find(next_); it != results_.end(); it = results_.find(next_)) {
      ChunkResult r = std::move(it->second);
      results_.erase(it);
      ++next_;
      --in_flight_;
      lock->unlock();
      deliver(r);
      lock->lock();
    }
  }

  std::function<ChunkResult(const Chunk&)> work_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_ready_, result_ready_;
  std::deque<Chunk> queue_;
  std::map<std::size_t, ChunkResult> results_;
  std::size_t next_ = 0, in_flight_ = 0, limit_ = 4;
  bool done_ = false;
};

// Reads a file and cuts it into chunks of whole rows at the last line end of each block, counting their line
// ends (both vectorised in libc); rows are split and parsed by the workers. A row longer than the limit is
// skipped without being held and replaced by a marker row. Owns the file.
class ChunkReader {
 public:
  ChunkReader(std::FILE* f, std::size_t total, const ValidateOptions& options)
      : f_(f), total_(total), options_(options), block_(options.chunk_bytes, '\0') {}
  ~ChunkReader() { std::fclose(f_); }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // The first line (the header, or the first JSON object), without byte-order mark or line end. A first
  // line over the row limit is read to its end but only its first max_line_bytes are kept; *bytes gets its
  // whole length either way.
  std::string FirstLine(std::size_t* bytes) {
    std::string first;
    std::size_t length = 0;
    for (int c; (c = getc_unlocked(f_)) != EOF && c != '\n';) {
      if (++length <= options_.max_line_bytes) first.push_back(static_cast<char>(c));
    }
    done_ = length + 1;
    if (first.size() >= 3 && first.compare(0, 3, "\xEF\xBB\xBF") == 0) first.erase(0, 3);
    if (!first.empty() && first.back() == '\r') first.pop_back();
    next_line_ = 2;
    *bytes = length;
    return first;
  }
  // For JSON lines: the first line is a row too (`bytes` long, over the limit when it was cut).
  void KeepAsRow(const std::string& first, std::size_t bytes) {
    next_line_ = 1;
    if (bytes > options_.max_line_bytes) {
      overlong_.push_back({1, bytes});
      pending_ = "\n";
    } else {
      pending_ = first + "\n";
    }
  }

  // The next chunk, or false at the end of the file.
  bool Next(Chunk* out) {
    while (!eof_) {
      std::size_t n = std::fread(block_.data(), 1, block_.size(), f_);
      if (n == 0) {
        eof_ = true;
        failed_ = std::ferror(f_) != 0;
        if (skipping_ > 0) EndSkip();
        break;
      }
      done_ += n;
      if (options_.progress) options_.progress(done_, total_);
      if (Take(std::string_view(block_.data(), n), out)) return true;
    }
    if (pending_.empty()) return false;
    Emit(std::move(pending_), out);
    pending_.clear();
    return true;
  }
  bool failed() const { return failed_; }

 private:
  // Adds a block; true when a chunk is ready in *out.
  bool Take(std::string_view data, Chunk* out) {
    if (skipping_ > 0) {
      std::size_t nl = data.find('\n');
      if (nl == std::string_view::npos) {
        skipping_ += data.size();
        return false;
      }
      skipping_ += nl;
      EndSkip();
      data.remove_prefix(nl + 1);
    }
    pending_.append(data);
    std::size_t last = pending_.rfind('\n');
    std::size_t tail = last == std::string::npos ? pending_.size() : pending_.size() - last - 1;
    bool ready = false;
    if (last != std::string::npos && pending_.size() >= options_.chunk_bytes) {
      std::string rest = pending_.substr(last + 1);
      pending_.resize(last + 1);
      Emit(std::move(pending_), out);
      pending_ = std::move(rest);
      ready = true;
    }
    if (tail > options_.max_line_bytes) {  // the unfinished row is too long: stop holding it
      skipping_ = tail;
      pending_.resize(pending_.size() - tail);
    }
    return ready;
  }
  // The skipped row's line: the lines already held come before it. Counting them costs a pass over the
  // pending text, once per overlong row, and every such row is over a megabyte: linear in the input.
  void EndSkip() {
    std::size_t line = next_line_ + static_cast<std::size_t>(std::count(pending_.begin(), pending_.end(), '\n'));
    overlong_.push_back({line, skipping_});
    pending_ += "\n";
    skipping_ = 0;
  }
  // Every overlong row recorded so far lies in `text`: its stand-in line ends before the cut.
  void Emit(std::string text, Chunk* out) {
    std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    *out = Chunk{seq_++, next_line_, std::move(text), std::move(overlong_)};
    overlong_.clear();
    next_line_ += lines;
  }

  std::FILE* f_;
  std::size_t total_, done_ = 0, seq_ = 0, next_line_ = 1, skipping_ = 0;
  const ValidateOptions& options_;
  std::string block_, pending_;
  std::vector<Overlong> overlong_;
  bool eof_ = false, failed_ = false;
};

}  // namespace

Status StreamEpisodes(const std::string& path, const ValidateOptions& options,
                      const std::function<std::unique_ptr<EpisodeBatch>()>& make,
                      const std::function<void(EpisodeBatch&)>& deliver, const StreamColumns& columns) {
  const std::string& name = options.source_name.empty() ? path : options.source_name;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IoError(fmt::format("cannot open {}: {}", name, std::strerror(errno)));
  // A file, or a pipe a program writes into; a folder or a device (/dev/zero never ends) is refused.
  struct stat st {};
  if (::fstat(::fileno(f), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
    bool folder = S_ISDIR(st.st_mode);
    std::fclose(f);
    return InvalidArgument(fmt::format("{} is {}, not an episode file", name, folder ? "a folder" : "a device"));
  }
  ChunkReader reader(f, S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0, options);

  // The header (or the first JSON object) decides the input kind.
  std::size_t first_bytes = 0;
  std::string first = reader.FirstLine(&first_bytes);
  if (text::Trim(first).empty()) {
    return InvalidArgument(
        fmt::format("{} is empty: expected a header row (EPIKEY, SEX, DIAG_01, OPERTN_01, ...) or JSON lines", name));
  }
  InputKind kind = text::Trim(first)[0] == '{' ? InputKind::kJsonLines : InputKind::kCsv;
  std::optional<EpisodeCsvReader> csv;
  if (kind == InputKind::kCsv && !options.header.empty()) {
    // A header given for a headerless input: the first line is a row like the others.
    auto header = EpisodeCsvReader::FromHeader(options.header, name, columns.keep);
    if (!header.ok()) return header.status();
    csv.emplace(std::move(header).value());
    reader.KeepAsRow(first, first_bytes);
  } else if (kind == InputKind::kCsv) {
    if (first_bytes > options.max_line_bytes) {
      return InvalidArgument(fmt::format("{}:1: the header row is {} bytes; the limit is {} bytes", name, first_bytes,
                                         options.max_line_bytes));
    }
    auto header = EpisodeCsvReader::FromHeader(first, name, columns.keep);
    if (!header.ok()) return header.status();
    if (columns.require_first && !columns.keep.empty() && !header->HasColumn(columns.keep.front())) {
      return InvalidArgument(fmt::format("{}:1: the header has no {} column", name, columns.keep.front()));
    }
    csv.emplace(std::move(header).value());
  } else {
    reader.KeepAsRow(first, first_bytes);
  }
  auto hand_on = [&](ChunkResult& r) { deliver(*r); };
  unsigned threads = options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  Pipeline pipeline(threads, [&](const Chunk& chunk) {
    ChunkResult r = make();
    Process(chunk, kind, csv ? &*csv : nullptr, options.max_line_bytes, columns.keep, r.get());
    return r;
  });
  bool stopped = false;
  for (Chunk chunk; reader.Next(&chunk);) {
    if (options.keep_going && !options.keep_going()) {
      stopped = true;
      break;
    }
    pipeline.Push(std::move(chunk), hand_on);
  }
  pipeline.Drain(hand_on);
  if (stopped) return Cancelled(fmt::format("stopped before the end of {}", name));
  if (reader.failed()) return IoError(fmt::format("error reading {}", name));
  return Status::Ok();
}

}  // namespace clincode::coding
