// The server's one route table: method + path pattern -> handler. Patterns are literal segments and
// `{name}` captures ("/v1/codes/{system}/{code}"); a capture never spans a '/'. Handlers see an ApiRequest
// and return an ApiResponse, so they know nothing of the HTTP library and can be tested as functions.
#ifndef CLINCODE_APPS_SERVER_ROUTER_H_
#define CLINCODE_APPS_SERVER_ROUTER_H_

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace clincode::server {

using QueryParams = std::multimap<std::string, std::string>;

struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string, std::less<>> captures;  // the pattern's {name} segments
  const QueryParams* query = nullptr;                        // never null while a handler runs
  std::string content_type;
  std::string body;       // the request body (routes that do not spool their body)
  std::string body_file;  // the spooled body (routes marked `spool`): a temporary file the server removes

  // The first value of query parameter `name`, or "" when absent.
  std::string Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
  // Every value of a repeated query parameter.
  std::vector<std::string> QueryAll(std::string_view name) const;
  std::string_view Capture(std::string_view name) const;
};

// Writes one piece of a streamed body; false when the client has gone.
using StreamWriter = std::function<bool(std::string_view)>;

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type: Allow, Cache-Control
  // When set, the body is streamed (chunked) by calling this once with a writer; `body` is ignored.
  std::function<void(const StreamWriter&)> stream;
};

using Handler = std::function<ApiResponse(const ApiRequest&)>;

struct Route {
  std::string method;   // "GET", "POST"
  std::string pattern;  // "/v1/codes/{system}/{code}"
  Handler handler;
  bool spool = false;  // the body may be large: spool it to a temporary file instead of memory
  std::string summary;
  // The handler may take longer than a millisecond (it reads a body, codes a note, expands a value set): it
  // runs on a worker thread, never on a thread that serves connections.
  bool long_running = false;
  // The body is multipart/form-data (several files, as a browser form sends them); other routes refuse it.
  bool multipart = false;
};

class Router {
 public:
  void Add(Route route);

  enum class Outcome { kFound, kNoPath, kWrongMethod };
  struct Match {
    Outcome outcome = Outcome::kNoPath;
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> captures;
    std::string allowed;  // the methods the path allows, for 405 ("GET, POST")
  };
  // `path` is already percent-decoded (as the HTTP layer hands it over). HEAD is matched as GET.
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // literal text, or "{name}"
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

// JSON error body of the /v1/ API: {"error": message, "detail": detail}.
ApiResponse ApiError(int status, std::string_view message, nlohmann::json detail = nullptr);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_ROUTER_H_
