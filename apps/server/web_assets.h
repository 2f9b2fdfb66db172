// The web app's static files (web/): the copy built into the binary, or a folder read at start for
// development (--web-dir). Only the files found at start are ever served, so no request path can reach
// outside the folder.
#ifndef CLINCODE_APPS_SERVER_WEB_ASSETS_H_
#define CLINCODE_APPS_SERVER_WEB_ASSETS_H_

#include <map>
#include <string>
#include <string_view>

#include "clincode/status.h"

namespace clincode::server {

class WebAssets {
 public:
  struct File {
    std::string_view bytes;
    std::string mime;
  };
  // `dir` empty: the embedded copy. A folder that cannot be read leaves status() failed.
  static WebAssets Load(const std::string& dir);
  // `path` as requested ("/app.js"); null when there is no such file.
  const File* Find(std::string_view path) const;
  const Status& status() const { return status_; }
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, File, std::less<>> files_;
  std::map<std::string, std::string> owned_;  // contents of files read from a folder
  Status status_;
};

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_WEB_ASSETS_H_
