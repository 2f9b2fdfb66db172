// Grading a match of an episode to one way of coding a recommendation (include/clincode/match_grade.h):
// shared by the validator and the matcher. Compiled once per way; Of() is const and thread-safe.
#ifndef CLINCODE_CODING_MATCH_GRADE_H_
#define CLINCODE_CODING_MATCH_GRADE_H_

#include <string>
#include <vector>

#include "clincode/code_pattern.h"
#include "clincode/episode.h"
#include "clincode/guidance_library.h"
#include "clincode/match_grade.h"

namespace clincode::coding {

class MatchGrader {
 public:
  // `groups` are the way's OPCS-4 groups, main first; `recommendation` is the one they belong to, and the
  // library gives the other recommendations' main codes (a code several name is not specific).
  MatchGrader(const Recommendation& recommendation, const std::vector<const Group*>& groups,
              const GuidanceLibrary& library);

  // The grade of an episode that holds the way's main procedure.
  MatchGrade Of(const Episode& episode) const;
  // The distinguishing codes, for a message: "Y02.1 (device) or Z33.2 (site)"; empty when the way has none.
  const std::string& distinguishing() const { return distinguishing_; }
  // The main code as coded in `episode` (written form), and why it is not specific: "K57.8 is an other
  // specified code". Empty when the episode has no main code or it is specific.
  std::string WhyNotSpecific(const Episode& episode) const;

 private:
  struct Main {
    CodePattern pattern;
    bool generic_title = false;
  };
  const EpisodeCode* MainCode(const Episode& episode, const Main** which) const;
  bool Specific(const EpisodeCode& code, const Main& main, std::string* why) const;

  std::vector<Main> main_;
  std::vector<std::vector<CodePattern>> others_;  // the main patterns of each other recommendation
  struct Distinguishing {
    std::vector<CodePattern> patterns;
    bool required = true;
  };
  std::vector<Distinguishing> distinguishing_groups_;
  std::string distinguishing_;
};

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_MATCH_GRADE_H_
