// What the server answers, apart from speaking HTTP: a request head (method, raw target, content type) is
// checked and routed to a handler of the route table, a static file of the web app, or an error, and a
// routed request is answered. Every error is a 4xx with a JSON body ({"error", "detail"}, or an
// OperationOutcome under /fhir/) that names the bad part; a handler that throws (a bug) gives a 500 with a
// JSON body, never a dead process. http_server.cc calls it; so does the fuzz target of the request path.
// Thread-safe after construction (every method is const).
#ifndef CLINCODE_APPS_SERVER_DISPATCH_H_
#define CLINCODE_APPS_SERVER_DISPATCH_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine.h"
#include "request_target.h"
#include "router.h"
#include "web_assets.h"

namespace clincode::server {

struct DispatchOptions {
  std::string web_dir;                                    // empty: the web app built into the binary
  std::size_t max_body_bytes = std::size_t{4} << 20;      // any body but an upload
  std::size_t max_upload_bytes = std::size_t{512} << 20;  // the body of a spooled route
};

// The head of a request as read off the wire.
struct RequestHead {
  std::string method;  // "GET"
  std::string target;  // raw: "/v1/search?q=heart%20fail"
  std::string content_type;
};

// How the body is to be read before the request is answered.
enum class BodyUse {
  kNone,    // answered without its body (a body sent anyway is not read, and the connection is closed)
  kMemory,  // read into ApiRequest::body, up to max_body_bytes
  kSpool,   // written to a temporary file (ApiRequest::body_file), up to max_upload_bytes
};

// A routed request. Not copyable: `request.query` points into `target`.
struct Routed {
  Routed() = default;
  Routed(const Routed&) = delete;
  Routed& operator=(const Routed&) = delete;

  std::optional<ApiResponse> answer;  // set: the answer, ready now (an error, a static file)
  BodyUse body = BodyUse::kNone;
  const Route* route = nullptr;
  RequestTarget target;
  ApiRequest request;
  bool long_running() const { return route != nullptr && route->long_running; }
};

class Dispatcher {
 public:
  Dispatcher(std::shared_ptr<const Engine> engine, const DispatchOptions& options);

  // The web app's files could be read (a --web-dir that cannot be read fails here).
  const Status& status() const { return assets_.status(); }
  const DispatchOptions& options() const { return options_; }
  const Router& router() const { return router_; }

  // Checks and routes a request head. Never fails: a bad target, an unknown path or a wrong method is an
  // `answer` (4xx).
  std::unique_ptr<Routed> Route(const RequestHead& head) const;

  // Answers a routed request once its body (per `body`) has been read. Never throws.
  ApiResponse Handle(const Routed& routed) const;

  // The answer to a request the HTTP layer refused before routing it (400 malformed, 413 body too large,
  // 414 target too long, 431 headers too large): the same JSON bodies as the routes' own, by the target's
  // path (which may be any bytes: it is shown, never trusted).
  static ApiResponse Refused(std::string_view target, int status, std::string_view message);

 private:
  ApiResponse RouteList() const;
  ApiResponse Static(const RequestTarget& target) const;
  ApiResponse NotAllowed(const RequestHead& head, const std::string& path) const;

  DispatchOptions options_;
  WebAssets assets_;
  Router router_;
};

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_DISPATCH_H_
