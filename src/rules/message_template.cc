#include "rules/message_template.h"

#include <array>
#include <utility>

namespace clincode::rules {
namespace {

constexpr std::array<std::pair<std::string_view, TemplateName>, 16> kNames{{
    {"code", TemplateName::kCode},
    {"canonical", TemplateName::kCanonical},
    {"title", TemplateName::kTitle},
    {"position", TemplateName::kPosition},
    {"next", TemplateName::kNext},
    {"partner", TemplateName::kPartner},
    {"pattern", TemplateName::kPattern},
    {"chapter", TemplateName::kChapter},
    {"sex", TemplateName::kSex},
    {"age", TemplateName::kAge},
    {"min_age", TemplateName::kMinAge},
    {"max_age", TemplateName::kMaxAge},
    {"first", TemplateName::kFirst},
    {"release", TemplateName::kRelease},
    {"field", TemplateName::kField},
    {"value", TemplateName::kValue},
}};

void AddText(std::string_view text, MessageTemplate* out) {
  if (text.empty()) return;
  if (!out->empty() && out->back().name == TemplateName::kText)
    out->back().text.append(text);
  else
    out->push_back({TemplateName::kText, std::string(text)});
}

}  // namespace

MessageTemplate ReadTemplate(std::string_view text) {
  MessageTemplate out;
  std::size_t k = 0;
  while (k < text.size()) {
    const std::size_t open = text.find('{', k);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      AddText(text.substr(k), &out);
      break;
    }
    AddText(text.substr(k, open - k), &out);
    const std::string_view name = text.substr(open + 1, close - open - 1);
    TemplateName found = TemplateName::kText;
    for (const auto& [n, v] : kNames) {
      if (n == name) found = v;
    }
    if (found == TemplateName::kText)
      AddText(text.substr(open, close - open + 1), &out);
    else
      out.push_back({found, {}});
    k = close + 1;
  }
  return out;
}

}  // namespace clincode::rules
