// KafkaSecurity: how this process authenticates to Kafka. Plaintext when no client
// certificate is configured (local experiments, the plaintext test broker); mTLS
// otherwise: REVISIT_KAFKA_CERT_FILE / REVISIT_KAFKA_KEY_FILE (the Kafka principal's
// certificate, CN = the KafkaUser name of deploy/k8s/base/kafka/users.yaml) and
// REVISIT_KAFKA_CA_FILE (the brokers' CA). The broker's ACLs then decide what this
// principal may read and write (docs/security.md). SCRAM is not offered: Debian's
// librdkafka 2.0.2 fails SCRAM against Kafka 4 brokers. librdkafka reads the files
// when a client is created: a rotated certificate takes effect at the next restart.
// Thread-safety: immutable value; safe to share.
// Errors: Load() reports through EnvConfig::Invalid (a certificate without its key or
// CA); FromEnvironment() returns INVALID_ARGUMENT naming the variable.
#ifndef REVISIT_COMMON_KAFKA_SECURITY_H_
#define REVISIT_COMMON_KAFKA_SECURITY_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/config.h"

namespace revisit {

class KafkaSecurity {
 public:
  KafkaSecurity() = default;  // plaintext
  KafkaSecurity(std::string cert_file, std::string key_file, std::string ca_file)
      : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), ca_file_(std::move(ca_file)) {}

  // Declares and reads REVISIT_KAFKA_CERT_FILE, _KEY_FILE, _CA_FILE (services).
  static KafkaSecurity Load(EnvConfig& env);
  // The same variables of this process's environment (command-line tools, test helpers).
  static absl::StatusOr<KafkaSecurity> FromEnvironment();

  bool mtls() const { return !cert_file_.empty(); }
  // librdkafka properties: {} for plaintext; security.protocol=SSL and the ssl.* files.
  std::map<std::string, std::string> Properties() const;
  // Properties() merged into `props` (existing keys of `props` win).
  std::map<std::string, std::string> Apply(std::map<std::string, std::string> props) const;

 private:
  std::string cert_file_;
  std::string key_file_;
  std::string ca_file_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_KAFKA_SECURITY_H_
