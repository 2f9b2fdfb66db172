// Quoting a CSV field (RFC 4180) for the files the CLI writes.
#ifndef CLINCODE_APPS_SHARED_CSV_FIELD_H_
#define CLINCODE_APPS_SHARED_CSV_FIELD_H_

#include <string>

namespace clincode::shapes {

inline std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"')
      q += "\"\"";
    else
      q.push_back(c);
  }
  return q + "\"";
}

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_CSV_FIELD_H_
