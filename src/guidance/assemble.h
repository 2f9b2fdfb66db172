// Second stage of reading a recommendation: groups, scenarios, conditions and constraints assembled from
// the clauses of the first stage (clauses.h), by rules whose wording lives in the lexicon:
// - a code line is one requirement; "Or" (a line, a word, a comma list ending in "or") joins alternatives;
// - "one of the following ..." makes the codes listed next one requirement; a lead-in naming a category
//   whose members are then listed ("A code from category S07.- ... is assigned:") likewise, and the category
//   itself is not a code to assign;
// - blocks of code lines set apart by a wider gap, of equal length and sharing a code, are alternatives
//   position by position (J02.- + Y05.4 / J03.- + Y05.4);
// - a scenario label gates the OPCS-4 codes after it until the next label; notes speak for every scenario;
// - a code already covered by a requirement in scope (Y53.9 under Y53.-, Y53.- after Y53.4) adds nothing;
// - sentences that forbid codes become constraints, and their codes are not assigned.
#ifndef CLINCODE_GUIDANCE_ASSEMBLE_H_
#define CLINCODE_GUIDANCE_ASSEMBLE_H_

#include <vector>

#include "clincode/guidance.h"
#include "guidance/clauses.h"

namespace clincode::guidance {

// Adds what `clauses` say to `recommendation` (its sections, notes, statements, unparsed lines).
void Assemble(std::vector<Clause> clauses, Recommendation* recommendation);

}  // namespace clincode::guidance

#endif  // CLINCODE_GUIDANCE_ASSEMBLE_H_
