#include "episode_generator.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "clincode/normalise.h"

namespace clincode::bench {
namespace {

// Codes of a release that may be recorded, in release order, drawn with a Zipf-like skew: a few codes are
// very common, as in real activity.
class CodeDraw {
 public:
  CodeDraw(const Release* release, bool (*keep)(const CodeEntry&)) {
    if (release == nullptr) return;
    for (std::uint32_t id : release->CodesInOrder()) {
      const CodeEntry& e = release->at(id);
      if (e.flags.selectable && !e.flags.retired && keep(e)) codes_.push_back(&e);
    }
    // Shuffle deterministically so the common codes are spread over the chapters.
    std::mt19937 rng(7);
    std::shuffle(codes_.begin(), codes_.end(), rng);
  }
  const CodeEntry* Draw(std::mt19937& rng) const {
    if (codes_.empty()) return nullptr;
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    auto i = static_cast<std::size_t>(std::pow(static_cast<double>(codes_.size()), u)) - 1;
    return codes_[std::min(i, codes_.size() - 1)];
  }
  bool empty() const { return codes_.empty(); }

 private:
  std::vector<const CodeEntry*> codes_;
};

bool BodySystem(const CodeEntry& e) { return !e.flags.subsidiary && e.code[0] != 'V'; }
bool Spinal(const CodeEntry& e) {
  return e.code[0] == 'V' && e.code.compare(0, 3, "V22") >= 0 && e.code.compare(0, 3, "V54") <= 0;
}
bool SiteCode(const CodeEntry& e) { return e.code[0] == 'Z' && e.code.compare(0, 3, "Z94") != 0; }
bool Diagnosis(const CodeEntry& e) {
  return e.flags.usage == DaggerAsterisk::kNone && e.code[0] != 'V' && e.code[0] != 'W' && e.code[0] != 'X' &&
         e.code[0] != 'Y' && e.code[0] != 'U';
}

}  // namespace

std::size_t WriteEpisodes(const Catalog& catalog, const GeneratorOptions& options, std::FILE* out) {
  auto opcs = catalog.ReleasesOf(CodeSystem::kOpcs4);
  auto icd = catalog.ReleasesOf(CodeSystem::kIcd10);
  const Release* o = opcs.empty() ? nullptr : opcs.front();
  const Release* d = icd.empty() ? nullptr : icd.front();
  CodeDraw body(o, BodySystem), spinal(o, Spinal), sites(o, SiteCode), diagnoses(d, Diagnosis);
  std::mt19937 rng(options.seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::fputs("EPIKEY,EPISTART,SEX,STARTAGE", out);
  for (int i = 1; i <= 20; ++i) std::fprintf(out, ",DIAG_%02d", i);
  for (int i = 1; i <= 24; ++i) std::fprintf(out, ",OPERTN_%02d", i);
  std::fputc('\n', out);
  std::size_t violated = 0;
  std::vector<std::string> diag, proc;
  for (std::size_t n = 0; n < options.episodes; ++n) {
    diag.clear();
    proc.clear();
    int diag_count = 1 + static_cast<int>(std::min(7.0, -std::log(1 - u(rng)) * 1.5));
    for (int k = 0; k < diag_count && !diagnoses.empty(); ++k) {
      const CodeEntry* e = diagnoses.Draw(rng);
      diag.push_back(CdsForm(CodeSystem::kIcd10, e->code, e->flags.undivided));
    }
    double kind = u(rng);
    if (kind > 0.4 && !body.empty()) {  // 60% of episodes have procedures
      int ops = 1 + static_cast<int>(std::min(3.0, -std::log(1 - u(rng))));
      for (int k = 0; k < ops; ++k) {
        bool spine = u(rng) < 0.05 && !spinal.empty();
        proc.push_back(CdsForm(CodeSystem::kOpcs4, (spine ? spinal : body).Draw(rng)->code));
        if (spine) proc.push_back(u(rng) < 0.5 ? "V551" : "V559");
        if (u(rng) < 0.15) proc.push_back(u(rng) < 0.5 ? "Y534" : "Y539");
        if (u(rng) < 0.1 && !sites.empty()) proc.push_back(CdsForm(CodeSystem::kOpcs4, sites.Draw(rng)->code));
        if (u(rng) < 0.1) proc.push_back(u(rng) < 0.5 ? "Z942" : "Z943");
      }
    }
    if (u(rng) < options.violations) {
      ++violated;
      switch (rng() % 6) {
        case 0: proc.insert(proc.begin(), "Z942"); break;  // subsidiary first
        case 1: proc.push_back("Y53"); break;              // three characters
        case 2: diag.insert(diag.begin(), "V010"); break;  // external cause primary
        case 3: diag.push_back("I50"); break;              // subdivided category alone
        case 4: proc.push_back("Q999"); break;             // not in the release
        case 5:                                            // spinal operation without V55
          if (!spinal.empty()) proc.insert(proc.begin(), CdsForm(CodeSystem::kOpcs4, spinal.Draw(rng)->code));
          break;
      }
    }
    if (diag.size() > 20) diag.resize(20);
    if (proc.size() > 24) proc.resize(24);
    std::fprintf(out, "%zu,2024-%02d-%02d,%d,%d", n + 1, static_cast<int>(1 + rng() % 12),
                 static_cast<int>(1 + rng() % 28), 1 + static_cast<int>(rng() % 2), static_cast<int>(rng() % 95));
    for (int i = 0; i < 20; ++i) std::fprintf(out, ",%s", i < static_cast<int>(diag.size()) ? diag[i].c_str() : "");
    for (int i = 0; i < 24; ++i) std::fprintf(out, ",%s", i < static_cast<int>(proc.size()) ? proc[i].c_str() : "-");
    std::fputc('\n', out);
  }
  return violated;
}

}  // namespace clincode::bench
