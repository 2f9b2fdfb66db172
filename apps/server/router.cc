#include "router.h"

#include <nlohmann/json.hpp>

#include "json_output.h"

namespace clincode::server {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string ApiRequest::Query(std::string_view name) const {
  auto it = query->find(std::string(name));
  return it == query->end() ? std::string() : it->second;
}

bool ApiRequest::HasQuery(std::string_view name) const { return query->count(std::string(name)) > 0; }

std::vector<std::string> ApiRequest::QueryAll(std::string_view name) const {
  std::vector<std::string> out;
  auto [first, last] = query->equal_range(std::string(name));
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::string_view ApiRequest::Capture(std::string_view name) const {
  auto it = captures.find(name);
  return it == captures.end() ? std::string_view() : std::string_view(it->second);
}

void Router::Add(Route route) {
  Compiled c;
  for (std::string_view s : Split(route.pattern)) c.segments.emplace_back(s);
  compiled_.push_back(std::move(c));
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match out;
  if (path.empty() || path[0] != '/') return out;
  std::vector<std::string_view> parts = Split(path);
  std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& segs = compiled_[i].segments;
    if (segs.size() != parts.size()) continue;
    std::map<std::string, std::string, std::less<>> captures;
    bool ok = true;
    for (std::size_t k = 0; k < segs.size() && ok; ++k) {
      const std::string& s = segs[k];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
        ok = !parts[k].empty();
        if (ok) captures.emplace(s.substr(1, s.size() - 2), std::string(parts[k]));
      } else {
        ok = s == parts[k];
      }
    }
    if (!ok) continue;
    if (routes_[i].method != wanted) {
      if (out.allowed.find(routes_[i].method) == std::string::npos)
        out.allowed += (out.allowed.empty() ? "" : ", ") + routes_[i].method;
      out.outcome = Outcome::kWrongMethod;
      continue;
    }
    out.outcome = Outcome::kFound;
    out.route = &routes_[i];
    out.captures = std::move(captures);
    return out;
  }
  return out;
}

ApiResponse ApiError(int status, std::string_view message, nlohmann::json detail) {
  ApiResponse r;
  r.status = status;
  r.body = shapes::Dump(nlohmann::json{{"error", message}, {"detail", std::move(detail)}});
  return r;
}

}  // namespace clincode::server
