// Reading release files: whole-file reads, encoding checks that name the line, and a line cursor that
// counts lines for `file:line` messages. Thread-safe (no shared state).
#ifndef CLINCODE_UTIL_FILE_H_
#define CLINCODE_UTIL_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "clincode/status.h"

namespace clincode::file {

// The largest file ReadAll reads unless told otherwise: far above the largest release file distributed
// today (the ICD-10-CM order file, 14 MB), and small enough that a wrong file (a disk image, /dev/zero
// behind a link) cannot take the machine's memory.
inline constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;

// Reads the whole of a regular file of at most `max_bytes`. Fails with kIoError naming the path and the
// system's reason, and with kInvalidArgument for a folder, a device or a pipe (`/dev/zero` would never end)
// or a file over the limit.
Result<std::string> ReadAll(const std::string& path, std::size_t max_bytes = kMaxFileBytes);

// Reads at most the first `max_bytes` of a regular file (fewer when the file is shorter), with ReadAll's
// checks; for telling a file's form from its first bytes without reading the rest.
Result<std::string> ReadHead(const std::string& path, std::size_t max_bytes);

// Checks that `content` is UTF-8. A UTF-16 or UTF-32 byte-order mark, or an invalid byte, fails with
// kParseError: `<path>:<line>: not UTF-8 (byte 0xE9 at column 12); save the file as UTF-8`.
Status CheckUtf8(std::string_view content, std::string_view path);

// Returns `content` without a leading UTF-8 byte-order mark.
std::string_view StripBom(std::string_view content);

// Line number (1-based) of byte `offset` in `content`.
std::size_t LineOf(std::string_view content, std::size_t offset);

// Walks the lines of a buffer, LF or CRLF, counting them. The views point into the buffer.
class LineCursor {
 public:
  explicit LineCursor(std::string_view content) : rest_(content) {}
  // Sets *line to the next line without its end-of-line bytes; false at the end.
  bool Next(std::string_view* line);
  // 1-based number of the line last returned.
  std::size_t line_number() const { return line_number_; }
  // True when the last line returned had no line end (the file ends without a newline).
  bool last_line_unterminated() const { return unterminated_; }

 private:
  std::string_view rest_;
  std::size_t line_number_ = 0;
  bool unterminated_ = false;
};

// The file name part of a path, for messages and release descriptions.
std::string_view BaseName(std::string_view path);

}  // namespace clincode::file

#endif  // CLINCODE_UTIL_FILE_H_
