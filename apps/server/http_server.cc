#include "http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "api_routes.h"
#include "fhir_routes.h"
#include "fhir_systems.h"
#include "web_assets.h"

namespace clincode::server {
namespace {

using Clock = std::chrono::steady_clock;

// When the request being handled on this thread began (set before routing, read by the logger).
thread_local Clock::time_point request_start;

class RequestLog {
 public:
  RequestLog(std::FILE* out, bool on) : out_(out), on_(on) {}
  void Write(const httplib::Request& req, const httplib::Response& res) {
    if (!on_) return;
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - request_start).count();
    std::string target = req.target.empty() ? req.path : req.target;
    if (target.size() > 200) target = target.substr(0, 200) + "...";
    std::string line =
        fmt::format("{} {} {} {} {:.3f}ms {}\n", req.remote_addr, req.method, target, res.status, ms, res.body.size());
    std::lock_guard<std::mutex> lock(mu_);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
  }

 private:
  std::FILE* out_;
  bool on_;
  std::mutex mu_;
};

void Send(ApiResponse r, httplib::Response* res, std::function<void()> after = {}) {
  res->status = r.status;
  if (!r.stream) {
    // Moved, not copied as set_content would: search answers run to several kilobytes.
    res->body = std::move(r.body);
    res->set_header("Content-Type", r.content_type);
    if (after) after();
    return;
  }
  auto stream = r.stream;
  res->set_chunked_content_provider(
      r.content_type,
      [stream](std::size_t, httplib::DataSink& sink) {
        stream([&sink](std::string_view piece) { return sink.write(piece.data(), piece.size()); });
        sink.done();
        return true;
      },
      [after](bool) {
        if (after) after();
      });
}

bool IsFhir(std::string_view path) { return path == "/fhir" || path.starts_with("/fhir/"); }
bool IsApi(std::string_view path) { return path.starts_with("/v1/") || path == "/v1" || path == "/health"; }

ApiResponse ErrorFor(std::string_view path, int status, const std::string& message) {
  if (IsFhir(path))
    return Outcome(status, status == 404 ? "not-found" : status == 413 ? "too-costly" : "invalid", message);
  return ApiError(status, message, {{"path", path}});
}

// A path that walks out of the web folder ("..", or a backslash form of it), after decoding.
bool Escapes(std::string_view path) {
  return path.find("..") != std::string_view::npos || path.find('\\') != std::string_view::npos ||
         path.find('\0') != std::string_view::npos;
}

class Server {
 public:
  Server(std::shared_ptr<const Engine> engine, const ServerOptions& options)
      : options_(options), log_(options.log, options.log_requests), assets_(WebAssets::Load(options.web_dir)) {
    AddApiRoutes(&router_, engine);
    AddFhirRoutes(&router_, engine);
    router_.Add({"GET", "/v1", [this](const ApiRequest&) { return RouteList(); }, false, "This list of routes"});
  }

  const Status& assets_status() const { return assets_.status(); }

  int Run() {
    httplib::Server svr;
    unsigned threads = options_.threads;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr.set_keep_alive_max_count(100000);
    svr.set_keep_alive_timeout(5);
    svr.set_read_timeout(options_.io_timeout_seconds, 0);
    svr.set_write_timeout(options_.io_timeout_seconds, 0);
    svr.set_tcp_nodelay(true);
    svr.set_payload_max_length(std::max(options_.max_upload_bytes, options_.max_body_bytes));
    svr.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
    svr.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      request_start = Clock::now();
      return httplib::Server::HandlerResponse::Unhandled;
    });
    svr.set_logger([this](const httplib::Request& req, const httplib::Response& res) { log_.Write(req, res); });
    svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "internal error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = std::string("internal error: ") + e.what();
      } catch (...) {
      }
      Send(ErrorFor(req.path, 500, what), &res);
      res.status = 500;
    });
    svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      // Errors the HTTP layer finds itself (413 body too large, 414 URI too long, 400 bad request line or
      // headers over the limit) get the same JSON bodies as the routes' own.
      if (!res.body.empty()) return;
      std::string message = res.status == 413   ? "request body over the server's limit"
                            : res.status == 414 ? "request target (path and query) over the server's limit"
                            : res.status == 400
                                ? "malformed request (request line or headers over the server's limits?)"
                                : fmt::format("HTTP error {}", res.status);
      Send(ErrorFor(req.path, res.status, message), &res, {});
    });
    svr.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { HandleGet(req, &res); });
    svr.Post(".*", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
      HandlePost(req, &res, reader);
    });
    auto not_allowed = [this](const httplib::Request& req, httplib::Response& res) { NotAllowed(req, &res); };
    svr.Put(".*", not_allowed);
    svr.Delete(".*", not_allowed);
    svr.Patch(".*", not_allowed);
    svr.Options(".*", not_allowed);

    int port = options_.port;
    if (port == 0) {
      port = svr.bind_to_any_port(options_.host);
      if (port < 0) port = -1;
    } else if (!svr.bind_to_port(options_.host, port)) {
      port = -1;
    }
    if (port < 0) {
      fmt::print(options_.log, "clincode serve: cannot listen on {}:{} (in use, or not an address of this host)\n",
                 options_.host, options_.port);
      return 1;
    }
    std::atomic<bool> stopping{false};
    std::thread signals([&] {
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGTERM);
      sigaddset(&set, SIGINT);
      timespec wait{0, 200 * 1000 * 1000};
      while (!stopping.load()) {
        int sig = sigtimedwait(&set, nullptr, &wait);
        if (sig == SIGTERM || sig == SIGINT) {
          fmt::print(options_.log, "clincode serve: {} received, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
          std::fflush(options_.log);
          svr.stop();
          break;
        }
      }
    });
    std::string host = options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
    if (options_.on_listening) options_.on_listening(fmt::format("http://{}:{}/", host, port));
    bool ok = svr.listen_after_bind();
    stopping = true;
    signals.join();
    fmt::print(options_.log, "clincode serve: stopped\n");
    return ok ? 0 : 1;
  }

 private:
  ApiRequest MakeRequest(const httplib::Request& req, const Router::Match& m) const {
    ApiRequest r;
    r.method = req.method;
    r.path = req.path;
    r.captures = m.captures;
    r.query = &req.params;
    r.content_type = req.get_header_value("Content-Type");
    return r;
  }

  void HandleGet(const httplib::Request& req, httplib::Response* res) {
    Router::Match m = router_.Find(req.method, req.path);
    if (m.outcome == Router::Outcome::kFound) {
      ApiRequest r = MakeRequest(req, m);
      Send(m.route->handler(r), res);
      return;
    }
    if (m.outcome == Router::Outcome::kWrongMethod) {
      res->set_header("Allow", m.allowed);
      Send(ErrorFor(req.path, 405, fmt::format("{} {}: use {}", req.method, req.path, m.allowed)), res);
      return;
    }
    if (IsApi(req.path) || IsFhir(req.path)) {
      Send(ErrorFor(req.path, 404, fmt::format("no route or operation {} {}", req.method, req.path)), res);
      return;
    }
    ServeStatic(req, res);
  }

  void ServeStatic(const httplib::Request& req, httplib::Response* res) {
    if (Escapes(req.path)) {
      Send(ApiError(400, "the path leaves the web folder", {{"path", req.path}}), res);
      return;
    }
    const WebAssets::File* file = assets_.Find(req.path == "/" ? "/index.html" : req.path);
    if (file == nullptr) {
      Send(ApiError(404, "no such file in the web app", {{"path", req.path}}), res);
      return;
    }
    res->set_header("Cache-Control", "no-cache");
    res->set_content(file->bytes.data(), file->bytes.size(), file->mime.c_str());
  }

  void HandlePost(const httplib::Request& req, httplib::Response* res, const httplib::ContentReader& reader) {
    Router::Match m = router_.Find(req.method, req.path);
    if (m.outcome != Router::Outcome::kFound) {
      if (m.outcome == Router::Outcome::kWrongMethod) res->set_header("Allow", m.allowed);
      int status = m.outcome == Router::Outcome::kWrongMethod ? 405 : 404;
      Send(ErrorFor(req.path, status, fmt::format("no route or operation {} {}", req.method, req.path)), res);
      return;
    }
    ApiRequest r = MakeRequest(req, m);
    if (req.is_multipart_form_data()) {
      Send(ErrorFor(req.path, 415, "send the file as the raw request body, not as multipart/form-data"), res);
      return;
    }
    if (m.route->spool) {
      SpoolAndHandle(req, res, reader, m, std::move(r));
      return;
    }
    bool too_large = false;
    bool read = reader([&](const char* data, std::size_t n) {
      if (r.body.size() + n > options_.max_body_bytes) {
        too_large = true;
        return false;
      }
      r.body.append(data, n);
      return true;
    });
    // The HTTP layer refuses a declared length over its own limit before our receiver sees a byte (and
    // leaves 413 in the response).
    too_large = too_large || (!read && res->status == 413);
    if (too_large) {
      Send(ErrorFor(req.path, 413, fmt::format("request body over the limit of {} bytes", options_.max_body_bytes)),
           res);
      return;
    }
    if (!read) {
      Send(ErrorFor(req.path, 400, "the request body could not be read (connection cut short?)"), res);
      return;
    }
    Send(m.route->handler(r), res);
  }

  void SpoolAndHandle(const httplib::Request& req, httplib::Response* res, const httplib::ContentReader& reader,
                      const Router::Match& m, ApiRequest r) {
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/clincode-upload-XXXXXX";
    int fd = mkstemp(path.data());
    if (fd < 0) {
      Send(ErrorFor(req.path, 500, "cannot make a temporary file for the upload"), res);
      return;
    }
    std::size_t total = 0;
    bool too_large = false, write_failed = false;
    bool read = reader([&](const char* data, std::size_t n) {
      total += n;
      if (total > options_.max_upload_bytes) {
        too_large = true;
        return false;
      }
      for (std::size_t done = 0; done < n;) {
        ssize_t w = ::write(fd, data + done, n - done);
        if (w <= 0) {
          write_failed = true;
          return false;
        }
        done += static_cast<std::size_t>(w);
      }
      return true;
    });
    ::close(fd);
    too_large = too_large || (!read && res->status == 413);
    auto remove = [path] { ::unlink(path.c_str()); };
    if (too_large || write_failed || total == 0) {
      remove();
      std::string message = too_large      ? fmt::format("upload over the limit of {} bytes", options_.max_upload_bytes)
                            : write_failed ? "cannot store the upload (disk full?)"
                                           : "the request body is empty: send the CSV or JSON-lines file as the body";
      Send(ErrorFor(req.path, too_large ? 413 : write_failed ? 500 : 400, message), res);
      return;
    }
    r.body_file = path;
    Send(m.route->handler(r), res, remove);
  }

  void NotAllowed(const httplib::Request& req, httplib::Response* res) {
    Router::Match m = router_.Find("GET", req.path);
    Router::Match p = router_.Find("POST", req.path);
    std::string allowed = m.outcome == Router::Outcome::kFound ? "GET" : "";
    if (p.outcome == Router::Outcome::kFound) allowed += allowed.empty() ? "POST" : ", POST";
    if (allowed.empty()) {
      Send(ErrorFor(req.path, 404, fmt::format("no route or operation {} {}", req.method, req.path)), res);
      return;
    }
    res->set_header("Allow", allowed);
    Send(ErrorFor(req.path, 405, fmt::format("{} {}: use {}", req.method, req.path, allowed)), res);
  }

  ApiResponse RouteList() const {
    nlohmann::json out = nlohmann::json::array();
    for (const Route& r : router_.routes()) {
      out.push_back({{"method", r.method}, {"path", r.pattern}, {"summary", r.summary}});
    }
    ApiResponse resp;
    resp.body = out.dump();
    return resp;
  }

  ServerOptions options_;
  RequestLog log_;
  WebAssets assets_;
  Router router_;
};

}  // namespace

int RunServer(std::shared_ptr<const Engine> engine, const ServerOptions& options) {
  // Signals are taken by one thread with sigtimedwait: block them here, before any thread starts, so every
  // worker inherits the mask and a signal never interrupts a request.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  Server server(std::move(engine), options);
  if (!server.assets_status().ok()) {
    fmt::print(options.log, "clincode serve: {}\n", server.assets_status().message());
    return 1;
  }
  return server.Run();
}

}  // namespace clincode::server
