// `clincode serve`: the HTTP JSON API, the FHIR R4 terminology operations and the web app, from one engine.
#include <fmt/format.h>

#include <cstdio>

#include "commands.h"
#include "engine.h"
#include "http_server.h"

namespace clincode::cli {

std::function<int(const GlobalFlags&)> SetupServe(CLI::App* cmd) {
  auto options = std::make_shared<server::ServerOptions>();
  auto upload_mb = std::make_shared<std::size_t>(options->max_upload_bytes >> 20);
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("--host", options->host, "Address to listen on (loopback by default; 0.0.0.0 for every interface)")
      ->capture_default_str();
  cmd->add_option("--port", options->port, "Port (0: one the OS picks, printed on start)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--web-dir", options->web_dir, "Serve the web app from this folder instead of the built-in copy")
      ->type_name("DIR");
  cmd->add_option("--threads", options->threads,
                  "Worker threads for long requests (uploads, notes, expansions) served at once")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  cmd->add_option("--io-threads", options->io_threads, "Threads serving connections (0: one per core)")
      ->check(CLI::Range(0u, 256u))
      ->capture_default_str();
  cmd->add_option("--max-connections", options->max_connections, "Open connections served at once")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--max-upload-mb", *upload_mb, "Largest file accepted by /v1/validate and /v1/match, in MiB")
      ->check(CLI::Range(1, 1 << 16))
      ->capture_default_str();
  cmd->add_option("--timeout", options->io_timeout_seconds,
                  "Seconds a client may stay silent while it sends a body or reads an answer")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--header-timeout", options->header_timeout_seconds,
                  "Seconds a new connection has to send its whole request head")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--keep-alive", options->keep_alive_seconds,
                  "Seconds an idle keep-alive connection may wait for its next request")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_flag("--quiet", *quiet, "Do not log one line per request");
  return [options, upload_mb, quiet](const GlobalFlags& flags) {
    auto catalog = LoadCatalog(flags);
    auto guidance = catalog ? LoadGuidance(flags) : nullptr;
    auto rules = guidance ? LoadRules(flags) : nullptr;
    if (!rules) return kExitFailure;
    auto engine = server::Engine::Build({catalog, guidance, rules});
    if (!engine.ok()) {
      PrintError(flags, engine.status().message());
      return kExitFailure;
    }
    server::ServerOptions run = *options;
    run.max_upload_bytes = *upload_mb << 20;
    run.log_requests = !*quiet;
    run.on_listening = [&](const std::string& address) {
      std::string releases;
      for (const auto& r : catalog->releases()) releases += (releases.empty() ? "" : "; ") + r->Name();
      fmt::print("clincode serve: listening on {}  (open it in a browser; Ctrl-C or SIGTERM stops)\n", address);
      fmt::print("clincode serve: {} | {} recommendations | {} rules\n", releases, (*engine)->guidance().all().size(),
                 rules->rules().size());
      std::fflush(stdout);
    };
    return server::RunServer(*engine, run);
  };
}

}  // namespace clincode::cli
