// The coding assistant: from an operation note (or facts) to the ordered, explained code set a NICE
// recommendation describes. It reads facts from the note (clincode/facts.h), fills each group of the
// recommendation from them and from the titles of the loaded release, orders the codes by the national
// standards and runs the validator over the result. Immutable after construction; Code() is const and
// safe to call from many threads.
#ifndef CLINCODE_ASSISTANT_H_
#define CLINCODE_ASSISTANT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/facts.h"
#include "clincode/guidance_library.h"
#include "clincode/rules.h"
#include "clincode/validator.h"

namespace clincode {

// The longest note the assistant reads. An operation note is a few kilobytes; a quarter of a megabyte is
// far above any real one (a whole discharge summary fits), and reading is linear, so a request at the limit
// is answered in well under a second.
inline constexpr std::size_t kMaxNoteBytes = 256 << 10;

struct CodingRequest {
  std::string text;                // the operation note (at most kMaxNoteBytes); may be empty when facts say enough
  std::vector<std::string> facts;  // "key=value", as given to --fact; they win over the note
  std::string guidance_id;         // the recommendation to use; empty: found from the note
  // A recommendation read from a file (a curated file or a NICE text); used instead of guidance_id.
  std::optional<Recommendation> recommendation;
  // OPCS-4 (with ICD-10 diagnoses) or CPT; unset: OPCS-4 when the recommendation has an OPCS-4 section.
  std::optional<CodeSystem> system;
};

// What is missing to finish, in words any screen can show, and the facts that would answer it: "key" (any
// value the fact takes) or "key=value" (the value that answers it), as --fact takes them. No facts: only
// the coder can finish it (a code chosen by hand, the note corrected).
struct Question {
  std::string text;
  std::vector<std::string> facts;
};

// One code of the result.
struct CodedItem {
  std::string code;
  std::string title;     // from the loaded release, else as the recommendation writes it
  std::string role;      // the group's role: main, levels_of_spine, method, site, laterality, diagnosis, ...
  std::string why;       // the group and note or standard that put it there, and how the code was chosen
  std::string evidence;  // the words of the note that support it; "" when it was assumed or given
};

// The way of coding a recommendation offers that the assistant chose ("Percutaneous procedure"), and why.
struct ScenarioChoice {
  std::string label;
  std::string why;                  // "the note says \"percutaneous\""
  std::vector<std::string> others;  // the labels not chosen
};

// A conditional code and what the note says of its condition.
struct ConditionOutcome {
  std::string codes;      // "U20.2", "J37.2 or J37.3"
  std::string condition;  // as the recommendation writes it
  std::string state;      // "met", "unmet" or "unknown"
  std::string evidence;   // the words of the note that decide; "" when silent
};

struct CodingResult {
  std::string guidance;  // the recommendation's id
  std::string guidance_title;
  std::string found_by;      // how the recommendation was chosen: given, a file, or the words of the note
  bool from_library = true;  // false when the recommendation was given as a text or file
  CodeSystem system = CodeSystem::kOpcs4;
  std::vector<CodedItem> procedures;         // OPCS-4 in standard order (or CPT codes)
  std::vector<CodedItem> diagnoses;          // ICD-10, primary first
  std::vector<std::string> assumptions;      // what was assumed ("method of image control not stated: Y53.9")
  std::vector<Question> questions;           // what is missing to finish, and the facts that would answer it
  std::optional<ScenarioChoice> scenario;    // when the recommendation has several ways of coding and one was chosen
  std::vector<ConditionOutcome> conditions;  // every conditional group, met, unmet or unknown
  std::vector<Finding> findings;             // the validator's findings on the result
  Facts facts;                               // the facts used: read from the note, then the user's
};

// A recommendation the note may be about, with how well it fits.
struct GuidanceCandidate {
  const Recommendation* recommendation;
  double score;
  std::vector<std::string> matched;  // words of the note that match its title or main procedure
  bool acceptable;                   // enough of the title is in the note to choose it
};

class CodingAssistant {
 public:
  // `validator` checks every result; it may be null (no findings are then made).
  CodingAssistant(std::shared_ptr<const Catalog> catalog, std::shared_ptr<const GuidanceLibrary> guidance,
                  std::shared_ptr<const Validator> validator);
  ~CodingAssistant();
  CodingAssistant(const CodingAssistant&) = delete;
  CodingAssistant& operator=(const CodingAssistant&) = delete;

  // Codes the request. Fails with kInvalidArgument for a malformed fact or an empty request, kNotFound when
  // the guidance id is not in the library or no recommendation fits the note (the message names the
  // nearest ones and asks for the recommendation to be chosen), and when the recommendation has no section
  // for the system.
  Result<CodingResult> Code(const CodingRequest& request) const;

  // The recommendations of `system` a note may be about, best first (only those matching some word).
  std::vector<GuidanceCandidate> FindGuidance(std::string_view note, CodeSystem system) const;

 private:
  struct Index;  // what is computed once: release title words, each recommendation's known words
  std::shared_ptr<const Catalog> catalog_;
  std::shared_ptr<const GuidanceLibrary> guidance_;
  std::shared_ptr<const Validator> validator_;
  std::unique_ptr<Index> index_;
};

}  // namespace clincode

#endif  // CLINCODE_ASSISTANT_H_
