// clincode._clincode: the bindings, kept thin. Each call uses the library exactly as the CLI does and answers
// in the JSON shapes the CLI and the server share (apps/shared), or as the CLI's CSV; the Python layer
// (clincode/__init__.py) turns them into dataclasses and DataFrames. Files of episodes cross as CSV text in an
// in-memory file (memfd), through the same streaming validator, matcher and audit the CLI runs. Every call
// that works releases the GIL, so Python threads run calls at once; an Engine is immutable and shared.
#include <fcntl.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit_json.h"
#include "clincode/assistant.h"
#include "clincode/audit.h"
#include "clincode/catalog.h"
#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "clincode/matcher.h"
#include "clincode/search.h"
#include "clincode/validate_stream.h"
#include "clincode/validator.h"
#include "code_lookup.h"
#include "coding_json.h"
#include "findings_json.h"
#include "json_output.h"
#include "line_sink.h"

namespace py = pybind11;

namespace clincode::python {
namespace {

// A failed call: raised in Python as clincode.Error with the message the CLI prints; `usage` for a bad
// argument (ValueError), else a failure to read or load (RuntimeError).
struct Failure : std::runtime_error {
  Failure(const Status& s) : std::runtime_error(s.message()), usage(s.code() == StatusCode::kInvalidArgument) {}
  bool usage;
};

template <typename T>
T Take(Result<T> r) {
  if (!r.ok()) throw Failure(r.status());
  return std::move(r).value();
}

// Text as a file the library can open by path: an anonymous in-memory file, gone with the object.
class MemoryFile {
 public:
  explicit MemoryFile(const std::string& text) {
    fd_ = ::memfd_create("clincode-input", MFD_CLOEXEC);
    if (fd_ < 0) throw Failure(IoError("cannot make an in-memory file"));
    for (std::size_t done = 0; done < text.size();) {
      ssize_t w = ::write(fd_, text.data() + done, text.size() - done);
      if (w <= 0) throw Failure(IoError("cannot write an in-memory file"));
      done += static_cast<std::size_t>(w);
    }
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_ = -1;
};

// What a batch command wrote, gathered: the CLI's CSV, header first.
template <typename Sink, typename Item>
struct Gathered {
  Gathered(typename shapes::LineSink<Sink, Item>::Lines lines, const char* header)
      : text(std::string(header) + "\n"), sink(lines, true, [this](std::string_view t) {
          text.append(t);
          return true;
        }) {}
  std::string text;
  shapes::LineSink<Sink, Item> sink;
};

std::optional<CodeSystem> SystemOf(const std::string& name) {
  if (name.empty() || name == "any" || name == "all") return std::nullopt;
  return Take(ParseCodeSystem(name));
}

// Everything one clincode.Catalog(...) loads: the releases (format detected, starter data for the systems
// without a file, as in the CLI), the rules, the guidance library, the validator; the search index on first use.
class Engine {
 public:
  Engine(const std::vector<std::string>& releases, bool starter, const std::vector<std::string>& guidance_dirs,
         const std::vector<std::string>& rules_dirs) {
    CatalogOptions c;
    c.release_paths = releases;
    c.starter_for_missing_systems = starter;
    catalog_ = Take(Catalog::Load(c));
    GuidanceLibraryOptions g;
    g.dirs = guidance_dirs;
    guidance_ = Take(GuidanceLibrary::Load(g));
    RuleSetOptions r;
    r.dirs = rules_dirs;
    rules_ = Take(RuleSet::Load(r));
    validator_ = std::make_shared<const Validator>(catalog_, rules_, guidance_);
  }

  std::string Systems() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : catalog_->releases()) out.push_back(shapes::ReleaseJson(*r));
    return shapes::Dump(out);
  }

  // `lookup --json`'s shape, for one input.
  std::string Lookup(const std::string& input, const std::string& system) const {
    auto found = Take(shapes::LookupCodeOrPattern(*catalog_, input, SystemOf(system)));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& h : found.hits) {
      nlohmann::json j = shapes::CodeJson(*h.release, h.id);
      j["input"] = input;
      if (!found.pattern.empty()) j["pattern"] = found.pattern;
      out.push_back(std::move(j));
    }
    return shapes::Dump(out);
  }

  std::string Search(const std::string& query, const std::string& system, std::size_t limit, bool all_systems,
                     bool typos) const {
    if (query.find_first_not_of(" \t\r\n") == std::string::npos)
      throw Failure(InvalidArgument("search needs words or a code: search(\"heart failure\")"));
    std::call_once(search_once_, [this] { search_ = SearchIndex::Build(catalog_); });
    SearchOptions o;
    o.system = SystemOf(system);
    o.all_systems = all_systems || system == "all";
    o.limit = limit;
    o.typo_tolerance = typos;
    return shapes::SearchHitsJson(Take(search_->Search(query, o)));
  }

  std::string Check(const std::string& id, const std::vector<std::string>& procedures,
                    const std::vector<std::string>& diagnoses, int sex, int age, const std::string& date) const {
    if (procedures.empty() && diagnoses.empty())
      throw Failure(InvalidArgument("check needs codes: procedures=[...] and/or diagnoses=[...]"));
    Episode ep;
    ep.id = id;
    if (!IsSexCode(sex)) throw Failure(InvalidArgument("sex must be 0, 1, 2 or 9 (HES SEX)"));
    ep.sex = sex;
    ep.age = age;
    (IsEpisodeDate(date) ? ep.start_date : ep.invalid_start_date) = date;
    SetProcedures(procedures, &ep);
    SetDiagnoses(diagnoses, &ep);
    std::vector<Finding> findings;
    validator_->Check(ep, &findings);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : findings) list.push_back(shapes::FindingJson(f));
    return shapes::Dump(nlohmann::json{{"findings", list}, {"notices", validator_->notices()}});
  }

  // The findings as `validate --out x.csv` writes them (header first) and the summary JSON.
  std::pair<std::string, std::string> ValidateText(const std::string& csv, unsigned threads) const {
    MemoryFile in(csv);
    Gathered<FindingSink, Finding> out(shapes::FindingLines, shapes::kFindingCsvHeader);
    ValidateOptions o;
    o.threads = threads;
    o.source_name = "DataFrame";
    auto summary = Take(ValidateFile(in.path(), *validator_, &out.sink, o));
    return {std::move(out.text), SummaryJson(summary)};
  }

  std::pair<std::string, std::string> MatchText_(const std::string& csv, unsigned threads) const {
    MemoryFile in(csv);
    std::call_once(matcher_once_, [this] { matcher_ = Take(GuidanceMatcher::Create(guidance_, rules_.get(), {})); });
    Gathered<MatchSink, EpisodeMatches> out(shapes::MatchLines, shapes::kMatchCsvHeader);
    ValidateOptions o;
    o.threads = threads;
    o.source_name = "DataFrame";
    auto summary = Take(MatchFile(in.path(), *matcher_, &out.sink, o));
    return {std::move(out.text), MatchSummaryJson(summary)};
  }

  std::string Code(const std::string& text, const std::string& guidance, const std::vector<std::string>& facts,
                   const std::string& guidance_text, const std::string& system) const {
    CodingRequest request;
    request.text = text;
    request.facts = facts;
    request.guidance_id = guidance;
    if (!system.empty()) {
      auto s = Take(ParseCodeSystem(system));
      if (s != CodeSystem::kOpcs4 && s != CodeSystem::kCpt)
        throw Failure(InvalidArgument("system \"" + system + "\": expected opcs4 or cpt"));
      request.system = s;
    }
    if (!guidance_text.empty())
      request.recommendation = Take(ReadRecommendationText(guidance_text, {"guidance_text", catalog_.get()}));
    CodingAssistant assistant(catalog_, guidance_, validator_);
    return shapes::Dump(shapes::CodingResultJson(Take(assistant.Code(request))));
  }

  // The errors as `audit --out x.csv` writes them (header first), the summary JSON and the HTML report.
  std::tuple<std::string, std::string, std::string> Audit(const std::string& original, const std::string& audited,
                                                          const std::string& key, const std::string& profile_id,
                                                          unsigned threads) const {
    const AttainmentProfile* profile = nullptr;
    auto profiles = Take(LoadAttainmentProfiles());
    for (const auto& p : profiles) {
      if (p.id == profile_id) profile = &p;
    }
    if (profile == nullptr) throw Failure(InvalidArgument("profile \"" + profile_id + "\" is not one of igt, dspt"));
    MemoryFile o(original), a(audited);
    Gathered<AuditSink, AuditError> out(shapes::AuditErrorLines, shapes::kAuditErrorCsvHeader);
    AuditOptions options;
    options.key = key;
    options.profile = profile_id;
    options.threads = threads;
    options.original_name = "original";
    options.audited_name = "audited";
    auto summary = Take(AuditFiles(o.path(), a.path(), *validator_, &out.sink, options));
    return {std::move(out.text), AuditSummaryJson(summary, *profile), AuditHtmlReport(summary, *profile)};
  }

 private:
  std::shared_ptr<const Catalog> catalog_;
  std::shared_ptr<const GuidanceLibrary> guidance_;
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const Validator> validator_;
  mutable std::once_flag search_once_, matcher_once_;
  mutable std::unique_ptr<SearchIndex> search_;
  mutable std::shared_ptr<const GuidanceMatcher> matcher_;
};

}  // namespace
}  // namespace clincode::python

PYBIND11_MODULE(_clincode, m) {
  using clincode::python::Engine;
  using clincode::python::Failure;
  m.doc() = "clincode's C++ engine; use the clincode package, not this module";
  static py::exception<Failure> error(m, "Error", PyExc_RuntimeError);
  static py::exception<Failure> usage(m, "UsageError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Failure& f) {
      PyErr_SetString(f.usage ? usage.ptr() : error.ptr(), f.what());
    }
  });
  const auto release = py::call_guard<py::gil_scoped_release>();
  py::class_<Engine, std::shared_ptr<Engine>>(m, "Engine")
      .def(py::init<const std::vector<std::string>&, bool, const std::vector<std::string>&,
                    const std::vector<std::string>&>(),
           py::arg("releases"), py::arg("starter"), py::arg("guidance_dirs"), py::arg("rules_dirs"), release)
      .def("systems", &Engine::Systems, release)
      .def("lookup", &Engine::Lookup, py::arg("code"), py::arg("system"), release)
      .def("search", &Engine::Search, py::arg("query"), py::arg("system"), py::arg("limit"), py::arg("all_systems"),
           py::arg("typos"), release)
      .def("check", &Engine::Check, py::arg("id"), py::arg("procedures"), py::arg("diagnoses"), py::arg("sex"),
           py::arg("age"), py::arg("date"), release)
      .def("validate_text", &Engine::ValidateText, py::arg("csv"), py::arg("threads"), release)
      .def("match_text", &Engine::MatchText_, py::arg("csv"), py::arg("threads"), release)
      .def("code", &Engine::Code, py::arg("text"), py::arg("guidance"), py::arg("facts"), py::arg("guidance_text"),
           py::arg("system"), release)
      .def("audit_text", &Engine::Audit, py::arg("original"), py::arg("audited"), py::arg("key"), py::arg("profile"),
           py::arg("threads"), release);
}
