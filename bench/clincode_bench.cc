// clincode_bench: the macro benchmark. Each workload is measured beside its peer in the same run.
//
//   load    read the open releases in ../shared/data together, then build the search index: time (median of
//           --repeat runs) and peak resident memory of the process.
//   lookup  Release::Lookup and Catalog::Lookup of codes typed by users, nanoseconds per call.
//   validate  synthetic HES-like episodes (bench/episode_generator.cc) validated CSV in to findings CSV out,
//           episodes per second and peak memory, beside the same checks as SQL in SQLite; --scaling also
//           runs ten times as many episodes; --no-peer skips SQLite, for a clean memory figure.
//   code    every operation note of the evaluation kit (tests/cases) through the coding assistant, --repeat
//           rounds: median and p99 microseconds per note (target: median under 200 us); and, with
//           ../shared/nice-dev, every dev-kit note coded against its published recommendation text read on the
//           fly, the reading included (target: median under 500 us), beside the same notes against the
//           recommendation read once.
//   match   the validate workload's synthetic episodes matched to the recommendations, beside validating the
//           same file in the same run (the bar: the validator's throughput).
//   search  the fixed query list (bench/queries.tsv) through clincode's index and through SQLite FTS5 over
//           the same titles: median and p99 per query, the ratio, and top-10 agreement on whole-word queries.
//
//   audit   a coder's file and an auditor's re-coding of the same --episodes (shuffled), audited end to end, beside
//           the four figures computed in SQLite (bench/audit_workload.h); pairs per second and peak memory.
//   validate-uk  OPCS-4.11 and ICD-10 5th Edition in TRUD forms (synthetic, bench/trud_shapes.cc), episodes of up to
//           six diagnoses and five procedures, a normal and a findings-heavy mix
// Usage: clincode_bench [--workload=load,lookup,search,validate,validate-uk,code,match,audit] [--data=DIR] [--repeat=N]
// [--episodes=N]
//                       [--scaling]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "audit_workload.h"
#include "bench_data.h"
#include "clincode/assistant.h"
#include "clincode/catalog.h"
#include "clincode/guidance_reader.h"
#include "clincode/matcher.h"
#include "clincode/search.h"
#include "clincode/validate_stream.h"
#include "episode_generator.h"
#include "findings_json.h"
#include "fts5_peer.h"
#include "measure.h"
#include "sqlite_validator_peer.h"
#include "trud_shapes.h"

namespace {

using namespace clincode;
using bench::Clock;
using bench::PeakRssKb;
using bench::Percentile;
using bench::Seconds;

struct Flags {
  std::vector<std::string> workloads = {"load", "lookup", "search"};
  std::string data;
  int repeat = 5;
  std::size_t episodes = 1'000'000;
  bool scaling = false;
  bool peer = true;  // --no-peer: skip SQLite (whose in-memory database would dominate the peak memory)
};

std::shared_ptr<const Catalog> LoadOnce(const std::vector<std::string>& files) {
  CatalogOptions options;
  options.release_paths = files;
  auto c = Catalog::Load(options);
  if (!c.ok()) {
    fmt::print(stderr, "load failed: {}\n", c.status().message());
    std::exit(1);
  }
  return *c;
}

void RunLoad(const std::vector<std::string>& files, const Flags& flags) {
  long before = PeakRssKb();
  long first_peak = 0;
  std::vector<double> load, indexed;
  std::size_t codes = 0, docs = 0, vocabulary = 0;
  double index_micros = 0, index_bytes = 0;
  for (int i = 0; i < flags.repeat; ++i) {
    auto t0 = Clock::now();
    auto catalog = LoadOnce(files);
    auto t1 = Clock::now();
    auto index = SearchIndex::Build(catalog);
    auto t2 = Clock::now();
    load.push_back(Seconds(t1 - t0) * 1e3);
    indexed.push_back(Seconds(t2 - t0) * 1e3);
    codes = 0;
    for (const auto& r : catalog->releases()) codes += r->size();
    docs = index->document_count();
    index_micros = static_cast<double>(index->build_micros());
    index_bytes = static_cast<double>(index->memory_bytes());
    vocabulary = index->vocabulary_size();
    // Memory is measured on the first load, as in a program that loads once: later rounds reuse memory
    // the allocator kept, which makes their peak a measure of fragmentation, not of clincode.
    if (i == 0) first_peak = PeakRssKb();
  }
  fmt::print("load: {} files, {} entries, {} search documents\n", files.size(), codes, docs);
  fmt::print("  releases loaded:          median {:.1f} ms  (min {:.1f}, {} runs)\n", Percentile(load, 0.5),
             *std::min_element(load.begin(), load.end()), load.size());
  fmt::print("  loaded + search index:    median {:.1f} ms  (min {:.1f})\n", Percentile(indexed, 0.5),
             *std::min_element(indexed.begin(), indexed.end()));
  fmt::print("  search index alone:       {:.1f} ms to build, {:.1f} MB of arrays, {} words\n", index_micros / 1e3,
             index_bytes / 1048576.0, vocabulary);
  fmt::print(
      "  peak resident memory:     {:.1f} MB for one load and index  (process before loading: {:.1f} MB; "
      "after all {} rounds: {:.1f} MB)\n",
      first_peak / 1024.0, before / 1024.0, flags.repeat, PeakRssKb() / 1024.0);
}

void RunLookup(const Catalog& catalog) {
  const std::vector<std::string> inputs = {"K57.8", "k578",     "I50.0", "I509", "C61X",
                                           "A170D", "S22.000A", "V44.4", "y539", "Z94.2"};
  const Release& opcs = *catalog.ReleasesOf(CodeSystem::kOpcs4).front();
  constexpr int kCalls = 2'000'000;
  std::size_t found = 0;
  auto t0 = Clock::now();
  for (int i = 0; i < kCalls; ++i) found += opcs.Lookup(inputs[static_cast<std::size_t>(i) % inputs.size()]).ok();
  auto t1 = Clock::now();
  for (int i = 0; i < kCalls / 4; ++i) {
    auto hits = catalog.Lookup(inputs[static_cast<std::size_t>(i) % inputs.size()]);
    found += hits.ok() ? hits->size() : 0;
  }
  auto t2 = Clock::now();
  fmt::print("lookup ({} found)\n", found);
  fmt::print("  Release::Lookup (OPCS-4, user input):  {:.0f} ns per call\n", Seconds(t1 - t0) * 1e9 / kCalls);
  fmt::print("  Catalog::Lookup (every release):       {:.0f} ns per call\n", Seconds(t2 - t1) * 1e9 / (kCalls / 4));
}

// Mean seconds per call of f, repeating until `budget` has passed (at least `min_reps` calls).
template <typename F>
double TimePerCall(F&& f, double budget, int min_reps) {
  int reps = 0;
  auto t0 = Clock::now();
  double elapsed = 0;
  while (reps < min_reps || elapsed < budget) {
    f();
    ++reps;
    elapsed = Seconds(Clock::now() - t0);
  }
  return elapsed / reps;
}

void RunSearch(std::shared_ptr<const Catalog> catalog) {
  auto index = SearchIndex::Build(catalog);
  bench::Fts5Peer fts(*catalog);
  auto queries = bench::FixedQueries();
  std::vector<double> ours, ours_all, peer, peer_rowid;
  std::map<std::string, std::vector<double>> ours_by_kind, peer_by_kind;
  int compared = 0, same = 0;
  std::vector<std::string> differing;
  for (const auto& q : queries) {
    SearchOptions options;  // limit 20, typo tolerance on: what the CLI and the server use
    double t = TimePerCall([&] { (void)index->Search(q.text, options); }, 2e-3, 20);
    double p = TimePerCall([&] { (void)fts.Search(q.text, 20, false); }, 5e-3, 3);
    double pr = TimePerCall([&] { (void)fts.Search(q.text, 20, true); }, 5e-3, 3);
    ours.push_back(t * 1e6);
    peer.push_back(p * 1e6);
    peer_rowid.push_back(pr * 1e6);
    ours_by_kind[q.kind].push_back(t * 1e6);
    // The default keeps to the UK systems; FTS5 searches every row, so clincode is timed over every system too.
    SearchOptions every;
    every.all_systems = true;
    ours_all.push_back(TimePerCall([&] { (void)index->Search(q.text, every); }, 2e-3, 20) * 1e6);
    peer_by_kind[q.kind].push_back(p * 1e6);
    if (q.kind == "word") {
      SearchOptions plain;
      plain.limit = 10;
      plain.typo_tolerance = false;
      std::vector<std::string> mine;
      auto hits = index->Search(q.text, plain);
      for (const auto& h : *hits) {
        mine.push_back(std::string(CodeSystemKey(h.release->system())) + " " + h.entry().code);
      }
      auto theirs = fts.Search(q.text, 10, false);
      ++compared;
      if (mine == theirs)
        ++same;
      else {
        std::string both = q.text + "\n      clincode:";
        for (const auto& m : mine) both += " [" + m + "]";
        both += "\n      FTS5:    ";
        for (const auto& m : theirs) both += " [" + m + "]";
        differing.push_back(both);
      }
    }
  }
  fmt::print("search: {} queries over {} documents ({} FTS5 rows)\n", queries.size(), index->document_count(),
             fts.rows());
  fmt::print("  {:<34} {:>10} {:>10} {:>10}\n", "per query (us)", "median", "p99", "mean");
  auto row = [](const char* name, const std::vector<double>& v) {
    double mean = 0;
    for (double x : v) mean += x;
    fmt::print("  {:<34} {:>10.2f} {:>10.2f} {:>10.2f}\n", name, Percentile(v, 0.5), Percentile(v, 0.99),
               mean / static_cast<double>(v.size()));
  };
  row("clincode SearchIndex", ours);
  row("clincode, every system", ours_all);
  row("SQLite FTS5, ORDER BY length", peer);
  row("SQLite FTS5, ORDER BY rowid", peer_rowid);
  fmt::print("  median ratio FTS5/clincode:  {:.0f}x (ORDER BY length), {:.0f}x (ORDER BY rowid)\n",
             Percentile(peer, 0.5) / Percentile(ours, 0.5), Percentile(peer_rowid, 0.5) / Percentile(ours, 0.5));
  fmt::print("  ... with clincode over every system: {:.0f}x (ORDER BY length), {:.0f}x (ORDER BY rowid)\n",
             Percentile(peer, 0.5) / Percentile(ours_all, 0.5),
             Percentile(peer_rowid, 0.5) / Percentile(ours_all, 0.5));
  for (const auto& [kind, v] : ours_by_kind) {
    fmt::print("  {:<7} ({:>3} queries) clincode median {:>8.2f} us, p99 {:>8.2f} us;  FTS5 median {:>9.2f} us\n", kind,
               v.size(), Percentile(v, 0.5), Percentile(v, 0.99), Percentile(peer_by_kind[kind], 0.5));
  }
  // FTS5 orders by length; clincode by use, fit and sense (docs/search.md), so the lists differ by design. The
  // first few differences are shown for a reader to judge.
  fmt::print(
      "  top-10 identical to FTS5 (ORDER BY length) on whole-word queries: {}/{} (the rankings differ by "
      "design)\n",
      same, compared);
  for (std::size_t i = 0; i < differing.size() && i < 3; ++i) fmt::print("    differs: {}\n", differing[i]);
}

// Findings written as the CLI writes them: CSV, formatted on the worker threads.
class CsvFileSink : public FindingSink {
 public:
  explicit CsvFileSink(std::FILE* f) : f_(f) {
    std::fputs(shapes::kFindingCsvHeader, f_);
    std::fputc('\n', f_);
  }
  // The bytes `clincode validate --out x.csv` writes.
  std::string Format(const std::vector<Finding>& batch) const override { return shapes::FindingLines(batch, true); }
  void Write(const std::vector<Finding>& batch, const std::string& formatted) override {
    std::fwrite(formatted.data(), 1, formatted.size(), f_);
    // Findings of one episode are adjacent: an episode is counted once.
    for (const Finding& x : batch) {
      if (!bench::IsGenericEpisode(x.episode_id) || x.severity == Severity::kInfo || x.episode_id == last_alarm_)
        continue;
      last_alarm_ = x.episode_id;
      ++alarms_;
    }
  }
  std::size_t alarms() const { return alarms_; }

 private:
  std::FILE* f_;
  std::string last_alarm_;
  std::size_t alarms_ = 0;
};

void ValidateOnce(std::shared_ptr<const Catalog> catalog, std::size_t episodes, bool with_peer) {
  std::string in = fmt::format("/tmp/clincode-bench-{}.csv", episodes);
  std::string out = fmt::format("/tmp/clincode-bench-{}-findings.csv", episodes);
  std::FILE* f = std::fopen(in.c_str(), "wb");
  auto rules = RuleSet::Load({});
  auto guidance = GuidanceLibrary::Load({});
  // 5% of the episodes are clean ones with a generic main code (K57.8, J12.8, V44.8, ...): the false alarms.
  bench::GeneratorOptions generator{episodes, 0.1, 20261121};
  generator.generic = 0.05;
  generator.generic_codes = bench::GenericCodesNearRecommendations(**guidance, *catalog);
  const auto written = bench::WriteEpisodes(*catalog, generator, f);
  const std::size_t violated = written.violated;
  std::fclose(f);
  Validator validator(catalog, *rules, *guidance);
  std::FILE* fo = std::fopen(out.c_str(), "wb");
  CsvFileSink sink(fo);
  auto t0 = Clock::now();
  auto summary = ValidateFile(in, validator, &sink, {});
  std::fclose(fo);
  double s = Seconds(Clock::now() - t0);
  if (!summary.ok()) {
    fmt::print(stderr, "validate failed: {}\n", summary.status().message());
    std::exit(1);
  }
  fmt::print("validate: {} episodes ({} with a planted violation), {} findings\n", summary->episodes_checked, violated,
             summary->findings);
  fmt::print("  false alarms: {} of {} clean episodes with a generic main code got an error or a warning ({:.3f}%)\n",
             sink.alarms(), written.generic,
             written.generic ? 100.0 * static_cast<double>(sink.alarms()) / static_cast<double>(written.generic) : 0.0);
  fmt::print("  clincode CSV in -> findings CSV out:  {:.2f} s, {:.0f} episodes/s, peak memory {:.1f} MB\n", s,
             static_cast<double>(summary->episodes_checked) / s, PeakRssKb() / 1024.0);
  if (with_peer) {
    auto peer = bench::RunSqlChecks(in, *catalog);
    double total = peer.load_seconds + peer.query_seconds;
    fmt::print(
        "  SQLite (load {:.2f} s + checks {:.2f} s = {:.2f} s):  {:.0f} episodes/s;  clincode is {:.1f}x faster "
        "end to end, {:.1f}x faster than the SQL checks alone\n",
        peer.load_seconds, peer.query_seconds, total, static_cast<double>(episodes) / total, total / s,
        peer.query_seconds / s);
    for (const auto& [rule, n] : peer.findings) {
      auto mine = summary->per_rule.find(rule);
      fmt::print("    {:<36} SQL {:>8}  clincode {:>8}\n", rule, n, mine == summary->per_rule.end() ? 0 : mine->second);
    }
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
}

// The national scale (issue 16): OPCS-4.11 and ICD-10 5th Edition in their TRUD forms (synthetic files of
// the real shapes, bench/trud_shapes.cc), episodes with up to six diagnoses and five procedure codes, a
// normal mix and a findings-heavy one; CSV in to findings CSV out, median of --repeat runs.
void RunValidateUk(std::shared_ptr<const Catalog> source, const Flags& flags) {
  auto opcs = source->ReleasesOf(CodeSystem::kOpcs4);
  auto icd = source->ReleasesOf(CodeSystem::kIcd10);
  if (opcs.empty() || icd.empty() || opcs.front()->info().builtin || icd.front()->info().builtin) {
    fmt::print("validate-uk: needs the open OPCS-4 and WHO ICD-10 releases of ../shared/data; skipped\n");
    return;
  }
  const std::string opcs_path = "/tmp/clincode-bench-OPCS411 CodesAndTitles.xml";
  const std::string icd_path = "/tmp/clincode-bench-ICD10_Edition5_CodesAndTitlesAndMetadata.xml";
  std::size_t opcs_rows = bench::WriteOpcs411Xml(*opcs.front(), opcs_path);
  bench::TrudCounts icd_rows = bench::WriteIcd10UkXml(*icd.front(), icd_path);
  CatalogOptions options;
  options.release_paths = {opcs_path, icd_path};
  auto catalog = Catalog::Load(options);
  if (!catalog.ok()) {
    fmt::print(stderr, "validate-uk: {}\n", catalog.status().message());
    std::exit(1);
  }
  fmt::print(
      "validate-uk: OPCS-4.11-shaped XML ({} rows) and ICD-10 5th Edition-shaped XML ({} rows: {} dagger, {} "
      "asterisk, {} with GENDER_MASK, {} with ages)\n",
      opcs_rows, icd_rows.rows, icd_rows.dagger, icd_rows.asterisk, icd_rows.gender, icd_rows.ages);
  auto rules = RuleSet::Load({});
  auto guidance = GuidanceLibrary::Load({});
  Validator validator(*catalog, *rules, *guidance);
  for (const auto& n : validator.notices()) fmt::print("  note: {}\n", n);
  struct Mix {
    const char* name;
    double violations;
  };
  for (const Mix& mix : {Mix{"normal mix (10% planted violations)", 0.1}, Mix{"findings-heavy mix (60%)", 0.6}}) {
    std::string in = fmt::format("/tmp/clincode-bench-uk-{}.csv", flags.episodes);
    std::FILE* f = std::fopen(in.c_str(), "wb");
    bench::GeneratorOptions g{flags.episodes, mix.violations, 20261202};
    g.max_diagnoses = 6;
    g.max_procedures = 5;
    g.max_procedure_codes = 5;
    g.generic = 0.05;
    g.generic_codes = bench::GenericCodesNearRecommendations(**guidance, **catalog);
    auto written = bench::WriteEpisodes(**catalog, g, f);
    std::fclose(f);
    std::vector<double> times;
    Result<ValidateSummary> summary = ValidateSummary{};
    std::size_t alarms = 0;
    for (int r = 0; r < std::max(1, flags.repeat); ++r) {
      std::string out = in + ".findings.csv";
      std::FILE* fo = std::fopen(out.c_str(), "wb");
      CsvFileSink sink(fo);
      auto t0 = Clock::now();
      summary = ValidateFile(in, validator, &sink, {});
      std::fclose(fo);
      times.push_back(Seconds(Clock::now() - t0));
      alarms = sink.alarms();
      std::remove(out.c_str());
      if (!summary.ok()) {
        fmt::print(stderr, "validate-uk failed: {}\n", summary.status().message());
        std::exit(1);
      }
    }
    double s = Percentile(times, 0.5);
    fmt::print("  {}: {} episodes, {} findings ({} errors, {} warnings, {} infos), {} episodes with errors\n", mix.name,
               summary->episodes_checked, summary->findings, summary->per_severity["error"],
               summary->per_severity["warning"], summary->per_severity["info"], summary->episodes_with_errors);
    fmt::print("    CSV in -> findings CSV out: {:.2f} s median of {}, {:.0f} episodes/s; peak memory {:.1f} MB\n", s,
               times.size(), static_cast<double>(summary->episodes_checked) / s, PeakRssKb() / 1024.0);
    fmt::print("    false alarms: {} of {} clean episodes with a generic main code\n", alarms, written.generic);
    // CLINCODE_BENCH_KEEP=1 keeps the files, to profile `clincode validate` on them alone.
    if (std::getenv("CLINCODE_BENCH_KEEP") == nullptr) {
      std::remove(in.c_str());
    } else {
      std::string kept = fmt::format("/tmp/clincode-bench-uk-{:.0f}.csv", mix.violations * 100);
      std::rename(in.c_str(), kept.c_str());
      fmt::print("    kept: {}\n", kept);
    }
  }
  if (std::getenv("CLINCODE_BENCH_KEEP") != nullptr) return;
  std::remove(opcs_path.c_str());
  std::remove(icd_path.c_str());
}

void RunValidate(std::shared_ptr<const Catalog> catalog, const Flags& flags) {
  ValidateOnce(catalog, flags.episodes, flags.peer);
  if (flags.scaling) ValidateOnce(catalog, flags.episodes * 10, false);
}

// The notes of the evaluation kit: the `note:` lines of tests/cases/*.yaml (double-quoted scalars).
std::vector<std::string> KitNotes() {
  std::vector<std::string> notes;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(CLINCODE_SOURCE_DIR) + "/tests/cases")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    for (std::string line; std::getline(in, line);) {
      std::size_t at = line.find("note: \"");
      if (at == std::string::npos || line.back() != '"') continue;
      notes.push_back(line.substr(at + 7, line.size() - at - 8));
    }
  }
  return notes;
}

void CodeNotes(std::shared_ptr<const Catalog> catalog, const std::string& label, int repeat) {
  auto rules = RuleSet::Load({});
  auto guidance = GuidanceLibrary::Load({});
  auto validator = std::make_shared<const Validator>(catalog, *rules, *guidance);
  auto t_build = Clock::now();
  CodingAssistant assistant(catalog, *guidance, validator);
  double build_ms = Seconds(Clock::now() - t_build) * 1e3;
  auto notes = KitNotes();
  std::vector<double> micros;
  std::size_t coded = 0;
  for (int r = 0; r < repeat; ++r) {
    for (const auto& note : notes) {
      auto t0 = Clock::now();
      auto result = assistant.Code({.text = note});
      micros.push_back(Seconds(Clock::now() - t0) * 1e6);
      coded += result.ok() ? 1 : 0;
    }
  }
  fmt::print("code ({}): {} notes x {} rounds ({} coded, the rest no fit); assistant built in {:.1f} ms\n", label,
             notes.size(), repeat, coded / static_cast<std::size_t>(repeat), build_ms);
  fmt::print("  per note: median {:.1f} us, p99 {:.1f} us, max {:.1f} us (target: median < 200 us)\n",
             Percentile(micros, 0.5), Percentile(micros, 0.99), Percentile(micros, 1.0));
}

// The dev kit's notes (../shared/nice-dev/coder_cases.json), each with the text of its recommendation.
struct DevCase {
  std::string note, text, source;
};
std::vector<DevCase> DevCases() {
  const std::string dir = std::string(CLINCODE_SOURCE_DIR) + "/../shared/nice-dev";
  std::ifstream in(dir + "/coder_cases.json");
  std::vector<DevCase> out;
  if (!in) return out;
  nlohmann::json kit = nlohmann::json::parse(in, nullptr, false);
  if (kit.is_discarded() || !kit.contains("cases")) return out;
  for (const auto& c : kit["cases"]) {
    std::ifstream t(dir + "/" + c.value("guidance", ""));
    std::stringstream text;
    text << t.rdbuf();
    out.push_back({c.value("text", ""), text.str(), c.value("guidance", "")});
  }
  return out;
}

void CodeOnTheFly(std::shared_ptr<const Catalog> catalog, int repeat) {
  auto cases = DevCases();
  if (cases.empty()) {
    fmt::print("code on the fly: ../shared/nice-dev not found, skipped\n");
    return;
  }
  auto rules = RuleSet::Load({});
  auto guidance = GuidanceLibrary::Load({});
  auto validator = std::make_shared<const Validator>(catalog, *rules, *guidance);
  CodingAssistant assistant(catalog, *guidance, validator);
  std::vector<Recommendation> read_once;
  for (const auto& c : cases) read_once.push_back(*ReadRecommendationText(c.text, {c.source, catalog.get()}));
  std::vector<double> fly, once;
  std::size_t coded = 0;
  for (int r = 0; r < repeat; ++r) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      auto t0 = Clock::now();
      auto rec = ReadRecommendationText(cases[i].text, {cases[i].source, catalog.get()});
      auto result = rec.ok() ? assistant.Code({.text = cases[i].note, .recommendation = std::move(rec).value()})
                             : Result<CodingResult>(rec.status());
      fly.push_back(Seconds(Clock::now() - t0) * 1e6);
      coded += result.ok() ? 1 : 0;
      auto t1 = Clock::now();
      CodingRequest request{.text = cases[i].note, .recommendation = read_once[i]};
      auto again = assistant.Code(request);
      once.push_back(Seconds(Clock::now() - t1) * 1e6);
    }
  }
  fmt::print("code on the fly (dev kit, {}): {} notes x {} rounds ({} coded)\n", catalog->releases().front()->Name(),
             cases.size(), repeat, coded / static_cast<std::size_t>(repeat));
  fmt::print("  text read + note coded: median {:.1f} us, p99 {:.1f} us, max {:.1f} us (target: median < 500 us)\n",
             Percentile(fly, 0.5), Percentile(fly, 0.99), Percentile(fly, 1.0));
  fmt::print("  note coded, text read once: median {:.1f} us, p99 {:.1f} us (copying the recommendation included)\n",
             Percentile(once, 0.5), Percentile(once, 0.99));
}

void RunCode(std::shared_ptr<const Catalog> catalog, const Flags& flags) {
  CodeNotes(Catalog::Starter(), "built-in starter data", flags.repeat * 20);
  CodeOnTheFly(catalog, flags.repeat * 4);
  if (catalog->releases().size() > Catalog::Starter()->releases().size() ||
      !catalog->releases().front()->info().builtin) {
    CodeNotes(catalog, "the loaded open releases", flags.repeat * 20);
  }
}

void RunMatch(std::shared_ptr<const Catalog> catalog, const Flags& flags) {
  std::string in = fmt::format("/tmp/clincode-bench-match-{}.csv", flags.episodes);
  std::FILE* f = std::fopen(in.c_str(), "wb");
  bench::WriteEpisodes(*catalog, {flags.episodes, 0.1, 20261121}, f);
  std::fclose(f);
  auto rules = RuleSet::Load({});
  auto guidance = GuidanceLibrary::Load({});
  Validator validator(catalog, *rules, *guidance);
  auto matcher = GuidanceMatcher::Create(*guidance, rules->get(), {});
  std::vector<double> match_s, validate_s;
  Result<MatchSummary> summary = MatchSummary{};
  for (int r = 0; r < std::max(1, flags.repeat / 2); ++r) {
    auto t0 = Clock::now();
    auto v = ValidateFile(in, validator, nullptr, {});
    validate_s.push_back(Seconds(Clock::now() - t0));
    t0 = Clock::now();
    summary = MatchFile(in, **matcher, nullptr, {});
    match_s.push_back(Seconds(Clock::now() - t0));
    if (!v.ok() || !summary.ok()) {
      fmt::print(stderr, "match workload failed\n");
      std::exit(1);
    }
  }
  double m = Percentile(match_s, 0.5), v = Percentile(validate_s, 0.5);
  fmt::print("match: {} episodes, {} matched a recommendation\n", summary->episodes, summary->episodes_matched);
  for (const auto& [id, c] : summary->per_guidance) {
    fmt::print("    {:<8} matched {:>7}  full {:>7}  partial {:>7}  none {:>7}\n", id, c.matched, c.full, c.partial,
               c.none);
  }
  fmt::print(
      "  match {:.2f} s ({:.0f} episodes/s) vs validate {:.2f} s ({:.0f} episodes/s) on the same file: "
      "match takes {:.2f}x the validator's time\n",
      m, static_cast<double>(summary->episodes) / m, v, static_cast<double>(summary->episodes) / v, m / v);
  std::remove(in.c_str());
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--workload=", 0) == 0) {
      f.workloads.clear();
      std::string list = a.substr(11);
      for (std::size_t pos = 0; pos <= list.size();) {
        std::size_t comma = list.find(',', pos);
        if (comma == std::string::npos) comma = list.size();
        f.workloads.push_back(list.substr(pos, comma - pos));
        pos = comma + 1;
      }
    } else if (a.rfind("--data=", 0) == 0) {
      f.data = a.substr(7);
    } else if (a.rfind("--episodes=", 0) == 0) {
      f.episodes = static_cast<std::size_t>(std::atoll(a.c_str() + 11));
    } else if (a == "--no-peer") {
      f.peer = false;
    } else if (a == "--scaling") {
      f.scaling = true;
    } else if (a.rfind("--repeat=", 0) == 0) {
      f.repeat = std::max(1, std::atoi(a.c_str() + 9));
    } else {
      fmt::print(
          stderr,
          "usage: clincode_bench [--workload=load,lookup,search,validate,validate-uk,code,match,audit] [--data=DIR] "
          "[--repeat=N] "
          "[--episodes=N] [--scaling] [--no-peer]\n");
      std::exit(2);
    }
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags = ParseFlags(argc, argv);
  auto files = bench::OpenReleaseFiles(flags.data);
  if (files.empty()) {
    fmt::print("../shared/data not found: measuring the built-in starter data only (figures are not comparable)\n");
  }
  std::shared_ptr<const Catalog> catalog;
  for (const auto& w : flags.workloads) {
    if (w == "load") {
      RunLoad(files, flags);
      continue;
    }
    if (!catalog) catalog = LoadOnce(files);
    if (w == "validate")
      RunValidate(catalog, flags);
    else if (w == "validate-uk")
      RunValidateUk(catalog, flags);
    else if (w == "code")
      RunCode(catalog, flags);
    else if (w == "match")
      RunMatch(catalog, flags);
    else if (w == "audit")
      bench::RunAuditWorkload(catalog, {flags.episodes, flags.repeat, flags.peer});
    else if (w == "lookup")
      RunLookup(*catalog);
    else if (w == "search")
      RunSearch(catalog);
    else {
      fmt::print(stderr, "unknown workload {}\n", w);
      return 2;
    }
  }
  return 0;
}
