#include "util/file.h"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "util/text.h"

namespace clincode::file {

namespace {

// Opens `path` for reading if it is a regular file; *size gets its size.
Result<std::FILE*> OpenRegular(const std::string& path, std::size_t* size) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IoError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(::fileno(f), &st) != 0) {
    int err = errno;
    std::fclose(f);
    return IoError(fmt::format("cannot read {}: {}", path, std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    std::fclose(f);
    return InvalidArgument(
        fmt::format("{} is {}, not a file", path, S_ISDIR(st.st_mode) ? "a folder" : "a device or pipe"));
  }
  *size = static_cast<std::size_t>(st.st_size);
  return f;
}

// Reads up to `limit` bytes (and one more, to tell that there are more) into *data.
Status ReadUpTo(std::FILE* f, const std::string& path, std::size_t limit, std::string* data) {
  char buf[1 << 16];
  while (data->size() <= limit) {
    std::size_t want = std::min(sizeof buf, limit + 1 - data->size());
    std::size_t n = std::fread(buf, 1, want, f);
    data->append(buf, n);
    if (n < want) break;
  }
  if (std::ferror(f) != 0) return IoError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadAll(const std::string& path, std::size_t max_bytes) {
  std::size_t size = 0;
  auto f = OpenRegular(path, &size);
  if (!f.ok()) return f.status();
  auto too_large = [&](std::size_t n) {
    return InvalidArgument(fmt::format("{} is {} bytes; the limit is {} bytes", path, n, max_bytes));
  };
  if (size > max_bytes) {
    std::fclose(*f);
    return too_large(size);
  }
  std::string data;
  data.reserve(size);
  Status read = ReadUpTo(*f, path, max_bytes, &data);
  std::fclose(*f);
  if (!read.ok()) return read;
  // A file that grew while it was read is held to the same limit.
  if (data.size() > max_bytes) return too_large(data.size());
  return data;
}

Result<std::string> ReadHead(const std::string& path, std::size_t max_bytes) {
  std::size_t size = 0;
  auto f = OpenRegular(path, &size);
  if (!f.ok()) return f.status();
  std::string data;
  Status read = ReadUpTo(*f, path, max_bytes, &data);
  std::fclose(*f);
  if (!read.ok()) return read;
  if (data.size() > max_bytes) data.resize(max_bytes);
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
