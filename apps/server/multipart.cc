#include "multipart.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace clincode::server {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A header parameter's value: a token, or a quoted string with backslash escapes.
std::string ParamValue(std::string_view v) {
  v = Trim(v);
  if (v.size() < 2 || v.front() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semicolon))) != "multipart/form-data" || semicolon == std::string_view::npos)
    return {};
  std::string_view rest = content_type.substr(semicolon + 1);
  while (!rest.empty()) {
    const std::size_t end = rest.find(';');
    std::string_view param = Trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos || Lower(Trim(param.substr(0, eq))) != "boundary") continue;
    std::string b = ParamValue(param.substr(eq + 1));
    // RFC 2046: 1 to 70 characters.
    return b.empty() || b.size() > 70 ? std::string() : b;
  }
  return {};
}

MultipartSplitter::MultipartSplitter(std::string boundary, Callbacks callbacks)
    : delimiter_("\r\n--" + boundary), callbacks_(std::move(callbacks)), buffer_("\r\n") {}

Status MultipartSplitter::Fail(std::string message) {
  state_ = State::kFailed;
  buffer_.clear();
  return InvalidArgument(std::move(message));
}

Status MultipartSplitter::Feed(std::string_view piece) {
  if (state_ == State::kFailed) return InvalidArgument("the multipart body was already refused");
  if (state_ == State::kDone) return Status::Ok();  // the epilogue is ignored
  buffer_.append(piece);
  return Step();
}

Status MultipartSplitter::Finish() {
  if (state_ == State::kFailed) return InvalidArgument("the multipart body was already refused");
  if (state_ != State::kDone) return Fail("the multipart body ends before its closing boundary");
  return Status::Ok();
}

Status MultipartSplitter::ReadHeaders(std::string_view block) {
  std::string name, filename;
  bool disposition = false;
  while (!block.empty()) {
    const std::size_t end = block.find("\r\n");
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || Lower(Trim(line.substr(0, colon))) != "content-disposition") continue;
    std::string_view value = line.substr(colon + 1);
    const std::size_t semicolon = value.find(';');
    if (Lower(Trim(value.substr(0, semicolon))) != "form-data") continue;
    disposition = true;
    std::string_view params = semicolon == std::string_view::npos ? std::string_view() : value.substr(semicolon + 1);
    while (!params.empty()) {
      // A quoted value may hold a semicolon: split at the first one outside quotes.
      std::size_t cut = 0;
      for (bool quoted = false; cut < params.size() && (quoted || params[cut] != ';'); ++cut) {
        if (params[cut] == '\\' && quoted)
          ++cut;
        else if (params[cut] == '"')
          quoted = !quoted;
      }
      std::string_view param = params.substr(0, std::min(cut, params.size()));
      params = cut >= params.size() ? std::string_view() : params.substr(cut + 1);
      const std::size_t eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string key = Lower(Trim(param.substr(0, eq)));
      if (key == "name") name = ParamValue(param.substr(eq + 1));
      if (key == "filename") filename = ParamValue(param.substr(eq + 1));
    }
  }
  if (!disposition || name.empty())
    return Fail(fmt::format("part {} has no Content-Disposition form-data name", parts_ + 1));
  if (++parts_ > kMaxParts) return Fail(fmt::format("more than {} parts", kMaxParts));
  if (callbacks_.begin) callbacks_.begin(name, filename);
  return Status::Ok();
}

Status MultipartSplitter::Step() {
  const std::size_t keep = delimiter_.size() - 1;  // a delimiter may begin in the last bytes held
  while (true) {
    switch (state_) {
      case State::kPreamble: {
        const std::size_t at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          if (buffer_.size() > keep) buffer_.erase(0, buffer_.size() - keep);
          return Status::Ok();
        }
        buffer_.erase(0, at + delimiter_.size());
        state_ = State::kAfterDelimiter;
        break;
      }
      case State::kAfterDelimiter: {
        // Transport padding (spaces and tabs), then "--" closing the body or CRLF before a part.
        std::size_t i = 0;
        while (i < buffer_.size() && (buffer_[i] == ' ' || buffer_[i] == '\t')) ++i;
        if (i > 64) return Fail("a boundary line has more than 64 bytes of padding");
        if (buffer_.size() < i + 2) return Status::Ok();
        if (buffer_.compare(i, 2, "--") == 0) {
          state_ = State::kDone;
          buffer_.clear();
          if (parts_ == 0) return Fail("the multipart body has no parts");
          return Status::Ok();
        }
        if (buffer_.compare(i, 2, "\r\n") != 0) return Fail("a boundary line must end with CRLF or --");
        buffer_.erase(0, i + 2);
        scanned_ = 0;
        state_ = State::kHeaders;
        break;
      }
      case State::kHeaders: {
        // Search on from where the last search stopped: a byte at a time, headers cost linear time.
        const std::size_t from = scanned_ > 3 ? scanned_ - 3 : 0;
        const std::size_t at = buffer_.find("\r\n\r\n", from);
        if (at == std::string::npos) {
          if (buffer_.size() > kMaxHeaderBytes)
            return Fail(fmt::format("part {} has headers over {} bytes", parts_ + 1, kMaxHeaderBytes));
          scanned_ = buffer_.size();
          return Status::Ok();
        }
        if (at > kMaxHeaderBytes)
          return Fail(fmt::format("part {} has headers over {} bytes", parts_ + 1, kMaxHeaderBytes));
        Status s = ReadHeaders(std::string_view(buffer_).substr(0, at));
        if (!s.ok()) return s;
        buffer_.erase(0, at + 4);
        state_ = State::kContent;
        break;
      }
      case State::kContent: {
        const std::size_t at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          if (buffer_.size() > keep) {
            if (callbacks_.data) callbacks_.data(std::string_view(buffer_).substr(0, buffer_.size() - keep));
            buffer_.erase(0, buffer_.size() - keep);
          }
          return Status::Ok();
        }
        if (at > 0 && callbacks_.data) callbacks_.data(std::string_view(buffer_).substr(0, at));
        if (callbacks_.end) callbacks_.end();
        buffer_.erase(0, at + delimiter_.size());
        state_ = State::kAfterDelimiter;
        break;
      }
      case State::kDone: buffer_.clear(); return Status::Ok();
      case State::kFailed: return InvalidArgument("the multipart body was already refused");
    }
  }
}

UploadPart::~UploadPart() {
  if (fd_ >= 0) ::close(fd_);
}

std::string UploadPart::path() const { return fmt::format("/proc/self/fd/{}", fd_); }

bool UploadPart::Write(std::string_view data) {
  for (std::size_t done = 0; done < data.size();) {
    ssize_t w = ::write(fd_, data.data() + done, data.size() - done);
    if (w <= 0) return false;
    done += static_cast<std::size_t>(w);
  }
  bytes_ += data.size();
  return true;
}

Result<std::vector<std::unique_ptr<UploadPart>>> SplitMultipartFile(const std::string& path,
                                                                    std::string_view content_type) {
  const std::string boundary = MultipartBoundary(content_type);
  if (boundary.empty())
    return InvalidArgument("send the files as multipart/form-data with a boundary (as a browser form does)");
  std::vector<std::unique_ptr<UploadPart>> parts;
  bool write_failed = false;
  MultipartSplitter::Callbacks callbacks;
  callbacks.begin = [&](const std::string& name, const std::string& filename) {
    const char* tmp = std::getenv("TMPDIR");
    std::string temp = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/clincode-part-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd >= 0) ::unlink(temp.c_str());
    write_failed = write_failed || fd < 0;
    parts.push_back(std::make_unique<UploadPart>(name, filename, fd));
  };
  callbacks.data = [&](std::string_view bytes) { write_failed = write_failed || !parts.back()->Write(bytes); };
  MultipartSplitter splitter(boundary, callbacks);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IoError("cannot read the upload");
  std::string block(std::size_t{1} << 16, '\0');
  Status s = Status::Ok();
  for (std::size_t n; s.ok() && (n = std::fread(block.data(), 1, block.size(), f)) > 0;)
    s = splitter.Feed({block.data(), n});
  std::fclose(f);
  if (s.ok()) s = splitter.Finish();
  if (!s.ok()) return s;
  if (write_failed) return IoError("cannot store the uploaded files now (disk full?)");
  return parts;
}

}  // namespace clincode::server
