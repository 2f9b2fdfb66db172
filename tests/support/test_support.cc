#include "support/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clincode::testing {
namespace fs = std::filesystem;

std::string Fixture(const std::string& relative) { return std::string(CLINCODE_TEST_DATA_DIR) + "/" + relative; }

std::string SharedData(const std::string& relative) {
  std::string dir = CLINCODE_SHARED_DATA_DIR;
  if (!fs::is_directory(dir)) return {};
  return dir + "/" + relative;
}

std::shared_ptr<const Catalog> LoadFixtures(const std::vector<std::string>& relative_paths, bool starter) {
  CatalogOptions options;
  for (const auto& p : relative_paths) options.release_paths.push_back(Fixture(p));
  options.starter_for_missing_systems = starter;
  auto catalog = Catalog::Load(options);
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  return catalog.ok() ? *catalog : nullptr;
}

TempFile::TempFile(const std::string& name, const std::string& content) {
  std::string tmpl = (fs::temp_directory_path() / "clincode-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  dir_ = made == nullptr ? fs::temp_directory_path().string() : std::string(made);
  path_ = dir_ + "/" + name;
  std::ofstream(path_, std::ios::binary) << content;
}

TempFile::~TempFile() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

namespace {
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}
std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

CommandResult RunCli(const std::vector<std::string>& args) {
  TempFile out("stdout", "");
  TempFile err("stderr", "");
  std::string cmd = "env -u CLINCODE_RELEASES " + Quote(CLINCODE_CLI_PATH);
  for (const auto& a : args) cmd += " " + Quote(a);
  cmd += " >" + Quote(out.path()) + " 2>" + Quote(err.path()) + " </dev/null";
  int status = std::system(cmd.c_str());
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return {code, Slurp(out.path()), Slurp(err.path())};
}

std::vector<std::string> CodesOf(const std::vector<CodedItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.code);
  return out;
}

bool Mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines) {
    if (l.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace clincode::testing
