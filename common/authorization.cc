#include "common/authorization.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace revisit {
namespace {

constexpr absl::string_view kHealth = "/grpc.health.v1.Health/";

bool MethodMatches(const std::string& pattern, absl::string_view method) {
  if (pattern == "*") return true;
  absl::string_view m = absl::StripPrefix(method, "/");
  if (absl::EndsWith(pattern, "/*")) {
    return absl::StartsWith(m, absl::string_view(pattern).substr(0, pattern.size() - 1));
  }
  return m == pattern;
}

absl::Status CheckMethodPattern(const std::string& p, int line) {
  if (p == "*") return absl::OkStatus();
  size_t slash = p.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == p.size() ||
      p.find('/', slash + 1) != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "authorization table line ", line, ": method \"", p,
        "\" must be <package>.<Service>/<Method>, <package>.<Service>/* or *"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AuthorizationPolicy> AuthorizationPolicy::Parse(absl::string_view text) {
  AuthorizationPolicy policy;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = line.substr(0, line.find('#'));
    std::vector<std::string> words = absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.empty()) continue;
    if (words.size() < 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "authorization table line ", line_no, ": needs a principal and at least one method"));
    }
    std::string principal = words[0];
    auto parsed = CallerIdentity::Parse("spiffe://revisit/" +
                                        (absl::EndsWith(principal, "/*")
                                             ? principal.substr(0, principal.size() - 1) + "x"
                                             : principal));
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("authorization table line ", line_no,
                                                     ": principal \"", principal,
                                                     "\" must be <role>/<name> or <role>/*: ",
                                                     parsed.status().message()));
    }
    Rule rule;
    rule.role = parsed->role();
    rule.name = absl::EndsWith(principal, "/*") ? "*" : parsed->name();
    for (size_t i = 1; i < words.size(); ++i) {
      if (auto st = CheckMethodPattern(words[i], line_no); !st.ok()) return st;
      rule.methods.push_back(words[i]);
    }
    policy.rules_.push_back(std::move(rule));
  }
  return policy;
}

absl::StatusOr<AuthorizationPolicy> AuthorizationPolicy::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError("authorization table " + path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  auto policy = Parse(text.str());
  if (!policy.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", policy.status().message()));
  }
  return policy;
}

bool AuthorizationPolicy::Allows(const CallerIdentity& caller, absl::string_view method) const {
  if (absl::StartsWith(method, kHealth)) return true;
  for (const Rule& rule : rules_) {
    if (rule.role != caller.role() || (rule.name != "*" && rule.name != caller.name())) continue;
    for (const std::string& m : rule.methods) {
      if (MethodMatches(m, method)) return true;
    }
  }
  return false;
}

absl::Status AuthorizationPolicy::Check(const CallerIdentity& caller,
                                        absl::string_view method) const {
  if (Allows(caller, method)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      caller.spiffe_id(), " may not call ", method, " (authorization table, docs/security.md)"));
}

}  // namespace revisit
