#include "api_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "audit_json.h"
#include "clincode/audit.h"
#include "clincode/guidance_reader.h"
#include "clincode/validate_stream.h"
#include "code_lookup.h"
#include "coding_json.h"
#include "csv_field.h"
#include "fhir_systems.h"
#include "findings_json.h"
#include "guidance_json.h"
#include "json_output.h"
#include "line_sink.h"
#include "multipart.h"

namespace clincode::server {
namespace {

using nlohmann::json;

// The most results one search may ask for (the search index's own ceiling).
constexpr std::size_t kMaxSearchLimit = 1000;

ApiResponse Json(const json& body, int status = 200) {
  ApiResponse r;
  r.status = status;
  r.body = shapes::Dump(body);
  return r;
}

ApiResponse FromStatus(const Status& s, json detail = nullptr) {
  return ApiError(s.HttpStatus() == 500 ? 422 : s.HttpStatus(), s.message(), std::move(detail));
}

// A JSON object body; a message naming what is wrong otherwise.
Result<json> ObjectBody(const ApiRequest& req) {
  if (req.body.empty()) return InvalidArgument("the request body is empty: expected a JSON object");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) return InvalidArgument("the request body is not valid JSON");
  if (!body.is_object()) return InvalidArgument("the request body must be a JSON object");
  return body;
}

// body[key] as a string ("" when absent); fails naming the field when it is another type.
Result<std::string> StringField(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::string();
  if (!body[key].is_string()) return InvalidArgument(fmt::format("field \"{}\" must be a string", key));
  return body[key].get<std::string>();
}

// A list of codes: ["V44.4", "Y53.4"] or "V44.4 Y53.4" (spaces or commas).
Result<std::vector<std::string>> CodeList(const json& body, const char* key) {
  std::vector<std::string> out;
  if (!body.contains(key) || body[key].is_null()) return out;
  const json& v = body[key];
  if (v.is_string()) {
    std::string word;
    for (char c : v.get<std::string>() + " ") {
      if (c == ' ' || c == ',' || c == '\t' || c == '\n') {
        if (!word.empty()) out.push_back(std::move(word));
        word.clear();
      } else {
        word.push_back(c);
      }
    }
    return out;
  }
  if (!v.is_array()) return InvalidArgument(fmt::format("field \"{}\" must be an array of codes or a string", key));
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) return InvalidArgument(fmt::format("field \"{}[{}]\" must be a string", key, i));
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

Result<std::optional<CodeSystem>> SystemParam(std::string_view text) {
  if (text.empty() || text == "any") return std::optional<CodeSystem>();
  auto s = ParseCodeSystem(text);
  if (!s.ok()) return InvalidArgument(fmt::format("system \"{}\" is not one of opcs4, icd10, icd10cm, cpt", text));
  return std::optional<CodeSystem>(*s);
}

ApiResponse Version(const Engine& engine) {
  json releases = json::array();
  for (const auto& r : engine.catalog().releases()) {
    json j = shapes::ReleaseJson(*r);
    j["fhir_uri"] = CanonicalUri(*r);
    j["fhir_version"] = FhirVersion(*r);
    releases.push_back(std::move(j));
  }
  return Json({{"engine", "clincode"},
               {"version", engine.version()},
               {"releases", releases},
               {"notes", engine.catalog().notes()},
               {"notices", engine.validator().notices()},
               {"guidance", engine.guidance().all().size()},
               {"rules", engine.rules().rules().size()}});
}

ApiResponse Code(const Engine& engine, const ApiRequest& req) {
  auto system = SystemParam(req.Capture("system"));
  if (!system.ok()) return ApiError(400, system.status().message(), {{"system", req.Capture("system")}});
  std::string input(req.Capture("code"));
  auto found = shapes::LookupCodeOrPattern(engine.catalog(), input, *system);
  if (!found.ok()) return FromStatus(found.status(), {{"system", req.Capture("system")}, {"code", input}});
  const Catalog::Hit& hit = found->hits.front();
  json out = shapes::CodeJson(*hit.release, hit.id);
  out["input"] = input;
  if (!found->pattern.empty()) out["pattern"] = found->pattern;
  json mentions = json::array();
  auto mentioning = engine.guidance().Mentioning(hit.entry().code, hit.release->system());
  if (mentioning.ok()) {
    for (const auto& m : *mentioning) {
      mentions.push_back({{"id", m.recommendation->id},
                          {"title", m.recommendation->title},
                          {"pattern", m.pattern},
                          {"via_placeholder", m.via_placeholder}});
    }
  }
  out["guidance"] = mentions;
  return Json(out);
}

ApiResponse Search(const Engine& engine, const ApiRequest& req) {
  std::string q = req.Query("q");
  if (q.empty()) return ApiError(400, "query parameter \"q\" is required", {{"parameter", "q"}});
  SearchOptions options;
  // No system: the UK classifications when one is loaded; "all": every loaded system, US ones included.
  if (req.Query("system") == "all") {
    options.all_systems = true;
  } else {
    auto system = SystemParam(req.Query("system"));
    if (!system.ok()) {
      return ApiError(400, fmt::format("{} (or all)", system.status().message()),
                      {{"parameter", "system"}, {"value", req.Query("system")}});
    }
    options.system = *system;
  }
  options.within = req.Query("within");
  if (req.HasQuery("limit")) {
    std::string s = req.Query("limit");
    std::size_t limit = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), limit);
    if (ec != std::errc() || ptr != s.data() + s.size() || limit < 1 || limit > kMaxSearchLimit)
      return ApiError(400, fmt::format("limit \"{}\" must be a whole number from 1 to {}", s, kMaxSearchLimit),
                      {{"parameter", "limit"}, {"value", s}});
    options.limit = limit;
  }
  options.typo_tolerance = req.Query("typos") != "false";
  auto hits = engine.search().Search(q, options);
  if (!hits.ok()) return FromStatus(hits.status(), {{"parameter", "q"}, {"value", q}});
  ApiResponse r;
  r.body = shapes::SearchHitsJson(*hits);
  return r;
}

ApiResponse GuidanceList(const Engine& engine) {
  json out = json::array();
  for (const Recommendation& r : engine.guidance().all()) {
    json item = shapes::GuidanceListItemJson(r);
    item["description"] = r.description;
    out.push_back(std::move(item));
  }
  return Json(out);
}

ApiResponse GuidanceShow(const Engine& engine, const ApiRequest& req) {
  const Recommendation* r = engine.guidance().Find(req.Capture("id"));
  if (r == nullptr)
    return ApiError(404, fmt::format("no recommendation \"{}\" in the library", req.Capture("id")),
                    {{"id", req.Capture("id")}});
  if (req.Query("format") == "markdown") {
    ApiResponse out;
    out.content_type = "text/markdown; charset=utf-8";
    out.body = RenderMarkdown(*r, &engine.catalog());
    return out;
  }
  return Json(shapes::RecommendationJson(*r));
}

ApiResponse GuidanceParse(const ApiRequest& req) {
  std::string text = req.body, source = "request body";
  if (req.content_type.starts_with("application/json")) {
    auto body = ObjectBody(req);
    if (!body.ok()) return FromStatus(body.status());
    auto t = StringField(*body, "text");
    auto s = StringField(*body, "source");
    if (!t.ok()) return FromStatus(t.status());
    if (!s.ok()) return FromStatus(s.status());
    text = *t;
    if (!s->empty()) source = *s;
  }
  auto rec = ReadRecommendationText(text, {source});
  if (!rec.ok()) return FromStatus(rec.status(), {{"source", source}});
  return Json(shapes::RecommendationJson(*rec));
}

// The facts of a /v1/code request: {"key": "value", ...} or ["key=value", ...].
Result<std::vector<std::string>> Facts(const json& body) {
  std::vector<std::string> out;
  if (!body.contains("facts") || body["facts"].is_null()) return out;
  const json& f = body["facts"];
  if (f.is_object()) {
    for (const auto& [k, v] : f.items()) {
      if (v.is_string())
        out.push_back(k + "=" + v.get<std::string>());
      else if (v.is_number_integer() || v.is_boolean())
        out.push_back(k + "=" + (v.is_boolean() ? (v.get<bool>() ? "yes" : "no") : shapes::Dump(v)));
      else
        return InvalidArgument(fmt::format("fact \"{}\" must be a string, a number or true/false", k));
    }
    return out;
  }
  return CodeList(body, "facts");
}

ApiResponse CodeNote(const Engine& engine, const ApiRequest& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) return FromStatus(body.status());
  CodingRequest request;
  auto text = StringField(*body, "text");
  auto guidance = StringField(*body, "guidance");
  auto guidance_text = StringField(*body, "guidance_text");
  auto system = StringField(*body, "system");
  auto facts = Facts(*body);
  for (const Status* s :
       {&text.status(), &guidance.status(), &guidance_text.status(), &system.status(), &facts.status()}) {
    if (!s->ok()) return FromStatus(*s);
  }
  if (text->size() > kMaxNoteBytes) {
    return ApiError(
        413, fmt::format("the note (field \"text\") is {} bytes; the limit is {} bytes", text->size(), kMaxNoteBytes),
        {{"field", "text"}, {"bytes", text->size()}, {"limit", kMaxNoteBytes}});
  }
  request.text = *text;
  request.guidance_id = *guidance;
  request.facts = *facts;
  if (!system->empty()) {
    auto s = ParseCodeSystem(*system);
    if (!s.ok() || (*s != CodeSystem::kOpcs4 && *s != CodeSystem::kCpt))
      return ApiError(400, fmt::format("system \"{}\": expected opcs4 or cpt", *system), {{"field", "system"}});
    request.system = *s;
  }
  if (!guidance_text->empty()) {
    auto rec = ReadRecommendationText(*guidance_text, {"guidance_text", &engine.catalog()});
    if (!rec.ok()) return FromStatus(rec.status(), {{"field", "guidance_text"}});
    request.recommendation = std::move(rec).value();
  }
  auto result = engine.assistant().Code(request);
  if (!result.ok()) {
    nlohmann::json extra = {{"guidance", request.guidance_id}};
    // No recommendation chosen and none fits alone: the nearest, for a screen to offer.
    if (result.status().message().ends_with("choose the recommendation")) {
      nlohmann::json candidates = nlohmann::json::array();
      for (const auto& c : engine.assistant().FindGuidance(request.text, request.system.value_or(CodeSystem::kOpcs4))) {
        if (candidates.size() == 5) break;
        candidates.push_back({{"id", c.recommendation->id}, {"title", c.recommendation->title}});
      }
      extra["choose"] = "guidance";
      extra["candidates"] = std::move(candidates);
    }
    return FromStatus(result.status(), extra);
  }
  return Json(shapes::CodingResultJson(*result));
}

ApiResponse Check(const Engine& engine, const ApiRequest& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) return FromStatus(body.status());
  Episode ep;
  auto id = StringField(*body, "id");
  auto date = StringField(*body, "date");
  auto procedures = CodeList(*body, "procedures");
  auto diagnoses = CodeList(*body, "diagnoses");
  for (const Status* s : {&id.status(), &date.status(), &procedures.status(), &diagnoses.status()}) {
    if (!s->ok()) return FromStatus(*s);
  }
  ep.id = id->empty() ? "desk" : *id;
  // A date that is not one is a finding on EPISTART, as in a file.
  (IsEpisodeDate(*date) ? ep.start_date : ep.invalid_start_date) = *date;
  // Sex and age are read by the episode reader itself, so /v1/check accepts exactly what a JSON-lines file may
  // hold (whole numbers: 42.0 is 42); a value the reader keeps as invalid is refused here, as the CLI's
  // --sex and --age refuse it: they are the request's parameters, not data.
  json facts = json::object();
  for (const char* key : {"sex", "age"}) {
    if (body->contains(key)) facts[key] = (*body)[key];
  }
  auto read = EpisodeFromJson(shapes::Dump(facts));
  if (!read.ok()) return ApiError(400, read.status().message(), {{"field", "sex"}});
  if (!read->invalid_sex.empty())
    return ApiError(400, fmt::format("sex {} is not 0, 1, 2 or 9", read->invalid_sex), {{"field", "sex"}});
  if (!read->invalid_age.empty()) {
    return ApiError(
        400,
        fmt::format("age {} is not a whole number of years from 0 to {} or 7001-7007", read->invalid_age, kMaxAgeYears),
        {{"field", "age"}});
  }
  ep.sex = read->sex;
  ep.age = read->age;
  SetProcedures(*procedures, &ep);
  SetDiagnoses(*diagnoses, &ep);
  if (ep.procedures.empty() && ep.diagnoses.empty())
    return ApiError(400, "check needs codes: \"procedures\" and/or \"diagnoses\"", {{"field", "procedures"}});
  std::vector<Finding> findings;
  engine.validator().Check(ep, &findings);
  json list = json::array();
  for (const auto& f : findings) list.push_back(shapes::FindingJson(f));
  json not_run = json::object();
  for (const auto& c : engine.validator().coverage()) {
    if (!c.runs) not_run[c.rule->id] = c.why_not;
  }
  return Json({{"findings", list},
               {"rules_checked", engine.validator().rules().rules().size()},
               {"notices", engine.validator().notices()},
               {"rules_not_run", not_run}});
}

std::string UploadName(const ApiRequest& req) {
  std::string name = req.Query("name");
  return name.empty() ? "upload" : name;
}

ApiResponse Validate(std::shared_ptr<const Engine> engine, const ApiRequest& req) {
  std::string format = req.Query("format");
  if (!format.empty() && format != "jsonl" && format != "csv")
    return ApiError(400, fmt::format("format \"{}\" must be jsonl or csv", format), {{"parameter", "format"}});
  ApiResponse out;
  bool csv = format == "csv";
  bool report = req.Query("report") == "true" || req.Query("report") == "1";
  out.content_type = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  std::string path = req.body_file, name = UploadName(req);
  out.stream = [engine, path, name, csv, report](const StreamWriter& write) {
    shapes::LineSink<FindingSink, Finding> sink(shapes::FindingLines, csv, write);
    if (csv) sink.WriteText(std::string(shapes::kFindingCsvHeader) + "\n");
    // Named as the client names it (never the server's spool path); stopped once the client has gone.
    ValidateOptions options;
    options.source_name = name;
    options.keep_going = [&sink] { return sink.open(); };
    auto summary = ValidateFile(path, engine->validator(), &sink, options);
    if (csv) return;
    if (!summary.ok()) {
      write(shapes::Dump(json{{"error", summary.status().message()}, {"detail", {{"upload", name}}}}) + "\n");
      return;
    }
    summary->source = name;
    json last = {{"summary", json::parse(SummaryJson(*summary))}};
    if (report) last["report_html"] = HtmlReport(*summary);
    write(shapes::Dump(last) + "\n");
  };
  return out;
}

ApiResponse Match(std::shared_ptr<const Engine> engine, const ApiRequest& req) {
  std::vector<std::string> only = req.QueryAll("guidance");
  std::shared_ptr<const GuidanceMatcher> matcher;
  if (!only.empty()) {
    auto m = GuidanceMatcher::Create(engine->guidance_ptr(), &engine->rules(), only);
    if (!m.ok()) return ApiError(400, m.status().message(), {{"parameter", "guidance"}});
    matcher = *m;
  }
  ApiResponse out;
  out.content_type = "application/x-ndjson";
  std::string path = req.body_file, name = UploadName(req);
  out.stream = [engine, matcher, path, name](const StreamWriter& write) {
    shapes::LineSink<MatchSink, EpisodeMatches> sink(shapes::MatchLines, false, write);
    ValidateOptions options;
    options.source_name = name;
    options.keep_going = [&sink] { return sink.open(); };
    auto summary = MatchFile(path, matcher ? *matcher : engine->matcher(), &sink, options);
    if (!summary.ok()) {
      write(shapes::Dump(json{{"error", summary.status().message()}, {"detail", {{"upload", name}}}}) + "\n");
      return;
    }
    summary->source = name;
    write(shapes::Dump(json{{"summary", json::parse(MatchSummaryJson(*summary))}}) + "\n");
  };
  return out;
}

// Two files in a multipart form (parts "original" and "audited"): the errors as JSON lines, then the
// summary (and with report=true the HTML report) on the last line.
ApiResponse Audit(std::shared_ptr<const Engine> engine, const ApiRequest& req) {
  auto profiles = LoadAttainmentProfiles();
  if (!profiles.ok()) return ApiError(500, profiles.status().message());
  const std::string profile_id = req.HasQuery("profile") ? req.Query("profile") : "igt";
  std::shared_ptr<const AttainmentProfile> profile;
  for (const auto& p : *profiles) {
    if (p.id == profile_id) profile = std::make_shared<const AttainmentProfile>(p);
  }
  if (!profile)
    return ApiError(400, fmt::format("profile \"{}\" is not one of igt, dspt", profile_id), {{"parameter", "profile"}});
  auto split = SplitMultipartFile(req.body_file, req.content_type);
  if (!split.ok()) return ApiError(split.status().code() == StatusCode::kIoError ? 503 : 400, split.status().message());
  auto parts = std::make_shared<std::vector<std::unique_ptr<UploadPart>>>(std::move(split).value());
  const UploadPart* original = nullptr;
  const UploadPart* audited = nullptr;
  for (const auto& p : *parts) {
    if (p->name() == "original" && original == nullptr) original = p.get();
    if (p->name() == "audited" && audited == nullptr) audited = p.get();
  }
  if (original == nullptr || audited == nullptr)
    return ApiError(400,
                    "the form needs two files: one named original (the coder's) and one named audited (the auditor's)");
  AuditOptions options;
  options.key = req.Query("key");
  options.profile = profile_id;
  // Named as the client names them, never by the server's temporary paths.
  options.original_name = original->filename().empty() ? "original" : original->filename();
  options.audited_name = audited->filename().empty() ? "audited" : audited->filename();
  const bool report = req.Query("report") == "true" || req.Query("report") == "1";
  ApiResponse out;
  out.content_type = "application/x-ndjson";
  out.stream = [engine, parts, original, audited, options, profile, report](const StreamWriter& write) mutable {
    shapes::LineSink<AuditSink, AuditError> sink(shapes::AuditErrorLines, false, write);
    options.keep_going = [&sink] { return sink.open(); };
    auto summary = AuditFiles(original->path(), audited->path(), engine->validator(), &sink, options);
    if (!summary.ok()) {
      write(shapes::Dump(json{{"error", summary.status().message()}}) + "\n");
      return;
    }
    json last = {{"summary", json::parse(AuditSummaryJson(*summary, *profile))}};
    if (report) last["report_html"] = AuditHtmlReport(*summary, *profile);
    write(shapes::Dump(last) + "\n");
  };
  return out;
}

}  // namespace

void AddApiRoutes(Router* router, std::shared_ptr<const Engine> engine) {
  const Engine* e = engine.get();
  router->Add({"GET", "/health", [](const ApiRequest&) { return Json({{"status", "ok"}}); }, false, "Liveness"});
  router->Add({"GET", "/v1/version", [e](const ApiRequest&) { return Version(*e); }, false,
               "Engine version and the loaded releases"});
  router->Add({"GET", "/v1/codes/{system}/{code}", [e](const ApiRequest& r) { return Code(*e, r); }, false,
               "One code (system opcs4|icd10|icd10cm|cpt|any): title, hierarchy, flags, notes, recommendations"});
  router->Add({"GET", "/v1/search", [e](const ApiRequest& r) { return Search(*e, r); }, false,
               "Search: q, system, within, limit (1-1000), typos=false"});
  router->Add({"GET", "/v1/guidance", [e](const ApiRequest&) { return GuidanceList(*e); }, false,
               "The recommendations in the library"});
  router->Add({"GET", "/v1/guidance/{id}", [e](const ApiRequest& r) { return GuidanceShow(*e, r); }, false,
               "One recommendation as data (format=markdown: the NICE-layout page)"});
  router->Add({"POST", "/v1/guidance/parse", [](const ApiRequest& r) { return GuidanceParse(r); }, false,
               "Read a NICE recommendation text (text/plain, or JSON {text, source}) into its structure", true});
  router->Add({"POST", "/v1/code", [e](const ApiRequest& r) { return CodeNote(*e, r); }, false,
               "Code an operation note: JSON {text, facts, guidance, guidance_text, system}", true});
  router->Add({"POST", "/v1/check", [e](const ApiRequest& r) { return Check(*e, r); }, false,
               "Check one episode: JSON {id, sex, age, date, procedures, diagnoses}"});
  router->Add({"POST", "/v1/validate", [engine](const ApiRequest& r) { return Validate(engine, r); }, true,
               "Validate a CSV or JSON-lines file (the body): findings streamed as JSON lines, then the summary",
               true});
  router->Add({"POST", "/v1/match", [engine](const ApiRequest& r) { return Match(engine, r); }, true,
               "Match a CSV or JSON-lines file to the recommendations (guidance=ID repeatable)", true});
  router->Add({"POST", "/v1/audit", [engine](const ApiRequest& r) { return Audit(engine, r); }, true,
               "Audit coding: a multipart form with files original and audited (key, profile, report=true); the "
               "errors as JSON lines, then the summary",
               true, true});
}

}  // namespace clincode::server
