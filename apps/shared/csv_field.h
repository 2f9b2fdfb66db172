// Quoting a CSV field (RFC 4180) for the files the CLI writes.
#ifndef CLINCODE_APPS_SHARED_CSV_FIELD_H_
#define CLINCODE_APPS_SHARED_CSV_FIELD_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace clincode::shapes {

// Whether `s` holds a byte that makes a CSV field need quotes: a comma, a quote or a line end. Eight bytes
// at a time (a byte equal to b is a zero byte of x ^ b, and (y - 0x01..) & ~y & 0x80.. is not zero exactly
// when y has a zero byte): findings are written a million a second, where std::string::find_first_of calls
// memchr once per byte of the field and a byte loop costs some nine instructions a byte.
inline bool NeedsCsvQuotes(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  auto has = [](std::uint64_t x, unsigned char b) {
    const std::uint64_t y = x ^ (kOnes * b);
    return ((y - kOnes) & ~y & kHighs) != 0;
  };
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    if (has(x, ',') || has(x, '"') || has(x, '\n') || has(x, '\r')) return true;
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ',' || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

// Appends `s` to `out`, quoted when it needs to be.
inline void AppendCsvField(std::string_view s, std::string* out) {
  if (!NeedsCsvQuotes(s)) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

inline std::string CsvField(std::string_view s) {
  std::string out;
  AppendCsvField(s, &out);
  return out;
}

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_CSV_FIELD_H_
