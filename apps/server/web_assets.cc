#include "web_assets.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace clincode::web_embedded {
std::string_view Find(std::string_view name);
std::vector<std::string_view> Names();
}  // namespace clincode::web_embedded

namespace clincode::server {
namespace {

constexpr std::string_view kPrefix = "web";

std::string MimeOf(std::string_view path) {
  struct Type {
    std::string_view ext, mime;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Type& t : kTypes) {
    if (path.ends_with(t.ext)) return std::string(t.mime);
  }
  return "application/octet-stream";
}

}  // namespace

WebAssets WebAssets::Load(const std::string& dir) {
  WebAssets out;
  if (dir.empty()) {
    for (std::string_view name : web_embedded::Names()) {
      std::string path(name.substr(kPrefix.size()));  // "web/app.js" -> "/app.js"
      out.files_.emplace(path, File{web_embedded::Find(name), MimeOf(path)});
    }
    return out;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root)) {
    out.status_ = NotFound("web folder \"" + dir + "\" cannot be read");
    return out;
  }
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    auto& content = out.owned_[rel] = buf.str();
    out.files_.emplace(rel, File{content, MimeOf(rel)});
  }
  return out;
}

const WebAssets::File* WebAssets::Find(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace clincode::server
