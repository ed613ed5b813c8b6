// Any value of a REVISIT_* variable: each typed reader returns its default or records an
// INVALID_ARGUMENT, never crashes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string value(reinterpret_cast<const char*>(data), size);
  revisit::EnvConfig env([&](const std::string&) -> std::optional<std::string> { return value; });
  (void)env.Int("REVISIT_I", 1, -5, 1LL << 40, "int");
  (void)env.Double("REVISIT_D", 1, 1, 1e7, "double");
  (void)env.Bool("REVISIT_B", false, "bool");
  (void)env.Duration("REVISIT_T", "1s", absl::Milliseconds(1), "duration");
  (void)env.String("REVISIT_S", "", "string");
  (void)env.RequiredString("REVISIT_R", "x", "required");
  (void)revisit::ParseDurationWithDays(value);
  (void)env.status();
  (void)env.SpecsJson();
  return 0;
}
