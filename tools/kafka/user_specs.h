// UserSpecs: Revisit's Kafka principals and their ACLs, read from the Strimzi
// KafkaUser manifests in deploy/k8s/base/kafka/users.yaml, the one source of the ACLs:
// Strimzi applies them in Kubernetes, revisit-kafka-admin create-acls (kafka-local)
// applies the same ones to local and test clusters (KafkaAdmin::CreateAcls).
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT naming the file, document and field for YAML that is not a
// KafkaUser with metadata.name, spec.authentication.type tls (mTLS: SCRAM fails between
// Debian's librdkafka 2.0.2 and Kafka 4 brokers) and ACLs of a
// known resource type, pattern type and operation; NOT_FOUND for a missing file.
#ifndef REVISIT_TOOLS_KAFKA_USER_SPECS_H_
#define REVISIT_TOOLS_KAFKA_USER_SPECS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace revisit::kafka {

struct AclSpec {
  std::string resource_type;            // topic | group | cluster
  std::string name;                     // "*" = any (literal)
  std::string pattern_type;             // literal | prefix
  std::vector<std::string> operations;  // Read, Write, Describe, All, ...
  std::string host = "*";
};

struct UserSpec {
  std::string name;  // metadata.name = the certificate's CN (principal User:<name>)
  std::vector<AclSpec> acls;
};

// Every KafkaUser document of `yaml`; `origin` names the source in errors.
absl::StatusOr<std::vector<UserSpec>> ParseUserSpecs(const std::string& yaml,
                                                     const std::string& origin);

// The users of users.yaml in `dir`.
absl::StatusOr<std::vector<UserSpec>> LoadUserSpecs(const std::string& dir);

// `acl`'s resource name in the deployment of topic prefix `prefix`
// (REVISIT_TOPIC_PREFIX): topics and groups get the prefix (as KafkaNamespace names
// them), the wildcard "*" and the cluster do not.
std::string NamespacedResource(const AclSpec& acl, const std::string& prefix);

}  // namespace revisit::kafka

#endif  // REVISIT_TOOLS_KAFKA_USER_SPECS_H_
