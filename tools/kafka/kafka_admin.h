// KafkaAdmin: what the local launcher and the test harness ask of a real Kafka
// cluster: wait until it answers metadata with N brokers, create (idempotently)
// and delete topics, and tell which broker leads most partitions (the chaos tests
// kill that one), and apply the ACLs of the KafkaUser manifests (CreateAcls). Built on
// librdkafka's Admin API; `security` holds the client's librdkafka security properties
// (security.protocol, ssl.*) when the cluster authenticates (kafka-local --auth mtls).
// Thread-safety: not thread-safe; one admin per thread.
// Errors: UNAVAILABLE when the cluster does not answer in time; a topic that
// already exists is not an error for CreateTopics; other broker refusals come back
// as INVALID_ARGUMENT or INTERNAL with the broker's message and the topic name.
#ifndef REVISIT_TOOLS_KAFKA_KAFKA_ADMIN_H_
#define REVISIT_TOOLS_KAFKA_KAFKA_ADMIN_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/kafka/topic_specs.h"
#include "tools/kafka/user_specs.h"

struct rd_kafka_s;

namespace revisit::kafka {

class KafkaAdmin {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaAdmin>> Create(
      const std::string& bootstrap, const std::map<std::string, std::string>& security = {});
  ~KafkaAdmin();
  KafkaAdmin(const KafkaAdmin&) = delete;
  KafkaAdmin& operator=(const KafkaAdmin&) = delete;

  // Waits until the cluster's metadata lists at least `brokers` brokers.
  absl::Status WaitForBrokers(int brokers, absl::Duration timeout);
  // Creates every spec as `prefix` + name; existing topics are left as they are.
  // Returns once the topics are in the metadata with a leader for every partition.
  absl::Status CreateTopics(const std::vector<TopicSpec>& specs, const std::string& prefix,
                            absl::Duration timeout);
  // Deletes the named topics (missing ones are ignored).
  absl::Status DeleteTopics(const std::vector<std::string>& names, absl::Duration timeout);
  // Creates an ALLOW binding for principal User:<name> per operation of every ACL of
  // `users`, topic and group names under `prefix` (NamespacedResource). Existing
  // bindings are kept (CreateAcls is idempotent). INVALID_ARGUMENT/INTERNAL with the
  // broker's message (e.g. SECURITY_DISABLED when the cluster has no authorizer).
  absl::Status CreateAcls(const std::vector<UserSpec>& users, const std::string& prefix,
                          absl::Duration timeout);
  // Topic names in the cluster.
  absl::StatusOr<std::set<std::string>> ListTopics(absl::Duration timeout);
  // Broker ID -> number of partitions it leads, over `topics` (all when empty).
  absl::StatusOr<std::map<int, int>> LeaderCounts(const std::set<std::string>& topics,
                                                  absl::Duration timeout);

 private:
  explicit KafkaAdmin(rd_kafka_s* rk) : rk_(rk) {}
  absl::Status WaitForLeaders(const std::vector<std::string>& names, absl::Duration timeout);
  rd_kafka_s* rk_;
};

}  // namespace revisit::kafka

#endif  // REVISIT_TOOLS_KAFKA_KAFKA_ADMIN_H_
