#include "json_output.h"

#include "clincode/code_mentions.h"
#include "clincode/normalise.h"
#include "json_writer.h"

namespace clincode::shapes {

std::string Dump(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}
namespace {

nlohmann::json FlagsJson(const Release& release, const CodeEntry& e) {
  const CodeFlags& f = e.flags;
  nlohmann::json j = {{"selectable", f.selectable}, {"retired", f.retired}};
  switch (release.system()) {
    case CodeSystem::kOpcs4: j["subsidiary"] = f.subsidiary; break;
    case CodeSystem::kIcd10:
      j["undivided"] = f.undivided;
      j["dagger_asterisk"] = f.usage == DaggerAsterisk::kNone ? nullptr : nlohmann::json(DaggerAsteriskName(f.usage));
      j["asterisk_partners"] = e.asterisk_partners;
      j["usage_uk"] = f.usage_uk < 0 ? nullptr : nlohmann::json(f.usage_uk);
      j["sex"] = f.sex == SexRestriction::kNone ? nullptr : nlohmann::json(SexRestrictionName(f.sex));
      j["min_age"] = f.min_age == kNoAge ? nullptr : nlohmann::json(f.min_age);
      j["max_age"] = f.max_age == kNoAge ? nullptr : nlohmann::json(f.max_age);
      break;
    case CodeSystem::kIcd10Cm: j["billable"] = f.billable; break;
    case CodeSystem::kCpt:
    case CodeSystem::kSnomedCt: break;
  }
  return j;
}

nlohmann::json Brief(const Release& release, std::uint32_t id) {
  const CodeEntry& e = release.at(id);
  return {{"code", e.code}, {"title", e.title}, {"kind", CodeKindName(e.kind)}};
}

nlohmann::json AncestorsJson(const Release& release, std::uint32_t id) {
  nlohmann::json ancestors = nlohmann::json::array();
  for (std::uint32_t a : release.Ancestors(id)) ancestors.push_back(Brief(release, a));
  return ancestors;
}

// The note's text as parts, each code it names a part of its own: [{"text": "cardiac arrest ("}, {"text":
// "I46.-", "code": "I46"}, {"text": ")"}]. Parts rather than offsets, so that a client in any string
// encoding links the right letters.
nlohmann::json NoteParts(const Release& release, const std::string& text) {
  nlohmann::json parts = nlohmann::json::array();
  std::size_t at = 0;
  for (const CodeMention& m : FindCodeMentions(release, text)) {
    if (m.begin > at) parts.push_back({{"text", text.substr(at, m.begin - at)}});
    parts.push_back({{"text", text.substr(m.begin, m.end - m.begin)}, {"code", m.code}});
    at = m.end;
  }
  if (at < text.size()) parts.push_back({{"text", text.substr(at)}});
  return parts;
}

nlohmann::json NoteJson(const Release& release, const Note& n) {
  return {{"kind", NoteKindName(n.kind)},
          {"label", NoteKindLabel(n.kind, release.system() == CodeSystem::kIcd10Cm)},
          {"text", n.text},
          {"parts", NoteParts(release, n.text)}};
}

// The instructional notes of the ancestors, nearest first, each saying where it is written.
nlohmann::json InheritedNotesJson(const Release& release, std::uint32_t id) {
  nlohmann::json out = nlohmann::json::array();
  auto ancestors = release.Ancestors(id);
  for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
    const CodeEntry& a = release.at(*it);
    for (const Note& n : a.notes) {
      if (!NoteKindInherited(n.kind)) continue;
      nlohmann::json j = NoteJson(release, n);
      j["from"] = {{"code", a.code}, {"title", a.title}, {"kind", CodeKindName(a.kind)}};
      out.push_back(std::move(j));
    }
  }
  return out;
}

}  // namespace

nlohmann::json CodeJson(const Release& release, std::uint32_t id) {
  const CodeEntry& e = release.at(id);
  nlohmann::json ancestors = AncestorsJson(release, id);
  nlohmann::json children = nlohmann::json::array();
  for (std::uint32_t c : release.Children(id)) children.push_back(Brief(release, c));
  nlohmann::json notes = nlohmann::json::array();
  for (const Note& n : e.notes) notes.push_back(NoteJson(release, n));
  bool is_code = e.kind == CodeKind::kCategory || e.kind == CodeKind::kCode;
  nlohmann::json record = nullptr;
  if (is_code) record = RecordForm(release.system(), e.code, e.flags.undivided, e.flags.usage);
  return {
      {"system", CodeSystemName(release.system())},
      {"release", release.Name()},
      {"code", e.code},
      {"cds", is_code ? nlohmann::json(CdsForm(release.system(), e.code, e.flags.undivided, e.flags.usage)) : nullptr},
      {"title", e.title},
      {"kind", CodeKindName(e.kind)},
      {"parent", e.parent == Release::kNone ? nullptr : nlohmann::json(release.at(e.parent).code)},
      {"ancestors", ancestors},
      {"children", children},
      {"flags", FlagsJson(release, e)},
      {"record", record},
      {"notes", notes},
      {"inherited_notes", InheritedNotesJson(release, id)}};
}

std::string SearchHitsJson(const std::vector<SearchHit>& hits) {
  std::string out;
  out.reserve(hits.size() * 512);  // a hit with a three-level path is ~450 bytes
  JsonWriter w(&out);
  w.BeginArray();
  for (const SearchHit& hit : hits) {
    const Release& release = *hit.release;
    const CodeEntry& e = hit.entry();
    // Keys in sorted order, as a json object dumps them.
    w.BeginObject().Field("code", e.code).Field("match", MatchKindName(hit.kind));
    if (!hit.matched_term.empty()) w.Field("matched_term", hit.matched_term);
    w.Key("path").BeginArray();
    for (std::uint32_t a : release.Ancestors(hit.id)) {
      const CodeEntry& p = release.at(a);
      w.BeginObject().Field("code", p.code).Field("kind", CodeKindName(p.kind)).Field("title", p.title).EndObject();
    }
    w.EndArray();
    w.Key("recordable").Bool(hit.recordable);
    w.Field("release", release.Name()).Key("score").Number(hit.score);
    w.Field("system", CodeSystemName(release.system())).Field("title", e.title);
    if (!hit.via_term.empty()) {
      w.Key("via").BeginObject().Field("means", hit.via_meaning).Field("term", hit.via_term).EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  return out;
}

nlohmann::json ReleaseJson(const Release& release) {
  const ReleaseInfo& info = release.info();
  nlohmann::json formats = nlohmann::json::array();
  for (ReleaseFormat f : info.formats) formats.push_back(ReleaseFormatName(f));
  const KindCounts& c = release.counts();
  return {{"system", CodeSystemName(info.system)},
          {"edition", info.edition},
          {"version", info.version},
          {"sources", info.sources},
          {"formats", formats},
          {"builtin", info.builtin},
          {"counts",
           {{"chapters", c.chapters},
            {"blocks", c.blocks},
            {"categories", c.categories},
            {"codes", c.codes},
            {"total", c.total()}}}};
}

}  // namespace clincode::shapes
