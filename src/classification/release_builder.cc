#include "classification/release_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "classification/chapters.h"
#include "util/text.h"

namespace clincode {
namespace {

bool TitleSaysRetired(std::string_view title) {
  return text::StartsWithIgnoreCase(title, "code retired") || text::StartsWithIgnoreCase(title, "category retired") ||
         text::StartsWithIgnoreCase(title, "code deleted") || title.find("(Retired in") != std::string_view::npos;
}

void MergeFlags(CodeFlags* into, const CodeFlags& from) {
  into->subsidiary |= from.subsidiary;
  into->retired |= from.retired;
  into->undivided |= from.undivided;
  into->billable |= from.billable;
  into->selectable |= from.selectable;
  if (into->usage == DaggerAsterisk::kNone) into->usage = from.usage;
  if (into->usage_uk < 0) into->usage_uk = from.usage_uk;
  if (into->sex == SexRestriction::kNone) into->sex = from.sex;
  if (into->min_age == kNoAge) into->min_age = from.min_age;
  if (into->max_age == kNoAge) into->max_age = from.max_age;
}

}  // namespace

std::uint32_t ReleaseBuilder::Add(CodeEntry entry, std::string parent_code, std::uint32_t line) {
  const auto next = static_cast<std::uint32_t>(entries_.size());
  // The key is read through entries_, so the new entry goes in first and is taken out again if present.
  entries_.push_back(std::move(entry));
  auto [id, inserted] = index_.Insert(entries_.back().code, next, [this](std::uint32_t i) { return KeyOf(i); });
  if (inserted) {
    parent_codes_.push_back(std::move(parent_code));
    lines_.push_back(line);
    return id;
  }
  entry = std::move(entries_.back());
  entries_.pop_back();
  CodeEntry& have = entries_[id];
  if (have.title.empty()) have.title = std::move(entry.title);
  MergeFlags(&have.flags, entry.flags);
  if (have.asterisk_partners.empty()) have.asterisk_partners = std::move(entry.asterisk_partners);
  for (Note& n : entry.notes) have.notes.push_back(std::move(n));
  if (parent_codes_[id].empty()) parent_codes_[id] = std::move(parent_code);
  return id;
}

std::uint32_t ReleaseBuilder::Find(std::string_view code) const {
  return index_.Find(code, [this](std::uint32_t i) { return KeyOf(i); });
}

void ReleaseBuilder::MergeFrom(ReleaseBuilder&& other) {
  for (std::size_t i = 0; i < other.entries_.size(); ++i) {
    Add(std::move(other.entries_[i]), std::move(other.parent_codes_[i]), other.lines_[i]);
  }
  for (auto& s : other.info_.sources) info_.sources.push_back(std::move(s));
  for (auto f : other.info_.formats) info_.formats.push_back(f);
  for (auto& n : other.info_.notes) info_.notes.push_back(std::move(n));
  if (info_.version.empty()) info_.version = other.info_.version;
  other.entries_.clear();
  other.parent_codes_.clear();
  other.lines_.clear();
  other.index_.Clear();
}

void ReleaseBuilder::DeriveFlags() {
  const CodeSystem system = info_.system;
  // Which categories have four-character codes below them (for ICD-10 "undivided").
  std::vector<bool> has_code_child(entries_.size(), false);
  if (system == CodeSystem::kIcd10) {
    for (const CodeEntry& e : entries_) {
      if (e.kind != CodeKind::kCode || e.code.size() < 4) continue;
      std::uint32_t cat = Find(std::string_view(e.code).substr(0, 3));
      if (cat != Release::kNone) has_code_child[cat] = true;
    }
  }
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    CodeEntry& e = entries_[i];
    if (e.kind == CodeKind::kChapter || e.kind == CodeKind::kBlock) continue;
    e.flags.retired |= TitleSaysRetired(e.title);
    switch (system) {
      case CodeSystem::kOpcs4:
        e.flags.subsidiary = chapters::IsOpcs4Subsidiary(e.code);
        e.flags.selectable = e.kind == CodeKind::kCode && !e.flags.retired;
        break;
      case CodeSystem::kIcd10:
        if (e.kind == CodeKind::kCategory && !has_code_child[i]) e.flags.undivided = true;
        e.flags.selectable = e.kind == CodeKind::kCode || e.flags.undivided;
        break;
      case CodeSystem::kIcd10Cm: e.flags.selectable = e.flags.billable; break;
      case CodeSystem::kCpt:
      case CodeSystem::kSnomedCt: e.flags.selectable = true; break;
    }
  }
}

void ReleaseBuilder::AddChapters() {
  if (info_.system == CodeSystem::kOpcs4) {
    for (const auto& ch : chapters::Opcs4Chapters()) {
      CodeEntry e;
      e.code = chapters::ChapterCode(std::string(1, ch.letter));
      e.title = ch.title;
      e.kind = CodeKind::kChapter;
      Add(std::move(e));
    }
  } else if (info_.system == CodeSystem::kIcd10) {
    for (const auto& ch : chapters::Icd10Chapters()) {
      CodeEntry e;
      e.code = chapters::ChapterCode(ch.numeral);
      e.title = ch.title;
      e.kind = CodeKind::kChapter;
      Add(std::move(e));
    }
  }
}

void ReleaseBuilder::CopyHierarchy(const Release& source) {
  // For each category without a parent, copy the source's chain of blocks and chapter above it.
  const std::size_t n = entries_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (entries_[i].kind != CodeKind::kCategory || !parent_codes_[i].empty()) continue;
    std::uint32_t src = source.Find(entries_[i].code);
    if (src == Release::kNone || source.at(src).parent == Release::kNone) continue;
    parent_codes_[i] = source.at(source.at(src).parent).code;
    for (std::uint32_t a : source.Ancestors(src)) {
      const CodeEntry& anc = source.at(a);
      if (Find(anc.code) != Release::kNone) continue;
      CodeEntry copy;
      copy.code = anc.code;
      copy.title = anc.title;
      copy.kind = anc.kind;
      Add(std::move(copy), anc.parent == Release::kNone ? std::string() : source.at(anc.parent).code);
    }
  }
}

std::uint32_t ReleaseBuilder::DerivedParent(std::uint32_t id) const {
  const CodeEntry& e = entries_[id];
  if (e.kind == CodeKind::kChapter) return Release::kNone;
  std::string_view code = e.code;
  if (e.kind == CodeKind::kCode && code.size() > 3 && info_.system != CodeSystem::kCpt &&
      info_.system != CodeSystem::kSnomedCt) {
    // The longest shorter code that exists: S00.01XA -> S00.01X -> S00.01 -> S00.0 -> S00.
    for (std::size_t len = code.size() - 1; len >= 3; --len) {
      if (code[len - 1] == '.') continue;
      std::uint32_t p = Find(code.substr(0, len));
      if (p != Release::kNone && p != id) return p;
    }
  }
  if (code.size() < 3) return Release::kNone;
  if (info_.system == CodeSystem::kOpcs4) return Find(chapters::ChapterCode(code.substr(0, 1)));
  if (info_.system == CodeSystem::kIcd10) {
    const auto* ch = chapters::Icd10ChapterOf(code);
    return ch == nullptr ? Release::kNone : Find(chapters::ChapterCode(ch->numeral));
  }
  return Release::kNone;
}

Status ReleaseBuilder::ResolveParents(Release* out) {
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    std::uint32_t p = Release::kNone;
    if (!parent_codes_[i].empty()) p = Find(parent_codes_[i]);
    if (p == Release::kNone || p == i) p = DerivedParent(i);
    entries_[i].parent = p;
  }
  if (Status s = CheckAcyclic(); !s.ok()) return s;
  out->entries_ = std::move(entries_);
  return Status::Ok();
}

// Walks up from every entry once (each entry is finished when its chain reaches a root or a finished
// entry), so the test is linear. A chain that meets itself is a cycle: explicit parents that point down
// the tree (a chapter whose parent is one of its own categories), or a code given under two parents.
Status ReleaseBuilder::CheckAcyclic() const {
  enum : std::uint8_t { kUnseen, kOnPath, kDone };
  std::vector<std::uint8_t> state(entries_.size(), kUnseen);
  std::vector<std::uint32_t> path;
  for (std::uint32_t start = 0; start < entries_.size(); ++start) {
    path.clear();
    std::uint32_t at = start;
    while (at != Release::kNone && state[at] == kUnseen) {
      state[at] = kOnPath;
      path.push_back(at);
      at = entries_[at].parent;
    }
    if (at != Release::kNone && state[at] == kOnPath) {
      auto first = std::find(path.begin(), path.end(), at);
      auto named = [this](std::uint32_t id) {
        return lines_[id] == 0 ? entries_[id].code : fmt::format("{} (line {})", entries_[id].code, lines_[id]);
      };
      std::string chain;
      for (auto it = first; it != path.end(); ++it) chain += named(*it) + " -> ";
      chain += entries_[at].code;
      std::string where = info_.sources.empty() ? std::string("release") : info_.sources.front();
      if (lines_[at] != 0) where += fmt::format(":{}", lines_[at]);
      return ParseError(
          fmt::format("{}: the parents form a cycle: {}; each code needs a parent above it in the tree", where, chain));
    }
    for (std::uint32_t id : path) state[id] = kDone;
  }
  return Status::Ok();
}

void ReleaseBuilder::IndexTree(Release* r) {
  const auto& entries = r->entries_;
  const auto n = static_cast<std::uint32_t>(entries.size());
  // Children in compressed rows, each parent's children sorted by code; roots keep the load order.
  std::vector<std::uint32_t> counts(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (entries[i].parent != Release::kNone)
      ++counts[entries[i].parent];
    else
      r->roots_.push_back(i);
  }
  r->child_offsets_.assign(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) r->child_offsets_[i + 1] = r->child_offsets_[i] + counts[i];
  r->child_ids_.resize(r->child_offsets_[n]);
  std::vector<std::uint32_t> fill(r->child_offsets_.begin(), r->child_offsets_.end() - 1);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (entries[i].parent != Release::kNone) r->child_ids_[fill[entries[i].parent]++] = i;
  }
  auto by_code = [&](std::uint32_t a, std::uint32_t b) { return entries[a].code < entries[b].code; };
  for (std::uint32_t i = 0; i < n; ++i) {
    std::sort(r->child_ids_.begin() + r->child_offsets_[i], r->child_ids_.begin() + r->child_offsets_[i + 1], by_code);
  }
  // Preorder numbers for O(1) subtree tests. Iterative, so deep trees cannot overflow the stack.
  r->preorder_.assign(n, 0);
  r->subtree_end_.assign(n, 0);
  std::uint32_t next = 0;
  std::vector<std::pair<std::uint32_t, bool>> stack;
  for (auto it = r->roots_.rbegin(); it != r->roots_.rend(); ++it) stack.push_back({*it, false});
  while (!stack.empty()) {
    auto [id, done] = stack.back();
    stack.pop_back();
    if (done) {
      r->subtree_end_[id] = next - 1;
      continue;
    }
    r->preorder_[id] = next++;
    stack.push_back({id, true});
    for (std::uint32_t k = r->child_offsets_[id + 1]; k > r->child_offsets_[id]; --k) {
      stack.push_back({r->child_ids_[k - 1], false});
    }
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    switch (entries[i].kind) {
      case CodeKind::kChapter: ++r->counts_.chapters; break;
      case CodeKind::kBlock: ++r->counts_.blocks; break;
      case CodeKind::kCategory:
        ++r->counts_.categories;
        r->sorted_codes_.push_back(i);
        break;
      case CodeKind::kCode:
        ++r->counts_.codes;
        r->sorted_codes_.push_back(i);
        break;
    }
  }
  std::sort(r->sorted_codes_.begin(), r->sorted_codes_.end(), by_code);
  r->code_offsets_.reserve(n + 1);
  for (std::uint32_t i = 0; i < n; ++i) {
    r->code_offsets_.push_back(static_cast<std::uint32_t>(r->code_chars_.size()));
    r->code_chars_ += entries[i].code;
  }
  r->code_offsets_.push_back(static_cast<std::uint32_t>(r->code_chars_.size()));
  auto key_of = [r](std::uint32_t i) { return r->PackedCode(i); };
  r->by_code_.Reserve(n, key_of);
  for (std::uint32_t i = 0; i < n; ++i) r->by_code_.Insert(entries[i].code, i, key_of);
}

Result<std::shared_ptr<const Release>> ReleaseBuilder::Build(const BuildOptions& options) {
  // Release's constructor is private to keep releases immutable; the builder is its friend.
  std::shared_ptr<Release> out(new Release());
  if (options.hierarchy_from != nullptr) CopyHierarchy(*options.hierarchy_from);
  AddChapters();
  DeriveFlags();
  Status resolved = ResolveParents(out.get());
  parent_codes_.clear();
  lines_.clear();
  index_.Clear();
  if (!resolved.ok()) {
    entries_.clear();
    return resolved;
  }
  out->info_ = std::move(info_);
  IndexTree(out.get());
  return std::shared_ptr<const Release>(std::move(out));
}

}  // namespace clincode
