// `clincode serve` against clients that misbehave: bad bytes everywhere, a thousand connections at once, slow
// and idle clients, oversize bodies, uploads cut short or a server killed mid-upload, a second server on a
// busy port. Raw sockets on loopback, so that nothing is tidied up by a client library. Bounded in count and
// time (each test a few seconds).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/server_process.h"

namespace clincode::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int Connect(int port, bool blocking = true) {
  int fd = socket(AF_INET, SOCK_STREAM | (blocking ? 0 : SOCK_NONBLOCK), 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && !(errno == EINPROGRESS && !blocking)) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

struct Reply {
  int status = 0;
  std::string head, body;
  bool closed = false;  // the server closed the connection after it
};

// Reads one answer (Content-Length or chunked), waiting at most `seconds`.
Reply ReadReply(int fd, double seconds = 10) {
  Reply r;
  std::string data;
  auto start = Clock::now();
  auto more = [&] {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>((seconds - SecondsSince(start)) * 1000);
    if (left <= 0 || poll(&p, 1, left) <= 0) return false;
    char buf[65536];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      r.closed = true;
      return false;
    }
    data.append(buf, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t end = std::string::npos;
  while ((end = data.find("\r\n\r\n")) == std::string::npos) {
    if (!more()) return r;
  }
  r.head = data.substr(0, end + 2);
  data.erase(0, end + 4);
  if (r.head.size() > 12) r.status = std::atoi(r.head.c_str() + 9);
  std::string lower = r.head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("transfer-encoding: chunked") != std::string::npos) {
    for (;;) {
      std::size_t line = data.find("\r\n");
      while (line == std::string::npos) {
        if (!more()) return r;
        line = data.find("\r\n");
      }
      std::size_t size = std::stoul(data.substr(0, line), nullptr, 16);
      while (data.size() < line + 2 + size + 2) {
        if (!more()) return r;
      }
      r.body += data.substr(line + 2, size);
      data.erase(0, line + 2 + size + 2);
      if (size == 0) break;
    }
  } else if (std::size_t at = lower.find("content-length: "); at != std::string::npos) {
    std::size_t length = std::stoul(lower.substr(at + 16));
    while (data.size() < length && more()) {
    }
    r.body = data.substr(0, length);
  }
  if (lower.find("connection: close") != std::string::npos) r.closed = true;
  return r;
}

// Sends `raw` on a new connection and reads the answer.
Reply Exchange(int port, std::string_view raw, double seconds = 10) {
  int fd = Connect(port);
  if (fd < 0) return {};
  SendAll(fd, raw);
  Reply r = ReadReply(fd, seconds);
  close(fd);
  return r;
}

std::string Hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

std::string Get(std::string_view target) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}
std::string Post(std::string_view target, std::string_view type, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + std::string(type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// The server closed the connection: a read sees the end (or a reset), waiting at most `seconds`.
bool ClosedByServer(int fd, double seconds) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(seconds * 1000)) <= 0) return false;
  char buf[4096];
  ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

// How many of `fds` the server has closed by `within` seconds after `start`; closes them all.
int CountClosedByServer(const std::vector<int>& fds, Clock::time_point start, double within) {
  int closed = 0;
  for (int fd : fds) {
    if (ClosedByServer(fd, std::max(0.1, within - SecondsSince(start)))) ++closed;
    close(fd);
  }
  return closed;
}

void RaiseFdLimit() {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "clincode-abuse-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::vector<std::string> Entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
    return out;
  }

 private:
  std::string path_;
};

// Regression: one request with an invalid UTF-8 byte killed the server (nlohmann's dump threw on the echoed
// path); parameters with such bytes answered 500. Every one is now a 4xx with a JSON body naming the part.
TEST(ServerAbuse, BadBytesAnywhereGetA4xxWithAJsonBody) {
  ServerProcess server({"--quiet"});
  ASSERT_GT(server.port(), 0);
  const std::vector<std::string> targets = {"/%FF",
                                            "/index.html%FF",
                                            "/v1/codes/opcs4/%FF",
                                            "/v1/guidance/%FF",
                                            "/\xff",
                                            "/v1/search?q=x&system=%FF",
                                            "/v1/search?q=x&within=%FF",
                                            "/v1/search?q=%C3",
                                            "/v1/search?q=%ZZ",
                                            "/v1/search?%FF=1",
                                            "/v1/codes/%FF/K57.8",
                                            "/fhir/CodeSystem/$lookup?system=%FF&code=K57.8",
                                            "/fhir/CodeSystem/$lookup?code=%ED%A0%80",
                                            "/fhir/ValueSet/$expand?url=%FF",
                                            "/v1/search?q=a%00b",
                                            "/fhir/ValueSet/%FF/$expand",
                                            "/v1/guidance/IPG655%0A"};
  for (const auto& t : targets) {
    Reply r = Exchange(server.port(), Get(t));
    EXPECT_GE(r.status, 400) << t;
    EXPECT_LT(r.status, 500) << t << ": " << r.body;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << t << ": " << r.body;
    if (t.starts_with("/fhir")) {
      EXPECT_EQ(body["resourceType"], "OperationOutcome") << t;
    } else {
      EXPECT_TRUE(body.contains("error")) << t;
    }
  }
  // The parameter is named.
  json system = json::parse(Exchange(server.port(), Get("/v1/search?q=x&system=%FF")).body);
  EXPECT_EQ(system["detail"]["parameter"], "system");
  // Bodies and header fields with bad bytes, and a request line that is not HTTP.
  std::vector<std::string> raws = {
      Post("/v1/validate?name=%FF", "text/csv", "EPIKEY,OPERTN_01\nE1,K578\n"),
      Post("/v1/code", "application/json", "{\"text\": \"\xff\xfe\"}"),
      Post("/v1/guidance/parse", "text/plain", "IPG1 \xff\xfe\nK57.8 \xc3\n"),
      Post("/v1/check", "application/json", "{\"procedures\": [\"K57.8\"], \"sex\": 9e50}"),
      Post("/fhir/CodeSystem/$lookup", "application/fhir+json", "{\"resourceType\": \"Parameters\", \"parameter\": 5}"),
      "GET /health HTTP/1.1\r\nHost: \xff\xfe\r\nContent-Type: \xff\r\n\r\n",
      "\xff\xff\xff\xff\r\n\r\n",
      "GET /health HTTP/7.0\r\n\r\n",
      "GET /health HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "GET /health HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"};
  for (const auto& raw : raws) {
    Reply r = Exchange(server.port(), raw);
    EXPECT_GT(r.status, 0) << raw;
    EXPECT_LT(r.status, 500) << raw << ": " << r.body;
    EXPECT_FALSE(json::parse(r.body, nullptr, false).is_discarded()) << raw << ": " << r.body;
  }
  EXPECT_EQ(Exchange(server.port(), Get("/health")).status, 200);
  EXPECT_EQ(server.Stop(), 0);
}

// Regression: cpp-httplib listened with a backlog of 5 and a fixed pool: 406 of 1,000 concurrent requests
// timed out. Every one is answered now.
TEST(ServerAbuse, AThousandConcurrentRequestsAreAllAnswered) {
  RaiseFdLimit();
  ServerProcess server({"--quiet"});
  ASSERT_GT(server.port(), 0);
  constexpr int kClients = 1000;
  std::vector<int> fds;
  for (int i = 0; i < kClients; ++i) {
    int fd = Connect(server.port(), false);
    ASSERT_GE(fd, 0) << "connection " << i;
    fds.push_back(fd);
  }
  // Every connection sends its request once it is connected; then every answer is read.
  std::vector<bool> sent(kClients, false), done(kClients, false);
  std::vector<std::string> got(kClients);
  int ok = 0, finished = 0;
  const std::string request = Get("/v1/search?q=heart&limit=5");
  auto start = Clock::now();
  while (finished < kClients && SecondsSince(start) < 30) {
    std::vector<pollfd> polls;
    std::vector<int> who;
    for (int i = 0; i < kClients; ++i) {
      if (done[i]) continue;
      polls.push_back({fds[i], static_cast<short>(sent[i] ? POLLIN : POLLOUT), 0});
      who.push_back(i);
    }
    if (poll(polls.data(), polls.size(), 1000) <= 0) continue;
    for (std::size_t k = 0; k < polls.size(); ++k) {
      int i = who[k];
      if (polls[k].revents == 0) continue;
      if (!sent[i]) {
        sent[i] = send(fds[i], request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
        if (!sent[i]) {
          done[i] = true;
          ++finished;
        }
        continue;
      }
      char buf[65536];
      ssize_t n = recv(fds[i], buf, sizeof buf, 0);
      if (n > 0) {
        got[i].append(buf, static_cast<std::size_t>(n));
        continue;
      }
      done[i] = true;
      ++finished;
      if (got[i].starts_with("HTTP/1.1 200")) ++ok;
    }
  }
  for (int fd : fds) close(fd);
  EXPECT_EQ(ok, kClients) << "answered in " << SecondsSince(start) << " s";
  EXPECT_EQ(server.Stop(), 0);
}

// Regression: 200 clients sending a header byte a second held every worker, and /health stopped answering.
// They hold nothing now, /health answers at once, and each is dropped when its head is not in by the header
// timeout.
TEST(ServerAbuse, SlowClientsNeitherBlockOthersNorStayForever) {
  RaiseFdLimit();
  ServerProcess server({"--quiet", "--header-timeout", "3"});
  ASSERT_GT(server.port(), 0);
  constexpr int kSlow = 200;
  std::vector<int> slow;
  for (int i = 0; i < kSlow; ++i) {
    int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    slow.push_back(fd);
  }
  const std::string head = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1234567890\r\n\r\n";
  auto start = Clock::now();
  double worst = 0;
  for (std::size_t byte = 0; SecondsSince(start) < 2.0; ++byte) {
    for (int fd : slow) SendAll(fd, head.substr(byte % (head.size() - 4), 1));
    auto t = Clock::now();
    Reply r = Exchange(server.port(), Get("/health"), 5);
    EXPECT_EQ(r.status, 200);
    worst = std::max(worst, SecondsSince(t));
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_LT(worst, 1.0) << "/health took " << worst << " s beside " << kSlow << " slow clients";
  EXPECT_EQ(CountClosedByServer(slow, start, 5.0), kSlow) << "slow clients still connected after the header timeout";
  EXPECT_EQ(server.Stop(), 0);
}

// Regression: 64 idle keep-alive clients took every worker of the pool and starved everyone else.
TEST(ServerAbuse, IdleKeepAliveClientsStarveNobodyAndAreClosed) {
  RaiseFdLimit();
  ServerProcess server({"--quiet", "--keep-alive", "2"});
  ASSERT_GT(server.port(), 0);
  constexpr int kIdle = 200;
  std::vector<int> idle;
  for (int i = 0; i < kIdle; ++i) {
    int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    Reply r = ReadReply(fd, 5);
    ASSERT_EQ(r.status, 200);
    ASSERT_FALSE(r.closed);
    idle.push_back(fd);
  }
  auto start = Clock::now();
  for (int i = 0; i < 50; ++i) {
    auto t = Clock::now();
    EXPECT_EQ(Exchange(server.port(), Get("/v1/codes/opcs4/K57.8"), 5).status, 200);
    EXPECT_LT(SecondsSince(t), 1.0);
  }
  EXPECT_EQ(CountClosedByServer(idle, start, 4.0), kIdle) << "idle connections outlived the keep-alive timeout";
  EXPECT_EQ(server.Stop(), 0);
}

TEST(ServerAbuse, OversizeBodiesAreRefusedEarly) {
  ServerProcess server({"--quiet", "--max-upload-mb", "1"});
  ASSERT_GT(server.port(), 0);
  // A declared length over the limit: 413 before a byte of the body is sent.
  Reply declared = Exchange(server.port(),
                            "POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                            "Content-Length: 10737418240\r\n\r\n");
  EXPECT_EQ(declared.status, 413);
  EXPECT_NE(declared.body.find("upload over the limit of 1048576 bytes"), std::string::npos) << declared.body;
  // A chunked body that passes the limit as it arrives.
  int fd = Connect(server.port());
  SendAll(fd,
          "POST /v1/code HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string chunk(1 << 20, 'a');
  bool refused = false;
  for (int i = 0; i < 8 && !refused; ++i) {
    refused = !SendAll(fd, Hex(chunk.size()) + "\r\n" + chunk + "\r\n");
  }
  Reply chunked = ReadReply(fd, 10);
  close(fd);
  EXPECT_EQ(chunked.status, 413);
  // A note over the assistant's limit, in a body under the server's.
  std::string note = json{{"text", std::string((256 << 10) + 1, 'n')}}.dump();
  Reply long_note = Exchange(server.port(), Post("/v1/code", "application/json", note));
  EXPECT_EQ(long_note.status, 413);
  EXPECT_EQ(json::parse(long_note.body)["detail"]["field"], "text");
  EXPECT_EQ(server.Stop(), 0);
}

// Regression: a failed or cut-short upload left its clincode-upload-* file (up to 512 MB) in the temporary
// folder, and a crash left every one. Spooled files are unlinked as soon as they are made.
TEST(ServerAbuse, UploadsLeaveNothingBehind) {
  TempDir tmp;
  ServerProcess::Options options;
  options.args = {"--quiet", "--max-upload-mb", "1"};
  options.env = {{"TMPDIR", tmp.path()}};
  auto server = std::make_unique<ServerProcess>(options);
  ASSERT_GT(server->port(), 0);
  const std::string csv = "EPIKEY,SEX,OPERTN_01\nE1,1,K578\nE2,7,K578\n";
  Reply ok = Exchange(server->port(), Post("/v1/validate?name=mine.csv", "text/csv", csv));
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("\"source\":\"mine.csv\""), std::string::npos) << ok.body;
  // An upload whose file cannot be read names the upload, never a path of the server.
  Reply empty = Exchange(server->port(), Post("/v1/validate?name=blank.csv", "text/csv", "\n\n"));
  EXPECT_NE(empty.body.find("blank.csv is empty"), std::string::npos) << empty.body;
  EXPECT_EQ(empty.body.find("/proc/"), std::string::npos) << empty.body;
  EXPECT_EQ(empty.body.find(tmp.path()), std::string::npos) << empty.body;
  EXPECT_EQ(Exchange(server->port(), Post("/v1/validate", "text/csv", std::string(2 << 20, 'x'))).status, 413);
  // An upload cut short, then one held open while the folder is looked at, then the server killed.
  int cut = Connect(server->port());
  SendAll(cut, "POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nEPIKEY,OPERTN_01\n");
  close(cut);
  int held = Connect(server->port());
  SendAll(held, "POST /v1/match HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nEPIKEY,OPERTN_01\nE1,K578\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(tmp.Entries(), std::vector<std::string>{}) << "a spooled upload is visible in TMPDIR";
  EXPECT_NE(server->Stop(SIGKILL), 0);
  close(held);
  EXPECT_EQ(tmp.Entries(), std::vector<std::string>{});
}

// Regression: a second `serve` on a port already served started silently, and the kernel split the
// connections between the two (SO_REUSEPORT). It fails now, saying why.
TEST(ServerAbuse, ASecondServerOnABusyPortFails) {
  ServerProcess first({"--quiet"});
  ASSERT_GT(first.port(), 0);
  std::string err = (fs::temp_directory_path() / ("clincode-busy-" + std::to_string(getpid()))).string();
  ServerProcess::Options options;
  options.args = {"--quiet"};
  options.port = std::to_string(first.port());
  options.stderr_path = err;
  ServerProcess second(options);
  EXPECT_EQ(second.port(), 0) << "the second server started";
  EXPECT_EQ(second.Wait(), 1);
  std::string message = ServerProcess::Slurp(err);
  EXPECT_NE(message.find("port " + std::to_string(first.port()) + " is in use"), std::string::npos) << message;
  fs::remove(err);
  EXPECT_EQ(first.Stop(), 0);
}

TEST(ServerAbuse, HeadAndExpectContinue) {
  ServerProcess server({"--quiet"});
  ASSERT_GT(server.port(), 0);
  Reply head = Exchange(server.port(), "HEAD /v1/codes/opcs4/K57.8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_NE(head.head.find("Content-Length: "), std::string::npos);
  EXPECT_EQ(head.body, "");
  int fd = Connect(server.port());
  const std::string body = R"({"procedures": ["K57.8"], "diagnoses": ["I48.9"]})";
  SendAll(fd,
          "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
          "Content-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
  Reply cont = ReadReply(fd, 5);
  EXPECT_EQ(cont.status, 100);
  SendAll(fd, body);
  Reply answer = ReadReply(fd, 5);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(json::parse(answer.body).contains("findings"));
  close(fd);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace clincode::testing
