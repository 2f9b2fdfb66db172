// The ICD-10-CM index files. All four forms share one shape (FORMATS.md; CMS's icd10cm_index_YYYY.xml,
// icd10cm_eindex_YYYY.xml, icd10cm_neoplasm_YYYY.xml, icd10cm_drug_YYYY.xml):
//
//   <ICD10CM.index><version/>[<indexHeading><head col="n">...</head></indexHeading>]
//     <letter><title>A</title>
//       <mainTerm><title>Abscess<nemod>(connective tissue)</nemod> NEC</title><code>L02.91</code>
//         <term level="1"><title>abdomen</title><see>Abscess, abdominal</see><seeAlso>...</seeAlso>
//           <cell col="2">C76.2</cell> ...       (the tables: one code per column heading)
//           <manif>...</manif>                    (the alphabetic index: a manifestation code, in brackets)
//
// Each term is read with its path ("Accident, boat, striking swimmer, powered"); a code, a manifestation or
// a table cell makes it an index term of that code. A term that says "see" another term leads to that term's
// codes; "see also" adds the other term's codes to its own. Cells of "-" or "--" hold no code; a code ending
// in "-" ("C79.8-") needs more characters and leads to the code it starts.
#include <fmt/format.h>

#include <map>
#include <unordered_map>

#include "classification/loaders/xml_source.h"
#include "clincode/normalise.h"
#include "util/text.h"

namespace clincode::loaders {
namespace {

// A term of the index, read.
struct IndexRow {
  std::string display;                                     // "Accident, boat, striking swimmer, powered"
  std::vector<std::pair<std::string, std::string>> codes;  // (code as written, column heading or "")
  std::string see, see_also;
  LineRef line{0};
  std::vector<std::string> parts;  // its own title without modifiers, folded, split at commas
  std::vector<std::size_t> children;
};

struct Counts {
  std::size_t main_terms = 0, terms = 0, codes = 0, cells = 0, empty_cells = 0, sees = 0, sees_followed = 0;
};

// Text of an element and its children ("<see>Table of Drugs <seecat>...</seecat></see>"), spaces collapsed.
std::string AllText(const pugi::xml_node& node) {
  std::string out;
  for (pugi::xml_node n = node.first_child(); n; n = n.next_sibling()) {
    std::string_view part = n.type() == pugi::node_pcdata ? std::string_view(n.value()) : std::string_view();
    std::string child;
    if (n.type() == pugi::node_element) {
      child = AllText(n);
      part = child;
      // "Abandonment<nemod>(causing ...)</nemod>": an element is a word of its own.
      if (!out.empty() && out.back() != ' ' && !child.empty()) out.push_back(' ');
    }
    for (char c : part) {
      const bool space = text::IsSpace(c);
      if (space && (out.empty() || out.back() == ' ')) continue;
      out.push_back(space ? ' ' : c);
    }
    if (n.type() == pugi::node_element && !out.empty() && out.back() != ' ') out.push_back(' ');
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The title without its nonessential modifiers, folded: the key a "see" names.
std::string KeyTitle(const pugi::xml_node& title) {
  std::string plain;
  for (pugi::xml_node n = title.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_pcdata) plain += n.value();
  }
  std::string folded = text::Folded(text::Trim(plain));
  std::string out;
  for (char c : folded) {
    if (text::IsSpace(c) && (out.empty() || out.back() == ' ')) continue;
    out.push_back(text::IsSpace(c) ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);

class IndexReader {
 public:
  IndexReader(const SourceFile& file, std::map<int, std::string> headings)
      : file_(file), headings_(std::move(headings)) {}

  Status ReadTerm(const pugi::xml_node& node, const std::string& display, std::size_t parent, int depth) {
    if (depth > kMaxXmlDepth) return LineError(file_, LineOfNode(file_, node), "index terms nested too deep");
    const bool main = std::string_view(node.name()) == "mainTerm";
    ++(main ? counts_.main_terms : counts_.terms);
    pugi::xml_node title = node.child("title");
    std::string own = AllText(title);
    if (own.empty()) return LineError(file_, LineOfNode(file_, node), "an index term has no <title>");
    IndexRow row;
    row.display = display.empty() ? own : display + ", " + own;
    row.parts = SplitParts(KeyTitle(title));
    row.line = LineOfNode(file_, node);
    for (pugi::xml_node child : node.children()) {
      std::string_view name = child.name();
      if (name == "code" || name == "manif") {
        std::string code(text::Trim(child.child_value()));
        NormalisedCode norm;
        // The alphabetic index's <manif> holds a code; the neoplasm table's holds words ("ventral surface of
        // tongue"), which say where, not what to code.
        if (name == "manif" && !TryNormaliseCode(CodeSystem::kIcd10Cm, code, &norm)) continue;
        if (!code.empty()) {
          row.codes.emplace_back(code, "");
          ++counts_.codes;
        }
      } else if (name == "cell") {
        ++counts_.cells;
        std::string code(text::Trim(child.child_value()));
        auto heading = headings_.find(child.attribute("col").as_int());
        if (heading == headings_.end()) {
          return LineError(
              file_, LineOfNode(file_, child),
              fmt::format("cell column \"{}\" has no <head> in <indexHeading>", child.attribute("col").value()));
        }
        if (code.empty() || code == "-" || code == "--") {
          ++counts_.empty_cells;
        } else {
          row.codes.emplace_back(code, heading->second);
        }
      } else if (name == "see") {
        row.see = AllText(child);
        ++counts_.sees;
      } else if (name == "seeAlso") {
        row.see_also = AllText(child);
        ++counts_.sees;
      }
    }
    const std::size_t me = rows_.size();
    if (parent == kNoRow) {
      if (!row.parts.empty()) mains_by_first_[row.parts.front()].push_back(me);
    } else {
      rows_[parent].children.push_back(me);
    }
    const std::string row_display = row.display;
    rows_.push_back(std::move(row));
    for (pugi::xml_node sub : node.children("term")) {
      if (Status s = ReadTerm(sub, row_display, me, depth + 1); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Every term with a code (or one reached through "see") becomes a note of that code.
  Status AddTo(ReleaseBuilder* builder) {
    for (const IndexRow& row : rows_) {
      for (const auto& [code, heading] : row.codes) {
        if (Status s = AddNote(builder, row, code, heading, ""); !s.ok()) return s;
      }
      for (const auto& [reference, label] : {std::pair{row.see, "see"}, std::pair{row.see_also, "see also"}}) {
        if (reference.empty()) continue;
        std::size_t target = Resolve(reference);
        if (target == kNoRow || rows_[target].codes.empty()) continue;
        ++counts_.sees_followed;
        for (const auto& [code, heading] : rows_[target].codes) {
          std::string via = fmt::format(" ({} {})", label, reference);
          if (Status s = AddNote(builder, row, code, heading, via); !s.ok()) return s;
        }
      }
    }
    return Status::Ok();
  }

  const Counts& counts() const { return counts_; }

 private:
  Status AddNote(ReleaseBuilder* builder, const IndexRow& row, std::string_view written, const std::string& heading,
                 std::string_view via) {
    std::string_view code = written;
    // "C79.8-", "D05.-": more characters needed; the code they start.
    if (code.size() > 1 && code.back() == '-') code.remove_suffix(1);
    if (code.size() > 1 && code.back() == '.') code.remove_suffix(1);
    NormalisedCode norm;
    if (!TryNormaliseCode(CodeSystem::kIcd10Cm, code, &norm)) {
      return LineError(file_, row.line, fmt::format("malformed ICD-10-CM code \"{}\" in the index", written));
    }
    CodeEntry e;
    e.code = norm.code;
    std::string note = heading.empty() ? row.display : row.display + ", " + heading;
    e.notes.push_back({NoteKind::kIndexTerm, note + std::string(via)});
    // No line: the entry is only a carrier of notes, and counting lines per term would be quadratic.
    builder->Add(std::move(e), {}, 0);
    return Status::Ok();
  }

  static std::vector<std::string> SplitParts(const std::string& key) {
    std::vector<std::string> parts;
    for (std::string_view p : text::Split(key, ',')) {
      std::string_view t = text::Trim(p);
      if (!t.empty()) parts.emplace_back(t);
    }
    return parts;
  }

  // The term a reference names ("Fall, from, off, out of, ladder"; "Neoplasm, abdomen, wall, skin"), walked
  // from the main terms down. Titles hold commas themselves, and a reference may give a title whole ("from, off,
  // out of") or by its first part ("Neoplasm" for "Neoplasm, neoplastic"; "abdomen" for "abdomen, abdominal").
  std::size_t Resolve(std::string_view reference) const {
    std::vector<std::string> want = SplitParts(text::Folded(reference));
    if (want.empty()) return kNoRow;
    auto mains = mains_by_first_.find(want.front());
    if (mains == mains_by_first_.end()) return kNoRow;
    const std::vector<std::size_t>* level = &mains->second;
    std::size_t at = 0;
    while (true) {
      std::size_t found = kNoRow, used = 0;
      for (std::size_t r : *level) {
        const auto& parts = rows_[r].parts;
        if (parts.empty()) continue;
        if (at + parts.size() <= want.size() && std::equal(parts.begin(), parts.end(), want.begin() + at)) {
          found = r;
          used = parts.size();
          break;
        }
        if (found == kNoRow && parts.front() == want[at]) {
          found = r;
          used = 1;
        }
      }
      if (found == kNoRow) return kNoRow;
      at += used;
      if (at == want.size()) return found;
      level = &rows_[found].children;
    }
  }

  const SourceFile& file_;
  std::map<int, std::string> headings_;
  std::vector<IndexRow> rows_;
  std::unordered_map<std::string, std::vector<std::size_t>> mains_by_first_;  // first part of a main term -> rows
  Counts counts_;
};

}  // namespace

Result<ReleaseBuilder> LoadIcd10CmIndex(const SourceFile& file) {
  pugi::xml_document doc;
  if (Status s = ParseXml(file, &doc); !s.ok()) return s;
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "ICD10CM.index") {
    return LineError(file, LineOfNode(file, root),
                     fmt::format("expected root element <ICD10CM.index>, found <{}>", root.name()));
  }
  std::string version(text::Trim(root.child_value("version")));
  if (version.empty()) version = YearInFileName(file.path);
  std::map<int, std::string> headings;
  for (pugi::xml_node head : root.child("indexHeading").children("head")) {
    headings[head.attribute("col").as_int()] = AllText(head);
  }
  IndexReader reader(file, std::move(headings));
  for (pugi::xml_node letter : root.children("letter")) {
    for (pugi::xml_node term : letter.children("mainTerm")) {
      if (Status s = reader.ReadTerm(term, "", kNoRow, 0); !s.ok()) return s;
    }
  }
  if (reader.counts().main_terms == 0) return LineError(file, 1, "no <letter><mainTerm> elements found");
  ReleaseInfo info;
  info.system = CodeSystem::kIcd10Cm;
  info.version = version;
  info.edition = version.empty() ? "ICD-10-CM" : "ICD-10-CM " + version;
  info.sources = {file.path};
  info.formats = {ReleaseFormat::kIcd10CmIndex};
  ReleaseBuilder builder(std::move(info));
  if (Status s = reader.AddTo(&builder); !s.ok()) return s;
  const Counts& c = reader.counts();
  builder.info().notes.push_back(
      fmt::format("{}: {} main terms, {} subterms, {} codes, {} table cells ({} empty), {} of {} see/see also "
                  "references followed",
                  file.path, c.main_terms, c.terms, c.codes, c.cells, c.empty_cells, c.sees_followed, c.sees));
  return builder;
}

}  // namespace clincode::loaders
