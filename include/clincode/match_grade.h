// How sure a match of an episode to a recommendation is: by how specific its main procedure code is and
// by the recommendation's distinguishing codes the episode holds (knowledge/coding/match_grade.yaml).
#ifndef CLINCODE_MATCH_GRADE_H_
#define CLINCODE_MATCH_GRADE_H_

#include <cstdint>
#include <string_view>

namespace clincode {

enum class MatchGrade : std::uint8_t {
  kCertain,   // a specific main code, or a shared one with every distinguishing code
  kLikely,    // a shared main code with some of the distinguishing codes
  kPossible,  // a shared main code and nothing else of the recommendation that tells it apart
};
std::string_view MatchGradeName(MatchGrade grade);  // "certain", "likely", "possible"

}  // namespace clincode

#endif  // CLINCODE_MATCH_GRADE_H_
