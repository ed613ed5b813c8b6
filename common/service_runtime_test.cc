// The shutdown budget: what docs/operations.md ("Shutdown deadlines") and the
// deployment's terminationGracePeriodSeconds (tools/deploy/lib/policies.mjs) rely on.
#include "common/service_runtime.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>

namespace revisit {
namespace {

CommonConfig Load(std::map<std::string, std::string> env) {
  env.emplace("REVISIT_TLS", "off");  // TLS material is not what these tests are about
  EnvConfig config([env](const std::string& k) -> std::optional<std::string> {
    auto it = env.find(k);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
  CommonConfig c = LoadCommonConfig(config, "order");
  EXPECT_TRUE(config.status().ok()) << config.status();
  return c;
}

TEST(ShutdownBudgetTest, IsTheSumOfTheStepDeadlines) {
  // 0 + drain 10 + cancel grace 1 + consumer 4 + timers 1 + relay 4 + flush 2 (+0.1) + gauges 1.
  EXPECT_EQ(ShutdownBudget(Load({})), absl::Milliseconds(23100));
  // deploy/k8s/base/common.env adds REVISIT_NOT_SERVING_DELAY=3s: 26.1 s < the 35 s grace.
  EXPECT_EQ(ShutdownBudget(Load({{"REVISIT_NOT_SERVING_DELAY", "3s"}})), absl::Milliseconds(26100));
  CommonConfig short_steps = Load({{"REVISIT_DRAIN_TIMEOUT", "1s"},
                                   {"REVISIT_CONSUMER_CLOSE_TIMEOUT", "1s"},
                                   {"REVISIT_RELAY_STOP_TIMEOUT", "1s"},
                                   {"REVISIT_PRODUCER_FLUSH_TIMEOUT", "1s"},
                                   {"REVISIT_SHUTDOWN_STEP_TIMEOUT", "500ms"}});
  EXPECT_EQ(ShutdownBudget(short_steps), absl::Milliseconds(6100)) << "tests/chaos/shutdown_test";
}

TEST(ShutdownBudgetTest, ABadDeadlineStopsStartUp) {
  EnvConfig config([](const std::string& k) -> std::optional<std::string> {
    if (k == "REVISIT_RELAY_STOP_TIMEOUT") return "-1s";
    return std::nullopt;
  });
  LoadCommonConfig(config, "order");
  EXPECT_NE(config.status().message().find("REVISIT_RELAY_STOP_TIMEOUT"), std::string::npos)
      << config.status();
}

}  // namespace
}  // namespace revisit
