#include "coding/note_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "clincode/code_pattern.h"
#include "coding/note_lexicon.h"
#include "util/text.h"

namespace clincode::coding {
namespace {

// How many words a negation cue reaches: "no right atrial lead" and "lead was not placed" are negated,
// "without complication; ... under fluoroscopy" is not (clauses end it too).
constexpr std::size_t kNegationReach = 5;

// The longest quotation of a note kept as evidence: a few sentences.
constexpr std::size_t kMaxEvidenceBytes = 240;

class Reader {
 public:
  Reader(const NoteLexicon& lx, NoteReading* out) : lx_(lx), out_(out), tokens_(out->tokens) {
    before_ = lx_.negation_before.FindAll(tokens_);
    after_ = lx_.negation_after.FindAll(tokens_);
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (lx_.image_cues.LongestAt(tokens_, i).value < 0) continue;
      if (image_cue_clauses_.empty() || image_cue_clauses_.back() != tokens_[i].clause)
        image_cue_clauses_.push_back(tokens_[i].clause);
    }
  }

  void Run() {
    out_->negated.resize(tokens_.size());
    for (std::size_t i = 0; i < tokens_.size(); ++i) out_->negated[i] = Negated(i, i + 1);
    FindDiagnosisLines();
    ReadSpine();
    ReadImageControl();
    ReadLaterality();
    ReadSites();
    ReadFlags();
    ReadGestation();
    ReadDiagnoses();
  }

 private:
  // Every question below is answered by a binary search in lists made once per note (FindAll's matches are in
  // token order and do not overlap, so they are sorted by both ends; clause numbers never decrease), so a
  // note is read in time linear in its length, give or take a logarithm: a 3.6 MB note took 20 s of CPU
  // when each question scanned every match.
  bool Negated(std::size_t begin, std::size_t end) const {
    const std::uint32_t clause = tokens_[begin].clause;
    // A cue before: its end within kNegationReach words before `begin`.
    const std::size_t from = begin + 1 >= kNegationReach ? begin + 1 - kNegationReach : 0;
    auto b = std::lower_bound(before_.begin(), before_.end(), from,
                              [](const PhraseSet::Match& m, std::size_t at) { return m.end < at; });
    for (; b != before_.end() && b->end <= begin; ++b) {
      if (tokens_[b->begin].clause == clause) return true;
    }
    // A cue after: its start within kNegationReach words after `end`.
    auto a = std::lower_bound(after_.begin(), after_.end(), end,
                              [](const PhraseSet::Match& m, std::size_t at) { return m.begin < at; });
    for (; a != after_.end() && a->begin < end + kNegationReach; ++a) {
      if (tokens_[a->begin].clause == clause) return true;
    }
    return false;
  }
  bool HasImageCue(std::uint32_t clause) const {
    return std::binary_search(image_cue_clauses_.begin(), image_cue_clauses_.end(), clause);
  }
  // The first of `matches` (in token order) that begins in `clause`, or end.
  std::vector<PhraseSet::Match>::const_iterator FirstInClause(const std::vector<PhraseSet::Match>& matches,
                                                              std::uint32_t clause) const {
    auto it =
        std::lower_bound(matches.begin(), matches.end(), clause,
                         [this](const PhraseSet::Match& m, std::uint32_t c) { return tokens_[m.begin].clause < c; });
    return it != matches.end() && tokens_[it->begin].clause == clause ? it : matches.end();
  }
  std::string Evidence(std::size_t begin, std::size_t end) const { return out_->Evidence(begin, end); }

  // ---- Spine -------------------------------------------------------------------------------------------
  // Keeps the first of equal items, in order. Sorting a copy keeps it linear-logarithmic on long notes.
  template <typename T>
  static void Unique(std::vector<T>* items) {
    std::vector<T> sorted = *items;
    std::sort(sorted.begin(), sorted.end());
    std::vector<bool> taken(sorted.size(), false);
    std::vector<T> out;
    for (const T& x : *items) {
      std::size_t at = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
      if (taken[at]) continue;
      taken[at] = true;
      out.push_back(x);
    }
    *items = std::move(out);
  }

  struct Vertebra {
    int index;  // 0-based from the first cervical vertebra
    std::size_t region;
  };
  std::optional<Vertebra> VertebraOf(std::string_view word, std::optional<std::size_t> region) const {
    std::size_t digits = 0;
    while (digits < word.size() && text::IsAlpha(word[digits])) ++digits;
    std::string_view letters = word.substr(0, digits), number = word.substr(digits);
    if (number.empty() || number.size() > 2 || !std::all_of(number.begin(), number.end(), text::IsDigit)) {
      return std::nullopt;
    }
    int n = std::stoi(std::string(number));
    int offset = 0;
    for (std::size_t r = 0; r < lx_.regions.size(); ++r) {
      const SpineRegion& reg = lx_.regions[r];
      bool match = letters.empty() ? region == r
                                   : std::find(reg.letters.begin(), reg.letters.end(), letters) != reg.letters.end();
      if (match && n >= 1 && n <= reg.vertebrae) return Vertebra{offset + n - 1, r};
      offset += reg.vertebrae;
    }
    return std::nullopt;
  }
  std::string Label(int index) const {
    int offset = 0;
    for (const auto& reg : lx_.regions) {
      if (index < offset + reg.vertebrae)
        return fmt::format("{}{}", text::ToUpper(reg.letters.front()[0]), index - offset + 1);
      offset += reg.vertebrae;
    }
    return "?";
  }
  std::size_t RegionOf(int index) const {
    int offset = 0;
    for (std::size_t r = 0; r < lx_.regions.size(); ++r) {
      offset += lx_.regions[r].vertebrae;
      if (index < offset) return r;
    }
    return lx_.regions.size() - 1;
  }

  void ReadSpine() {
    std::vector<int> vertebrae;
    std::vector<std::pair<int, int>> segments;  // written pairs and the spaces inside ranges
    std::size_t first = tokens_.size(), last = 0;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      auto v = VertebraOf(tokens_[i].word, std::nullopt);
      if (!v || tokens_[i].expanded) continue;
      const std::size_t label = i;
      first = std::min(first, i);
      vertebrae.push_back(v->index);
      std::size_t j = i + 1;
      char joined = j < tokens_.size() ? tokens_[j].joined_by : ' ';
      const auto& rw = lx_.range_words;
      if (j + 1 < tokens_.size() && std::find(rw.begin(), rw.end(), tokens_[j].word) != rw.end()) {
        joined = '-';  // "L2 to L5"
        ++j;
      }
      if (j < tokens_.size() && (joined == '-' || joined == '/')) {
        auto w = VertebraOf(tokens_[j].word, v->region);
        if (w && w->index > v->index) {
          if (joined == '/') {
            vertebrae.push_back(w->index);
            segments.emplace_back(v->index, w->index);
          } else {
            for (int k = v->index + 1; k <= w->index; ++k) {
              vertebrae.push_back(k);
              segments.emplace_back(k - 1, k);
            }
          }
          tokens_[j].word = "vertebra";
          i = j;
        }
      }
      // Labels read are the word "vertebra" from here on, so "T12 metastasis" reads as bone to the
      // diagnoses and sites.
      tokens_[label].word = "vertebra";
      last = i;
    }
    std::sort(vertebrae.begin(), vertebrae.end());
    vertebrae.erase(std::unique(vertebrae.begin(), vertebrae.end()), vertebrae.end());

    // The structure operated on: the first structure phrase in the note, else the vertebra.
    const SpineStructure* structure = &lx_.structures.back();
    for (const auto& m : lx_.structure_phrases.FindAll(tokens_)) {
      structure = &lx_.structures[static_cast<std::size_t>(m.value)];
      break;
    }
    std::vector<std::string> regions;
    std::string region_evidence;
    for (int v : vertebrae) {
      const std::string& w = lx_.regions[RegionOf(v)].word;
      if (std::find(regions.begin(), regions.end(), w) == regions.end()) regions.push_back(w);
    }
    if (regions.empty()) {
      for (std::size_t i = 0; i < tokens_.size(); ++i) {
        auto it = lx_.region_words.find(tokens_[i].word);
        if (it == lx_.region_words.end() || Negated(i, i + 1)) continue;
        for (const auto& w : it->second) {
          if (std::find(regions.begin(), regions.end(), w) == regions.end()) regions.push_back(w);
        }
        if (region_evidence.empty()) region_evidence = Evidence(i, i + 1);
      }
    }
    // A vertebra or a space between two named twice ("T12/L1 ... at T12/L1") is still one level.
    Unique(&vertebrae);
    Unique(&segments);
    std::string evidence = vertebrae.empty() ? region_evidence : Evidence(first, last + 1);
    if (!vertebrae.empty()) {
      std::string labels;
      for (int v : vertebrae) labels += (labels.empty() ? "" : ",") + Label(v);
      out_->facts.Set("vertebrae", labels, evidence);
    }
    if (!regions.empty()) {
      std::string joined;
      for (const auto& r : regions) joined += (joined.empty() ? "" : ",") + r;
      out_->facts.Set("spine_region", joined, evidence);
    }
    ReadLevelCount(vertebrae, segments, *structure, evidence);
    if (vertebrae.empty() && regions.empty()) return;
    out_->facts.Set("spine_structure", structure->name, evidence);
    AddSpineSites(vertebrae, segments, regions, *structure, evidence);
  }

  void ReadLevelCount(const std::vector<int>& vertebrae, const std::vector<std::pair<int, int>>& segments,
                      const SpineStructure& structure, const std::string& evidence) {
    // A number of levels written out ("three levels", "2-level") wins over counting labels.
    for (std::size_t i = 0; i + 1 < tokens_.size(); ++i) {
      const std::string& w = tokens_[i].word;
      int n = 0;
      // "2", "x2", "2x": a number of levels written as digits.
      std::string_view digits = w;
      if (digits.size() > 1 && digits.front() == 'x') digits.remove_prefix(1);
      if (digits.size() > 1 && digits.back() == 'x') digits.remove_suffix(1);
      if (auto it = lx_.count_words.find(w); it != lx_.count_words.end()) {
        n = it->second;
      } else if (!digits.empty() && digits.size() <= 2 && std::all_of(digits.begin(), digits.end(), text::IsDigit)) {
        n = std::stoi(std::string(digits));
      }
      if (n > 0 && tokens_[i + 1].clause == tokens_[i].clause && lx_.level_words.LongestAt(tokens_, i + 1).value >= 0) {
        out_->facts.Set("levels", std::to_string(n), Evidence(i, i + 2));
        return;
      }
    }
    std::size_t levels = structure.segment && !segments.empty() ? segments.size() : vertebrae.size();
    if (levels > 0) out_->facts.Set("levels", std::to_string(levels), evidence);
  }

  void AddSpineSites(const std::vector<int>& vertebrae, const std::vector<std::pair<int, int>>& segments,
                     const std::vector<std::string>& regions, const SpineStructure& structure,
                     const std::string& evidence) {
    auto add = [&](NoteReading::Site site) {
      if (std::find(out_->sites.begin(), out_->sites.end(), site) == out_->sites.end()) out_->sites.push_back(site);
    };
    auto with_region = [&](const std::string& region) {
      NoteReading::Site site{region + " " + structure.name, structure.site, evidence};
      for (auto& x : lx_.normaliser->PhraseWords(region)) site.words.push_back(std::move(x));
      return site;
    };
    if (structure.segment && !segments.empty()) {
      for (const auto& [a, b] : segments) {
        bool junction = false;
        for (const auto& j : lx_.junctions) {
          auto ja = VertebraOf(text::ToLowerAscii(j.from), std::nullopt);
          auto jb = VertebraOf(text::ToLowerAscii(j.to), std::nullopt);
          if (ja && jb && ja->index == a && jb->index == b) {
            add({j.from + "/" + j.to + " " + structure.name, j.site, evidence});
            junction = true;
          }
        }
        if (!junction) add(with_region(lx_.regions[RegionOf(a)].word));
      }
      return;
    }
    if (!vertebrae.empty()) {
      for (int v : vertebrae) add(with_region(lx_.regions[RegionOf(v)].word));
      return;
    }
    for (const auto& r : regions) add(with_region(r));
  }

  // ---- Image control -------------------------------------------------------------------------------------
  void ReadImageControl() {
    std::vector<std::string> methods;
    std::string evidence;
    std::size_t span_begin = 0, span_end = 0;
    for (const auto& m : lx_.modality_phrases.FindAll(tokens_)) {
      const Modality& mod = lx_.modalities[static_cast<std::size_t>(m.value)];
      if (Negated(m.begin, m.end)) continue;
      // An ambiguous abbreviation ("II", "US") is a modality only beside a cue, as is a modality that needs one.
      const bool needs_cue = mod.needs_cue || tokens_[m.begin].ambiguous;
      if (needs_cue && !HasImageCue(tokens_[m.begin].clause)) continue;
      const auto& na = lx_.modality_not_after;
      if (m.begin > 0 && std::find(na.begin(), na.end(), tokens_[m.begin - 1].word) != na.end()) continue;
      if (std::find(methods.begin(), methods.end(), mod.value) == methods.end()) methods.push_back(mod.value);
      // The evidence is the whole phrase: words of modalities side by side ("biplanar fluoroscopic") and
      // the cue after them ("guidance"), not the first word alone.
      if (span_end == 0) {
        span_begin = m.begin;
        span_end = m.end;
      } else if (m.begin == span_end && tokens_[m.begin].clause == tokens_[span_begin].clause) {
        span_end = m.end;
      }
    }
    if (span_end != 0) {
      for (const auto& cue : lx_.image_cues.FindAll(tokens_)) {
        if (cue.begin == span_end) span_end = cue.end;
      }
      evidence = Evidence(span_begin, span_end);
    }
    if (!methods.empty()) {
      std::string joined;
      for (const auto& v : methods) joined += (joined.empty() ? "" : ",") + v;
      out_->facts.Set("image_method", joined, evidence);
      out_->facts.Set("image_control", "yes", evidence);
      return;
    }
    for (const auto& m : lx_.image_none.FindAll(tokens_)) {
      out_->facts.Set("image_control", "no", Evidence(m.begin, m.end));
      return;
    }
    for (const auto& m : lx_.image_mentions.FindAll(tokens_)) {
      bool negated = Negated(m.begin, m.end);
      out_->facts.Set("image_control", negated ? "no" : "yes", Evidence(m.begin, m.end));
      if (!negated) return;
    }
  }

  // ---- Laterality ----------------------------------------------------------------------------------------
  void ReadLaterality() {
    // The side of the operation: from the lines that do not state the diagnosis, else from those that do.
    std::vector<std::string> values[2];
    std::string evidence[2];
    auto add = [&](bool dx, const std::string& v, std::size_t begin, std::size_t end) {
      if (std::find(values[dx].begin(), values[dx].end(), v) == values[dx].end()) values[dx].push_back(v);
      if (evidence[dx].empty()) evidence[dx] = Evidence(begin, end);
    };
    for (const auto& m : lx_.laterality_phrases.FindAll(tokens_)) {
      if (AnatomicalSide(m.begin, m.end) || Negated(m.begin, m.end)) continue;
      add(out_->InDiagnosisLine(tokens_[m.begin]), lx_.laterality[static_cast<std::size_t>(m.value)].value, m.begin,
          m.end);
    }
    // Side marks: "R) eye", a capital and a bracket.
    const std::string& text = out_->text;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      if (t.expanded || t.end >= text.size()) continue;
      for (const auto& mark : lx_.side_marks) {
        if (mark.written.size() != t.end - t.begin + 1 || text.compare(t.begin, mark.written.size(), mark.written) != 0)
          continue;
        if (!AnatomicalSide(i, i + 1, true)) add(out_->InDiagnosisLine(t), mark.value, i, i + 1);
      }
    }
    const bool dx = values[0].empty();
    if (values[dx].empty()) return;
    const auto& v = values[dx];
    // Both sides named separately is a bilateral operation; a bilateral word says so outright.
    bool bilateral =
        std::find(v.begin(), v.end(), "bilateral") != v.end() ||
        (std::find(v.begin(), v.end(), "left") != v.end() && std::find(v.begin(), v.end(), "right") != v.end());
    out_->facts.Set("laterality", bilateral ? "bilateral" : v.front(), evidence[dx]);
  }

  // Whether a side word is followed closely by an anatomical word that carries its own side ("right atrium").
  // A side mark's bracket ends a clause; the words after it are still the ones it qualifies.
  bool AnatomicalSide(std::size_t begin, std::size_t end, bool mark = false) const {
    const std::uint32_t clause = end < tokens_.size() && mark ? tokens_[end].clause : tokens_[begin].clause;
    for (std::size_t k = end; k < tokens_.size() && k < end + static_cast<std::size_t>(lx_.laterality_window); ++k) {
      if (tokens_[k].clause != clause) break;
      const auto& na = lx_.laterality_not_after;
      if (std::find(na.begin(), na.end(), tokens_[k].word) != na.end()) return true;
    }
    return false;
  }

  // ---- Diagnosis lines, gestation ------------------------------------------------------------------------
  // "Dx: ..." at the start of a line, or of a sentence ("... CT guided. Dx: HCC."): from the colon to the end
  // of the line.
  void FindDiagnosisLines() {
    const std::string& text = out_->text;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      std::size_t before = tokens_[i].begin;
      while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) --before;
      const bool starts = before == 0 || text[before - 1] == '\n' || text[before - 1] == '.';
      if (!starts || tokens_[i].expanded) continue;
      for (const auto& words : lx_.diagnosis_line_words) {
        bool at = i + words.size() <= tokens_.size();
        for (std::size_t k = 0; at && k < words.size(); ++k) at = tokens_[i + k].word == words[k];
        if (!at) continue;
        std::size_t colon = SkipSpace(tokens_[i + words.size() - 1].end);
        if (colon >= text.size() || (text[colon] != ':' && text[colon] != '-')) continue;
        std::size_t line_end = text.find('\n', colon);
        if (line_end == std::string::npos) line_end = text.size();
        out_->diagnosis_lines.emplace_back(static_cast<std::uint32_t>(colon + 1), static_cast<std::uint32_t>(line_end));
        while (i + 1 < tokens_.size() && tokens_[i + 1].begin < line_end) ++i;
        break;
      }
    }
  }
  std::size_t SkipSpace(std::size_t at) const {
    while (at < out_->text.size() && (out_->text[at] == ' ' || out_->text[at] == '\t')) ++at;
    return at;
  }

  // "26+2/40" (weeks and days over forty) or "26 weeks gestation": gestation_weeks, as a decimal.
  void ReadGestation() {
    const std::string& text = out_->text;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      if (t.expanded || !IsNumber(t.word)) continue;
      double weeks = std::stoi(t.word);
      std::size_t after = t.end, end_token = i + 1;
      bool found = false;
      if (after < text.size() && text[after] == '+') {  // "26+2/40"
        std::size_t d = after + 1;
        if (d < text.size() && text::IsDigit(text[d]) && text.compare(d + 1, 3, "/40") == 0) {
          weeks += (text[d] - '0') / 7.0;
          found = true;
          end_token = i + 3;
        }
      } else if (text.compare(after, 3, "/40") == 0) {  // "22/40"
        found = true;
        end_token = i + 2;
      } else if (i + 1 < tokens_.size() && In(lx_.week_words, tokens_[i + 1].word)) {  // "26 weeks gestation"
        for (std::size_t k = i + 2; k < tokens_.size() && k < i + 5 && !found; ++k) {
          found = In(lx_.gestation_words, tokens_[k].word);
          end_token = k + 1;
        }
        for (std::size_t k = i; k-- > 0 && k + 4 > i && !found;) found = In(lx_.gestation_words, tokens_[k].word);
      }
      if (!found || weeks < 1 || weeks > 45) continue;
      out_->facts.Set("gestation_weeks", fmt::format("{:.1f}", weeks),
                      Evidence(i, std::min(end_token, tokens_.size())));
      return;
    }
  }
  static bool IsNumber(const std::string& w) {
    return !w.empty() && w.size() <= 2 && std::all_of(w.begin(), w.end(), text::IsDigit);
  }
  static bool In(const std::vector<std::string>& list, const std::string& w) {
    return std::find(list.begin(), list.end(), w) != list.end();
  }

  // ---- Sites, flags, diagnoses ---------------------------------------------------------------------------
  void ReadSites() {
    std::string evidence;
    for (const auto& m : lx_.site_phrases.FindAll(tokens_)) {
      if (Negated(m.begin, m.end)) continue;
      NoteReading::Site site{text::ToLowerAscii(Evidence(m.begin, m.end)),
                             lx_.sites[static_cast<std::size_t>(m.value)].site, Evidence(m.begin, m.end)};
      if (std::find(out_->sites.begin(), out_->sites.end(), site) == out_->sites.end()) out_->sites.push_back(site);
      if (evidence.empty()) evidence = Evidence(m.begin, m.end);
    }
    std::string names;
    for (const auto& s : out_->sites) names += (names.empty() ? "" : ";") + s.name;
    if (!names.empty()) out_->facts.Set("site", names, evidence);
  }

  // Whether a clause rule holds: kYes with the span of its first match, kNo when it matched only negated.
  // With `diagnosis_lines`, only matches in the lines that state the diagnosis count.
  Truth Holds(const ClauseRule& rule, std::size_t* at, std::string* evidence, bool diagnosis_lines = false) const {
    Truth result = Truth::kUnknown;
    std::vector<std::vector<PhraseSet::Match>> found(rule.all.size());
    for (std::size_t k = 0; k < rule.all.size(); ++k) found[k] = rule.all[k].FindAll(tokens_);
    if (found.empty() || found[0].empty()) return result;
    for (const auto& m0 : found[0]) {
      if (diagnosis_lines && !out_->InDiagnosisLine(tokens_[m0.begin])) continue;
      const std::uint32_t clause = tokens_[m0.begin].clause;
      bool negated = Negated(m0.begin, m0.end);
      std::size_t begin = m0.begin, end = m0.end;
      bool all = true;
      for (std::size_t k = 1; k < found.size() && all; ++k) {
        auto it = FirstInClause(found[k], clause);
        all = it != found[k].end();
        if (all) {
          negated = negated || Negated(it->begin, it->end);
          begin = std::min(begin, it->begin);
          end = std::max(end, it->end);
        }
      }
      if (!all) continue;
      if (negated) {
        if (result == Truth::kUnknown) {
          result = Truth::kNo;
          *evidence = Evidence(begin, end);
        }
        continue;
      }
      *at = begin;
      *evidence = Evidence(begin, end);
      return Truth::kYes;
    }
    return result;
  }

  void ReadFlags() {
    for (const auto& rule : lx_.flags) {
      std::size_t at = 0;
      std::string evidence;
      Truth t = Holds(rule, &at, &evidence);
      if (!rule.value.empty()) {
        // A valued flag ("approach": "laparoscopic"): the first that holds sets it.
        if (t == Truth::kYes && out_->facts.Get(rule.name) == nullptr) out_->facts.Set(rule.name, rule.value, evidence);
      } else if (t != Truth::kUnknown) {
        out_->facts.Set(rule.name, t == Truth::kYes ? "yes" : "no", evidence);
      }
    }
  }

  void ReadDiagnoses() {
    struct Read {
      std::size_t at;
      const ClauseRule* rule;
      std::string evidence;
    };
    std::vector<Read> read;
    // A note with diagnosis lines states its diagnoses there ("Colorectal clinic" is no colorectal cancer).
    const bool lines = !out_->diagnosis_lines.empty();
    for (const auto& rule : lx_.diagnoses) {
      std::size_t at = 0;
      std::string evidence;
      if (Holds(rule, &at, &evidence, lines) == Truth::kYes) read.push_back({at, &rule, evidence});
    }
    // A code gives way to a code read that its entry excludes, and an unspecified code (.9) to a specific
    // code of its category read from the same note. Decided over the whole list before anything is dropped.
    std::vector<bool> drop(read.size(), false);
    for (std::size_t i = 0; i < read.size(); ++i) {
      const std::string& code = read[i].rule->name;
      bool unspecified = code.size() == 5 && code[4] == '9';
      for (const Read& o : read) {
        const std::string& other = o.rule->name;
        bool excluded = std::any_of(read[i].rule->excludes.begin(), read[i].rule->excludes.end(),
                                    [&](const CodePattern& p) { return p.Matches(other); });
        bool more_specific = unspecified && other != code && other.compare(0, 3, code, 0, 3) == 0;
        if (excluded || more_specific) drop[i] = true;
      }
    }
    std::vector<Read> kept;
    for (std::size_t i = 0; i < read.size(); ++i) {
      if (!drop[i]) kept.push_back(std::move(read[i]));
    }
    read = std::move(kept);
    std::stable_sort(read.begin(), read.end(), [](const Read& a, const Read& b) { return a.at < b.at; });
    std::string codes, evidence;
    for (const auto& r : read) {
      codes += (codes.empty() ? "" : ",") + r.rule->name;
      evidence += (evidence.empty() ? "" : "; ") + r.evidence;
    }
    if (!codes.empty()) out_->facts.Set("diagnosis", codes, evidence);
  }

  const NoteLexicon& lx_;
  NoteReading* out_;
  std::vector<Token>& tokens_;
  std::vector<PhraseSet::Match> before_, after_;
  std::vector<std::uint32_t> image_cue_clauses_;  // clauses with an image cue, ascending
};

}  // namespace

bool NoteReading::InDiagnosisLine(const Token& t) const {
  auto it = std::upper_bound(diagnosis_lines.begin(), diagnosis_lines.end(), t.begin,
                             [](std::uint32_t at, const auto& line) { return at < line.first; });
  return it != diagnosis_lines.begin() && t.begin < std::prev(it)->second;
}

std::string NoteReading::Evidence(std::size_t begin, std::size_t end) const {
  if (begin >= end || end > tokens.size()) return {};
  std::uint32_t from = tokens[begin].begin, to = tokens[end - 1].end;
  if (!(from < to && to <= text.size())) return {};
  // Evidence quotes the note; a span over many sentences is cut (at a character boundary) so that facts,
  // and the copies made of them, stay small on any note.
  if (to - from <= kMaxEvidenceBytes) return text.substr(from, to - from);
  std::size_t cut = from + kMaxEvidenceBytes;
  while (cut > from && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(from, cut - from) + "...";
}

NoteReading ReadNote(std::string_view note) {
  const NoteLexicon& lx = GetNoteLexicon();
  NoteReading out;
  out.text = std::string(note);
  out.tokens = lx.normaliser->Tokenize(out.text);
  Reader(lx, &out).Run();
  return out;
}

}  // namespace clincode::coding
