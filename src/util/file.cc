#include "util/file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/text.h"

namespace clincode::file {

Result<std::string> ReadAll(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IoError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  std::string data;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    if (size > 0) data.reserve(static_cast<std::size_t>(size));
    std::fseek(f, 0, SEEK_SET);
  }
  char buf[1 << 16];
  for (;;) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    data.append(buf, n);
    if (n < sizeof buf) break;
  }
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) return IoError(fmt::format("cannot read {}: {}", path, std::strerror(err)));
  return data;
}

std::string_view StripBom(std::string_view content) {
  if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  return content;
}

std::size_t LineOf(std::string_view content, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < content.size(); ++i) {
    if (content[i] == '\n') ++line;
  }
  return line;
}

Status CheckUtf8(std::string_view content, std::string_view path) {
  if (content.size() >= 2 &&
      ((content[0] == '\xFF' && content[1] == '\xFE') || (content[0] == '\xFE' && content[1] == '\xFF'))) {
    return ParseError(fmt::format("{}:1: the file is UTF-16 encoded; save it as UTF-8", path));
  }
  std::size_t bad = 0;
  if (text::IsValidUtf8(content, &bad)) return Status::Ok();
  std::size_t line_start = content.rfind('\n', bad == 0 ? 0 : bad - 1);
  line_start = (line_start == std::string_view::npos || bad == 0) ? 0 : line_start + 1;
  return ParseError(fmt::format("{}:{}: not UTF-8 (byte 0x{:02X} at column {}); save the file as UTF-8", path,
                                LineOf(content, bad), static_cast<unsigned char>(content[bad]), bad - line_start + 1));
}

bool LineCursor::Next(std::string_view* line) {
  if (rest_.empty()) return false;
  std::size_t pos = rest_.find('\n');
  std::string_view l;
  if (pos == std::string_view::npos) {
    l = rest_;
    rest_ = {};
    unterminated_ = true;
  } else {
    l = rest_.substr(0, pos);
    rest_.remove_prefix(pos + 1);
  }
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  ++line_number_;
  *line = l;
  return true;
}

std::string_view BaseName(std::string_view path) {
  std::size_t pos = path.find_last_of('/');
  return pos == std::string_view::npos ? path : path.substr(pos + 1);
}

}  // namespace clincode::file
