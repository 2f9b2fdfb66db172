// The server's request path without the sockets: bytes parsed as an HTTP request by Beast (as the server
// does), then routed and answered by the Dispatcher with the server's limits. Whatever arrives, the answer
// is never a 5xx and every JSON answer is JSON: bad input is the client's error, said in JSON.
#include <sys/mman.h>
#include <unistd.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <string>

#include "dispatch.h"
#include "fuzz_support.h"

namespace {

namespace http = boost::beast::http;

void CheckAnswer(const clincode::server::ApiResponse& r) {
  FUZZ_CHECK(r.status >= 200 && r.status < 500);
  if (r.stream) {
    std::string out;
    r.stream([&out](std::string_view piece) {
      out.append(piece);
      return out.size() < (1 << 20);
    });
    // JSON lines: every line is JSON (CSV streams are checked for being text only).
    if (r.content_type.find("ndjson") != std::string::npos) {
      for (std::size_t at = 0; at < out.size();) {
        std::size_t end = out.find('\n', at);
        if (end == std::string::npos) end = out.size();
        FUZZ_CHECK(!nlohmann::json::parse(out.substr(at, end - at), nullptr, false).is_discarded());
        at = end + 1;
      }
    }
    return;
  }
  if (r.content_type.find("json") != std::string::npos) {
    FUZZ_CHECK(!nlohmann::json::parse(r.body, nullptr, false).is_discarded());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;          // NOLINT(build/namespaces)
  using namespace clincode::server;  // NOLINT(build/namespaces)
  if (size > 64 << 10) return 0;
  static const Dispatcher* dispatch = [] {
    auto engine = std::shared_ptr<const Engine>(&fuzz::StarterEngine(), [](const Engine*) {});
    return new Dispatcher(engine, {});
  }();
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 << 10);
  parser.body_limit(64 << 10);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (!parser.is_header_done()) return 0;  // the HTTP layer answers these itself (400)
  const auto& req = parser.get();
  RequestHead head{std::string(req.method_string()), std::string(req.target()),
                   std::string(req[http::field::content_type])};
  auto routed = dispatch->Route(head);
  if (routed->body == BodyUse::kMemory) {
    routed->request.body = req.body();
  } else if (routed->body == BodyUse::kSpool) {
    int fd = memfd_create("upload", 0);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, req.body().data(), req.body().size()) == static_cast<ssize_t>(req.body().size()));
    routed->request.body_file = "/proc/self/fd/" + std::to_string(fd);
    CheckAnswer(dispatch->Handle(*routed));
    close(fd);
    return 0;
  }
  CheckAnswer(dispatch->Handle(*routed));
  return 0;
}
