// TopicSpecs: the one source of truth for Revisit's Kafka topics, read from the
// Strimzi KafkaTopic manifests in deploy/k8s/base/kafka (topics.yaml,
// dead-letter-topics.yaml). The local Kafka launcher, the test harness and the
// manifests' check all create or compare topics from these specs.
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT naming the file and document for YAML that is not a
// KafkaTopic with spec.topicName and positive spec.partitions/replicas; NOT_FOUND
// for a missing file.
#ifndef REVISIT_TOOLS_KAFKA_TOPIC_SPECS_H_
#define REVISIT_TOOLS_KAFKA_TOPIC_SPECS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace revisit::kafka {

struct TopicSpec {
  std::string name;                           // spec.topicName
  int partitions = 0;                         // spec.partitions
  int replicas = 0;                           // spec.replicas
  std::map<std::string, std::string> config;  // spec.config (retention.ms, ...)
};

// Every KafkaTopic document of `yaml` (one or more YAML documents); `origin` names
// the source in errors.
absl::StatusOr<std::vector<TopicSpec>> ParseTopicSpecs(const std::string& yaml,
                                                       const std::string& origin);

// The specs of topics.yaml and dead-letter-topics.yaml in `dir`.
absl::StatusOr<std::vector<TopicSpec>> LoadTopicSpecs(const std::string& dir);

// Sizes `specs` for a local cluster of `brokers` brokers: replicas and
// min.insync.replicas capped to what the cluster can hold (3 brokers keep
// replicas 3, min.insync.replicas 2), and partitions capped to `max_partitions`
// when it is positive (tests create many namespaces on one broker).
std::vector<TopicSpec> SizeForCluster(std::vector<TopicSpec> specs, int brokers,
                                      int max_partitions);

}  // namespace revisit::kafka

#endif  // REVISIT_TOOLS_KAFKA_TOPIC_SPECS_H_
