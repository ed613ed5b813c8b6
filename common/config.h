// Configuration from environment variables, read once at start-up.
//
// Each service declares the variables it accepts through an EnvConfig: name,
// default and meaning. Reading records the declaration (so `--print-env` can list
// every variable a binary accepts, which the deploy policy check compares against
// the Kubernetes manifests) and validates the value. A bad value does not throw: it
// is recorded and status() returns INVALID_ARGUMENT naming the variable and the
// rule, and main() refuses to start.
// Thread-safety: not thread-safe; use from main() before starting threads.
#ifndef REVISIT_COMMON_CONFIG_H_
#define REVISIT_COMMON_CONFIG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace revisit {

// VarSpec describes one accepted environment variable.
struct VarSpec {
  std::string name;
  std::string default_value;
  std::string help;
};

// Parses "500ms", "90s", "15m", "24h", "7d" or combinations such as "1d12h".
absl::StatusOr<absl::Duration> ParseDurationWithDays(const std::string& text);

// Reads and validates environment variables, remembering what was declared.
class EnvConfig {
 public:
  using Lookup = std::function<std::optional<std::string>(const std::string&)>;
  // Reads the process environment.
  EnvConfig();
  // Reads from `lookup` (tests).
  explicit EnvConfig(Lookup lookup);

  std::string String(const std::string& name, const std::string& def, const std::string& help);
  // A string that must not be empty.
  std::string RequiredString(const std::string& name, const std::string& def,
                             const std::string& help);
  int64_t Int(const std::string& name, int64_t def, int64_t min, int64_t max,
              const std::string& help);
  double Double(const std::string& name, double def, double min, double max,
                const std::string& help);
  bool Bool(const std::string& name, bool def, const std::string& help);
  // Accepts ParseDurationWithDays syntax; must be >= min.
  absl::Duration Duration(const std::string& name, const std::string& def, absl::Duration min,
                          const std::string& help);

  // Records that `name`=`value` breaks `rule` (checks done by the caller).
  void Invalid(const std::string& name, const std::string& value, const std::string& rule);

  // OK, or INVALID_ARGUMENT listing every bad variable with its rule.
  absl::Status status() const;
  const std::vector<VarSpec>& specs() const { return specs_; }
  // The specs as a JSON array of {name, default, help}.
  std::string SpecsJson() const;

 private:
  std::string Raw(const std::string& name, const std::string& def, const std::string& help);

  Lookup lookup_;
  std::vector<VarSpec> specs_;
  std::vector<std::string> errors_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_CONFIG_H_
