#include "common/tls_config.h"

#include <map>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace revisit {
namespace {

using ::testing::HasSubstr;

EnvConfig Env(std::map<std::string, std::string> vars) {
  return EnvConfig([vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

TEST(TlsConfigTest, OnByDefaultAndTheFilesMustBeReadable) {
  EnvConfig env = Env({{"REVISIT_TLS_CERT", "/nonexistent/tls.crt"}});
  TlsConfig tls = TlsConfig::Load(env);
  EXPECT_TRUE(tls.enabled());
  EXPECT_EQ(env.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(env.status().message(), HasSubstr("REVISIT_TLS_CERT"));
  EXPECT_THAT(env.status().message(), HasSubstr("REVISIT_TLS_KEY"));  // default path absent too
}

TEST(TlsConfigTest, OffNeedsNoFilesAndGivesPlaintextCredentials) {
  EnvConfig env = Env({{"REVISIT_TLS", "off"}});
  TlsConfig tls = TlsConfig::Load(env);
  EXPECT_TRUE(env.status().ok()) << env.status();
  EXPECT_FALSE(tls.enabled());
  EXPECT_NE(tls.ServerCredentials(), nullptr);
  EXPECT_NE(tls.ChannelCredentials(), nullptr);
}

TEST(TlsConfigTest, AnythingButOnOrOffIsRefused) {
  EnvConfig env = Env({{"REVISIT_TLS", "yes"}, {"REVISIT_TLS_CERT", ""}});
  TlsConfig::Load(env);
  EXPECT_THAT(env.status().message(), HasSubstr("REVISIT_TLS=\"yes\""));
}

}  // namespace
}  // namespace revisit
