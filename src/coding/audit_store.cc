#include "coding/audit_store.h"

#include <array>
#include <cstring>

#include "util/text.h"

namespace clincode::coding {
namespace {

// Reads the length-prefixed fields of an encoded episode, in the order PutBody wrote them.
class RecordReader {
 public:
  explicit RecordReader(std::string_view data) : data_(data) {}
  std::uint64_t Number() {
    std::uint64_t n = 0;
    for (int shift = 0; at_ < data_.size() && shift < 64; shift += 7) {
      const auto b = static_cast<unsigned char>(data_[at_++]);
      n |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) break;
    }
    return n;
  }
  std::string_view Text() {
    const std::size_t n = static_cast<std::size_t>(Number());
    std::string_view s = data_.substr(at_, n);
    at_ += s.size();
    return s;
  }
  std::size_t offset() const { return at_; }

 private:
  std::string_view data_;
  std::size_t at_ = 0;
};

// The length of the encoded episode at the start of `data`, and its line.
std::size_t RecordLength(std::string_view data, std::size_t* line) {
  RecordReader r(data);
  const std::size_t body = static_cast<std::size_t>(r.Number());
  const std::size_t head = r.offset();
  *line = static_cast<std::size_t>(r.Number());
  return head + body;
}

// Writes a record through a cursor into room made for it beforehand: numbers as LEB128 varints (a line
// number or a length takes one to three bytes), texts after their length.
class Writer {
 public:
  explicit Writer(char* at) : at_(at) {}
  void Number(std::uint64_t n) {
    while (n >= 0x80) {
      *at_++ = static_cast<char>((n & 0x7F) | 0x80);
      n >>= 7;
    }
    *at_++ = static_cast<char>(n);
  }
  void Text(std::string_view s) {
    Number(s.size());
    if (!s.empty()) std::memcpy(at_, s.data(), s.size());
    at_ += s.size();
  }
  char* at() const { return at_; }

 private:
  char* at_;
};

constexpr std::size_t kMaxNumber = 10;  // bytes of the longest varint

// The room a record's body can take: every text and ten bytes for each number.
std::size_t MostBytes(std::string_view key, const Episode& e) {
  std::size_t n = key.size() + e.id.size() + e.start_date.size() + e.invalid_sex.size() + e.invalid_age.size() +
                  e.invalid_start_date.size();
  std::size_t fields = 11 + e.diagnoses.size() + e.procedures.size() + e.extra.size();
  for (const auto* list : {&e.diagnoses, &e.procedures}) {
    for (const EpisodeCode& c : *list) n += c.written.size();
  }
  for (const std::string& x : e.extra) n += x.size();
  return n + fields * kMaxNumber;
}

// A record's body: line, key, id, start date, sex, age + 1, the three invalid field values, the written
// diagnoses, procedures and kept columns, each list after its count.
char* PutBody(std::string_view key, const Episode& e, char* at) {
  Writer w(at);
  w.Number(e.line);
  w.Text(key);
  w.Text(e.id);
  w.Text(e.start_date);
  w.Number(static_cast<std::uint64_t>(e.sex));
  w.Number(static_cast<std::uint64_t>(e.age + 1));
  w.Text(e.invalid_sex);
  w.Text(e.invalid_age);
  w.Text(e.invalid_start_date);
  for (const auto* list : {&e.diagnoses, &e.procedures}) {
    w.Number(list->size());
    for (const EpisodeCode& c : *list) w.Text(c.written);
  }
  w.Number(e.extra.size());
  for (const std::string& x : e.extra) w.Text(x);
  return w.at();
}

}  // namespace

void EncodeEpisode(std::string_view key, const Episode& episode, std::string* out) {
  // The body goes after room for its length, then moves up against the length once its size is known.
  const std::size_t start = out->size(), most = MostBytes(key, episode);
  out->resize(start + kMaxNumber + most);
  char* body = out->data() + start + kMaxNumber;
  const std::size_t size = static_cast<std::size_t>(PutBody(key, episode, body) - body);
  Writer head(out->data() + start);
  head.Number(size);
  const std::size_t head_size = static_cast<std::size_t>(head.at() - (out->data() + start));
  std::memmove(out->data() + start + head_size, body, size);
  out->resize(start + head_size + size);
}

void EpisodeStore::Reserve(std::size_t episodes) {
  const std::size_t n = starts_.size() + episodes;
  starts_.reserve(n);
  key_ends_.reserve(n);
  index_.Reserve(n, [this](std::uint32_t i) { return KeyOf(i); });
}

void EpisodeStore::AddBatch(std::string&& arena, const std::vector<std::uint64_t>& hashes,
                            const std::function<void(std::string_view, std::size_t, std::size_t)>& duplicate) {
  const std::uint64_t chunk = chunks_.size();
  chunks_.push_back(std::move(arena));
  std::string_view rest = chunks_.back();
  for (std::size_t k = 0; !rest.empty(); ++k) {
    std::size_t line = 0;
    const std::size_t length = RecordLength(rest, &line);
    RecordReader r(rest);
    r.Number();  // body length
    r.Number();  // line
    const std::string_view key = r.Text();
    const auto id = static_cast<std::uint32_t>(starts_.size());
    keys_.append(key);
    key_ends_.push_back(keys_.size());
    auto [found, inserted] = index_.InsertHashed(key, hashes[k], id, [this](std::uint32_t i) { return KeyOf(i); });
    if (inserted) {
      starts_.push_back(chunk << 32 | static_cast<std::uint64_t>(rest.data() - chunks_.back().data()));
    } else {
      // Not kept: the first row with the key is the episode.
      key_ends_.pop_back();
      keys_.resize(key_ends_.empty() ? 0 : key_ends_.back());
      duplicate(key, line, LineOf(found));
    }
    rest.remove_prefix(length);
  }
}

std::string_view EpisodeStore::KeyOf(std::uint32_t i) const {
  const std::uint64_t begin = i == 0 ? 0 : key_ends_[i - 1];
  return std::string_view(keys_).substr(begin, key_ends_[i] - begin);
}

std::size_t EpisodeStore::LineOf(std::uint32_t i) const {
  RecordReader r(Record(i));
  r.Number();
  return static_cast<std::size_t>(r.Number());
}

void EpisodeStore::Decode(std::uint32_t i, Episode* e) const {
  RecordReader r(Record(i));
  r.Number();
  e->line = static_cast<std::size_t>(r.Number());
  r.Text();  // key
  text::AssignShort(&e->id, r.Text());
  text::AssignShort(&e->start_date, r.Text());
  e->sex = static_cast<int>(r.Number());
  e->age = static_cast<int>(r.Number()) - 1;
  text::AssignShort(&e->invalid_sex, r.Text());
  text::AssignShort(&e->invalid_age, r.Text());
  text::AssignShort(&e->invalid_start_date, r.Text());
  thread_local std::vector<std::string_view> written;
  for (int list = 0; list < 2; ++list) {
    written.resize(static_cast<std::size_t>(r.Number()));
    for (std::string_view& w : written) w = r.Text();
    if (list == 0)
      SetDiagnoses(std::span<const std::string_view>(written), e);
    else
      SetProcedures(std::span<const std::string_view>(written), e);
  }
  e->extra.resize(static_cast<std::size_t>(r.Number()));
  for (std::string& x : e->extra) text::AssignShort(&x, r.Text());
}

namespace {

// Moves a reader past the fields before the codes: body length, line, key, id, start date, sex, age and
// the three invalid values; returns the start date.
std::string_view SkipToCodes(RecordReader* r) {
  r->Number();
  r->Number();
  r->Text();
  r->Text();
  std::string_view date = r->Text();
  r->Number();
  r->Number();
  for (int k = 0; k < 3; ++k) r->Text();
  return date;
}

}  // namespace

bool EpisodeStore::SameWrittenCodes(std::uint32_t i, const Episode& e) const {
  RecordReader r(Record(i));
  SkipToCodes(&r);
  for (const auto* list : {&e.diagnoses, &e.procedures}) {
    if (r.Number() != list->size()) return false;
    for (const EpisodeCode& c : *list) {
      if (r.Text() != c.written) return false;
    }
  }
  return true;
}

void EpisodeStore::DecodeContext(std::uint32_t i, Episode* e) const {
  RecordReader r(Record(i));
  text::AssignShort(&e->start_date, SkipToCodes(&r));
  for (int list = 0; list < 2; ++list) {
    for (std::uint64_t n = r.Number(); n > 0; --n) r.Text();
  }
  e->extra.resize(static_cast<std::size_t>(r.Number()));
  for (std::string& x : e->extra) text::AssignShort(&x, r.Text());
}

}  // namespace clincode::coding
