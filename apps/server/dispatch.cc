#include "dispatch.h"

#include <fmt/format.h>

#include <exception>

#include "api_routes.h"
#include "fhir_routes.h"
#include "fhir_systems.h"
#include "json_output.h"

namespace clincode::server {
namespace {

bool IsFhir(std::string_view path) { return path == "/fhir" || path.starts_with("/fhir/"); }
bool IsApi(std::string_view path) { return path.starts_with("/v1/") || path == "/v1" || path == "/health"; }

// The path part of a raw target, for choosing the shape of an error before the target is decoded.
std::string_view RawPath(std::string_view target) { return target.substr(0, target.find('?')); }

ApiResponse ErrorFor(std::string_view path, int status, const std::string& message, nlohmann::json detail = {}) {
  if (IsFhir(path)) {
    return Outcome(status, status == 404 ? "not-found" : status == 413 ? "too-costly" : "invalid", message);
  }
  if (detail.is_null()) detail = nlohmann::json::object();
  if (!detail.contains("path")) detail["path"] = path;
  return ApiError(status, message, std::move(detail));
}

// A path that walks out of the web folder ("..", or a backslash form of it), after decoding.
bool Escapes(std::string_view path) {
  return path.find("..") != std::string_view::npos || path.find('\\') != std::string_view::npos;
}

}  // namespace

Dispatcher::Dispatcher(std::shared_ptr<const Engine> engine, const DispatchOptions& options)
    : options_(options), assets_(WebAssets::Load(options.web_dir)) {
  AddApiRoutes(&router_, engine);
  AddFhirRoutes(&router_, engine);
  router_.Add({"GET", "/v1", [this](const ApiRequest&) { return RouteList(); }, false, "This list of routes"});
}

std::unique_ptr<Routed> Dispatcher::Route(const RequestHead& head) const {
  auto r = std::make_unique<Routed>();
  // The answer is made (from r's parts) before r is handed back.
  auto answer = [&r](ApiResponse a) {
    r->answer = std::move(a);
    r->body = BodyUse::kNone;
    return std::move(r);
  };
  TargetError bad;
  if (!ParseTarget(head.target, &r->target, &bad)) {
    nlohmann::json detail = {{bad.part == "path" || bad.part == "query" ? "part" : "parameter", bad.part}};
    return answer(ErrorFor(RawPath(head.target), 400, bad.message, std::move(detail)));
  }
  const std::string& path = r->target.path;
  Router::Match m = router_.Find(head.method, path);
  if (m.outcome == Router::Outcome::kWrongMethod) {
    ApiResponse a = ErrorFor(path, 405, fmt::format("{} {}: use {}", head.method, path, m.allowed));
    a.headers.emplace_back("Allow", m.allowed);
    return answer(std::move(a));
  }
  if (m.outcome == Router::Outcome::kNoPath) {
    if (IsApi(path) || IsFhir(path) || (head.method != "GET" && head.method != "HEAD")) {
      return answer(NotAllowed(head, path));
    }
    return answer(Static(r->target));
  }
  r->route = m.route;
  r->request.method = head.method;
  r->request.path = path;
  r->request.captures = std::move(m.captures);
  r->request.query = &r->target.query;
  r->request.content_type = head.content_type;
  if (m.route->method == "POST") {
    if (head.content_type.starts_with("multipart/form-data") && !m.route->multipart) {
      return answer(ErrorFor(path, 415, "send the file as the raw request body, not as multipart/form-data"));
    }
    r->body = m.route->spool ? BodyUse::kSpool : BodyUse::kMemory;
  }
  return r;
}

ApiResponse Dispatcher::Handle(const Routed& routed) const {
  if (routed.answer) return *routed.answer;
  const std::string& path = routed.request.path;
  // The one boundary where exceptions stop: a handler that throws is a bug, answered as such, and the
  // server goes on.
  try {
    return routed.route->handler(routed.request);
  } catch (const std::exception& e) {
    return ErrorFor(path, 500, std::string("internal error: ") + e.what());
  } catch (...) {
    return ErrorFor(path, 500, "internal error");
  }
}

ApiResponse Dispatcher::Refused(std::string_view target, int status, std::string_view message) {
  return ErrorFor(RawPath(target), status, std::string(message));
}

ApiResponse Dispatcher::NotAllowed(const RequestHead& head, const std::string& path) const {
  // A method no route of this path has (PUT on /v1/code): 405 with the methods it has, else 404.
  std::string allowed;
  if (router_.Find("GET", path).outcome == Router::Outcome::kFound) allowed = "GET";
  if (router_.Find("POST", path).outcome == Router::Outcome::kFound) allowed += allowed.empty() ? "POST" : ", POST";
  if (allowed.empty()) return ErrorFor(path, 404, fmt::format("no route or operation {} {}", head.method, path));
  ApiResponse a = ErrorFor(path, 405, fmt::format("{} {}: use {}", head.method, path, allowed));
  a.headers.emplace_back("Allow", allowed);
  return a;
}

ApiResponse Dispatcher::Static(const RequestTarget& target) const {
  const std::string& path = target.path;
  if (Escapes(path)) return ApiError(400, "the path leaves the web folder", {{"path", path}});
  const WebAssets::File* file = assets_.Find(path == "/" ? "/index.html" : path);
  if (file == nullptr) return ApiError(404, "no such file in the web app", {{"path", path}});
  ApiResponse a;
  a.content_type = file->mime;
  a.body.assign(file->bytes);
  a.headers.emplace_back("Cache-Control", "no-cache");
  return a;
}

ApiResponse Dispatcher::RouteList() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : router_.routes()) {
    out.push_back({{"method", r.method}, {"path", r.pattern}, {"summary", r.summary}});
  }
  ApiResponse resp;
  resp.body = shapes::Dump(out);
  return resp;
}

}  // namespace clincode::server
