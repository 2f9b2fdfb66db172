// The chapter structure of OPCS-4 and ICD-10, read once from the embedded knowledge files
// (knowledge/starter/opcs4_chapters.tsv, icd10_chapters.tsv). Thread-safe: built on first use.
#ifndef CLINCODE_CLASSIFICATION_CHAPTERS_H_
#define CLINCODE_CLASSIFICATION_CHAPTERS_H_

#include <string>
#include <string_view>
#include <vector>

namespace clincode::chapters {

struct Opcs4Chapter {
  char letter;
  std::string title;
};

struct Icd10Chapter {
  std::string numeral;  // "IX"
  std::string first;    // "I00"
  std::string last;     // "I99"
  std::string title;
};

const std::vector<Opcs4Chapter>& Opcs4Chapters();
const std::vector<Icd10Chapter>& Icd10Chapters();

// The chapter an OPCS-4 code belongs to for the coding standards: its first letter, except the Chapter O
// overflow categories that extend Chapter Y or Z ("O14.2" -> 'Z'). Returns '\0' for an empty code.
char Opcs4EffectiveChapter(std::string_view code);

// True for Chapter Y and Z codes and the overflow categories extending them.
bool IsOpcs4Subsidiary(std::string_view code);

// The ICD-10 chapter whose range holds the three-character category of `code`, or nullptr.
const Icd10Chapter* Icd10ChapterOf(std::string_view code);

// Canonical entry codes for chapters: "Chapter K", "Chapter IX", "Chapter 9".
std::string ChapterCode(std::string_view key);

}  // namespace clincode::chapters

#endif  // CLINCODE_CLASSIFICATION_CHAPTERS_H_
