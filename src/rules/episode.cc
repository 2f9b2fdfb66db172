#include "clincode/episode.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>

#include "clincode/normalise.h"
#include "util/text.h"

namespace clincode {
namespace {

// The form most codes take in HES (OPCS-4 and ICD-10 in CDS form, a letter and three digits: K578, I509),
// read directly: the same canonical code normalise.cc gives it, for a twentieth of the work.
bool SetCdsCode(std::string_view w, EpisodeCode* out) {
  if (w.size() != 4 || !text::IsUpper(w[0]) || !text::IsDigit(w[1]) || !text::IsDigit(w[2]) || !text::IsDigit(w[3]))
    return false;
  text::AssignShort(&out->written, w);
  out->code.resize(5);
  char* c = out->code.data();
  c[0] = w[0], c[1] = w[1], c[2] = w[2], c[3] = '.', c[4] = w[3];
  out->mark = DaggerAsterisk::kNone;
  return true;
}

// Any written form, through normalise.cc (SetCodes reads the CDS form directly before it comes here).
void SetCode(CodeSystem system, std::string_view written, EpisodeCode* out) {
  out->written.assign(written);
  NormalisedCode n;
  if (TryNormaliseCode(system, written, &n)) {
    out->code = std::move(n.code);
    out->mark = n.mark;
  } else {
    out->code.clear();
    out->mark = DaggerAsterisk::kNone;
  }
}

// The codes read lately, per thread, in a direct-mapped table: a year of HES repeats a few thousand
// distinct codes millions of times, and a hash and a compare cost a fraction of reading a code from its
// text. 2,048 slots (about 150 KB) hold the common codes of both systems without crowding the caches.
class CodeMemo {
 public:
  // Longer texts are never codes (normalise.cc reads at most 24 bytes) and are not kept: a hostile file of
  // long distinct fields must not fill the table with them.
  static constexpr std::size_t kMaxWritten = 32;
  const EpisodeCode& Get(CodeSystem system, std::string_view written) {
    std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(system);
    for (char c : written) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    Slot& s = slots_[(h ^ (h >> 29)) & (kSlots - 1)];
    if (!s.used || s.system != system || s.value.written != written) {
      s.used = true;
      s.system = system;
      SetCode(system, written, &s.value);
    }
    return s.value;
  }

 private:
  static constexpr std::size_t kSlots = 2048;
  struct Slot {
    bool used = false;
    CodeSystem system = CodeSystem::kOpcs4;
    EpisodeCode value;
  };
  std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

// "-" or empty means no code in HES. Asked of every code column of every row (44 in a HES extract).
inline bool IsEmptyCode(std::string_view s) {
  s = text::Trim(s);
  return s.empty() || (s.size() == 1 && (s[0] == '-' || s[0] == '&'));
}

// A field value as a finding shows it: at most 40 bytes, cut at a character boundary.
std::string Clipped(std::string_view v) {
  if (v.size() <= 40) return std::string(v);
  std::size_t end = 40;
  while (end > 0 && (static_cast<unsigned char>(v[end]) & 0xC0) == 0x80) --end;
  return std::string(v.substr(0, end)) + "...";
}

bool ParseInt(std::string_view s, int* out) {
  s = text::Trim(s);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Walks one CSV line's fields, calling on_field(index, value) with views into `line`, or into `scratch` for
// fields with doubled quotes. `scratch` is reserved to the line's length before the first field is unquoted
// (an unquoted field is never longer than its line), so it never reallocates under the views already given.
// Returns the number of fields, or -1 on an unterminated quote or text after a closing quote.
template <typename OnField>
long ForEachCsvField(std::string_view line, std::string* scratch, const OnField& on_field) {
  scratch->clear();
  std::size_t i = 0, index = 0;
  const std::size_t n = line.size();
  while (true) {
    if (i < n && line[i] == '"') {
      std::size_t start = ++i;
      bool doubled = false;
      while (true) {
        std::size_t q = line.find('"', i);
        if (q == std::string_view::npos) return -1;
        if (q + 1 < n && line[q + 1] == '"') {
          doubled = true;
          i = q + 2;
          continue;
        }
        std::string_view raw = line.substr(start, q - start);
        if (doubled) {
          if (scratch->capacity() < n) scratch->reserve(n);
          const std::size_t from = scratch->size();
          for (std::size_t k = 0; k < raw.size(); ++k) {
            scratch->push_back(raw[k]);
            if (raw[k] == '"') ++k;
          }
          on_field(index++, std::string_view(*scratch).substr(from));
        } else {
          on_field(index++, raw);
        }
        i = q + 1;
        break;
      }
      if (i < n && line[i] != ',') return -1;
    } else {
      // A byte loop: fields are a few bytes long, where a call to memchr per field costs more.
      std::size_t end = i;
      const char* p = line.data();
      while (end < n && p[end] != ',') ++end;
      on_field(index++, line.substr(i, end - i));
      i = end;
    }
    if (i >= n) return static_cast<long>(index);
    ++i;  // the comma
    if (i == n) {
      on_field(index++, std::string_view());
      return static_cast<long>(index);
    }
  }
}

bool SplitCsv(std::string_view line, std::vector<std::string_view>* fields, std::string* scratch) {
  fields->clear();
  return ForEachCsvField(line, scratch, [&](std::size_t, std::string_view v) { fields->push_back(v); }) >= 0;
}

}  // namespace

namespace {

// Fills `out` with the codes of `written` (empty ones skipped), reusing the codes already in it: an
// episode read into the same place row after row keeps its strings, so reading a code is a copy.
template <typename Strings>
void SetCodes(CodeSystem system, const Strings& written, std::vector<EpisodeCode>* out) {
  thread_local CodeMemo memo;
  const bool cds = system == CodeSystem::kOpcs4 || system == CodeSystem::kIcd10;
  std::size_t n = 0;
  for (std::string_view w : written) {
    if (IsEmptyCode(w)) continue;
    w = text::Trim(w);
    if (n == out->size()) out->emplace_back();
    EpisodeCode& c = (*out)[n++];
    if (cds && SetCdsCode(w, &c)) continue;
    if (w.size() <= CodeMemo::kMaxWritten)
      c = memo.Get(system, w);
    else
      SetCode(system, w, &c);
  }
  out->resize(n);
}

// EPISTART, SEX and STARTAGE of a CSV row: a value HES does not allow is kept to be reported on its field.
void ReadStartDate(std::string_view v, Episode* ep) {
  v = text::Trim(v);
  if (IsEpisodeDate(v))
    text::AssignShort(&ep->start_date, v);
  else if (!v.empty())
    ep->invalid_start_date = Clipped(v);
}

void ReadSex(std::string_view v, Episode* ep) {
  v = text::Trim(v);
  if (v.empty()) return;
  int sex = 0;
  if (ParseInt(v, &sex) && IsSexCode(sex))
    ep->sex = sex;
  else
    ep->invalid_sex = Clipped(v);
}

void ReadStartAge(std::string_view v, Episode* ep) {
  v = text::Trim(v);
  if (v.empty()) return;
  int years = 0;
  std::optional<int> age = ParseInt(v, &years) ? AgeFromStartAge(years) : std::nullopt;
  if (age)
    ep->age = *age;
  else
    ep->invalid_age = Clipped(v);
}

}  // namespace

void SetDiagnoses(const std::vector<std::string>& written, Episode* out) {
  SetCodes(CodeSystem::kIcd10, written, &out->diagnoses);
}

void SetProcedures(const std::vector<std::string>& written, Episode* out) {
  SetCodes(CodeSystem::kOpcs4, written, &out->procedures);
}

void SetDiagnoses(std::span<const std::string_view> written, Episode* out) {
  SetCodes(CodeSystem::kIcd10, written, &out->diagnoses);
}

void SetProcedures(std::span<const std::string_view> written, Episode* out) {
  SetCodes(CodeSystem::kOpcs4, written, &out->procedures);
}

Result<EpisodeCsvReader> EpisodeCsvReader::FromHeader(std::string_view header_line, std::string source,
                                                      const std::vector<std::string>& keep) {
  EpisodeCsvReader r;
  r.source_ = std::move(source);
  std::vector<std::string_view> fields;
  std::string scratch;
  if (!SplitCsv(header_line, &fields, &scratch)) {
    return InvalidArgument(fmt::format("{}:1: the header has an unterminated quote", r.source_));
  }
  int known = 0;
  for (std::string_view f : fields) {
    std::string name = text::ToUpperAscii(text::Trim(f));
    Column c;
    int n = 0;
    if (name == "EPIKEY")
      c.field = kEpikey;
    else if (name == "EPISTART")
      c.field = kEpistart;
    else if (name == "SEX")
      c.field = kSex;
    else if (name == "STARTAGE")
      c.field = kStartage;
    else if (name.rfind("DIAG_", 0) == 0 && ParseInt(std::string_view(name).substr(5), &n) && n >= 1 && n <= 20) {
      c.field = kDiag;
      c.index = n;
      r.max_diag_ = std::max(r.max_diag_, n);
    } else if (name.rfind("OPERTN_", 0) == 0 && ParseInt(std::string_view(name).substr(7), &n) && n >= 1 && n <= 24) {
      c.field = kOpertn;
      c.index = n;
      r.max_opertn_ = std::max(r.max_opertn_, n);
    }
    for (std::size_t k = 0; k < keep.size(); ++k) {
      if (keep[k] == name) c.kept = static_cast<int>(k);
    }
    if (c.field != kIgnore || c.kept >= 0) ++known;
    r.columns_.push_back(c);
    r.names_.push_back(name);
  }
  r.kept_ = keep.size();
  if (known == 0) {
    return InvalidArgument(
        fmt::format("{}:1: no HES column (EPIKEY, SEX, STARTAGE, DIAG_nn, OPERTN_nn) in the header", r.source_));
  }
  return r;
}

bool EpisodeCsvReader::HasColumn(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::string EpisodeCsvReader::ReadRow(std::string_view line, std::size_t line_number, Episode* ep) const {
  thread_local std::string scratch;
  // Code columns by their number (DIAG_nn up to 20, OPERTN_nn up to 24; FromHeader keeps to those).
  std::array<std::string_view, 20> diag{};
  std::array<std::string_view, 24> opertn{};
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ep->line = line_number;
  ep->id.clear();
  ep->start_date.clear();
  ep->sex = 0;
  ep->age = -1;
  ep->invalid_sex.clear();
  ep->invalid_age.clear();
  ep->invalid_start_date.clear();
  ep->extra.resize(kept_);
  for (std::string& x : ep->extra) x.clear();
  // One pass over the line: each field goes where its column says, straight from the text.
  const long fields = ForEachCsvField(line, &scratch, [&](std::size_t i, std::string_view v) {
    if (i >= columns_.size()) return;  // counted, and the row refused below
    const Column& c = columns_[i];
    if (c.kept >= 0) text::AssignShort(&ep->extra[static_cast<std::size_t>(c.kept)], text::Trim(v));
    switch (c.field) {
      case kIgnore: break;
      case kEpikey: text::AssignShort(&ep->id, text::Trim(v)); break;
      case kEpistart: ReadStartDate(v, ep); break;
      case kSex: ReadSex(v, ep); break;
      case kStartage: ReadStartAge(v, ep); break;
      case kDiag: diag[static_cast<std::size_t>(c.index - 1)] = v; break;
      case kOpertn: opertn[static_cast<std::size_t>(c.index - 1)] = v; break;
    }
  });
  if (fields < 0) return "unterminated quoted field";
  if (static_cast<std::size_t>(fields) > columns_.size()) {
    return fmt::format("{} fields, the header has {}", fields, columns_.size());
  }
  if (ep->id.empty()) ep->id = fmt::format("line {}", line_number);
  SetCodes(CodeSystem::kIcd10, std::span(diag).first(static_cast<std::size_t>(max_diag_)), &ep->diagnoses);
  SetCodes(CodeSystem::kOpcs4, std::span(opertn).first(static_cast<std::size_t>(max_opertn_)), &ep->procedures);
  return {};
}

namespace {

// A JSON number that is a whole number (42 or 42.0, as pandas writes integer columns with gaps) within
// [lo, hi]; nullopt for anything else: 3.9, -5 below lo, 1e300, 4294967338 above hi, a string.
std::optional<long long> WholeNumber(const nlohmann::json& v, long long lo, long long hi) {
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi)) return std::nullopt;
    return static_cast<long long>(u);
  }
  if (v.is_number_integer()) {
    auto i = v.get<std::int64_t>();
    if (i < lo || i > hi) return std::nullopt;
    return i;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    // The range test comes first: converting a double outside long long's range is undefined.
    if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) || d != std::floor(d)) return std::nullopt;
    return static_cast<long long>(d);
  }
  return std::nullopt;
}

std::string Shown(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

}  // namespace

std::string HesPosition(CodeSystem system, std::size_t index) {
  std::string out = system == CodeSystem::kOpcs4 ? "OPERTN_" : "DIAG_";
  const std::size_t n = index + 1;
  if (n < 100) {
    out.push_back(static_cast<char>('0' + n / 10));
    out.push_back(static_cast<char>('0' + n % 10));
  } else {
    out += std::to_string(n);
  }
  return out;
}

bool IsEpisodeDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!text::IsDigit(d[i])) return false;
  }
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  const int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool IsSexCode(long long value) { return value == 0 || value == 1 || value == 2 || value == 9; }

std::optional<int> AgeFromStartAge(long long value) {
  if (value >= 0 && value <= kMaxAgeYears) return static_cast<int>(value);
  if (value >= 7001 && value <= 7007) return 0;
  return std::nullopt;
}

Result<Episode> EpisodeFromJson(std::string_view json_object, const std::vector<std::string>& keep) {
  nlohmann::json j = nlohmann::json::parse(json_object, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("not a JSON object");
  Episode ep;
  try {
    if (j.contains("id")) ep.id = j["id"].is_string() ? j["id"].get<std::string>() : Shown(j["id"]);
    if (j.contains("start_date") && !j["start_date"].is_null()) {
      const nlohmann::json& d = j["start_date"];
      if (d.is_string() && IsEpisodeDate(d.get<std::string>()))
        ep.start_date = d.get<std::string>();
      else if (!d.is_string() || !text::Trim(d.get<std::string>()).empty())
        ep.invalid_start_date = d.is_string() ? Clipped(d.get<std::string>()) : Shown(d);
    }
    if (j.contains("sex") && !j["sex"].is_null()) {
      auto sex = WholeNumber(j["sex"], 0, 9);
      if (sex && IsSexCode(*sex))
        ep.sex = static_cast<int>(*sex);
      else
        ep.invalid_sex = j["sex"].is_string() ? Clipped(j["sex"].get<std::string>()) : Shown(j["sex"]);
    }
    if (j.contains("age") && !j["age"].is_null()) {
      auto years = WholeNumber(j["age"], 0, 7007);
      std::optional<int> age = years ? AgeFromStartAge(*years) : std::nullopt;
      if (age)
        ep.age = *age;
      else
        ep.invalid_age = j["age"].is_string() ? Clipped(j["age"].get<std::string>()) : Shown(j["age"]);
    }
    std::vector<std::string> d, p;
    if (j.contains("diagnoses")) d = j["diagnoses"].get<std::vector<std::string>>();
    if (j.contains("procedures")) p = j["procedures"].get<std::vector<std::string>>();
    SetDiagnoses(d, &ep);
    SetProcedures(p, &ep);
    for (const std::string& name : keep) {
      auto it = j.find(name);
      if (it == j.end()) it = j.find(text::ToLowerAscii(name));
      if (it == j.end() || it->is_null())
        ep.extra.emplace_back();
      else
        ep.extra.push_back(it->is_string() ? std::string(text::Trim(it->get<std::string>())) : Shown(*it));
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("episode field has the wrong type: ") + e.what());
  }
  return ep;
}

}  // namespace clincode
