#include "common/config.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"

namespace revisit {
namespace {

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace

absl::StatusOr<absl::Duration> ParseDurationWithDays(const std::string& text) {
  std::string rest = text;
  absl::Duration days = absl::ZeroDuration();
  auto d = rest.find('d');
  if (d != std::string::npos) {
    int64_t n = 0;
    // At most 100 years: 24 * n must not overflow (found by fuzz/config_values_fuzzer).
    constexpr int64_t kMaxDays = 36500;
    if (!absl::SimpleAtoi(rest.substr(0, d), &n) || n < 0 || n > kMaxDays) {
      return absl::InvalidArgumentError("bad day count in duration \"" + text +
                                        "\" (0 to 36500 days)");
    }
    days = absl::Hours(24 * n);
    rest = rest.substr(d + 1);
  }
  if (rest.empty()) return days;
  absl::Duration parsed;
  if (!absl::ParseDuration(rest, &parsed)) {
    return absl::InvalidArgumentError("bad duration \"" + text +
                                      "\" (use e.g. 500ms, 90s, 15m, 24h, 7d)");
  }
  return days + parsed;
}

EnvConfig::EnvConfig() : lookup_(ProcessEnv) {}
EnvConfig::EnvConfig(Lookup lookup) : lookup_(std::move(lookup)) {}

std::string EnvConfig::Raw(const std::string& name, const std::string& def,
                           const std::string& help) {
  specs_.push_back({name, def, help});
  auto v = lookup_(name);
  return v.has_value() ? *v : def;
}

void EnvConfig::Invalid(const std::string& name, const std::string& value, const std::string& rule) {
  errors_.push_back(name + "=\"" + value + "\": " + rule);
}

std::string EnvConfig::String(const std::string& name, const std::string& def,
                              const std::string& help) {
  return Raw(name, def, help);
}

std::string EnvConfig::RequiredString(const std::string& name, const std::string& def,
                                      const std::string& help) {
  std::string v = Raw(name, def, help);
  if (v.empty()) Invalid(name, v, "must not be empty");
  return v;
}

int64_t EnvConfig::Int(const std::string& name, int64_t def, int64_t min, int64_t max,
                       const std::string& help) {
  std::string v = Raw(name, std::to_string(def), help);
  int64_t out = 0;
  if (!absl::SimpleAtoi(v, &out)) {
    Invalid(name, v, "must be an integer");
    return def;
  }
  if (out < min || out > max) {
    Invalid(name, v, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return def;
  }
  return out;
}

double EnvConfig::Double(const std::string& name, double def, double min, double max,
                         const std::string& help) {
  std::string v = Raw(name, std::to_string(def), help);
  double out = 0;
  if (!absl::SimpleAtod(v, &out)) {
    Invalid(name, v, "must be a number");
    return def;
  }
  if (out < min || out > max) {
    Invalid(name, v, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return def;
  }
  return out;
}

bool EnvConfig::Bool(const std::string& name, bool def, const std::string& help) {
  std::string v = Raw(name, def ? "true" : "false", help);
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  Invalid(name, v, "must be true or false");
  return def;
}

absl::Duration EnvConfig::Duration(const std::string& name, const std::string& def,
                                   absl::Duration min, const std::string& help) {
  std::string v = Raw(name, def, help);
  auto parsed = ParseDurationWithDays(v);
  if (!parsed.ok()) {
    Invalid(name, v, std::string(parsed.status().message()));
    return *ParseDurationWithDays(def);
  }
  if (*parsed < min) {
    Invalid(name, v, "must be at least " + absl::FormatDuration(min));
    return *ParseDurationWithDays(def);
  }
  return *parsed;
}

absl::Status EnvConfig::status() const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError("bad configuration: " + absl::StrJoin(errors_, "; "));
}

std::string EnvConfig::SpecsJson() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : specs_) {
    out.push_back({{"name", s.name}, {"default", s.default_value}, {"help", s.help}});
  }
  return out.dump(2);
}

}  // namespace revisit
