#include "services/outreach/domain/templates.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/outreach/default_messages.h"

namespace revisit::outreach {
namespace {

absl::Status LineError(int line, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("messages line ", line, ": ", what));
}

// Checks every {placeholder} of `text`.
absl::Status CheckPlaceholders(const std::string& text, int line) {
  static const std::set<std::string> known(std::begin(kPlaceholders), std::end(kPlaceholders));
  size_t at = 0;
  while ((at = text.find('{', at)) != std::string::npos) {
    const size_t end = text.find('}', at);
    if (end == std::string::npos) return LineError(line, "unclosed '{'");
    const std::string name = text.substr(at + 1, end - at - 1);
    if (!known.count(name)) return LineError(line, "unknown placeholder {" + name + "}");
    at = end + 1;
  }
  return absl::OkStatus();
}

}  // namespace

bool MessageTemplates::Supported(const std::string& locale) {
  for (const char* l : kLocales)
    if (locale == l) return true;
  return false;
}

absl::StatusOr<MessageTemplates> MessageTemplates::Parse(absl::string_view text,
                                                         const std::vector<std::string>& kinds) {
  const std::set<std::string> wanted(kinds.begin(), kinds.end());
  MessageTemplates t;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    const absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) return LineError(line_no, "expected <kind>.<locale> = <text>");
    const std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    const std::string body(absl::StripAsciiWhitespace(line.substr(eq + 1)));
    const size_t dot = key.find('.');
    if (dot == std::string::npos) return LineError(line_no, "expected <kind>.<locale> before '='");
    const std::string kind = key.substr(0, dot), locale = key.substr(dot + 1);
    if (!wanted.count(kind)) return LineError(line_no, "unknown kind '" + kind + "'");
    if (!Supported(locale)) return LineError(line_no, "unknown locale '" + locale + "' (zh-CN, en)");
    if (body.empty()) return LineError(line_no, "empty text");
    if (t.text_.count(key)) return LineError(line_no, "second template for " + key);
    if (auto st = CheckPlaceholders(body, line_no); !st.ok()) return st;
    t.text_[key] = body;
  }
  for (const std::string& kind : kinds)
    for (const char* locale : kLocales)
      if (!t.text_.count(absl::StrCat(kind, ".", locale)))
        return absl::InvalidArgumentError(
            absl::StrCat("messages: no template for kind ", kind, " in locale ", locale));
  return t;
}

absl::StatusOr<MessageTemplates> MessageTemplates::Load(const std::string& path,
                                                        const std::vector<std::string>& kinds) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  auto t = Parse(buf.str(), kinds);
  if (!t.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", t.status().message()));
  return t;
}

absl::StatusOr<MessageTemplates> MessageTemplates::Default(const std::vector<std::string>& kinds) {
  return Parse(kDefaultMessages, kinds);
}

std::string MessageTemplates::Render(const std::string& kind, const std::string& locale,
                                     const std::map<std::string, std::string>& values) const {
  const std::string loc = Supported(locale) ? locale : kDefaultLocale;
  auto it = text_.find(absl::StrCat(kind, ".", loc));
  if (it == text_.end()) it = text_.find(absl::StrCat("manual.", loc));
  if (it == text_.end()) return "";
  const std::string& text = it->second;
  std::string out;
  size_t at = 0;
  while (true) {
    const size_t open = text.find('{', at);
    if (open == std::string::npos) break;
    const size_t close = text.find('}', open);  // validated: always closed
    out.append(text, at, open - at);
    auto v = values.find(text.substr(open + 1, close - open - 1));
    if (v != values.end()) out += v->second;
    at = close + 1;
  }
  out.append(text, at, std::string::npos);
  return out;
}

}  // namespace revisit::outreach
