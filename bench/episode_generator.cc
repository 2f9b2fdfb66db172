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
// The spinal operations V55 levels of spine follows (the opcs4.levels-of-spine-second rule's range).
bool NeedsLevels(const std::string& code) {
  if (code.size() < 3 || code[0] != 'V') return false;
  const std::string c = code.substr(0, 3);
  return (c >= "V22" && c <= "V54") || (c >= "V56" && c <= "V63") || (c >= "V66" && c <= "V70");
}
bool SiteCode(const CodeEntry& e) { return e.code[0] == 'Z' && e.code.compare(0, 3, "Z94") != 0; }
// A diagnosis no rule questions on its own: no sex or age limit, no dagger or asterisk, not an external
// cause, not a neoplasm (a secondary one needs its primary).
bool CleanDiagnosis(const CodeEntry& e) {
  return e.flags.usage == DaggerAsterisk::kNone && e.flags.sex == SexRestriction::kNone && e.flags.min_age == kNoAge &&
         e.flags.max_age == kNoAge && e.asterisk_partners.empty() && e.code[0] >= 'E' && e.code[0] <= 'T';
}
bool Diagnosis(const CodeEntry& e) {
  return e.flags.usage == DaggerAsterisk::kNone && e.code[0] != 'V' && e.code[0] != 'W' && e.code[0] != 'X' &&
         e.code[0] != 'Y' && e.code[0] != 'U';
}

}  // namespace

std::vector<std::string> GenericCodesNearRecommendations(const GuidanceLibrary& library, const Catalog& catalog) {
  auto opcs = catalog.ReleasesOf(CodeSystem::kOpcs4);
  std::vector<std::string> out;
  for (const Recommendation& rec : library.all()) {
    const Section* s = rec.SectionFor(CodeSystem::kOpcs4);
    if (s == nullptr) continue;
    std::vector<const Group*> groups;
    for (const Group& g : s->groups) groups.push_back(&g);
    for (const Scenario& sc : s->scenarios) {
      for (const Group& g : sc.groups) groups.push_back(&g);
    }
    for (const Group* g : groups) {
      if (g->role != GroupRole::kMain) continue;
      for (const std::string& pattern : g->any_of) {
        if (pattern.size() < 3) continue;
        for (const char* fourth : {".8", ".9"}) {
          std::string code = pattern.substr(0, 3) + fourth;
          bool known = opcs.empty();
          for (const Release* r : opcs) known = known || r->Find(code) != Release::kNone;
          if (known && std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
        }
      }
    }
  }
  return out;
}

Written WriteEpisodes(const Catalog& catalog, const GeneratorOptions& options, std::FILE* out) {
  auto opcs = catalog.ReleasesOf(CodeSystem::kOpcs4);
  auto icd = catalog.ReleasesOf(CodeSystem::kIcd10);
  const Release* o = opcs.empty() ? nullptr : opcs.front();
  const Release* d = icd.empty() ? nullptr : icd.front();
  CodeDraw body(o, BodySystem), spinal(o, Spinal), sites(o, SiteCode), diagnoses(d, Diagnosis),
      clean(d, CleanDiagnosis);
  std::mt19937 rng(options.seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::fputs("EPIKEY,EPISTART,SEX,STARTAGE", out);
  for (int i = 1; i <= 20; ++i) std::fprintf(out, ",DIAG_%02d", i);
  for (int i = 1; i <= 24; ++i) std::fprintf(out, ",OPERTN_%02d", i);
  std::fputc('\n', out);
  Written written;
  std::vector<std::string> diag, proc;
  for (std::size_t n = 0; n < options.episodes; ++n) {
    diag.clear();
    proc.clear();
    ++written.episodes;
    if (!options.generic_codes.empty() && u(rng) < options.generic) {
      // A clean episode with a generic main code: a diagnosis, the code, image control now and then.
      ++written.generic;
      const CodeEntry* e = clean.Draw(rng);
      if (e != nullptr) diag.push_back(CdsForm(CodeSystem::kIcd10, e->code, e->flags.undivided));
      const std::string& code = options.generic_codes[rng() % options.generic_codes.size()];
      proc.push_back(CdsForm(CodeSystem::kOpcs4, code));
      if (NeedsLevels(code)) proc.push_back("V559");  // levels of spine, as the standard has it
      if (u(rng) < 0.3) proc.push_back("Y534");
      std::fprintf(out, "G%zu,2024-%02d-%02d,%d,%d", n + 1, static_cast<int>(1 + rng() % 12),
                   static_cast<int>(1 + rng() % 28), 1 + static_cast<int>(rng() % 2),
                   18 + static_cast<int>(rng() % 70));
      for (int i = 0; i < 20; ++i) std::fprintf(out, ",%s", i < static_cast<int>(diag.size()) ? diag[i].c_str() : "");
      for (int i = 0; i < 24; ++i) std::fprintf(out, ",%s", i < static_cast<int>(proc.size()) ? proc[i].c_str() : "-");
      std::fputc('\n', out);
      continue;
    }
    int diag_count =
        1 + static_cast<int>(std::min(static_cast<double>(options.max_diagnoses - 1), -std::log(1 - u(rng)) * 1.5));
    for (int k = 0; k < diag_count && !diagnoses.empty(); ++k) {
      const CodeEntry* e = diagnoses.Draw(rng);
      diag.push_back(CdsForm(CodeSystem::kIcd10, e->code, e->flags.undivided));
    }
    double kind = u(rng);
    if (kind > 0.4 && !body.empty()) {  // 60% of episodes have procedures
      int ops = 1 + static_cast<int>(std::min(static_cast<double>(options.max_procedures - 1), -std::log(1 - u(rng))));
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
      ++written.violated;
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
    if (proc.size() > static_cast<std::size_t>(std::min(24, options.max_procedure_codes)))
      proc.resize(static_cast<std::size_t>(std::min(24, options.max_procedure_codes)));
    std::fprintf(out, "%zu,2024-%02d-%02d,%d,%d", n + 1, static_cast<int>(1 + rng() % 12),
                 static_cast<int>(1 + rng() % 28), 1 + static_cast<int>(rng() % 2), static_cast<int>(rng() % 95));
    for (int i = 0; i < 20; ++i) std::fprintf(out, ",%s", i < static_cast<int>(diag.size()) ? diag[i].c_str() : "");
    for (int i = 0; i < 24; ++i) std::fprintf(out, ",%s", i < static_cast<int>(proc.size()) ? proc[i].c_str() : "-");
    std::fputc('\n', out);
  }
  return written;
}

}  // namespace clincode::bench
