// A loaded release of one code system: immutable after loading, safe to read from many threads.
#ifndef CLINCODE_RELEASE_H_
#define CLINCODE_RELEASE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/code.h"
#include "clincode/code_system.h"
#include "clincode/detail/flat_index.h"
#include "clincode/status.h"

namespace clincode {

// The distributed forms clincode reads (see docs/formats.md).
enum class ReleaseFormat : std::uint8_t {
  kOpcs4Text,       // OPCS-4 CodesAndTitles, tab-separated text
  kOpcs4Xml,        // OPCS-4 CodesAndTitles, XML (4.9-4.11)
  kUkBiobankOpcs4,  // UK Biobank data-coding 240 tree
  kIcd10UkXml,      // ICD-10 5th Edition CodesAndTitlesAndMetadata, XML
  kIcd10UkText,     // ICD-10 5th Edition CodesAndTitlesAndMetadata, tab-separated text
  kWhoIcd10Xml,     // WHO ICD-10 nested XML
  kIcd10CmOrder,    // ICD-10-CM order file (fixed width)
  kIcd10CmTabular,  // ICD-10-CM tabular XML
  kCptCsv,          // CPT code,descriptor CSV
  kIcd10CmIndex,    // ICD-10-CM index XML: alphabetic index, external cause index, neoplasm or drug table
  kBuiltin,         // clincode's compiled-in starter data
};
// "OPCS-4 CodesAndTitles text", ...
std::string_view ReleaseFormatName(ReleaseFormat format);

struct ReleaseInfo {
  CodeSystem system = CodeSystem::kOpcs4;
  std::string edition;               // "OPCS-4.10", "UK 5th Edition", "WHO 2019", "2021", "UK Biobank coding 240"
  std::string version;               // as precise as the files say: "4.10", "2019", "2021", "" when unknown
  std::vector<std::string> sources;  // files it was read from (or "built-in")
  std::vector<ReleaseFormat> formats;
  bool builtin = false;
  // What the loader noticed but did not refuse, for the user to see: "OPCS410.txt:9871: the last row has no
  // line end; the file may have been cut short (a truncated download?)".
  std::vector<std::string> notes;
};

struct KindCounts {
  std::size_t chapters = 0, blocks = 0, categories = 0, codes = 0;
  std::size_t total() const { return chapters + blocks + categories + codes; }
};

class Release {
 public:
  static constexpr std::uint32_t kNone = CodeEntry::kNone;

  Release(const Release&) = delete;
  Release& operator=(const Release&) = delete;

  const ReleaseInfo& info() const { return info_; }
  CodeSystem system() const { return info_.system; }
  // The edition's name, as answers cite it: "OPCS-4 (UK Biobank coding 240)", "ICD-10 WHO 2019".
  const std::string& Name() const { return info_.edition; }

  std::size_t size() const { return entries_.size(); }
  const CodeEntry& at(std::uint32_t id) const { return entries_[id]; }
  const KindCounts& counts() const { return counts_; }

  // The entry whose canonical code is exactly `code`, or kNone. About 50 ns.
  std::uint32_t Find(std::string_view code) const;
  // Normalises user input ("k578", "C61X", "Chapter K") and finds it. kInvalidArgument when malformed for
  // this system, kNotFound when well formed but absent.
  Result<std::uint32_t> Lookup(std::string_view input) const;

  std::span<const std::uint32_t> Children(std::uint32_t id) const;
  // Chapters, or whatever has no parent, in the release's order.
  std::span<const std::uint32_t> Roots() const { return roots_; }
  // From the root down to the parent of `id`.
  std::vector<std::uint32_t> Ancestors(std::uint32_t id) const;
  // True when `id` is `ancestor` or lies in its subtree. O(1).
  bool InSubtree(std::uint32_t id, std::uint32_t ancestor) const;
  // Preorder number and subtree end, for callers that test many ids against one subtree.
  std::uint32_t Preorder(std::uint32_t id) const { return preorder_[id]; }
  std::uint32_t SubtreeEnd(std::uint32_t id) const { return subtree_end_[id]; }
  // Categories and codes (not chapters or blocks), sorted by canonical code.
  std::span<const std::uint32_t> CodesInOrder() const { return sorted_codes_; }
  // A number no other Release of this process has or will have, unlike its address (which a release made
  // after this one is freed may reuse): what caches of a release's entries are keyed by.
  std::uint64_t serial() const { return serial_; }

 private:
  friend class ReleaseBuilder;
  Release();

  std::uint64_t serial_;
  ReleaseInfo info_;
  std::vector<CodeEntry> entries_;
  detail::FlatIndex by_code_;
  // Every code again, packed: Find compares against these instead of the scattered entries, which keeps
  // a lookup to one or two cache lines (it was most of the validator's lookup cost).
  std::string code_chars_;
  std::vector<std::uint32_t> code_offsets_;
  std::string_view PackedCode(std::uint32_t id) const {
    return std::string_view(code_chars_).substr(code_offsets_[id], code_offsets_[id + 1] - code_offsets_[id]);
  }
  std::vector<std::uint32_t> child_offsets_;  // children of i: child_ids_[child_offsets_[i] .. [i+1])
  std::vector<std::uint32_t> child_ids_;
  std::vector<std::uint32_t> roots_;
  std::vector<std::uint32_t> preorder_;
  std::vector<std::uint32_t> subtree_end_;  // last preorder number in the subtree
  std::vector<std::uint32_t> sorted_codes_;
  KindCounts counts_;
};

}  // namespace clincode

#endif  // CLINCODE_RELEASE_H_
