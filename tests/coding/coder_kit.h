// Scoring the coding assistant on a kit of operation-note cases in the format of
// ../shared/nice-dev/CODER_CASES.md (coder_cases.json): each case names a recommendation text, a note, and
// the codes a qualified coder would assign (must, may, adjacency, diagnosis groups, questions).
#ifndef CLINCODE_TESTS_CODING_CODER_KIT_H_
#define CLINCODE_TESTS_CODING_CODER_KIT_H_

#include <string>
#include <vector>

namespace clincode::kit {

struct CoderKitOptions {
  std::string kit_file;               // coder_cases.json
  std::vector<std::string> releases;  // release files or folders; the starter data fills the rest
  int min_exact = -1;                 // exit 1 below this many exact cases (-1: all of them)
  bool verbose = false;
};

// Runs the kit and prints the exact-match rate, the rate per part (main procedure, procedures, diagnoses,
// questions), every miss, and the expected codes the loaded releases lack. Returns the exit code: 0 when at
// least min_exact cases are exact, 1 when fewer, 2 when the kit or a release cannot be read.
int RunCoderKit(const CoderKitOptions& options);

}  // namespace clincode::kit

#endif  // CLINCODE_TESTS_CODING_CODER_KIT_H_
