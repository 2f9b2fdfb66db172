// Helpers shared by the tests: fixture paths, the real-release folder, temp files and running the CLI.
#ifndef CLINCODE_TESTS_SUPPORT_TEST_SUPPORT_H_
#define CLINCODE_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "clincode/assistant.h"
#include "clincode/catalog.h"

namespace clincode::testing {

// tests/data/<relative>.
std::string Fixture(const std::string& relative);
// ../shared/data/<relative>, or "" when the shared data folder is absent (tests then GTEST_SKIP()).
std::string SharedData(const std::string& relative);
inline constexpr const char* kNoSharedData =
    "../shared/data not found (the open releases; README, \"The shared folder\"): tests on the real open releases "
    "are skipped";

// Loads releases from fixture paths (no starter data unless asked); fails the test on error.
std::shared_ptr<const Catalog> LoadFixtures(const std::vector<std::string>& relative_paths, bool starter = false);

// A file in a fresh temporary folder, removed with the object.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content);
  ~TempFile();
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

struct CommandResult {
  int exit_code;
  std::string out;  // standard output
  std::string err;  // standard error
};
// Runs the clincode binary with `args` (each shell-quoted).
CommandResult RunCli(const std::vector<std::string>& args);

// The codes of the assistant's items, in order.
std::vector<std::string> CodesOf(const std::vector<CodedItem>& items);
// Whether one of `lines` contains `text`.
bool Mentions(const std::vector<std::string>& lines, const std::string& text);

}  // namespace clincode::testing

#endif  // CLINCODE_TESTS_SUPPORT_TEST_SUPPORT_H_
