// `clincode serve`: the HTTP server over one Engine. It serves the route table (/health, /v1/, /fhir/) and
// the web app's static files (dispatch.h), logs one line per request, enforces limits on bodies, headers,
// the target and time, and stops cleanly on SIGTERM or SIGINT.
//
// Connections are served by a few threads with asynchronous I/O (Boost.Beast over Asio): a client that is
// idle between requests, or sends its request slowly, holds a socket and a small buffer, never a thread.
// Quick routes are answered on those threads; routes marked long_running (uploads, notes, expansions) run
// on a pool of worker threads, so a long request never holds up the others.
#ifndef CLINCODE_APPS_SERVER_HTTP_SERVER_H_
#define CLINCODE_APPS_SERVER_HTTP_SERVER_H_

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "engine.h"

namespace clincode::server {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless asked otherwise
  int port = 8080;                 // 0: a free port the OS picks (printed on start)
  std::string web_dir;             // serve the web app from this folder; empty: the copy built into the binary
  // Files streamed to /v1/validate and /v1/match: a year of HES-like rows for one trust fits.
  std::size_t max_upload_bytes = std::size_t{512} << 20;
  // Every other body (a note, a recommendation text, Parameters): far above any real one.
  std::size_t max_body_bytes = std::size_t{4} << 20;
  // A request's head (request line and header fields) must arrive whole within this many seconds of the
  // connection opening: a client sending a byte a second is dropped, whatever it has sent.
  int header_timeout_seconds = 10;
  // A keep-alive connection may wait this long for its next request (idle, then its head) before it is closed.
  int keep_alive_seconds = 5;
  // While a body is read or an answer written, a client that sends (or reads) nothing for this long is
  // dropped.
  int io_timeout_seconds = 10;
  // Threads serving connections (reading, writing, quick routes); 0: one per hardware thread.
  unsigned io_threads = 0;
  // Worker threads for long-running routes: the uploads, notes and expansions answered at once.
  unsigned threads = 16;
  // Open connections served at once; one over is closed on accept. The open-file limit is raised to fit.
  std::size_t max_connections = 10000;
  // After SIGTERM, requests under way get this long to finish before the process stops anyway.
  int shutdown_grace_seconds = 30;
  bool log_requests = true;
  std::FILE* log = stderr;
  // Called once the socket is bound, with the address to open ("http://127.0.0.1:8080/").
  std::function<void(const std::string& address)> on_listening;
};

// Serves until SIGTERM or SIGINT. Returns 0 after a clean stop, 1 when the address cannot be bound (in
// use by another process, or not an address of this host: the error is logged) or the web folder cannot
// be read.
int RunServer(std::shared_ptr<const Engine> engine, const ServerOptions& options);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_HTTP_SERVER_H_
