// Reading a NICE clinical coding recommendation from its published text: plain text, markdown, the older
// "OPCS4.6 Code(s)" pages, and the CPT reference page form. The reader knows wording only through
// knowledge/reader/lexicon.yaml; it has no knowledge of particular guidance. Thread-safe.
#ifndef CLINCODE_GUIDANCE_READER_H_
#define CLINCODE_GUIDANCE_READER_H_

#include <string>
#include <string_view>

#include "clincode/guidance.h"
#include "clincode/status.h"

namespace clincode {

class Catalog;

struct ReadOptions {
  std::string source;  // the file or origin named in messages and kept in Recommendation::source
  // Releases to place a code by its title when no word or heading says its classification; may be null.
  const Catalog* catalog = nullptr;
};

// Reads one recommendation. Lines the reader could not place are listed in `unparsed` ("12: text"). A
// text that says its procedure has no code ("cannot be expressed ... by a single code") reads to a section
// with that statement and no groups. Fails with kInvalidArgument, naming the source and line where there
// is one, for an empty, binary, non-UTF-8 or oversized text, a text with no guidance id (or CPT page
// subject), or one with neither codes nor such a statement.
Result<Recommendation> ReadRecommendationText(std::string_view text, const ReadOptions& options);

// Derives what the text leaves implicit, as the reader does: roles, required, facts of conditions, the
// conditions the national standards imply, the standards notes state. Fields already set are kept.
void CompleteRecommendation(Recommendation* recommendation);

}  // namespace clincode

#endif  // CLINCODE_GUIDANCE_READER_H_
