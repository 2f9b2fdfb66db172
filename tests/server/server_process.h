// A `clincode serve` child process for the server tests: started on a port the OS picks (or one given),
// with its standard error kept in a file, stopped with SIGTERM (or killed) and its exit status returned.
#ifndef CLINCODE_TESTS_SERVER_SERVER_PROCESS_H_
#define CLINCODE_TESTS_SERVER_SERVER_PROCESS_H_

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace clincode::testing {

class ServerProcess {
 public:
  struct Options {
    std::vector<std::string> args;                         // after "serve"
    std::vector<std::pair<std::string, std::string>> env;  // set in the child
    std::string stderr_path;                               // empty: a temporary file of its own
    std::string port = "0";
  };

  explicit ServerProcess(std::vector<std::string> args) : ServerProcess(Options{std::move(args), {}, {}, "0"}) {}

  explicit ServerProcess(const Options& options) : stderr_path_(options.stderr_path) {
    if (stderr_path_.empty()) {
      char tmpl[] = "/tmp/clincode-serve-stderr-XXXXXX";
      int fd = mkstemp(tmpl);
      if (fd >= 0) close(fd);
      stderr_path_ = tmpl;
      own_stderr_ = true;
    }
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      int err = open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(err, STDERR_FILENO);
      close(out[0]);
      for (const auto& [k, v] : options.env) setenv(k.c_str(), v.c_str(), 1);
      unsetenv("CLINCODE_RELEASES");
      std::vector<std::string> args = {CLINCODE_CLI_PATH, "serve", "--port", options.port};
      args.insert(args.end(), options.args.begin(), options.args.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    // Reads standard output until the address is printed, or until the process ends (a failed start).
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1) {
      if (c == '\n') {
        auto at = line.find("http://127.0.0.1:");
        if (at != std::string::npos) {
          port_ = std::stoi(line.substr(at + 17));
          break;
        }
        line.clear();
      } else {
        line.push_back(c);
      }
    }
    out_ = out[0];
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() {
    Stop();
    if (own_stderr_) unlink(stderr_path_.c_str());
  }

  // Sends `sig` and waits; the exit code, or -1 when it did not exit normally.
  int Stop(int sig = SIGTERM) {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, sig);
    return Wait();
  }
  // Waits for the process to end by itself (a failed start).
  int Wait() {
    if (pid_ <= 0) return exit_code_;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    close(out_);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    // An abnormal end is the finding: show what the server said (a sanitizer report, an assertion).
    if (!WIFEXITED(status) || (exit_code_ != 0 && own_stderr_)) {
      std::string err = Slurp(stderr_path_);
      if (err.size() > 6000) err = err.substr(0, 3000) + "\n[...]\n" + err.substr(err.size() - 3000);
      std::fprintf(stderr, "clincode serve ended %s %d; its standard error:\n%s\n",
                   WIFSIGNALED(status) ? "by signal" : "with exit code",
                   WIFSIGNALED(status) ? WTERMSIG(status) : exit_code_, err.c_str());
    }
    return exit_code_;
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string stderr_path_;
  bool own_stderr_ = false;
  pid_t pid_ = -1;
  int port_ = 0;
  int out_ = -1;
  int exit_code_ = -1;
};

}  // namespace clincode::testing

#endif  // CLINCODE_TESTS_SERVER_SERVER_PROCESS_H_
