// multipart/form-data (RFC 7578) as browsers send files: the parts of a body, read in pieces of any size,
// so that an upload of several files is split while it is read from its spool file, never held whole.
#ifndef CLINCODE_APPS_SERVER_MULTIPART_H_
#define CLINCODE_APPS_SERVER_MULTIPART_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/status.h"

namespace clincode::server {

// The boundary of a Content-Type "multipart/form-data; boundary=...", or "" when it is not one (or the
// boundary is empty, longer than 70 bytes or quoted badly).
std::string MultipartBoundary(std::string_view content_type);

// Splits a body into parts. Feed() the body in pieces, then Finish(). The callbacks see each part's
// name and filename (from Content-Disposition), then its bytes in pieces, then its end. Fails (kInvalidArgument,
// naming what was wrong) on a part whose headers are over 16 KiB or lack a form-data name, more than
// kMaxParts parts, or a body that ends before its closing boundary; after a failure it takes no more.
class MultipartSplitter {
 public:
  static constexpr std::size_t kMaxParts = 16;
  static constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
  struct Callbacks {
    std::function<void(const std::string& name, const std::string& filename)> begin;
    std::function<void(std::string_view bytes)> data;
    std::function<void()> end;
  };

  MultipartSplitter(std::string boundary, Callbacks callbacks);
  Status Feed(std::string_view piece);
  Status Finish();

 private:
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kContent, kDone, kFailed };
  Status Step();
  Status Fail(std::string message);
  Status ReadHeaders(std::string_view block);

  std::string delimiter_;  // "\r\n--" + boundary
  Callbacks callbacks_;
  std::string buffer_;  // bytes not yet taken
  State state_ = State::kPreamble;
  std::size_t parts_ = 0;
  std::size_t scanned_ = 0;  // bytes of a part's headers already searched for their end
};

// One uploaded part, kept in an unlinked temporary file that goes with the object.
class UploadPart {
 public:
  UploadPart(std::string name, std::string filename, int fd)
      : name_(std::move(name)), filename_(std::move(filename)), fd_(fd) {}
  ~UploadPart();
  UploadPart(const UploadPart&) = delete;
  UploadPart& operator=(const UploadPart&) = delete;
  const std::string& name() const { return name_; }
  const std::string& filename() const { return filename_; }
  std::size_t bytes() const { return bytes_; }
  std::string path() const;  // /proc/self/fd/N
  bool Write(std::string_view data);

 private:
  std::string name_, filename_;
  int fd_;
  std::size_t bytes_ = 0;
};

// Splits the multipart body in the file at `path` into parts, each in its own temporary file.
Result<std::vector<std::unique_ptr<UploadPart>>> SplitMultipartFile(const std::string& path,
                                                                    std::string_view content_type);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_MULTIPART_H_
