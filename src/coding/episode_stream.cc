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

#include "util/text.h"

namespace clincode::coding {
namespace {

// Rows longer than the limit are replaced in the chunk by this marker and their length.
constexpr char kOverlongMarker = '\x01';

struct Chunk {
  std::size_t seq = 0;
  std::size_t first_line = 0;  // line number of the chunk's first row
  std::string text;            // whole rows, each ending in '\n'
};

using ChunkResult = std::unique_ptr<EpisodeBatch>;

enum class InputKind { kCsv, kJsonLines };

// Splits a chunk into rows and reads each as an episode, or says why it cannot be read.
void Process(const Chunk& chunk, InputKind kind, const EpisodeCsvReader* csv, std::size_t max_line_bytes,
             EpisodeBatch* batch) {
  Episode ep;
  std::size_t line_no = chunk.first_line;
  std::string_view rest = chunk.text;
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    std::size_t this_line = line_no++;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (text::Trim(line).empty()) continue;
    std::string why;
    if (line[0] == kOverlongMarker) {
      why = fmt::format("the row is {} bytes; the limit is {} bytes", line.substr(1), max_line_bytes);
    } else if (line.size() > max_line_bytes) {
      why = fmt::format("the row is {} bytes; the limit is {} bytes", line.size(), max_line_bytes);
    } else {
      std::size_t bad = 0;
      if (!text::IsValidUtf8(line, &bad)) {
        why = fmt::format("not UTF-8 (byte 0x{:02X} at column {})", static_cast<unsigned char>(line[bad]), bad + 1);
      } else if (kind == InputKind::kCsv) {
        why = csv->ReadRow(line, this_line, &ep);
      } else {
        auto parsed = EpisodeFromJson(line);
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

  // The first line (the header, or the first JSON object), without byte-order mark or line end.
  std::string FirstLine() {
    std::string first;
    int c;
    while ((c = std::fgetc(f_)) != EOF && c != '\n' && first.size() <= options_.max_line_bytes) {
      first.push_back(static_cast<char>(c));
    }
    if (first.size() >= 3 && first.compare(0, 3, "\xEF\xBB\xBF") == 0) first.erase(0, 3);
    if (!first.empty() && first.back() == '\r') first.pop_back();
    next_line_ = 2;
    return first;
  }
  // For JSON lines: the first line is a row too.
  void KeepAsRow(const std::string& first) {
    pending_ = first + "\n";
    next_line_ = 1;
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
  void EndSkip() {
    pending_ += kOverlongMarker + std::to_string(skipping_) + "\n";
    skipping_ = 0;
  }
  void Emit(std::string text, Chunk* out) {
    std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    *out = Chunk{seq_++, next_line_, std::move(text)};
    next_line_ += lines;
  }

  std::FILE* f_;
  std::size_t total_, done_ = 0, seq_ = 0, next_line_ = 1, skipping_ = 0;
  const ValidateOptions& options_;
  std::string block_, pending_;
  bool eof_ = false, failed_ = false;
};

}  // namespace

Status StreamEpisodes(const std::string& path, const ValidateOptions& options,
                      const std::function<std::unique_ptr<EpisodeBatch>()>& make,
                      const std::function<void(EpisodeBatch&)>& deliver) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IoError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  struct stat st {};
  ChunkReader reader(f, ::stat(path.c_str(), &st) == 0 ? static_cast<std::size_t>(st.st_size) : 0, options);

  // The header (or the first JSON object) decides the input kind.
  std::string first = reader.FirstLine();
  if (text::Trim(first).empty()) {
    return InvalidArgument(
        fmt::format("{} is empty: expected a header row (EPIKEY, SEX, DIAG_01, OPERTN_01, ...) or JSON lines", path));
  }
  InputKind kind = text::Trim(first)[0] == '{' ? InputKind::kJsonLines : InputKind::kCsv;
  std::optional<EpisodeCsvReader> csv;
  if (kind == InputKind::kCsv) {
    auto header = EpisodeCsvReader::FromHeader(first, path);
    if (!header.ok()) return header.status();
    csv.emplace(std::move(header).value());
  } else {
    reader.KeepAsRow(first);
  }
  auto hand_on = [&](ChunkResult& r) { deliver(*r); };
  unsigned threads = options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  Pipeline pipeline(threads, [&](const Chunk& chunk) {
    ChunkResult r = make();
    Process(chunk, kind, csv ? &*csv : nullptr, options.max_line_bytes, r.get());
    return r;
  });
  for (Chunk chunk; reader.Next(&chunk);) pipeline.Push(std::move(chunk), hand_on);
  pipeline.Drain(hand_on);
  if (reader.failed()) return IoError(fmt::format("error reading {}", path));
  return Status::Ok();
}

}  // namespace clincode::coding
