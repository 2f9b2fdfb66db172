// Collects the entries a loader reads and turns them into an immutable Release: merges duplicate codes,
// derives flags the release implies, resolves the hierarchy and builds the indexes. Not thread-safe; one
// builder per loading thread.
#ifndef CLINCODE_CLASSIFICATION_RELEASE_BUILDER_H_
#define CLINCODE_CLASSIFICATION_RELEASE_BUILDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/detail/flat_index.h"
#include "clincode/release.h"

namespace clincode {

class ReleaseBuilder {
 public:
  explicit ReleaseBuilder(ReleaseInfo info) : info_(std::move(info)) {}

  ReleaseInfo& info() { return info_; }
  const ReleaseInfo& info() const { return info_; }
  std::size_t size() const { return entries_.size(); }

  // Reserves room for about `n` entries; loaders that can count their rows cheaply call it first, which
  // avoids the vector's doubling (up to half the builder's memory at the peak of a large load).
  void Reserve(std::size_t n) {
    entries_.reserve(n);
    parent_codes_.reserve(n);
    lines_.reserve(n);
  }

  // Adds `entry` under `parent_code` (empty: derive the parent from the code), or merges it into the entry
  // already holding its code: an empty title is filled, boolean flags are or-ed, missing metadata is
  // taken, notes are appended and the first parent given is kept. `line` is where the row was read (0: not
  // known), for load errors. Returns the entry's index.
  std::uint32_t Add(CodeEntry entry, std::string parent_code = {}, std::uint32_t line = 0);
  CodeEntry& at(std::uint32_t id) { return entries_[id]; }
  std::uint32_t Find(std::string_view code) const;

  // Moves every entry of `other` into this builder (as Add does) and joins the release descriptions.
  void MergeFrom(ReleaseBuilder&& other);

  struct BuildOptions {
    // For an ICD-10 edition without chapters and blocks (the UK 5th Edition files): an edition that has
    // them (WHO), whose blocks are copied above the matching categories. May be null.
    const Release* hierarchy_from = nullptr;
  };
  // Builds the release. The builder is left empty. Fails with kParseError when the parents form a cycle
  // (naming its codes and, where the loader gave them, their lines): a release is a tree or it is refused.
  Result<std::shared_ptr<const Release>> Build(const BuildOptions& options);

 private:
  void DeriveFlags();
  void AddChapters();
  void CopyHierarchy(const Release& source);
  std::uint32_t DerivedParent(std::uint32_t id) const;
  Status ResolveParents(Release* out);
  Status CheckAcyclic() const;
  static void IndexTree(Release* out);

  ReleaseInfo info_;
  std::vector<CodeEntry> entries_;
  std::vector<std::string> parent_codes_;
  std::vector<std::uint32_t> lines_;  // where each entry was first read; 0 when the loader did not say
  detail::FlatIndex index_;
  std::string_view KeyOf(std::uint32_t id) const { return entries_[id].code; }
};

}  // namespace clincode

#endif  // CLINCODE_CLASSIFICATION_RELEASE_BUILDER_H_
