// The only file that speaks HTTP: Boost.Beast for the protocol, Asio for the sockets (ARCHITECTURE.md says
// why not cpp-httplib). Everything a request means is decided by the Dispatcher.
#include "http_server.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <future>
#include <iterator>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "dispatch.h"

namespace clincode::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// The request target may be at most 8 KiB (as cpp-httplib, nginx and most servers allow), the header fields
// 8 KiB and the whole head 16 KiB: a real request's head is a few hundred bytes.
constexpr std::size_t kMaxTargetBytes = 8 << 10;
constexpr std::size_t kMaxFieldBytes = 8 << 10;
constexpr std::size_t kMaxHeadBytes = 16 << 10;
// A body is read in pieces of this size, straight into memory or the spooled file.
constexpr std::size_t kBodyPieceBytes = 64 << 10;
// Writing an answer may take io_timeout plus a second for every this many bytes: a slow reader of a large
// expansion still gets it, a reader that stops does not hold the connection for ever.
constexpr std::size_t kBytesPerExtraSecond = 64 << 10;
// After an answer that ends the connection, what the client still sends is read (and dropped) for this long
// and up to this much, so that it gets the answer before the connection closes.
constexpr int kLingerSeconds = 2;
constexpr std::size_t kMaxLingerBytes = 8 << 20;

// One line per request: client method target status time bytes. Lines are gathered in memory and written
// by a thread of their own every 100 ms (or once 64 KiB are waiting): a write to the log file for every
// request was a system call per request on the threads that serve connections.
class RequestLog {
 public:
  RequestLog(std::FILE* out, bool on) : out_(out), on_(on) {
    if (on_) writer_ = std::thread([this] { Run(); });
  }
  ~RequestLog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
  }
  // The target is shown as sent, cut at 200 bytes, with bytes that are not printable ASCII written as \xNN
  // (the log is text, whatever a client sends).
  void Write(const std::string& remote, std::string_view method, std::string_view target, int status,
             Clock::time_point start, std::size_t bytes) {
    if (!on_) return;
    std::string shown;
    for (std::size_t i = 0; i < target.size() && i < 200; ++i) {
      auto c = static_cast<unsigned char>(target[i]);
      if (c > 0x20 && c < 0x7F)
        shown.push_back(static_cast<char>(c));
      else
        shown += fmt::format("\\x{:02X}", c);
    }
    if (target.size() > 200) shown += "...";
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    bool full = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fmt::format_to(std::back_inserter(pending_), "{} {} {} {} {:.3f}ms {}\n", remote, method.empty() ? "-" : method,
                     shown.empty() ? "-" : shown, status, ms, bytes);
      full = pending_.size() >= kFlushBytes;
    }
    if (full) wake_.notify_one();
  }

 private:
  static constexpr std::size_t kFlushBytes = 64 << 10;
  void Run() {
    std::string out;
    for (bool last = false; !last;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, std::chrono::milliseconds(100), [&] { return done_ || pending_.size() >= kFlushBytes; });
        last = done_;
        out.swap(pending_);
      }
      if (out.empty()) continue;
      std::fwrite(out.data(), 1, out.size(), out_);
      std::fflush(out_);
      out.clear();
    }
  }
  std::FILE* out_;
  bool on_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::string pending_;
  bool done_ = false;
  std::thread writer_;
};

// Threads for the long-running routes. Tasks run in the order posted.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads) {
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~WorkerPool() { Stop(); }
  void Post(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }
  // Runs what is queued, then joins.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  void Run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [&] { return done_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool done_ = false;
};

class Session;

// What every connection shares: the dispatcher, the options, the log, the workers, and the set of open
// sessions (so that a stop can close the idle ones).
struct Shared {
  const Dispatcher& dispatch;
  const ServerOptions& options;
  RequestLog& log;
  WorkerPool& workers;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::condition_variable none_left;
};

// A bound temporary file holding an upload. It is unlinked as soon as it is made, so it vanishes with the
// descriptor, whatever happens to the request or the process; handlers open it as /proc/self/fd/N.
class SpoolFile {
 public:
  SpoolFile() = default;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  ~SpoolFile() { Close(); }
  bool Open() {
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/clincode-upload-XXXXXX";
    fd_ = ::mkstemp(path.data());
    if (fd_ < 0) return false;
    ::unlink(path.c_str());
    return true;
  }
  bool Write(const char* data, std::size_t n) {
    for (std::size_t done = 0; done < n;) {
      ssize_t w = ::write(fd_, data + done, n - done);
      if (w <= 0) return false;
      done += static_cast<std::size_t>(w);
    }
    return true;
  }
  std::string Path() const { return fmt::format("/proc/self/fd/{}", fd_); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared* shared) : stream_(std::move(socket)), shared_(shared) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "-" : ep.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }

  void Start() {
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      shared_->sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHead(); });
  }

  ~Session() {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->sessions.erase(this);
    if (shared_->sessions.empty()) shared_->none_left.notify_all();
  }

  // Closes the connection if it is waiting for a request (called on stop, from any thread).
  void StopIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;  // the socket may be closed already: never the throwing overloads here
      if (self->idle_) self->stream_.socket().cancel(ec);
    });
  }

 private:
  const ServerOptions& options() const { return shared_->options; }

  // ---- Reading a request -----------------------------------------------------------------------------
  void ReadHead() {
    parser_.emplace();
    parser_->header_limit(kMaxHeadBytes);
    // Counted as it is read, against the route's own limit. (Not boost::none: Boost 1.74 compares a content
    // length against an empty optional as greater, and refuses every body.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    idle_ = true;
    int seconds = first_ ? options().header_timeout_seconds : options().keep_alive_seconds;
    stream_.expires_after(std::chrono::seconds(seconds));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHead, shared_from_this()));
  }

  void OnHead(beast::error_code ec, std::size_t) {
    idle_ = false;
    first_ = false;
    start_ = Clock::now();
    method_.clear();
    target_.clear();
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();  // the client went, was idle too long, or the server is stopping
    }
    if (ec == http::error::header_limit) {
      return Refuse(431, fmt::format("request head (request line and header fields) over {} bytes", kMaxHeadBytes));
    }
    if (ec) return Refuse(400, fmt::format("malformed request ({})", ec.message()));
    auto& req = parser_->get();
    method_ = std::string(req.method_string());
    target_ = std::string(req.target());
    keep_alive_ = req.keep_alive();
    if (target_.size() > kMaxTargetBytes) {
      return Refuse(414, fmt::format("request target (path and query) over {} bytes", kMaxTargetBytes));
    }
    std::size_t field_bytes = 0;
    for (const auto& f : req) field_bytes += f.name_string().size() + f.value().size() + 4;
    if (field_bytes > kMaxFieldBytes) {
      return Refuse(431, fmt::format("request header fields over {} bytes", kMaxFieldBytes));
    }
    routed_ = shared_->dispatch.Route({method_, target_, std::string(req[http::field::content_type])});
    const bool has_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
    if (routed_->body == BodyUse::kNone) {
      if (has_body) keep_alive_ = false;  // not read: the connection cannot carry another request
      return Run();
    }
    limit_ = routed_->body == BodyUse::kSpool ? options().max_upload_bytes : options().max_body_bytes;
    if (parser_->content_length().value_or(0) > limit_) return Refuse(413, OverLimit());
    if (routed_->body == BodyUse::kSpool && !spool_.Open()) {
      return Refuse(503, "cannot store the upload now (no room for a temporary file)");
    }
    body_.clear();
    body_bytes_ = 0;
    piece_ = std::make_unique<char[]>(kBodyPieceBytes);
    body_deadline_ = Clock::now() + std::chrono::minutes(15);
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
      stream_.expires_after(std::chrono::seconds(options().io_timeout_seconds));
      http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
        if (e) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  std::string OverLimit() const {
    return routed_->body == BodyUse::kSpool ? fmt::format("upload over the limit of {} bytes", limit_)
                                            : fmt::format("request body over the limit of {} bytes", limit_);
  }

  // Reads the body a piece at a time, each read bounded by io_timeout (and the whole by a quarter of an hour),
  // so a slow upload is fine and a stalled one is dropped.
  void ReadBody() {
    if (parser_->is_done()) return BodyRead();
    auto& body = parser_->get().body();
    body.data = piece_.get();
    body.size = kBodyPieceBytes;
    auto left = std::chrono::duration_cast<std::chrono::seconds>(body_deadline_ - Clock::now());
    stream_.expires_after(std::min<std::chrono::seconds>(std::chrono::seconds(options().io_timeout_seconds),
                                                         std::max(left, std::chrono::seconds(0))));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnBodyPiece, shared_from_this()));
  }

  void OnBodyPiece(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec == beast::error::timeout) return Refuse(408, "the request body stopped arriving");
    if (ec) return Refuse(400, fmt::format("the request body could not be read ({})", ec.message()));
    const std::size_t got = kBodyPieceBytes - parser_->get().body().size;
    body_bytes_ += got;
    if (body_bytes_ > limit_) return Refuse(413, OverLimit());
    if (routed_->body == BodyUse::kSpool) {
      if (!spool_.Write(piece_.get(), got)) return Refuse(503, "cannot store the upload now (disk full?)");
    } else {
      body_.append(piece_.get(), got);
    }
    if (parser_->is_done()) return BodyRead();
    ReadBody();
  }

  void BodyRead() {
    piece_.reset();
    if (routed_->body == BodyUse::kSpool) {
      if (body_bytes_ == 0)
        return Refuse(400, "the request body is empty: send the CSV or JSON-lines file as the body");
      routed_->request.body_file = spool_.Path();
    } else {
      routed_->request.body = std::move(body_);
    }
    Run();
  }

  // ---- Answering ---------------------------------------------------------------------------------------
  void Run() {
    if (!routed_->long_running()) {
      ApiResponse r = shared_->dispatch.Handle(*routed_);
      if (!r.stream) return Respond(std::move(r));
      // A stream is made by running work; that belongs on a worker.
      return shared_->workers.Post(
          [self = shared_from_this(), r = std::move(r)]() mutable { self->Stream(std::move(r)); });
    }
    shared_->workers.Post([self = shared_from_this()] {
      ApiResponse r = self->shared_->dispatch.Handle(*self->routed_);
      if (r.stream) return self->Stream(std::move(r));
      net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->Respond(std::move(r)); });
    });
  }

  void Refuse(int status, const std::string& message) {
    keep_alive_ = false;
    Respond(Dispatcher::Refused(target_, status, message));
  }

  template <class Body>
  void SetHead(http::response<Body>* res, const ApiResponse& r) const {
    res->set(http::field::content_type, r.content_type);
    res->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : r.headers) res->set(name, value);
    res->keep_alive(keep_alive_ && !shared_->stopping.load());
  }

  void Respond(ApiResponse r) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status),
                                                                   parser_ ? parser_->get().version() : 11);
    SetHead(res.get(), r);
    const std::size_t bytes = r.body.size();
    res->body() = std::move(r.body);
    res->prepare_payload();
    if (method_ == "HEAD") res->body().clear();  // Content-Length stays that of the GET answer
    shared_->log.Write(remote_, method_, target_, r.status, start_, bytes);
    stream_.expires_after(std::chrono::seconds(options().io_timeout_seconds) +
                          std::chrono::seconds(bytes / kBytesPerExtraSecond));
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      self->Written(ec, res->keep_alive());
    });
  }

  void Written(beast::error_code ec, bool keep_alive) {
    spool_.Close();
    routed_.reset();
    if (ec) return Close();
    if (!keep_alive) return Linger();
    ReadHead();
  }

  // Closes after an answer without dropping it: the write side is shut first and what the client still sends
  // (the rest of a body that was refused) is read and thrown away for a moment. Closing at once would send
  // the client a reset, which can destroy the answer before it reads it.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    lingered_ = 0;
    piece_ = std::make_unique<char[]>(kBodyPieceBytes);
    stream_.expires_after(std::chrono::seconds(kLingerSeconds));
    Drain();
  }
  void Drain() {
    stream_.async_read_some(net::buffer(piece_.get(), kBodyPieceBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kMaxLingerBytes) return self->Close();
                              self->Drain();
                            });
  }

  // Runs on a worker: writes the answer's head, then each piece the stream makes as one chunk, then the last
  // chunk. Each write is handed to the connection's own executor and waited for; a client that stops
  // reading for io_timeout, or a stop, ends the stream (the writer returns false and the work stops early).
  void Stream(ApiResponse r) {
    auto head = std::make_shared<http::response<http::empty_body>>(static_cast<http::status>(r.status),
                                                                   parser_->get().version());
    SetHead(head.get(), r);
    head->chunked(true);
    const bool keep_alive = head->keep_alive();
    bool open = OnConnection([self = shared_from_this(), head](auto done) {
      auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*head);
      self->stream_.expires_after(std::chrono::seconds(self->options().io_timeout_seconds));
      http::async_write_header(self->stream_, *sr, [sr, head, done](beast::error_code ec, std::size_t) { done(!ec); });
    });
    std::size_t bytes = 0;
    if (open) {
      r.stream([&](std::string_view piece) {
        if (!open || shared_->stopping.load()) return open = false;
        if (piece.empty()) return true;  // an empty chunk would end the body
        bytes += piece.size();
        auto data = std::make_shared<std::string>(piece);
        open = OnConnection([self = shared_from_this(), data](auto done) {
          self->stream_.expires_after(std::chrono::seconds(self->options().io_timeout_seconds));
          net::async_write(self->stream_, http::make_chunk(net::buffer(*data)),
                           [data, done](beast::error_code ec, std::size_t) { done(!ec); });
        });
        return open;
      });
    }
    if (open) {
      open = OnConnection([self = shared_from_this()](auto done) {
        self->stream_.expires_after(std::chrono::seconds(self->options().io_timeout_seconds));
        net::async_write(self->stream_, http::make_chunk_last(),
                         [done](beast::error_code ec, std::size_t) { done(!ec); });
      });
    }
    shared_->log.Write(remote_, method_, target_, r.status, start_, bytes);
    net::post(stream_.get_executor(), [self = shared_from_this(), ok = open && keep_alive] {
      self->Written(ok ? beast::error_code() : beast::error_code(net::error::operation_aborted), ok);
    });
  }

  // Runs `start(done)` on the connection's executor and waits (on this worker) until it calls done(ok). A
  // stop wakes the wait: the write is then abandoned (its buffers are owned by its handler).
  template <class Start>
  bool OnConnection(Start start) {
    auto promise = std::make_shared<std::promise<bool>>();
    std::future<bool> result = promise->get_future();
    auto done = [promise](bool ok) { promise->set_value(ok); };
    net::post(stream_.get_executor(), [start, done] { start(done); });
    while (result.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
      // Not waited for: once the server stops, the executor may never run the handler.
      if (shared_->stopping.load()) {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
          beast::error_code ec;
          self->stream_.socket().cancel(ec);
        });
        return false;
      }
    }
    return result.get();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Shared* shared_;
  std::string remote_;
  beast::flat_buffer buffer_{kMaxHeadBytes};
  std::optional<http::request_parser<http::buffer_body>> parser_;
  bool first_ = true, idle_ = false, keep_alive_ = true;
  Clock::time_point start_ = Clock::now(), body_deadline_;
  std::string method_, target_;
  std::unique_ptr<Routed> routed_;
  std::size_t limit_ = 0, body_bytes_ = 0;
  std::unique_ptr<char[]> piece_;
  std::size_t lingered_ = 0;
  std::string body_;
  SpoolFile spool_;
};

// One io_context per I/O thread, each run by its thread alone: a connection lives on one of them for its
// whole life, so its handlers never need a lock or a strand and never wake another thread. (One context
// shared by every thread cost a futex wake-up per request.)
class ContextPool {
 public:
  explicit ContextPool(unsigned n) {
    for (unsigned i = 0; i < n; ++i) contexts_.push_back(std::make_unique<net::io_context>(1));
  }
  net::io_context& Next() { return *contexts_[next_++ % contexts_.size()]; }
  void Run(std::vector<std::thread>* threads) {
    for (auto& c : contexts_) {
      guards_.push_back(std::make_unique<Guard>(net::make_work_guard(*c)));
      threads->emplace_back([ctx = c.get()] { ctx->run(); });
    }
  }
  void Stop() {
    guards_.clear();
    for (auto& c : contexts_) c->stop();
  }

 private:
  using Guard = net::executor_work_guard<net::io_context::executor_type>;
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<std::unique_ptr<Guard>> guards_;
  std::size_t next_ = 0;  // used by the accepting thread only
};

// Accepts connections for as long as the server runs, on a thread of its own (so that accepting never waits
// behind requests: a client's first request waits in its socket until the connection is accepted), handing
// each connection to the next context of the pool.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(ContextPool* pool, tcp::acceptor acceptor, Shared* shared)
      : pool_(pool), acceptor_(std::move(acceptor)), shared_(shared) {}
  void Accept() {
    acceptor_.async_accept(pool_->Next(), beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }
  void Close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  // Takes the connection accepted, then every other one already waiting (a burst of a thousand clients is
  // taken in one go), then waits for the next.
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec == net::error::no_descriptors) {
      // Out of file descriptors: wait a moment rather than spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!ec) Take(std::move(socket));
    acceptor_.non_blocking(true, ec);
    for (;;) {
      tcp::socket next(pool_->Next());
      acceptor_.accept(next, ec);
      if (ec) break;
      Take(std::move(next));
    }
    Accept();
  }
  void Take(tcp::socket socket) {
    std::size_t open = 0;
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      open = shared_->sessions.size();
    }
    if (open >= shared_->options.max_connections || shared_->stopping.load()) {
      beast::error_code ec;
      socket.close(ec);  // over the limit: closed at once, before a byte is read
      return;
    }
    std::make_shared<Session>(std::move(socket), shared_)->Start();
  }
  ContextPool* pool_;
  tcp::acceptor acceptor_;
  Shared* shared_;
};

// Raises the soft limit on open files to the hard limit (up to what max_connections needs), so that the
// connection limit, not the default of 1,024 descriptors, is what bounds the clients served.
void RaiseOpenFileLimit(std::size_t connections) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  rlim_t want = static_cast<rlim_t>(connections + 256);
  if (lim.rlim_cur >= want) return;
  lim.rlim_cur = lim.rlim_max == RLIM_INFINITY ? want : std::min(want, lim.rlim_max);
  setrlimit(RLIMIT_NOFILE, &lim);
}

// Binds and listens. SO_REUSEADDR lets a restarted server bind while old connections linger in TIME_WAIT,
// but (without SO_REUSEPORT, which is never set) a second server on a port that is listening fails: the
// kernel never splits one port's connections between two processes.
bool Bind(const ServerOptions& options, tcp::acceptor* acceptor, std::string* error) {
  beast::error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (ec) {
    *error = fmt::format("\"{}\" is not an IP address", options.host);
    return false;
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
  if (acceptor->open(endpoint.protocol(), ec) || acceptor->set_option(net::socket_base::reuse_address(true), ec) ||
      acceptor->bind(endpoint, ec) || acceptor->listen(net::socket_base::max_listen_connections, ec)) {
    *error = ec == net::error::address_in_use
                 ? fmt::format("port {} is in use (another server listens on it)", options.port)
                 : ec.message();
    return false;
  }
  return true;
}

// Waits for SIGTERM or SIGINT (blocked in every thread, so only sigtimedwait sees them) and calls on_signal.
void WatchSignals(const ServerOptions& options, const std::atomic<bool>& done, const std::function<void()>& on_signal) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  timespec wait{0, 200 * 1000 * 1000};
  while (!done.load()) {
    int sig = sigtimedwait(&set, nullptr, &wait);
    if (sig == SIGTERM || sig == SIGINT) {
      fmt::print(options.log, "clincode serve: {} received, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      std::fflush(options.log);
      on_signal();
      return;
    }
  }
}

}  // namespace

int RunServer(std::shared_ptr<const Engine> engine, const ServerOptions& options) {
  // Signals are taken by one thread with sigtimedwait: block them here, before any thread starts, so every
  // thread inherits the mask and a signal never interrupts a request.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  RaiseOpenFileLimit(options.max_connections);

  Dispatcher dispatch(std::move(engine), {options.web_dir, options.max_body_bytes, options.max_upload_bytes});
  if (!dispatch.status().ok()) {
    fmt::print(options.log, "clincode serve: {}\n", dispatch.status().message());
    return 1;
  }
  unsigned io_threads =
      options.io_threads != 0 ? options.io_threads : std::max(2u, std::thread::hardware_concurrency());
  ContextPool pool(io_threads);
  net::io_context accepting(1);
  tcp::acceptor acceptor(accepting);
  std::string error;
  if (!Bind(options, &acceptor, &error)) {
    fmt::print(options.log, "clincode serve: cannot listen on {}:{}: {}\n", options.host, options.port, error);
    return 1;
  }
  beast::error_code port_ec;
  const int port = acceptor.local_endpoint(port_ec).port();
  RequestLog log(options.log, options.log_requests);
  WorkerPool workers(std::max(1u, options.threads));
  Shared shared{dispatch, options, log, workers};
  auto listener = std::make_shared<Listener>(&pool, std::move(acceptor), &shared);
  listener->Accept();
  std::vector<std::thread> io;
  pool.Run(&io);
  auto accepting_work = net::make_work_guard(accepting);
  io.emplace_back([&accepting] { accepting.run(); });

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop = false;
  std::atomic<bool> finished{false};
  std::thread signals(WatchSignals, std::cref(options), std::cref(finished), [&] {
    std::lock_guard<std::mutex> lock(stop_mu);
    stop = true;
    stop_cv.notify_all();
  });

  std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  if (options.on_listening) options.on_listening(fmt::format("http://{}:{}/", host, port));
  {
    std::unique_lock<std::mutex> lock(stop_mu);
    stop_cv.wait(lock, [&] { return stop; });
  }
  // Stop: no new connections; idle ones closed; requests under way finish (their connections then close),
  // for at most the grace period.
  shared.stopping = true;
  listener->Close();
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard<std::mutex> lock(shared.mu);
    for (auto& [raw, weak] : shared.sessions) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  // Outside the lock: the last reference to a session may be dropped here, and its destructor takes it.
  for (auto& s : open) s->StopIfIdle();
  open.clear();
  {
    std::unique_lock<std::mutex> lock(shared.mu);
    shared.none_left.wait_for(lock, std::chrono::seconds(options.shutdown_grace_seconds),
                              [&] { return shared.sessions.empty(); });
  }
  pool.Stop();
  accepting_work.reset();
  accepting.stop();
  for (auto& t : io) t.join();
  workers.Stop();
  finished = true;
  signals.join();
  fmt::print(options.log, "clincode serve: stopped\n");
  return 0;
}

}  // namespace clincode::server
