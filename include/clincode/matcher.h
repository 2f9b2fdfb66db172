// Matching coded episodes to NICE recommendations: which recommendations' main procedure an episode
// contains, and whether it holds all their required groups (full), some (partial) or none. Answers "how
// many CCM implantations did we code this year, and how many completely?" for a whole extract, streaming
// on every core like the validator. Immutable after Create(); Match() is const and thread-safe.
#ifndef CLINCODE_MATCHER_H_
#define CLINCODE_MATCHER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clincode/code_pattern.h"
#include "clincode/episode.h"
#include "clincode/guidance_library.h"
#include "clincode/match_grade.h"
#include "clincode/rules.h"
#include "clincode/validate_stream.h"

namespace clincode {
namespace coding {
class MatchGrader;
}

enum class MatchLevel { kFull, kPartial, kNone };
std::string_view MatchLevelName(MatchLevel level);  // "full", "partial", "none"

struct GuidanceMatch {
  const Recommendation* recommendation;
  MatchLevel level;
  MatchGrade grade = MatchGrade::kCertain;  // how sure it is that the episode is this procedure
  std::size_t required = 0;                 // required groups besides the main procedure (ICD-10 groups included)
  std::size_t met = 0;                      // of those, coded
  std::vector<std::string> missing;         // the groups not coded: "V55.-", "ICD-10 I50.9 or I50.0"
};

class GuidanceMatcher {
 public:
  // Matches against `only` (ids, any case) or, when empty, every recommendation with an OPCS-4 main
  // procedure. `rules` gives the codes that never stand for a site placeholder (the `except` of the
  // guidance_required_group rule); it may be null. Fails with kNotFound naming an id not in the library,
  // and kInvalidArgument for a recommendation in `only` that has no OPCS-4 main procedure.
  static Result<std::shared_ptr<const GuidanceMatcher>> Create(std::shared_ptr<const GuidanceLibrary> library,
                                                               const RuleSet* rules,
                                                               const std::vector<std::string>& only);

  // Appends a match for each recommendation whose main procedure the episode contains.
  void Match(const Episode& episode, std::vector<GuidanceMatch>* out) const;

  const std::vector<const Recommendation*>& recommendations() const { return order_; }

 private:
  GuidanceMatcher() = default;
  struct Requirement {
    std::string name;  // as listed in `missing`
    bool diagnosis = false;
    bool placeholder = false;  // stands for a family: codes of site_except_ never count for it
    std::vector<CodePattern> any_of;
  };
  struct Compiled {
    const Recommendation* recommendation;
    std::shared_ptr<const coding::MatchGrader> grader;
    std::vector<CodePattern> main;
    std::vector<Requirement> required;
  };
  std::shared_ptr<const GuidanceLibrary> library_;
  std::vector<Compiled> compiled_;
  std::vector<const Recommendation*> order_;
  std::optional<CodePattern> site_except_;
};

// Per recommendation: episodes matched, and how many fully, partly or not at all.
struct MatchCounts {
  std::size_t matched = 0, full = 0, partial = 0, none = 0;
  std::size_t certain = 0, likely = 0, possible = 0;
  std::map<std::string, std::size_t> missing;  // group -> episodes missing it
};

struct MatchSummary {
  std::size_t rows_read = 0, episodes = 0, rows_unreadable = 0, episodes_matched = 0;
  std::map<std::string, MatchCounts> per_guidance;  // by id; every recommendation matched against is listed
  std::map<std::string, std::string> titles;        // id -> title
  std::string source;
  double seconds = 0;
};

// One episode's matches, or an unreadable row (`unreadable` set, `matches` empty).
struct EpisodeMatches {
  std::string episode_id;
  std::size_t line = 0;
  std::string unreadable;
  std::vector<GuidanceMatch> matches;
};

// Receives matches in input order, in batches; Format runs on worker threads, Write on the caller's.
class MatchSink {
 public:
  virtual ~MatchSink() = default;
  virtual std::string Format(const std::vector<EpisodeMatches>& /*batch*/) const { return {}; }
  virtual void Write(const std::vector<EpisodeMatches>& batch, const std::string& formatted) = 0;
};

// Matches every episode of `path` (HES-like CSV or JSON lines). Episodes matching nothing are counted but
// not handed to the sink; unreadable rows are. Fails only when the file cannot be read or has no header.
Result<MatchSummary> MatchFile(const std::string& path, const GuidanceMatcher& matcher, MatchSink* sink,
                               const ValidateOptions& options);

// The summary as JSON text.
std::string MatchSummaryJson(const MatchSummary& summary);

}  // namespace clincode

#endif  // CLINCODE_MATCHER_H_
