// KafkaNamespace: the prefix that places one Revisit deployment's topics and consumer
// groups beside others on a shared Kafka cluster (REVISIT_TOPIC_PREFIX).
//
// The code names topics logically ("revisit.order.v1") everywhere; the namespace is
// applied only where a name crosses into librdkafka: the topic a record is produced
// to, the topics a consumer subscribes to, its group ID and its dead-letter topic.
// An empty prefix (the default, and production) leaves every name unchanged. Tests
// sharing one broker give each test its own prefix, so their topics and groups never
// meet.
// Thread-safety: immutable after construction; safe to share.
// Errors: Validate() returns INVALID_ARGUMENT naming REVISIT_TOPIC_PREFIX for a
// prefix Kafka would refuse in a topic name (legal: [A-Za-z0-9._-], at most 100).
#ifndef REVISIT_COMMON_KAFKA_NAMESPACE_H_
#define REVISIT_COMMON_KAFKA_NAMESPACE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace revisit {

class KafkaNamespace {
 public:
  KafkaNamespace() = default;
  explicit KafkaNamespace(std::string prefix) : prefix_(std::move(prefix)) {}

  // OK when `prefix` can start a Kafka topic name.
  static absl::Status Validate(absl::string_view prefix);
  // The namespace named by REVISIT_TOPIC_PREFIX in this process's environment, for
  // command-line tools and test helpers (services read it with their config). An
  // invalid value is INVALID_ARGUMENT.
  static absl::StatusOr<KafkaNamespace> FromEnvironment();

  const std::string& prefix() const { return prefix_; }
  // The physical name of a logical topic or consumer group.
  std::string Topic(absl::string_view logical) const;
  std::string Group(absl::string_view logical) const { return Topic(logical); }
  std::vector<std::string> Topics(const std::vector<std::string>& logical) const;
  // The logical name of a physical topic ("" when it is outside this namespace).
  std::string Logical(absl::string_view physical) const;

 private:
  std::string prefix_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_KAFKA_NAMESPACE_H_
