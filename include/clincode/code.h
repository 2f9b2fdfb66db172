// One entry of a loaded release: a chapter, block, category or code with its title, place in the hierarchy
// and the flags its release carries.
#ifndef CLINCODE_CODE_H_
#define CLINCODE_CODE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clincode {

enum class CodeKind : std::uint8_t {
  kChapter,   // OPCS-4 "Chapter K"; ICD-10 "Chapter IX"; ICD-10-CM "Chapter 9"
  kBlock,     // ICD-10 block "I30-I52"; ICD-10-CM section
  kCategory,  // three characters: K57, I50
  kCode,      // four or more characters: K57.8, I50.0, S00.01XA; CPT and SNOMED CT codes
};
// "chapter", "block", "category", "code".
std::string_view CodeKindName(CodeKind kind);

// ICD-10 dagger (aetiology) and asterisk (manifestation) marks.
enum class DaggerAsterisk : std::uint8_t { kNone, kDagger, kAsterisk };
// "", "dagger", "asterisk".
std::string_view DaggerAsteriskName(DaggerAsterisk mark);

// Sex for which an ICD-10 code is valid (ICD-10 5th Edition GENDER_MASK).
enum class SexRestriction : std::uint8_t {
  kNone,
  kMaleOnly,    // GENDER_MASK 2: not valid for females
  kFemaleOnly,  // GENDER_MASK 1: not valid for males
};
std::string_view SexRestrictionName(SexRestriction sex);

// The kinds of instructional note a release attaches to a code.
enum class NoteKind : std::uint8_t {
  kInclusion,  // ICD-10-CM inclusionTerm
  kIncludes,   // "Includes:" notes
  kExcludes1,
  kExcludes2,
  kCodeFirst,
  kUseAdditionalCode,
  kCodeAlso,
  kSeventhCharacter,  // ICD-10-CM sevenChrDef: "A initial encounter"
  kModifier,          // ICD-10 5th Edition MODIFIER_4 / MODIFIER_5
  kNote,              // any other note
  kIndexTerm,         // ICD-10-CM index: a term of the alphabetic, external cause, neoplasm or drug index
};
// "inclusion", "includes", "excludes1", "excludes2", "code_first", "use_additional_code", "code_also",
// "seventh_character", "modifier", "note", "index_term".
std::string_view NoteKindName(NoteKind kind);
// The kind in a coder's words: "Includes", "Excludes1 (not coded here)", "Use additional code". `us` is
// true for ICD-10-CM, whose excludes come in two kinds; ICD-10 (WHO and UK) has one "Excludes".
std::string_view NoteKindLabel(NoteKind kind, bool us);
// Whether a note of this kind, written on a chapter, block or category, applies to every code below it
// (instructional notes do; inclusion and index terms belong to the code they are written on).
bool NoteKindInherited(NoteKind kind);

struct Note {
  NoteKind kind = NoteKind::kNote;
  std::string text;
};

inline constexpr std::int16_t kNoAge = -1;

// Flags from the release (or derived from its rules where the release implies them).
struct CodeFlags {
  bool subsidiary = false;  // OPCS-4: Chapter Y or Z, or a Chapter O overflow category extending them
  bool retired = false;     // title says "Code retired", "Category retired", "Code deleted", "(Retired in ..."
  bool undivided = false;   // ICD-10: a three-character category with no four-character codes
  bool billable = false;    // ICD-10-CM: valid for submission (order file flag 1)
  bool selectable = false;  // may be recorded as a final code (four characters in OPCS-4/ICD-10)
  DaggerAsterisk usage = DaggerAsterisk::kNone;
  std::int8_t usage_uk = -1;  // ICD-10 5th Edition USAGE_UK 0..4; -1 when the release has none
  SexRestriction sex = SexRestriction::kNone;
  std::int16_t min_age = kNoAge;  // years; kNoAge when unrestricted
  std::int16_t max_age = kNoAge;
};

struct CodeEntry {
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  std::string code;  // canonical: "K57.8", "C61", "Chapter K", "I30-I52"
  std::string title;
  CodeKind kind = CodeKind::kCode;
  std::uint32_t parent = kNone;  // index in the same release
  CodeFlags flags;
  // ICD-10 5th Edition QUALIFIERS: the asterisk codes a dagger pairs with (any one of them will do).
  std::vector<std::string> asterisk_partners;
  std::vector<Note> notes;
};

}  // namespace clincode

#endif  // CLINCODE_CODE_H_
