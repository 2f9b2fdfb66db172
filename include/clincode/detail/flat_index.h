// Implementation detail of Release (not part of the API). An open-addressing hash index from string keys to 32-bit ids,
// where the keys live with the caller (the index stores only ids and hash bits). Replaces std::unordered_map on the
// loading path: one flat array instead of a node per key makes building the code index of a 95,000-code release several
// times faster and its lookups a single cache miss. Not thread-safe for writes; const lookups may run concurrently.
#ifndef CLINCODE_DETAIL_FLAT_INDEX_H_
#define CLINCODE_DETAIL_FLAT_INDEX_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace clincode::detail {

class FlatIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // FNV-1a, 64-bit. Codes and words are short, where it is as fast as anything fancier.
  static std::uint64_t Hash(std::string_view key) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : key) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
  }

  std::size_t size() const { return size_; }

  // The id stored under `key`, or kNone. `key_of(id)` returns the key of an id.
  template <typename KeyOf>
  std::uint32_t Find(std::string_view key, const KeyOf& key_of) const {
    if (slots_.empty()) return kNone;
    std::uint64_t h = Hash(key);
    std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.tag == tag && key_of(s.id) == key) return s.id;
    }
  }

  // Stores `id` under `key` unless the key is present. Returns the id under the key and whether it was
  // inserted.
  template <typename KeyOf>
  std::pair<std::uint32_t, bool> Insert(std::string_view key, std::uint32_t id, const KeyOf& key_of) {
    return InsertHashed(key, Hash(key), id, key_of);
  }
  // Insert with `h` = Hash(key), computed elsewhere (on another thread, say).
  template <typename KeyOf>
  std::pair<std::uint32_t, bool> InsertHashed(std::string_view key, std::uint64_t h, std::uint32_t id,
                                              const KeyOf& key_of) {
    // Grow at half full: linear probing stays short.
    if ((size_ + 1) * 2 > slots_.size()) Grow(key_of);
    std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.id == kNone) {
        s = {tag, id};
        ++size_;
        return {id, true};
      }
      if (s.tag == tag && key_of(s.id) == key) return {s.id, false};
    }
  }

  template <typename KeyOf>
  void Reserve(std::size_t n, const KeyOf& key_of) {
    while (n * 2 > slots_.size()) Grow(key_of);
  }

  void Clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    size_ = 0;
    mask_ = 0;
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t id = kNone;
  };

  template <typename KeyOf>
  void Grow(const KeyOf& key_of) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kNone) continue;
      std::uint64_t h = Hash(key_of(s.id));
      std::size_t i = h & mask_;
      while (slots_[i].id != kNone) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace clincode::detail

#endif  // CLINCODE_DETAIL_FLAT_INDEX_H_
