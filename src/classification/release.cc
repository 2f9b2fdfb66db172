#include <atomic>
#include "clincode/release.h"

#include <fmt/format.h>

#include "classification/chapters.h"
#include "clincode/normalise.h"
#include "util/text.h"

namespace clincode {

Release::Release() {
  static std::atomic<std::uint64_t> next{1};
  serial_ = next.fetch_add(1, std::memory_order_relaxed);
}

std::string_view CodeKindName(CodeKind kind) {
  switch (kind) {
    case CodeKind::kChapter: return "chapter";
    case CodeKind::kBlock: return "block";
    case CodeKind::kCategory: return "category";
    case CodeKind::kCode: return "code";
  }
  return "?";
}

std::string_view DaggerAsteriskName(DaggerAsterisk mark) {
  switch (mark) {
    case DaggerAsterisk::kNone: return "";
    case DaggerAsterisk::kDagger: return "dagger";
    case DaggerAsterisk::kAsterisk: return "asterisk";
  }
  return "";
}

std::string_view SexRestrictionName(SexRestriction sex) {
  switch (sex) {
    case SexRestriction::kNone: return "";
    case SexRestriction::kMaleOnly: return "male";
    case SexRestriction::kFemaleOnly: return "female";
  }
  return "";
}

std::string_view NoteKindName(NoteKind kind) {
  switch (kind) {
    case NoteKind::kInclusion: return "inclusion";
    case NoteKind::kIncludes: return "includes";
    case NoteKind::kExcludes1: return "excludes1";
    case NoteKind::kExcludes2: return "excludes2";
    case NoteKind::kCodeFirst: return "code_first";
    case NoteKind::kUseAdditionalCode: return "use_additional_code";
    case NoteKind::kCodeAlso: return "code_also";
    case NoteKind::kSeventhCharacter: return "seventh_character";
    case NoteKind::kModifier: return "modifier";
    case NoteKind::kNote: return "note";
    case NoteKind::kIndexTerm: return "index_term";
  }
  return "note";
}

std::string_view NoteKindLabel(NoteKind kind, bool us) {
  switch (kind) {
    case NoteKind::kInclusion: return "Inclusion term";
    case NoteKind::kIncludes: return "Includes";
    case NoteKind::kExcludes1: return us ? "Excludes1 (not coded here)" : "Excludes";
    case NoteKind::kExcludes2: return us ? "Excludes2 (not included here)" : "Excludes";
    case NoteKind::kCodeFirst: return "Code first";
    case NoteKind::kUseAdditionalCode: return "Use additional code";
    case NoteKind::kCodeAlso: return "Code also";
    case NoteKind::kSeventhCharacter: return "Seventh character";
    case NoteKind::kModifier: return "Subdivision";
    case NoteKind::kNote: return "Note";
    case NoteKind::kIndexTerm: return "Index term";
  }
  return "Note";
}

bool NoteKindInherited(NoteKind kind) { return kind != NoteKind::kInclusion && kind != NoteKind::kIndexTerm; }

std::string_view ReleaseFormatName(ReleaseFormat format) {
  switch (format) {
    case ReleaseFormat::kOpcs4Text: return "OPCS-4 CodesAndTitles text";
    case ReleaseFormat::kOpcs4Xml: return "OPCS-4 CodesAndTitles XML";
    case ReleaseFormat::kUkBiobankOpcs4: return "UK Biobank OPCS-4 tree (data-coding 240)";
    case ReleaseFormat::kIcd10UkXml: return "ICD-10 5th Edition CodesAndTitlesAndMetadata XML";
    case ReleaseFormat::kIcd10UkText: return "ICD-10 5th Edition CodesAndTitlesAndMetadata text";
    case ReleaseFormat::kWhoIcd10Xml: return "WHO ICD-10 XML";
    case ReleaseFormat::kIcd10CmOrder: return "ICD-10-CM order file";
    case ReleaseFormat::kIcd10CmTabular: return "ICD-10-CM tabular XML";
    case ReleaseFormat::kCptCsv: return "CPT code,descriptor CSV";
    case ReleaseFormat::kIcd10CmIndex: return "ICD-10-CM index XML";
    case ReleaseFormat::kBuiltin: return "clincode built-in starter data";
  }
  return "?";
}

std::uint32_t Release::Find(std::string_view code) const {
  return by_code_.Find(code, [this](std::uint32_t id) { return PackedCode(id); });
}

Result<std::uint32_t> Release::Lookup(std::string_view input) const {
  std::string_view trimmed = text::Trim(input);
  if (text::StartsWithIgnoreCase(trimmed, "chapter ")) {
    std::string key = text::ToUpperAscii(text::Trim(trimmed.substr(8)));
    std::uint32_t id = Find(chapters::ChapterCode(key));
    if (id == kNone) return NotFound(fmt::format("no chapter \"{}\" in {}", text::Trim(trimmed.substr(8)), Name()));
    return id;
  }
  if (trimmed.find('-') != std::string_view::npos) {
    std::uint32_t id = Find(text::ToUpperAscii(trimmed));
    if (id != kNone) return id;
  }
  auto code = NormaliseCode(info_.system, trimmed);
  if (!code.ok()) return code.status();
  std::uint32_t id = Find(code->code);
  if (id == kNone) {
    return NotFound(fmt::format("{} code {} is not in {}", CodeSystemName(info_.system), code->code, Name()));
  }
  return id;
}

std::span<const std::uint32_t> Release::Children(std::uint32_t id) const {
  return std::span<const std::uint32_t>(child_ids_)
      .subspan(child_offsets_[id], child_offsets_[id + 1] - child_offsets_[id]);
}

std::vector<std::uint32_t> Release::Ancestors(std::uint32_t id) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t p = entries_[id].parent; p != kNone; p = entries_[p].parent) out.push_back(p);
  return {out.rbegin(), out.rend()};
}

bool Release::InSubtree(std::uint32_t id, std::uint32_t ancestor) const {
  return preorder_[id] >= preorder_[ancestor] && preorder_[id] <= subtree_end_[ancestor];
}

}  // namespace clincode
