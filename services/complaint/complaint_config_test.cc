// LoadComplaintConfig: defaults, and each bad value refused naming its variable.
#include "services/complaint/complaint_config.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

namespace revisit::complaint {
namespace {

TEST(ComplaintConfigTest, DefaultsAndBadValuesNameTheVariable) {
  // TLS material is not what this test is about (REVISIT_TLS=off).
  EnvConfig ok([](const std::string& k) {
    return k == "REVISIT_TLS" ? std::optional<std::string>("off") : std::optional<std::string>();
  });
  ComplaintConfig c = LoadComplaintConfig(ok);
  EXPECT_TRUE(ok.status().ok()) << ok.status();
  EXPECT_EQ(c.policies.sla.first_response[v1::PRIORITY_NORMAL], absl::Hours(24));
  EXPECT_EQ(c.policies.sla.resolution[v1::PRIORITY_URGENT], absl::Hours(24));
  EXPECT_TRUE(c.policies.authority.For("supervisor").can_approve);
  EXPECT_TRUE(c.policies.sla.calendar.always_open());
  for (auto [name, value] : {std::pair{"REVISIT_COMPLAINT_AUTHORITY", "agent"},
                             std::pair{"REVISIT_COMPLAINT_SANBAO_POLICY", "{\"x\":1}"},
                             std::pair{"REVISIT_COMPLAINT_CALENDAR", "/nonexistent/cn-2026.cal"},
                             std::pair{"REVISIT_COMPLAINT_FIRST_RESPONSE_NORMAL", "48h"}}) {
    EnvConfig bad([&](const std::string& n) {
      if (n == "REVISIT_TLS") return std::optional<std::string>("off");
      return n == name ? std::optional<std::string>(value) : std::optional<std::string>();
    });
    LoadComplaintConfig(bad);
    EXPECT_FALSE(bad.status().ok()) << name;
    EXPECT_NE(bad.status().message().find(name), std::string::npos) << bad.status();
  }
}

}  // namespace
}  // namespace revisit::complaint
