#include "bench_data.h"

#include <filesystem>
#include <fstream>

namespace clincode::bench {

std::vector<std::string> OpenReleaseFiles(const std::string& dir) {
  std::string root = dir.empty() ? std::string(CLINCODE_SOURCE_DIR) + "/../shared/data" : dir;
  std::vector<std::string> files = {
      root + "/opcs4-ukb-coding240/coding240.tsv",       root + "/icd10-who-2019/icd_10_v2019.xml",
      root + "/icd10cm-2021/icd10cm-order-Jan-2021.txt", root + "/icd10cm-2021/icd10cm_tabular_2021.xml",
      root + "/icd10cm-2021/icd10cm_eindex_2021.xml",    root + "/icd10cm-2021/icd10cm_neoplasm_2021.xml",
      root + "/icd10cm-2021/icd10cm_drug_2021.xml"};
  for (const auto& f : files) {
    if (!std::filesystem::exists(f)) return {};
  }
  return files;
}

std::vector<Query> FixedQueries() {
  std::ifstream in(std::string(CLINCODE_SOURCE_DIR) + "/bench/queries.tsv");
  std::vector<Query> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

}  // namespace clincode::bench
