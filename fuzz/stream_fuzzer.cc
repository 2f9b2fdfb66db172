// Whole episode files through the streaming validator and matcher, in tiny chunks and rows on several
// threads, so that every boundary case of cutting a file into rows is met. Every row is accounted for: the
// rows read are the file's non-blank lines (after the header of a CSV file), each an episode or unreadable.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "clincode/matcher.h"
#include "clincode/validate_stream.h"
#include "fuzz_support.h"

namespace {

class Drop : public clincode::FindingSink {
 public:
  void Write(const std::vector<clincode::Finding>&, const std::string&) override {}
};
class DropMatches : public clincode::MatchSink {
 public:
  void Write(const std::vector<clincode::EpisodeMatches>&, const std::string&) override {}
};

bool Blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size > 64 << 10) return 0;
  std::string_view text = fuzz::Text(data, size);
  int fd = memfd_create("episodes", 0);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const auto& engine = fuzz::StarterEngine();
  ValidateOptions options;
  options.threads = 2;
  options.max_line_bytes = 48;
  options.chunk_bytes = 64;
  options.source_name = "fuzz.csv";
  Drop drop;
  auto summary = ValidateFile(path, engine.validator(), &drop, options);
  if (summary.ok()) {
    FUZZ_CHECK(summary->rows_read == summary->episodes_checked + summary->rows_unreadable);
    // The rows the file holds, counted independently.
    std::size_t rows = 0, line = 0;
    bool json = false;
    for (std::string_view rest = text; !rest.empty(); ++line) {
      std::size_t end = rest.find('\n');
      std::string_view l = rest.substr(0, end);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      if (line == 0) {
        if (l.starts_with("\xEF\xBB\xBF")) l.remove_prefix(3);
        std::size_t first = l.find_first_not_of(" \t\r\f\v");
        json = first != std::string_view::npos && l[first] == '{';
        if (!json) continue;  // the header
      }
      if (!Blank(l)) ++rows;
    }
    FUZZ_CHECK(summary->rows_read == rows);
  }
  DropMatches drop_matches;
  auto matched = MatchFile(path, engine.matcher(), &drop_matches, options);
  FUZZ_CHECK(matched.ok() == summary.ok());
  close(fd);
  return 0;
}
