// The episodes of the audit file held in memory, each in a compact encoding (its text fields and written
// codes, length-prefixed, in one arena: some 60 to 100 bytes an episode instead of the several hundred of
// an Episode and its vectors), found by its join key. Built on one thread; once built, Find and Decode are
// const and safe from many threads.
#ifndef CLINCODE_CODING_AUDIT_STORE_H_
#define CLINCODE_CODING_AUDIT_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/detail/flat_index.h"
#include "clincode/episode.h"

namespace clincode::coding {

// One episode encoded (made on a worker thread, added to the store on the building thread).
void EncodeEpisode(std::string_view key, const Episode& episode, std::string* out);

class EpisodeStore {
 public:
  static constexpr std::uint32_t kNone = detail::FlatIndex::kNone;

  // Adds a batch: the encoded episodes of `arena` (EncodeEpisode's output, one after another, kept as it
  // is) and their keys' hashes (detail::FlatIndex::Hash), in order. An episode whose key is already held is
  // not added: `duplicate` is called with its key, its line and the line of the first.
  void AddBatch(std::string&& arena, const std::vector<std::uint64_t>& hashes,
                const std::function<void(std::string_view, std::size_t, std::size_t)>& duplicate);
  // Makes room for about `episodes` more without growing the index on the way.
  void Reserve(std::size_t episodes);

  std::uint32_t Find(std::string_view key) const {
    return index_.Find(key, [this](std::uint32_t i) { return KeyOf(i); });
  }
  std::string_view KeyOf(std::uint32_t i) const;
  std::size_t LineOf(std::uint32_t i) const;
  // The episode, codes read again from their written form.
  void Decode(std::uint32_t i, Episode* out) const;
  // Whether episode i has exactly `e`'s written codes, in order (most pairs of an audit do): then the pair
  // is compared without decoding it.
  bool SameWrittenCodes(std::uint32_t i, const Episode& e) const;
  // Only the start date and the kept columns of episode i (what breakdowns need).
  void DecodeContext(std::uint32_t i, Episode* out) const;
  std::uint32_t size() const { return static_cast<std::uint32_t>(starts_.size()); }

 private:
  std::string_view Record(std::uint32_t i) const {
    return std::string_view(chunks_[starts_[i] >> 32]).substr(starts_[i] & 0xFFFFFFFFu);
  }
  std::vector<std::string> chunks_;      // the batches' encoded episodes, as the workers made them
  std::vector<std::uint64_t> starts_;    // each episode: its chunk (high 32 bits) and offset in it
  std::string keys_;                     // the keys, one after another: found without decoding a record
  std::vector<std::uint64_t> key_ends_;  // where each key ends in keys_
  detail::FlatIndex index_;
};

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_AUDIT_STORE_H_
