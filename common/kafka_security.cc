#include "common/kafka_security.h"

namespace revisit {

KafkaSecurity KafkaSecurity::Load(EnvConfig& env) {
  std::string cert = env.String("REVISIT_KAFKA_CERT_FILE", "",
                                "Kafka client certificate (PEM; CN = the KafkaUser name); "
                                "empty = plaintext Kafka (docs/security.md)");
  std::string key = env.String("REVISIT_KAFKA_KEY_FILE", "",
                               "private key (PEM) of REVISIT_KAFKA_CERT_FILE (secret)");
  std::string ca = env.String("REVISIT_KAFKA_CA_FILE", "",
                              "CA certificate (PEM) the Kafka brokers' certificates chain to");
  if (!cert.empty() && key.empty()) {
    env.Invalid("REVISIT_KAFKA_KEY_FILE", key, "required when REVISIT_KAFKA_CERT_FILE is set");
  }
  if (!cert.empty() && ca.empty()) {
    env.Invalid("REVISIT_KAFKA_CA_FILE", ca, "required when REVISIT_KAFKA_CERT_FILE is set");
  }
  if (cert.empty() && !key.empty()) {
    env.Invalid("REVISIT_KAFKA_CERT_FILE", cert, "required when REVISIT_KAFKA_KEY_FILE is set");
  }
  return KafkaSecurity(cert, key, ca);
}

absl::StatusOr<KafkaSecurity> KafkaSecurity::FromEnvironment() {
  EnvConfig env;
  KafkaSecurity s = Load(env);
  if (absl::Status st = env.status(); !st.ok()) return st;
  return s;
}

std::map<std::string, std::string> KafkaSecurity::Properties() const {
  if (!mtls()) return {};
  return {{"security.protocol", "SSL"},
          {"ssl.certificate.location", cert_file_},
          {"ssl.key.location", key_file_},
          {"ssl.ca.location", ca_file_}};
}

std::map<std::string, std::string> KafkaSecurity::Apply(
    std::map<std::string, std::string> props) const {
  for (auto& [k, v] : Properties()) props.emplace(k, v);
  return props;
}

}  // namespace revisit
