// `clincode serve`: the HTTP server over one Engine. It serves the route table (/health, /v1/, /fhir/) and
// the web app's static files, logs one line per request, enforces limits on bodies, headers, query length
// and time, and stops cleanly on SIGTERM or SIGINT.
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
  // A client that sends nothing (or reads nothing) for this long is dropped; keeps slow clients from
  // holding workers.
  int io_timeout_seconds = 10;
  // Worker threads. Each keep-alive connection holds one while open, so this is the number of clients
  // served at once; 64 leaves room for a load test's connections plus browsers.
  unsigned threads = 64;
  bool log_requests = true;
  std::FILE* log = stderr;
  // Called once the socket is bound, with the address to open ("http://127.0.0.1:8080/").
  std::function<void(const std::string& address)> on_listening;
};

// Serves until SIGTERM or SIGINT. Returns 0 after a clean stop, 1 when the address cannot be bound (the
// error is logged).
int RunServer(std::shared_ptr<const Engine> engine, const ServerOptions& options);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_HTTP_SERVER_H_
