// multipart/form-data bodies as a hostile client sends them: the first line is the boundary, the rest the
// body. The splitter must give the same parts and the same verdict however the body is cut into pieces
// (fed whole, and in pieces whose sizes the input's own bytes choose), never more data than the body holds.
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "multipart.h"

namespace {

struct Seen {
  std::vector<std::string> parts;  // name, filename and data of each part, joined
  bool ok = false;
  std::size_t bytes = 0;
};

Seen Split(const std::string& boundary, std::string_view body, const std::vector<std::size_t>& cuts) {
  Seen seen;
  clincode::server::MultipartSplitter::Callbacks cb;
  cb.begin = [&](const std::string& name, const std::string& filename) {
    seen.parts.push_back(name + "\n" + filename + "\n");
  };
  cb.data = [&](std::string_view d) {
    FUZZ_CHECK(!seen.parts.empty());
    seen.parts.back().append(d);
    seen.bytes += d.size();
  };
  clincode::server::MultipartSplitter splitter(boundary, cb);
  clincode::Status s = clincode::Status::Ok();
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    if (!s.ok() || at >= body.size()) break;
    const std::size_t n = std::min(cut, body.size() - at);
    s = splitter.Feed(body.substr(at, n));
    at += n;
  }
  if (s.ok() && at < body.size()) s = splitter.Feed(body.substr(at));
  if (s.ok()) s = splitter.Finish();
  seen.ok = s.ok();
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = clincode::fuzz::Text(data, size);
  const std::size_t nl = input.find('\n');
  if (nl == std::string_view::npos || nl == 0 || nl > 70) return 0;
  const std::string boundary(input.substr(0, nl));
  std::string_view body = input.substr(nl + 1);
  Seen whole = Split(boundary, body, {body.size()});
  std::vector<std::size_t> cuts;
  for (unsigned char c : boundary) cuts.push_back(1 + c % 7);  // piece sizes from 1 to 7 bytes, repeated
  std::vector<std::size_t> repeated;
  while (repeated.size() < body.size()) repeated.insert(repeated.end(), cuts.begin(), cuts.end());
  Seen pieces = Split(boundary, body, repeated);
  FUZZ_CHECK(whole.ok == pieces.ok);
  if (whole.ok) FUZZ_CHECK(whole.parts == pieces.parts);
  FUZZ_CHECK(whole.bytes <= body.size());
  FUZZ_CHECK(whole.parts.size() <= clincode::server::MultipartSplitter::kMaxParts);
  // The boundary as a Content-Type gives it back, or nothing for one a browser would never send.
  const std::string parsed = clincode::server::MultipartBoundary("multipart/form-data; boundary=" + boundary);
  FUZZ_CHECK(parsed.empty() || parsed.size() <= 70);
  return 0;
}
