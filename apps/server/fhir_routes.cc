#include "fhir_routes.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <random>

#include "fhir_systems.h"
#include "json_output.h"
#include "value_sets.h"

namespace clincode::server {
namespace {

using nlohmann::json;

// An expansion page is at most this many codes: enough for any recommendation or subtree a coder browses,
// small enough (about 1 MB of JSON) that one request cannot hold a worker for long. `offset` pages on.
constexpr std::size_t kMaxExpansionCount = 10000;
constexpr std::size_t kDefaultExpansionCount = 1000;

struct Located {
  const Release* release;
  std::uint32_t id;
};

// An operation's failure: an HTTP status and an OperationOutcome issue.
struct Failure {
  int status;
  std::string code;  // OperationOutcome issue code: invalid, required, not-found, not-supported
  std::string message;
  ApiResponse Response() const { return Outcome(status, code, message); }
};

template <typename T>
using Either = std::variant<T, Failure>;

std::string Now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Uuid() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return fmt::format("urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48,
                     b & 0xffffffffffffULL);
}

json Param(std::string_view name, std::string_view type, json value) {
  return {{"name", name}, {"value" + std::string(type), std::move(value)}};
}

json Property(std::string_view code, std::string_view type, json value) {
  return {{"name", "property"}, {"part", {Param("code", "Code", code), Param("value", type, std::move(value))}}};
}

std::string LoadedSystems(const Catalog& catalog) {
  std::string out;
  for (const auto& r : catalog.releases()) out += (out.empty() ? "" : ", ") + CanonicalUri(*r) + "|" + FhirVersion(*r);
  return out;
}

// The system and code of a request: `system`/`url` and `code`, or a `coding` (`prefix` for codingA/B).
Either<Located> FindCode(const Engine& engine, const FhirParams& p, const std::string& system_param,
                         const std::string& code_param, const std::string& coding_param) {
  std::string system = p.Get(system_param), code = p.Get(code_param), version = p.Get("version");
  if (system.empty()) system = p.Get(coding_param + ".system");
  if (code.empty()) code = p.Get(coding_param + ".code");
  if (version.empty()) version = p.Get(coding_param + ".version");
  if (code.empty())
    return Failure{400, "required", "parameter \"" + code_param + "\" (or " + coding_param + ") is required"};
  if (system.empty())
    return Failure{400, "required", "parameter \"" + system_param + "\" (the code system URI) is required"};
  auto releases = ReleasesFor(engine.catalog(), system, version);
  if (releases.empty()) {
    std::string what = KnownSystemUri(system) ? "is not loaded" : "is not a code system clincode knows";
    return Failure{
        404, "not-found",
        fmt::format("code system \"{}\"{} {} (loaded: {})", system,
                    version.empty() ? "" : " version \"" + version + "\"", what, LoadedSystems(engine.catalog()))};
  }
  for (const Release* r : releases) {
    auto id = r->Lookup(code);
    if (id.ok()) return Located{r, *id};
  }
  return Failure{404, "not-found", fmt::format("code \"{}\" is not in {}", code, releases.front()->Name())};
}

// CodeSystem/$lookup: name, version, display, and the properties parent, child, inactive, kind, cds and the
// release's flags and notes (all, or those asked for with `property`).
ApiResponse Lookup(const Engine& engine, const FhirParams& p) {
  auto found = FindCode(engine, p, "system", "code", "coding");
  if (auto* f = std::get_if<Failure>(&found)) return f->Response();
  auto [release, id] = std::get<Located>(found);
  const CodeEntry& e = release->at(id);
  std::vector<std::string> wanted = p.GetAll("property");
  auto want = [&](std::string_view name) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end();
  };
  json params = json::array({Param("name", "String", CodeSystemName(release->system())),
                             Param("version", "String", FhirVersion(*release)), Param("display", "String", e.title)});
  if (want("parent") && e.parent != Release::kNone)
    params.push_back(Property("parent", "Code", release->at(e.parent).code));
  if (want("child")) {
    for (std::uint32_t c : release->Children(id)) params.push_back(Property("child", "Code", release->at(c).code));
  }
  if (want("inactive")) params.push_back(Property("inactive", "Boolean", e.flags.retired));
  json code = shapes::CodeJson(*release, id);
  if (want("kind")) params.push_back(Property("kind", "Code", code["kind"]));
  if (want("cds") && code["cds"].is_string()) params.push_back(Property("cds", "String", code["cds"]));
  for (auto& [k, v] : code["flags"].items()) {
    if (!want(k) || v.is_null()) continue;
    if (v.is_array()) {  // one property for each value: asterisk_partners
      for (const json& each : v) params.push_back(Property(k, "Code", each));
      continue;
    }
    params.push_back(Property(k, v.is_boolean() ? "Boolean" : v.is_number_integer() ? "Integer" : "String", v));
  }
  for (const json& n : code["notes"]) {
    if (want(n["kind"].get<std::string>()))
      params.push_back(Property(n["kind"].get<std::string>(), "String", n["text"]));
  }
  return FhirResource({{"resourceType", "Parameters"}, {"parameter", params}});
}

json ValidationResult(bool result, const std::string& message, const std::string& display) {
  json params = json::array({Param("result", "Boolean", result)});
  if (!message.empty()) params.push_back(Param("message", "String", message));
  if (!display.empty()) params.push_back(Param("display", "String", display));
  return {{"resourceType", "Parameters"}, {"parameter", params}};
}

// The display given matches the title (case and spacing aside); empty when it does, else the message.
std::string DisplayProblem(const FhirParams& p, const std::string& prefix, const CodeEntry& e) {
  std::string display = p.Get("display");
  if (display.empty()) display = p.Get(prefix + ".display");
  if (display.empty()) return {};
  auto fold = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
  };
  if (fold(display) == fold(e.title)) return {};
  return fmt::format("display \"{}\" is not the title of {}: \"{}\"", display, e.code, e.title);
}

ApiResponse ValidateCodeInSystem(const Engine& engine, const FhirParams& p) {
  FhirParams q = p;
  if (!q.Has("url") && q.Has("system")) q.Set("url", q.Get("system"));
  auto found = FindCode(engine, q, "url", "code", "coding");
  if (auto* f = std::get_if<Failure>(&found)) {
    if (f->status == 404 && f->message.starts_with("code \""))
      return FhirResource(ValidationResult(false, f->message, ""));
    return f->Response();
  }
  auto [release, id] = std::get<Located>(found);
  const CodeEntry& e = release->at(id);
  std::string problem = DisplayProblem(p, "coding", e);
  return FhirResource(ValidationResult(problem.empty(), problem, e.title));
}

Either<std::size_t> Number(const FhirParams& p, const std::string& name, std::size_t fallback) {
  if (!p.Has(name)) return fallback;
  std::string s = p.Get(name);
  std::size_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size())
    return Failure{400, "invalid", fmt::format("parameter \"{}\" must be a non-negative integer, not \"{}\"", name, s)};
  return value;
}

class FhirService {
 public:
  explicit FhirService(std::shared_ptr<const Engine> engine)
      : engine_(std::move(engine)), guidance_sets_(GuidanceValueSets(*engine_)) {}

  ApiResponse Expand(const FhirParams& p, std::string_view instance_id) const {
    std::string url = instance_id.empty() ? p.Get("url") : std::string(instance_id);
    if (url.empty()) return Outcome(400, "required", "parameter \"url\" (the value set) is required");
    auto vs = ResolveValueSet(*engine_, guidance_sets_, url, p.Get("system-version"));
    if (!vs.ok())
      return Outcome(vs.status().HttpStatus(), vs.status().code() == StatusCode::kNotFound ? "not-found" : "invalid",
                     vs.status().message());
    auto offset = Number(p, "offset", 0);
    auto count = Number(p, "count", kDefaultExpansionCount);
    if (auto* f = std::get_if<Failure>(&offset)) return f->Response();
    if (auto* f = std::get_if<Failure>(&count)) return f->Response();
    std::size_t n = std::get<std::size_t>(count), from = std::get<std::size_t>(offset);
    if (n > kMaxExpansionCount)
      return Outcome(400, "too-costly",
                     fmt::format("count {} is over the page limit {}; page with offset", n, kMaxExpansionCount));
    std::string filter = p.Get("filter");
    ExpansionPage page = ExpandValueSet(*vs, filter, from, n);
    const Release& r = *vs->release;
    json contains = json::array();
    for (std::uint32_t id : page.page) {
      json c = {{"system", CanonicalUri(r)},
                {"version", FhirVersion(r)},
                {"code", r.at(id).code},
                {"display", r.at(id).title}};
      if (!r.at(id).flags.selectable) c["abstract"] = true;
      contains.push_back(std::move(c));
    }
    json parameter = json::array({Param("offset", "Integer", from), Param("count", "Integer", n),
                                  Param("version", "Uri", CanonicalUri(r) + "|" + FhirVersion(r))});
    if (!filter.empty()) parameter.push_back(Param("filter", "String", filter));
    json out = {{"resourceType", "ValueSet"},
                {"url", vs->url},
                {"title", vs->title},
                {"status", "active"},
                {"expansion",
                 {{"identifier", Uuid()},
                  {"timestamp", Now()},
                  {"total", page.total},
                  {"offset", from},
                  {"parameter", parameter},
                  {"contains", contains}}}};
    if (!vs->id.empty()) out["id"] = vs->id;
    return FhirResource(out);
  }

  ApiResponse ValidateCodeInValueSet(const FhirParams& p) const {
    std::string url = p.Get("url");
    if (url.empty()) return Outcome(400, "required", "parameter \"url\" (the value set) is required");
    auto vs = ResolveValueSet(*engine_, guidance_sets_, url, p.Get("system-version"));
    if (!vs.ok()) return Outcome(vs.status().HttpStatus(), "not-found", vs.status().message());
    FhirParams q = p;
    if (!q.Has("system") && !q.Has("coding.system")) q.Set("system", CanonicalUri(*vs->release));
    auto found = FindCode(*engine_, q, "system", "code", "coding");
    if (auto* f = std::get_if<Failure>(&found)) {
      if (f->status == 404) return FhirResource(ValidationResult(false, f->message, ""));
      return f->Response();
    }
    auto [release, id] = std::get<Located>(found);
    const CodeEntry& e = release->at(id);
    if (release != vs->release || !ValueSetContains(*vs, id))
      return FhirResource(
          ValidationResult(false, fmt::format("{} is not in the value set {}", e.code, vs->url), e.title));
    if (!e.flags.selectable)
      return FhirResource(ValidationResult(
          false, fmt::format("{} is in {} but is a heading: a code under it is needed", e.code, vs->url), e.title));
    std::string problem = DisplayProblem(p, "coding", e);
    return FhirResource(ValidationResult(problem.empty(), problem, e.title));
  }

  ApiResponse ValueSets() const {
    json entries = json::array();
    for (const ValueSetRef& vs : guidance_sets_) {
      entries.push_back({{"fullUrl", vs.url},
                         {"resource",
                          {{"resourceType", "ValueSet"},
                           {"id", vs.id},
                           {"url", vs.url},
                           {"title", vs.title},
                           {"status", "active"},
                           {"compose", {{"include", {{{"system", CanonicalUri(*vs.release)}}}}}}}}});
    }
    return FhirResource(
        {{"resourceType", "Bundle"}, {"type", "searchset"}, {"total", entries.size()}, {"entry", entries}});
  }

  const Engine& engine() const { return *engine_; }

 private:
  std::shared_ptr<const Engine> engine_;
  std::vector<ValueSetRef> guidance_sets_;
};

ApiResponse Subsumes(const Engine& engine, const FhirParams& p) {
  FhirParams q = p;
  auto a = FindCode(engine, q, "system", "codeA", "codingA");
  if (auto* f = std::get_if<Failure>(&a)) return f->Response();
  auto b = FindCode(engine, q, "system", "codeB", "codingB");
  if (auto* f = std::get_if<Failure>(&b)) return f->Response();
  Located la = std::get<Located>(a), lb = std::get<Located>(b);
  if (la.release != lb.release)
    return Outcome(400, "invalid", "codeA and codeB are not of the same code system release");
  std::string outcome = la.id == lb.id                        ? "equivalent"
                        : la.release->InSubtree(lb.id, la.id) ? "subsumes"
                        : la.release->InSubtree(la.id, lb.id) ? "subsumed-by"
                                                              : "not-subsumed";
  return FhirResource({{"resourceType", "Parameters"}, {"parameter", {Param("outcome", "Code", outcome)}}});
}

// The URI of the first loaded release of `system` (a map's systems are loaded: the map was made from them).
std::string SystemUri(const Catalog& catalog, CodeSystem system) {
  auto releases = catalog.ReleasesOf(system);
  return releases.empty() ? std::string() : CanonicalUri(*releases.front());
}

std::string_view Inverse(std::string_view equivalence) {
  if (equivalence == "wider") return "narrower";
  if (equivalence == "narrower") return "wider";
  if (equivalence == "subsumes") return "specializes";
  if (equivalence == "specializes") return "subsumes";
  return equivalence;
}

// ConceptMap/$translate over the CPT-to-OPCS-4 maps, forwards (a CPT code) or back (an OPCS-4 code, or
// reverse=true).
ApiResponse Translate(const Engine& engine, const FhirParams& p) {
  std::string system = p.Has("system") ? p.Get("system") : p.Get("coding.system");
  std::string code = p.Has("code") ? p.Get("code") : p.Get("coding.code");
  std::string url = p.Get("url"), target = p.Get("targetsystem");
  if (code.empty() || system.empty())
    return Outcome(400, "required", "parameters \"code\" and \"system\" (or \"coding\") are required");
  if (!KnownSystemUri(system)) return Outcome(404, "not-found", fmt::format("code system \"{}\" is not known", system));
  bool reverse = p.Get("reverse") == "true";
  json matches = json::array();
  bool map_applies = false;
  for (const ConceptMapData& map : engine.concept_maps()) {
    if (!url.empty() && url != map.url) continue;
    auto src = ReleasesFor(engine.catalog(), system, "");
    bool from_source = !src.empty() && src.front()->system() == map.source_system;
    bool from_target = !src.empty() && src.front()->system() == map.target_system;
    bool forwards = from_source && !reverse;
    bool backwards = from_target || (from_source && reverse && map.source_system == map.target_system);
    if (!forwards && !backwards) continue;
    std::string out_uri = SystemUri(engine.catalog(), forwards ? map.target_system : map.source_system);
    if (!target.empty() && ReleasesFor(engine.catalog(), target, "").empty()) continue;
    map_applies = true;
    auto normal = src.front()->Lookup(code);
    std::string canonical = normal.ok() ? src.front()->at(*normal).code : code;
    for (const MapElement& el : map.elements) {
      for (const MapTarget& t : el.targets) {
        bool hit = forwards ? el.code == canonical : t.code == canonical;
        if (!hit) continue;
        json coding = forwards ? json{{"system", out_uri}, {"code", t.code}, {"display", t.display}}
                               : json{{"system", out_uri}, {"code", el.code}};
        json part =
            json::array({Param("equivalence", "Code", forwards ? t.equivalence : std::string(Inverse(t.equivalence))),
                         Param("concept", "Coding", coding), Param("source", "Uri", map.url)});
        matches.push_back({{"name", "match"}, {"part", part}});
      }
    }
  }
  if (!url.empty() && !map_applies) {
    bool exists = std::any_of(engine.concept_maps().begin(), engine.concept_maps().end(),
                              [&](const ConceptMapData& m) { return m.url == url; });
    if (!exists)
      return Outcome(404, "not-found", fmt::format("concept map \"{}\" is not known (GET /fhir/ConceptMap)", url));
  }
  json params = json::array({Param("result", "Boolean", !matches.empty())});
  if (matches.empty()) {
    params.push_back(Param("message", "String",
                           map_applies ? fmt::format("no mapping for {} in the concept maps", code)
                                       : fmt::format("no concept map translates from {}", system)));
  }
  for (json& m : matches) params.push_back(std::move(m));
  return FhirResource({{"resourceType", "Parameters"}, {"parameter", params}});
}

ApiResponse ConceptMaps(const Engine& engine) {
  json entries = json::array();
  for (const ConceptMapData& map : engine.concept_maps()) {
    json elements = json::array();
    for (const MapElement& el : map.elements) {
      json targets = json::array();
      for (const MapTarget& t : el.targets) {
        targets.push_back(
            {{"code", t.code}, {"display", t.display}, {"equivalence", t.equivalence}, {"comment", t.comment}});
      }
      elements.push_back({{"code", el.code}, {"display", el.display}, {"target", targets}});
    }
    json cm = {{"resourceType", "ConceptMap"},
               {"id", map.id},
               {"url", map.url},
               {"title", map.title},
               {"status", "active"},
               {"group",
                {{{"source", SystemUri(engine.catalog(), map.source_system)},
                  {"target", SystemUri(engine.catalog(), map.target_system)},
                  {"element", elements}}}}};
    entries.push_back({{"fullUrl", map.url}, {"resource", cm}});
  }
  return FhirResource(
      {{"resourceType", "Bundle"}, {"type", "searchset"}, {"total", entries.size()}, {"entry", entries}});
}

json Operation(std::string_view name, std::string_view definition) {
  return {{"name", name}, {"definition", "http://hl7.org/fhir/OperationDefinition/" + std::string(definition)}};
}

ApiResponse Metadata(const Engine& engine, const ApiRequest& req) {
  json software = {{"name", "clincode"}, {"version", engine.version()}};
  if (req.Query("mode") == "terminology") {
    json systems = json::array();
    for (const auto& r : engine.catalog().releases()) {
      systems.push_back({{"uri", CanonicalUri(*r)},
                         {"version", {{{"code", FhirVersion(*r)}, {"isDefault", true}}}},
                         {"subsumption", true}});
    }
    return FhirResource(
        {{"resourceType", "TerminologyCapabilities"},
         {"status", "active"},
         {"date", Now()},
         {"kind", "instance"},
         {"software", software},
         {"codeSystem", systems},
         {"expansion",
          {{"hierarchical", false},
           {"paging", true},
           {"textFilter", "Codes starting with the filter, or titles whose words start with each of its words"}}},
         {"codeSearch", "all"},
         {"validateCode", {{"translations", false}}},
         {"translation", {{"needsMap", true}}},
         {"closure", {{"translation", false}}}});
  }
  json resources = json::array(
      {{{"type", "CodeSystem"},
        {"interaction", {{{"code", "search-type"}}}},
        {"operation",
         {Operation("lookup", "CodeSystem-lookup"), Operation("validate-code", "CodeSystem-validate-code"),
          Operation("subsumes", "CodeSystem-subsumes")}}},
       {{"type", "ValueSet"},
        {"interaction", {{{"code", "search-type"}}}},
        {"operation", {Operation("expand", "ValueSet-expand"), Operation("validate-code", "ValueSet-validate-code")}}},
       {{"type", "ConceptMap"},
        {"interaction", {{{"code", "search-type"}}}},
        {"operation", {Operation("translate", "ConceptMap-translate")}}}});
  return FhirResource(
      {{"resourceType", "CapabilityStatement"},
       {"status", "active"},
       {"date", Now()},
       {"kind", "instance"},
       {"instantiates", {"http://hl7.org/fhir/CapabilityStatement/terminology-server"}},
       {"software", software},
       {"implementation", {{"description", "clincode terminology operations over the loaded releases"}}},
       {"fhirVersion", "4.0.1"},
       {"format", {"application/fhir+json", "json"}},
       {"rest", {{{"mode", "server"}, {"resource", resources}}}}});
}

ApiResponse CodeSystems(const Engine& engine) {
  json entries = json::array();
  for (const auto& r : engine.catalog().releases()) {
    json cs = {{"resourceType", "CodeSystem"}, {"url", CanonicalUri(*r)},
               {"version", FhirVersion(*r)},   {"name", std::string(CodeSystemName(r->system()))},
               {"title", r->Name()},           {"status", "active"},
               {"content", "not-present"},     {"hierarchyMeaning", "is-a"},
               {"count", r->counts().total()}};
    entries.push_back({{"fullUrl", CanonicalUri(*r)}, {"resource", cs}});
  }
  return FhirResource(
      {{"resourceType", "Bundle"}, {"type", "searchset"}, {"total", entries.size()}, {"entry", entries}});
}

// Wraps an operation: reads its parameters (query or Parameters body), answers 400 for a bad body.
Handler WithParams(std::function<ApiResponse(const FhirParams&, const ApiRequest&)> op) {
  return [op = std::move(op)](const ApiRequest& req) {
    auto params = FhirParams::Read(req);
    if (!params.ok()) return Outcome(400, "invalid", params.status().message());
    return op(*params, req);
  };
}

}  // namespace

void AddFhirRoutes(Router* router, std::shared_ptr<const Engine> engine) {
  auto fhir = std::make_shared<FhirService>(engine);
  const Engine* e = engine.get();
  router->Add({"GET", "/fhir/metadata", [fhir](const ApiRequest& r) { return Metadata(fhir->engine(), r); }, false,
               "CapabilityStatement (?mode=terminology: TerminologyCapabilities)"});
  router->Add({"GET", "/fhir/CodeSystem", [fhir](const ApiRequest&) { return CodeSystems(fhir->engine()); }, false,
               "The loaded code systems"});
  router->Add({"GET", "/fhir/ValueSet", [fhir](const ApiRequest&) { return fhir->ValueSets(); }, false,
               "The recommendations' value sets"});
  router->Add({"GET", "/fhir/ConceptMap", [fhir](const ApiRequest&) { return ConceptMaps(fhir->engine()); }, false,
               "The CPT-to-OPCS-4 concept maps"});
  struct Op {
    const char* path;
    std::function<ApiResponse(const FhirParams&, const ApiRequest&)> run;
    bool long_running = false;  // a page of up to kMaxExpansionCount codes
  };
  std::vector<Op> ops = {
      {"/fhir/CodeSystem/$lookup", [e](const FhirParams& p, const ApiRequest&) { return Lookup(*e, p); }},
      {"/fhir/CodeSystem/$validate-code",
       [e](const FhirParams& p, const ApiRequest&) { return ValidateCodeInSystem(*e, p); }},
      {"/fhir/CodeSystem/$subsumes", [e](const FhirParams& p, const ApiRequest&) { return Subsumes(*e, p); }},
      {"/fhir/ValueSet/$expand", [fhir](const FhirParams& p, const ApiRequest&) { return fhir->Expand(p, ""); }, true},
      {"/fhir/ValueSet/{id}/$expand",
       [fhir](const FhirParams& p, const ApiRequest& r) { return fhir->Expand(p, r.Capture("id")); }, true},
      {"/fhir/ValueSet/$validate-code",
       [fhir](const FhirParams& p, const ApiRequest&) { return fhir->ValidateCodeInValueSet(p); }},
      {"/fhir/ConceptMap/$translate", [e](const FhirParams& p, const ApiRequest&) { return Translate(*e, p); }},
  };
  for (const Op& op : ops) {
    router->Add({"GET", op.path, WithParams(op.run), false, "FHIR operation", op.long_running});
    router->Add({"POST", op.path, WithParams(op.run), false, "FHIR operation (Parameters body)", op.long_running});
  }
}

}  // namespace clincode::server
