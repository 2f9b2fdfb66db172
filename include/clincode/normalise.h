// Parsing what people and files write for a code into one canonical form. No code is guessed: a value that
// is not the shape of a code of the system fails, naming the input.
#ifndef CLINCODE_NORMALISE_H_
#define CLINCODE_NORMALISE_H_

#include <string>
#include <string_view>

#include "clincode/code.h"
#include "clincode/code_system.h"
#include "clincode/status.h"

namespace clincode {

struct NormalisedCode {
  std::string code;                             // canonical: "K57.8", "C61", "H19.8", "S00.01XA", "0408T"
  DaggerAsterisk mark = DaggerAsterisk::kNone;  // from a HES suffix (D/A) or a written mark (†, +, *)
  bool padded = false;                          // the input carried the HES X filler of an undivided category ("C61X")
};

// Normalises `input` for `system`:
//   OPCS-4:  "K57.8", "K578", "k57.8", " K57.8 " -> "K57.8"; "K57" -> "K57" (a category).
//   ICD-10:  "I509" -> "I50.9"; "C61X" -> "C61" (padded); "H198A", "H19.8A", "H19.8*" -> "H19.8" asterisk;
//            "A170D", "A17.0†", "A17.0+" -> "A17.0" dagger; five-character UK codes "M80.05", "M8005".
//   ICD-10-CM: "S0001XA", "s00.01xa" -> "S00.01XA".
//   CPT:     "0408t" -> "0408T"; five digits, or four digits and F, T or U.
//   SNOMED CT: 6 to 18 digits.
// Fails with kInvalidArgument: `malformed OPCS-4 code "K5X.8"`.
Result<NormalisedCode> NormaliseCode(CodeSystem system, std::string_view input);

// The same without an error message: true and *out filled, or false. Never allocates on a miss (codes are
// short enough for the small-string buffer), for hot paths that try several systems.
bool TryNormaliseCode(CodeSystem system, std::string_view input, NormalisedCode* out);

// The record (CDS/HES) form: "K57.8" -> "K578"; an undivided ICD-10 category "C61" -> "C61X" when
// `undivided`; a mark appends "D" or "A". Other systems return the code unchanged.
std::string CdsForm(CodeSystem system, std::string_view canonical, bool undivided = false,
                    DaggerAsterisk mark = DaggerAsterisk::kNone);

// The form a record or claim holds, without a dot, for every system: CdsForm for OPCS-4 and ICD-10;
// ICD-10-CM "S00.01XA" -> "S0001XA" (as claims carry it); CPT and SNOMED CT unchanged.
std::string RecordForm(CodeSystem system, std::string_view canonical, bool undivided = false,
                       DaggerAsterisk mark = DaggerAsterisk::kNone);

}  // namespace clincode

#endif  // CLINCODE_NORMALISE_H_
