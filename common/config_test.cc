#include "common/config.h"

#include <map>

#include <gtest/gtest.h>

namespace revisit {
namespace {

EnvConfig FromMap(std::map<std::string, std::string> env) {
  return EnvConfig([env](const std::string& k) -> std::optional<std::string> {
    auto it = env.find(k);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

TEST(EnvConfigTest, DefaultsApplyWhenUnset) {
  auto cfg = FromMap({});
  EXPECT_EQ(cfg.Int("PORT", 7, 1, 10, "p"), 7);
  EXPECT_EQ(cfg.Duration("WAIT", "3d", absl::ZeroDuration(), "w"), absl::Hours(72));
  EXPECT_TRUE(cfg.status().ok());
  EXPECT_EQ(cfg.specs().size(), 2u);
}

TEST(EnvConfigTest, BadValueNamesTheVariableAndRule) {
  auto cfg = FromMap({{"PORT", "abc"}, {"WAIT", "soon"}, {"N", "99"}});
  cfg.Int("PORT", 7, 1, 10, "p");
  cfg.Duration("WAIT", "1s", absl::ZeroDuration(), "w");
  cfg.Int("N", 1, 1, 10, "n");
  auto st = cfg.status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("PORT=\"abc\": must be an integer"), std::string::npos);
  EXPECT_NE(st.message().find("WAIT=\"soon\""), std::string::npos);
  EXPECT_NE(st.message().find("N=\"99\": must be between 1 and 10"), std::string::npos);
}

TEST(EnvConfigTest, DurationsWithDays) {
  EXPECT_EQ(*ParseDurationWithDays("1d12h"), absl::Hours(36));
  EXPECT_EQ(*ParseDurationWithDays("500ms"), absl::Milliseconds(500));
  EXPECT_FALSE(ParseDurationWithDays("xd").ok());
}

// Regression (fuzz/config_values_fuzzer found it): a huge day count overflowed 24 * n.
TEST(EnvConfigTest, DayCountsBeyondAHundredYearsAreRefused) {
  EXPECT_EQ(*ParseDurationWithDays("36500d"), absl::Hours(24 * 36500));
  for (const char* text : {"36501d", "1111111111111111110d", "88888888008838888d"}) {
    auto d = ParseDurationWithDays(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_NE(d.status().message().find("0 to 36500 days"), std::string::npos) << d.status();
  }
}

TEST(EnvConfigTest, BoolsAndRequiredStrings) {
  auto cfg = FromMap({{"B", "maybe"}, {"S", ""}});
  EXPECT_FALSE(cfg.Bool("B", false, "b"));
  cfg.RequiredString("S", "x", "s");
  EXPECT_NE(cfg.status().message().find("B=\"maybe\": must be true or false"), std::string::npos);
  EXPECT_NE(cfg.status().message().find("S=\"\": must not be empty"), std::string::npos);
}

}  // namespace
}  // namespace revisit
