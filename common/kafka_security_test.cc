#include "common/kafka_security.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>

namespace revisit {
namespace {

EnvConfig EnvOf(std::map<std::string, std::string> vars) {
  return EnvConfig([vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

TEST(KafkaSecurityTest, NoCertificateMeansPlaintext) {
  EnvConfig env = EnvOf({});
  KafkaSecurity s = KafkaSecurity::Load(env);
  EXPECT_TRUE(env.status().ok());
  EXPECT_FALSE(s.mtls());
  EXPECT_TRUE(s.Properties().empty());
}

TEST(KafkaSecurityTest, ACertificateMeansMutualTlsWithItsKeyAndCa) {
  EnvConfig env = EnvOf({{"REVISIT_KAFKA_CERT_FILE", "/s/user.crt"},
                         {"REVISIT_KAFKA_KEY_FILE", "/s/user.key"},
                         {"REVISIT_KAFKA_CA_FILE", "/s/ca.crt"}});
  KafkaSecurity s = KafkaSecurity::Load(env);
  ASSERT_TRUE(env.status().ok()) << env.status();
  auto props = s.Apply({{"bootstrap.servers", "b:9093"}, {"security.protocol", "SSL"}});
  EXPECT_EQ(props.at("security.protocol"), "SSL");
  EXPECT_EQ(props.at("ssl.certificate.location"), "/s/user.crt");
  EXPECT_EQ(props.at("ssl.key.location"), "/s/user.key");
  EXPECT_EQ(props.at("ssl.ca.location"), "/s/ca.crt");
  EXPECT_EQ(props.at("bootstrap.servers"), "b:9093");
}

TEST(KafkaSecurityTest, ACertificateWithoutKeyOrCaIsRefusedNamingTheVariable) {
  EnvConfig no_key = EnvOf({{"REVISIT_KAFKA_CERT_FILE", "/s/user.crt"}, {"REVISIT_KAFKA_CA_FILE", "/c"}});
  KafkaSecurity::Load(no_key);
  EXPECT_NE(no_key.status().message().find("REVISIT_KAFKA_KEY_FILE"), std::string::npos);
  EnvConfig no_ca = EnvOf({{"REVISIT_KAFKA_CERT_FILE", "/s/user.crt"}, {"REVISIT_KAFKA_KEY_FILE", "/k"}});
  KafkaSecurity::Load(no_ca);
  EXPECT_NE(no_ca.status().message().find("REVISIT_KAFKA_CA_FILE"), std::string::npos);
  EnvConfig key_only = EnvOf({{"REVISIT_KAFKA_KEY_FILE", "/k"}});
  KafkaSecurity::Load(key_only);
  EXPECT_NE(key_only.status().message().find("REVISIT_KAFKA_CERT_FILE"), std::string::npos);
}

}  // namespace
}  // namespace revisit
