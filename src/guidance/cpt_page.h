// The CPT reference page form: a page about one CPT code that describes the rest of its code family in
// prose ("0408T, which covers ... the entire system"). The reader keeps the codes and their relations.
#ifndef CLINCODE_GUIDANCE_CPT_PAGE_H_
#define CLINCODE_GUIDANCE_CPT_PAGE_H_

#include <vector>

#include "clincode/guidance_reader.h"
#include "guidance/text_lines.h"

namespace clincode::guidance {

// True when the text reads as a CPT reference page: it names its subject ("The CPT® Code 0411T") and has no
// NICE guidance id or classification headings.
bool IsCptPage(const std::vector<LogicalLine>& lines);

// Reads the page: the subject code, every code of the family with the clause that describes it, and the
// relations: a code described as the whole system includes the codes described as parts, and is not
// reported with them.
Result<Recommendation> ReadCptPage(const std::vector<LogicalLine>& lines, const ReadOptions& options);

}  // namespace clincode::guidance

#endif  // CLINCODE_GUIDANCE_CPT_PAGE_H_
