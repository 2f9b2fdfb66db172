// API tests of `clincode serve`: the binary is started on a loopback port the OS picks, and every route and
// operation is asked for over HTTP, good requests and bad.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "server/fhir_shapes.h"
#include "server/server_process.h"

namespace {

using nlohmann::json;
using namespace clincode::testing;  // NOLINT(build/namespaces)

constexpr const char* kOpcs4 = "https://fhir.hl7.org.uk/Id/opcs-4";
constexpr const char* kCpt = "http://www.ama-assn.org/go/cpt";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A server may answer (413) and close while a client is still sending; the test is that client.
    signal(SIGPIPE, SIG_IGN);
    server_ = new ServerProcess({"--quiet", "--max-upload-mb", "1"});
    ASSERT_GT(server_->port(), 0) << "the server printed no address";
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }
  json Get(const std::string& path, int expect) {
    auto c = Client();
    auto r = c.Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, expect) << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }
  json Post(const std::string& path, const std::string& body, const std::string& type, int expect) {
    auto c = Client();
    auto r = c.Post(path, body, type);
    EXPECT_TRUE(r) << path;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, expect) << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }
  static std::string Param(const json& params, const std::string& name) {
    for (const auto& p : params["parameter"]) {
      if (p["name"] == name) {
        for (const auto& [k, v] : p.items()) {
          if (k.starts_with("value")) return v.is_string() ? v.get<std::string>() : v.dump();
        }
      }
    }
    return "<absent>";
  }
  static ServerProcess* server_;
};

ServerProcess* ServerTest::server_ = nullptr;

TEST_F(ServerTest, HealthAndVersion) {
  EXPECT_EQ(Get("/health", 200)["status"], "ok");
  json v = Get("/v1/version", 200);
  EXPECT_EQ(v["engine"], "clincode");
  EXPECT_GE(v["releases"].size(), 3u);
  EXPECT_EQ(v["releases"][0]["fhir_uri"], kOpcs4);
}

TEST_F(ServerTest, CodesHaveTheLookupShapeAndTheRecommendations) {
  json c = Get("/v1/codes/opcs4/K578", 200);
  EXPECT_EQ(c["code"], "K57.8");
  EXPECT_EQ(c["cds"], "K578");
  EXPECT_EQ(c["parent"], "K57");
  ASSERT_FALSE(c["guidance"].empty());
  EXPECT_EQ(c["guidance"][0]["id"], "IPG655");
  EXPECT_EQ(Get("/v1/codes/icd10/C18.-", 200)["pattern"], "C18.-");
  json missing = Get("/v1/codes/opcs4/K99.9", 404);
  EXPECT_NE(missing["error"].get<std::string>().find("K99.9"), std::string::npos);
  EXPECT_EQ(missing["detail"]["code"], "K99.9");
  EXPECT_EQ(Get("/v1/codes/nosuch/K57.8", 400)["detail"]["system"], "nosuch");
  EXPECT_EQ(Get("/v1/codes/opcs4/not-a-code", 400)["detail"]["code"], "not-a-code");
}

TEST_F(ServerTest, SearchAnswersAndRejectsBadParameters) {
  json hits = Get("/v1/search?q=vertebro&system=opcs4&limit=5", 200);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0]["system"], "OPCS-4");
  EXPECT_FALSE(hits[0]["path"].empty());
  json within = Get("/v1/search?q=fluoroscopic&within=Y53", 200);
  for (const auto& h : within) EXPECT_EQ(h["code"].get<std::string>().substr(0, 3), "Y53");
  EXPECT_EQ(Get("/v1/search", 400)["detail"]["parameter"], "q");
  EXPECT_EQ(Get("/v1/search?q=x&limit=abc", 400)["detail"]["value"], "abc");
  EXPECT_EQ(Get("/v1/search?q=x&limit=5000", 400)["detail"]["value"], "5000");
  EXPECT_EQ(Get("/v1/search?q=x&system=klingon", 400)["detail"]["value"], "klingon");
  // "all" widens the UK default to every loaded system; hits say whether they can be recorded.
  json all = Get("/v1/search?q=heart&system=all&limit=50", 200);
  ASSERT_FALSE(all.empty());
  for (const auto& h : all) EXPECT_TRUE(h["recordable"].is_boolean());
}

TEST_F(ServerTest, GuidanceListShowAndParse) {
  json list = Get("/v1/guidance", 200);
  EXPECT_GE(list.size(), 5u);
  json ipg = Get("/v1/guidance/ipg655", 200);
  EXPECT_EQ(ipg["id"], "IPG655");
  EXPECT_EQ(ipg["sections"][0]["groups"][0]["any_of"][0], "K57.8");
  EXPECT_EQ(Get("/v1/guidance/IPG9999", 404)["detail"]["id"], "IPG9999");
  std::string text = ReadFile(std::string(CLINCODE_TEST_DATA_DIR) + "/guidance/ipg598_style.txt");
  ASSERT_FALSE(text.empty());
  json parsed = Post("/v1/guidance/parse", text, "text/plain", 200);
  EXPECT_EQ(parsed["id"], "IPG598");
  EXPECT_FALSE(parsed["sections"].empty());
  json as_json =
      Post("/v1/guidance/parse", json{{"text", text}, {"source", "mine.txt"}}.dump(), "application/json", 200);
  EXPECT_EQ(as_json["source"], "mine.txt");
  json bad = Post("/v1/guidance/parse", "just words, no codes", "text/plain", 400);
  EXPECT_TRUE(bad.contains("error"));
}

TEST_F(ServerTest, CodingAssistantAnswersAsTheCli) {
  json r = Post(
      "/v1/code",
      R"({"text": "Percutaneous vertebroplasty T12/L1 for osteoporotic compression fractures. Biplanar fluoroscopic guidance."})",
      "application/json", 200);
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["guidance"], "IPG12");
  std::vector<std::string> codes;
  for (const auto& p : r["procedures"]) codes.push_back(p["code"]);
  EXPECT_EQ(codes, (std::vector<std::string>{"V44.4", "V55.2", "Y53.4", "Z66.4", "Z66.5"}));
  json facts =
      Post("/v1/code", R"({"guidance": "IPG655", "facts": {"image_control": "no", "right_atrial_lead": "yes"}})",
           "application/json", 200);
  EXPECT_FALSE(facts["procedures"].empty());
  EXPECT_TRUE(Post("/v1/code", "{not json", "application/json", 400).contains("error"));
  EXPECT_TRUE(Post("/v1/code", R"({"text": 42})", "application/json", 400)["error"].get<std::string>().find("text") !=
              std::string::npos);
  json bad_fact =
      Post("/v1/code", R"({"guidance": "IPG12", "facts": ["image_method=telepathy"]})", "application/json", 400);
  EXPECT_NE(bad_fact["error"].get<std::string>().find("telepathy"), std::string::npos);
  EXPECT_EQ(Post("/v1/code", R"({"text": "x", "guidance": "IPG0"})", "application/json", 404)["detail"]["guidance"],
            "IPG0");
}

TEST_F(ServerTest, CheckOneEpisode) {
  json r = Post("/v1/check", R"({"procedures": "Y53.4 V44.4", "diagnoses": ["M80.0"], "sex": 2, "age": 74})",
                "application/json", 200);
  bool subsidiary_first = false;
  for (const auto& f : r["findings"])
    subsidiary_first = subsidiary_first || f["rule_id"] == "opcs4.subsidiary-not-first";
  EXPECT_TRUE(subsidiary_first) << r.dump();
  EXPECT_EQ(Post("/v1/check", R"({"sex": 5, "procedures": "K57.8"})", "application/json", 400)["detail"]["field"],
            "sex");
  EXPECT_EQ(Post("/v1/check", R"({"age": "old", "procedures": "K57.8"})", "application/json", 400)["detail"]["field"],
            "age");
  EXPECT_EQ(Post("/v1/check", R"({"sex": 1})", "application/json", 400)["detail"]["field"], "procedures");
  // The starter data alone: codes outside it are not checked, and the answer says so once.
  json starter = Post("/v1/check", R"({"diagnoses": ["N40X"], "date": "2024-13-45"})", "application/json", 200);
  EXPECT_EQ(starter["notices"].size(), 2u) << starter.dump();
  EXPECT_TRUE(starter["rules_not_run"].contains("icd10.exists")) << starter.dump();
  std::vector<std::string> rules;
  for (const auto& f : starter["findings"]) rules.push_back(f["rule_id"]);
  EXPECT_EQ(rules, std::vector<std::string>{"episode.start-date-valid"}) << starter.dump();
  EXPECT_TRUE(Post("/v1/check", R"({"procedures": [1, 2]})", "application/json", 400).contains("error"));
}

std::vector<json> Lines(const std::string& body) {
  std::vector<json> out;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

TEST_F(ServerTest, ValidateStreamsFindingsThenTheSummary) {
  std::string csv = ReadFile(std::string(CLINCODE_TEST_DATA_DIR) + "/episodes/upload.csv");
  auto c = Client();
  auto r = c.Post("/v1/validate?report=1&name=upload.csv", csv, "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto lines = Lines(r->body);
  ASSERT_GE(lines.size(), 2u);
  const json& last = lines.back();
  EXPECT_EQ(last["summary"]["rows_read"], 6);
  EXPECT_EQ(last["summary"]["rows_unreadable"], 0);  // E6's STARTAGE is a finding on the field
  EXPECT_EQ(last["summary"]["findings_per_rule"]["episode.age-valid"], 1);
  EXPECT_EQ(last["summary"]["source"], "upload.csv");
  EXPECT_EQ(last["summary"]["findings"], lines.size() - 1);
  EXPECT_NE(last["report_html"].get<std::string>().find("<ul class=\"bars\""), std::string::npos);
  EXPECT_EQ(lines.front()["episode_id"], "E1");
  auto as_csv = c.Post("/v1/validate?format=csv", csv, "text/csv");
  ASSERT_TRUE(as_csv);
  EXPECT_EQ(as_csv->body.substr(0, as_csv->body.find('\n')), "episode_id,rule_id,severity,position,code,message,fix");
  EXPECT_TRUE(Post("/v1/validate", "", "text/csv", 400).contains("error"));
  EXPECT_TRUE(Post("/v1/validate?format=xml", csv, "text/csv", 400).contains("error"));
}

TEST_F(ServerTest, AuditTakesTwoFilesAsAFormAndStreamsErrorsThenTheSummary) {
  const std::string dir = std::string(CLINCODE_TEST_DATA_DIR) + "/episodes/";
  httplib::MultipartFormDataItems form = {
      {"original", ReadFile(dir + "audit-original.csv"), "original.csv", "text/csv"},
      {"audited", ReadFile(dir + "audit-audited.csv"), "audited.csv", "text/csv"},
  };
  auto c = Client();
  auto r = c.Post("/v1/audit?report=true", form);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto lines = Lines(r->body);
  ASSERT_GE(lines.size(), 2u);
  const json& s = lines.back()["summary"];
  EXPECT_EQ(s["episodes_audited"], 5);
  EXPECT_EQ(s["unmatched_original"], 1);
  EXPECT_EQ(s["unmatched_audited"], 1);
  EXPECT_EQ(s["primary_diagnosis"]["correct"], 2);
  EXPECT_EQ(s["primary_diagnosis"]["total"], 5);
  EXPECT_EQ(s["original"], "original.csv");  // the client's names, never the server's temporary files
  EXPECT_EQ(s["attainment"]["profile"], "igt");
  EXPECT_NE(lines.back()["report_html"].get<std::string>().find("Clinical coding audit"), std::string::npos);
  EXPECT_EQ(lines.front()["kind"], "wrong_subdivision");
  EXPECT_EQ(lines.front()["original"]["title"], "Congestive heart failure");
  EXPECT_EQ(lines.size() - 1, 9u);  // 7 code errors and 2 unmatched episodes

  // One file only, a raw body, an unknown profile, a body cut short: 400 with a JSON body naming the problem.
  auto one = c.Post("/v1/audit", httplib::MultipartFormDataItems{form[0]});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 400);
  EXPECT_NE(json::parse(one->body)["error"].get<std::string>().find("audited"), std::string::npos);
  EXPECT_TRUE(Post("/v1/audit", "EPIKEY\n1\n", "text/csv", 400).contains("error"));
  auto profile = c.Post("/v1/audit?profile=nope", form);
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->status, 400);
  EXPECT_TRUE(Post("/v1/audit", "--XX\r\nContent-Disposition: form-data; name=\"original\"\r\n\r\nabc",
                   "multipart/form-data; boundary=XX", 400)
                  .contains("error"));
  // Other upload routes still take the raw body only.
  auto validate = c.Post("/v1/validate", form);
  ASSERT_TRUE(validate);
  EXPECT_EQ(validate->status, 415);
}

TEST_F(ServerTest, MatchStreamsRowsThenTheSummary) {
  std::string csv = ReadFile(std::string(CLINCODE_TEST_DATA_DIR) + "/episodes/upload.csv");
  auto c = Client();
  auto r = c.Post("/v1/match?guidance=IPG655", csv, "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto lines = Lines(r->body);
  ASSERT_FALSE(lines.empty());
  const json& per = lines.back()["summary"]["guidance"];
  ASSERT_EQ(per.size(), 1u);
  EXPECT_EQ(per[0]["guidance"], "IPG655");
  EXPECT_EQ(per[0]["full"], 1);
  EXPECT_EQ(per[0]["partial"], 1);
  EXPECT_EQ(lines.back()["summary"]["rows_unreadable"], 0);
  EXPECT_EQ(lines.back()["summary"]["episodes"], 6);
  EXPECT_TRUE(Post("/v1/match?guidance=NOPE", csv, "text/csv", 400).contains("error"));
}

TEST_F(ServerTest, BadRequestsGetTheRight4xx) {
  auto c = Client();
  std::string huge(2u << 20, 'x');
  auto big = c.Post("/v1/validate", huge, "text/csv");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_TRUE(json::parse(big->body).contains("error"));
  std::string big_json = "{\"text\": \"" + std::string(5u << 20, 'a') + "\"}";
  auto big_note = c.Post("/v1/code", big_json, "application/json");
  ASSERT_TRUE(big_note);
  EXPECT_EQ(big_note->status, 413);
  EXPECT_EQ(Get("/v1/nothing", 404)["detail"]["path"], "/v1/nothing");
  json fhir404 = Get("/fhir/CodeSystem/$frobnicate", 404);
  EXPECT_EQ(CheckOperationOutcome(fhir404), "");
  auto put = c.Put("/v1/code", "{}", "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(put->get_header_value("Allow"), "POST");
  auto get_post_only = c.Get("/v1/code");
  ASSERT_TRUE(get_post_only);
  EXPECT_EQ(get_post_only->status, 405);
  auto long_uri = c.Get("/v1/search?q=" + std::string(10000, 'a'));
  ASSERT_TRUE(long_uri);
  // The HTTP layer refuses a request line over 8 KiB before routing: 414, or 400 from cpp-httplib 0.11.
  EXPECT_TRUE(long_uri->status == 414 || long_uri->status == 400) << long_uri->status;
  EXPECT_TRUE(json::parse(long_uri->body, nullptr, false).contains("error"));
  httplib::Headers big_header = {{"X-Filler", std::string(10000, 'b')}};
  auto header = c.Get("/health", big_header);
  ASSERT_TRUE(header);
  EXPECT_GE(header->status, 400);
  EXPECT_LT(header->status, 500);
}

TEST_F(ServerTest, StaticFilesNeverLeaveTheWebFolder) {
  // Raw requests: a client library would tidy the `..` away before sending.
  for (const char* target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd"}) {
    httplib::Client c("127.0.0.1", server_->port());
    httplib::Request req;
    req.method = "GET";
    req.path = target;
    httplib::Response res;
    httplib::Error err;
    ASSERT_TRUE(c.send(req, res, err)) << target;
    EXPECT_EQ(res.status, 400) << target << ": " << res.body;
    EXPECT_EQ(res.body.find("root:"), std::string::npos);
  }
  auto c = Client();
  auto index = c.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<main"), std::string::npos);
  EXPECT_EQ(c.Get("/app.js")->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/no-such.js", 404)["detail"]["path"], "/no-such.js");
}

TEST_F(ServerTest, FhirMetadataListsTheLoadedSystems) {
  json cs = Get("/fhir/metadata", 200);
  EXPECT_EQ(CheckCapabilityStatement(cs), "");
  EXPECT_EQ(cs["fhirVersion"], "4.0.1");
  json tc = Get("/fhir/metadata?mode=terminology", 200);
  EXPECT_EQ(CheckTerminologyCapabilities(tc), "");
  std::set<std::string> uris;
  for (const auto& s : tc["codeSystem"]) uris.insert(s["uri"]);
  EXPECT_TRUE(uris.count(kOpcs4));
  EXPECT_TRUE(uris.count("http://hl7.org/fhir/sid/icd-10-uk"));
  EXPECT_TRUE(uris.count(kCpt));
}

TEST_F(ServerTest, FhirLookupGetAndPostAgree) {
  std::string q = std::string("/fhir/CodeSystem/$lookup?system=") + kOpcs4 + "&code=V44.4";
  json get = Get(q, 200);
  EXPECT_EQ(CheckParameters(get), "");
  EXPECT_EQ(Param(get, "display"), "Vertebroplasty of fracture of spine");
  EXPECT_EQ(Param(get, "name"), "OPCS-4");
  json body = {{"resourceType", "Parameters"},
               {"parameter", {{{"name", "coding"}, {"valueCoding", {{"system", kOpcs4}, {"code", "V44.4"}}}}}}};
  json post = Post("/fhir/CodeSystem/$lookup", body.dump(), "application/fhir+json", 200);
  EXPECT_EQ(get["parameter"], post["parameter"]);
  json parent_only = Get(q + "&property=parent", 200);
  int properties = 0;
  for (const auto& p : parent_only["parameter"]) properties += p["name"] == "property" ? 1 : 0;
  EXPECT_EQ(properties, 1);
  EXPECT_EQ(CheckOperationOutcome(Get(std::string("/fhir/CodeSystem/$lookup?system=") + kOpcs4 + "&code=K99.9", 404)),
            "");
  EXPECT_EQ(CheckOperationOutcome(Get("/fhir/CodeSystem/$lookup?system=http://example.org/x&code=A", 404)), "");
  EXPECT_EQ(CheckOperationOutcome(Get("/fhir/CodeSystem/$lookup?code=V44.4", 400)), "");
  EXPECT_EQ(CheckOperationOutcome(Post("/fhir/CodeSystem/$lookup", "{bad", "application/fhir+json", 400)), "");
  EXPECT_EQ(CheckOperationOutcome(
                Post("/fhir/CodeSystem/$lookup", R"({"resourceType": "Patient"})", "application/fhir+json", 400)),
            "");
}

TEST_F(ServerTest, FhirValidateCodeAndSubsumes) {
  std::string base = std::string("/fhir/CodeSystem/$validate-code?url=") + kOpcs4;
  EXPECT_EQ(Param(Get(base + "&code=K57.8", 200), "result"), "true");
  json wrong_display = Get(base + "&code=K57.8&display=Heart%20transplant", 200);
  EXPECT_EQ(CheckParameters(wrong_display), "");
  EXPECT_EQ(Param(wrong_display, "result"), "false");
  EXPECT_EQ(Param(Get(base + "&code=K99.9", 200), "result"), "false");
  std::string sub = std::string("/fhir/CodeSystem/$subsumes?system=") + kOpcs4;
  EXPECT_EQ(Param(Get(sub + "&codeA=V44&codeB=V44.4", 200), "outcome"), "subsumes");
  EXPECT_EQ(Param(Get(sub + "&codeA=V44.4&codeB=V44", 200), "outcome"), "subsumed-by");
  EXPECT_EQ(Param(Get(sub + "&codeA=V44.4&codeB=V44.4", 200), "outcome"), "equivalent");
  EXPECT_EQ(Param(Get(sub + "&codeA=V44.4&codeB=K57.8", 200), "outcome"), "not-subsumed");
}

std::set<std::string> Codes(const json& vs) {
  std::set<std::string> out;
  for (const auto& c : vs["expansion"]["contains"]) out.insert(c["code"]);
  return out;
}

TEST_F(ServerTest, FhirExpandWholeSystemSubtreeAndRecommendation) {
  std::string expand = "/fhir/ValueSet/$expand?url=";
  json all = Get(expand + kOpcs4 + "%3Ffhir_vs&count=10&offset=5", 200);
  EXPECT_EQ(CheckExpandedValueSet(all), "");
  EXPECT_EQ(all["expansion"]["contains"].size(), 10u);
  EXPECT_EQ(all["expansion"]["offset"], 5);
  EXPECT_GT(all["expansion"]["total"].get<int>(), 100);
  json v44 = Get(expand + kOpcs4 + "%3Ffhir_vs%3Disa/V44", 200);
  auto sub = Codes(v44);
  EXPECT_TRUE(sub.count("V44") && sub.count("V44.4") && sub.count("V44.6"));
  EXPECT_FALSE(sub.count("K57.8"));
  EXPECT_EQ(v44["expansion"]["total"], sub.size());
  json filtered = Get(expand + kOpcs4 + "%3Ffhir_vs%3Disa/V44&filter=vertebroplasty", 200);
  EXPECT_EQ(Codes(filtered), (std::set<std::string>{"V44.4", "V44.6"}));
  json ipg = Get(expand + "https://clincode.org/fhir/ValueSet/guidance-IPG655-opcs4", 200);
  EXPECT_EQ(CheckExpandedValueSet(ipg), "");
  auto allowed = Codes(ipg);
  for (const char* c : {"K57.8", "Y02.1", "Z33.2", "Z33.6", "Z94.2", "Y53.4"}) EXPECT_TRUE(allowed.count(c)) << c;
  EXPECT_FALSE(allowed.count("V44.4"));
  EXPECT_EQ(Codes(Get("/fhir/ValueSet/guidance-IPG655-opcs4/$expand", 200)), allowed);
  EXPECT_EQ(CheckOperationOutcome(Get(expand + "http://example.org/vs", 404)), "");
  EXPECT_EQ(CheckOperationOutcome(Get(expand + kOpcs4 + "%3Ffhir_vs&count=lots", 400)), "");
  json listed = Get("/fhir/ValueSet", 200);
  EXPECT_EQ(listed["resourceType"], "Bundle");
  EXPECT_GE(listed["total"].get<int>(), 5);
  std::string vs = "/fhir/ValueSet/$validate-code?url=https://clincode.org/fhir/ValueSet/guidance-IPG655-opcs4";
  EXPECT_EQ(Param(Get(vs + "&code=Z94.2", 200), "result"), "true");
  EXPECT_EQ(Param(Get(vs + "&code=V44.4", 200), "result"), "false");
}

TEST_F(ServerTest, FhirTranslateCptToOpcs4AndBack) {
  std::string t = std::string("/fhir/ConceptMap/$translate?system=") + kCpt + "&code=0408T&targetsystem=" + kOpcs4;
  json forward = Get(t, 200);
  EXPECT_EQ(CheckParameters(forward), "");
  EXPECT_EQ(Param(forward, "result"), "true");
  std::set<std::string> targets;
  for (const auto& p : forward["parameter"]) {
    if (p["name"] != "match") continue;
    for (const auto& part : p["part"]) {
      if (part["name"] == "concept") targets.insert(part["valueCoding"]["code"]);
      if (part["name"] == "equivalence") {
        EXPECT_EQ(part["valueCode"], "equivalent");
      }
    }
  }
  EXPECT_TRUE(targets.count("K57.8") && targets.count("Y02.1")) << forward.dump();
  json back = Get(std::string("/fhir/ConceptMap/$translate?system=") + kOpcs4 + "&code=K57.8", 200);
  std::set<std::string> cpt;
  for (const auto& p : back["parameter"]) {
    if (p["name"] != "match") continue;
    for (const auto& part : p["part"]) {
      if (part["name"] == "concept") cpt.insert(part["valueCoding"]["code"]);
    }
  }
  EXPECT_TRUE(cpt.count("0408T")) << back.dump();
  EXPECT_EQ(Param(Get(std::string("/fhir/ConceptMap/$translate?system=") + kCpt + "&code=99999", 200), "result"),
            "false");
  EXPECT_EQ(CheckOperationOutcome(Get("/fhir/ConceptMap/$translate?code=0408T", 400)), "");
}

// What the catalog noticed at load (here a release that looks cut short) is in /v1/version.
TEST(ServerLifecycle, VersionListsTheLoadNotes) {
  ServerProcess server({"--quiet", "--release", std::string(CLINCODE_TEST_DATA_DIR) + "/broken/OPCS410_truncated.txt"});
  ASSERT_GT(server.port(), 0);
  httplib::Client c("127.0.0.1", server.port());
  auto v = c.Get("/v1/version");
  ASSERT_TRUE(v);
  json notes = json::parse(v->body)["notes"];
  ASSERT_EQ(notes.size(), 1u) << v->body;
  EXPECT_NE(notes[0].get<std::string>().find("the last row has no line end"), std::string::npos);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(ServerLifecycle, StopsCleanlyOnSigterm) {
  ServerProcess server({"--quiet"});
  ASSERT_GT(server.port(), 0);
  httplib::Client c("127.0.0.1", server.port());
  ASSERT_TRUE(c.Get("/health"));
  EXPECT_EQ(server.Stop(), 0);
}

// With the open releases of ../shared/data loaded, the routes answer from them.
TEST(ServerWithReleases, AnswersFromTheFullReleases) {
  namespace fs = std::filesystem;
  std::string data = CLINCODE_SHARED_DATA_DIR;
  if (!fs::exists(data)) GTEST_SKIP() << "../shared/data not found: the full-release server test is skipped";
  std::vector<std::string> releases;
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    std::string p = e.path().string();
    if (p.ends_with("icd_10_v2019.xml") || p.ends_with("coding240.tsv") || p.ends_with("icd10cm_tabular_2021.xml")) {
      releases.push_back(p);
    }
  }
  if (releases.size() < 2) GTEST_SKIP() << "the expected release files are not in ../shared/data";
  std::vector<std::string> args = {"--quiet"};
  for (const auto& r : releases) {
    args.push_back("--release");
    args.push_back(r);
  }
  ServerProcess server(args);
  ASSERT_GT(server.port(), 0);
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(60, 0);
  auto v = c.Get("/v1/version");
  ASSERT_TRUE(v);
  json version = json::parse(v->body);
  std::size_t total = 0;
  for (const auto& r : version["releases"]) total += r["counts"]["total"].get<std::size_t>();
  EXPECT_GT(total, 20000u);
  auto who_lookup = c.Get("/fhir/CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10&code=I21.9");
  ASSERT_TRUE(who_lookup);
  EXPECT_EQ(who_lookup->status, 200) << who_lookup->body;
  auto search = c.Get("/v1/search?q=myocardial%20infarction&limit=5");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
  EXPECT_EQ(json::parse(search->body).size(), 5u);
  auto expand = c.Get("/fhir/ValueSet/$expand?url=http://hl7.org/fhir/sid/icd-10%3Ffhir_vs%3Disa/I21&count=50");
  ASSERT_TRUE(expand);
  json vs = json::parse(expand->body);
  EXPECT_EQ(CheckExpandedValueSet(vs), "");
  EXPECT_GE(vs["expansion"]["total"].get<int>(), 5);
  auto code = c.Post("/v1/code",
                     R"({"text": "CCM device implanted: two RV septal leads, no RA lead, under fluoroscopy. HFrEF."})",
                     "application/json");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->status, 200) << code->body;
  EXPECT_EQ(server.Stop(), 0);
}

// The UK 5th Edition as distributed: a dagger with several asterisk partners lists them all, in the JSON
// API and in FHIR $lookup, and a row whose meaning is in a modifier shows it in its title.
TEST(ServerUkRelease, SeveralPartnersAndModifierTitles) {
  ServerProcess server(
      {"--quiet", "--release", std::string(CLINCODE_TEST_DATA_DIR) + "/icd10/icd10_edition5_sample_GB_20160401.xml"});
  ASSERT_GT(server.port(), 0);
  httplib::Client c("127.0.0.1", server.port());
  auto code = c.Get("/v1/codes/icd10/B570D");
  ASSERT_TRUE(code);
  ASSERT_EQ(code->status, 200) << code->body;
  EXPECT_EQ(json::parse(code->body)["flags"]["asterisk_partners"], json::array({"I41.2", "I98.1"}));
  auto lookup = c.Get("/fhir/CodeSystem/$lookup?system=icd10&code=B57.0&property=asterisk_partners");
  ASSERT_TRUE(lookup);
  ASSERT_EQ(lookup->status, 200) << lookup->body;
  std::vector<std::string> partners;
  const json parameters = json::parse(lookup->body);
  for (const json& p : parameters["parameter"]) {
    if (p["name"] != "property") continue;
    EXPECT_EQ(p["part"][0]["valueCode"], "asterisk_partners");
    partners.push_back(p["part"][1]["valueCode"].get<std::string>());
  }
  EXPECT_EQ(partners, (std::vector<std::string>{"I41.2", "I98.1"}));
  auto e10 = c.Get("/fhir/CodeSystem/$lookup?system=icd10&code=E10.0");
  ASSERT_TRUE(e10);
  EXPECT_NE(e10->body.find("\"Type 1 diabetes mellitus, with coma\""), std::string::npos) << e10->body;
  auto m45 = c.Get("/v1/codes/icd10/M45X0");
  ASSERT_TRUE(m45);
  EXPECT_EQ(m45->status, 200) << m45->body;
  EXPECT_EQ(json::parse(m45->body)["code"], "M45.X0");
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
