// KafkaCluster: real Apache Kafka brokers (KRaft) started by a test, one Subprocess
// per broker, so a test can SIGKILL and restart single brokers (chaos tests) and a
// crashed test leaves no broker behind.
//
// Start() formats N nodes with tools/kafka/kafka-local into a temp dir (each node
// broker+controller, static quorum, free loopback ports), runs each broker, waits
// until all answer metadata, and creates Revisit's topics from the specs
// (deploy/k8s/base/kafka) under `prefix`: replication min(N, 3),
// min.insync.replicas 2 on three brokers.
// With `mtls` the cluster authenticates and authorizes (kafka-local --auth mtls): the
// client listener wants a client certificate, every KafkaUser of
// deploy/k8s/base/kafka/users.yaml gets one and its manifest's ACLs (under `prefix`);
// Security(user) is that principal's client configuration; the harness itself acts as
// revisit-admin.
// Thread-safety: not thread-safe; call from the test's main thread (the brokers get
// SIGKILL when the thread that started them exits).
// Ports: when a broker exits because a port kafka-local picked was taken meanwhile
// ("Address already in use" in its log), Start() formats a new cluster on new ports,
// at most three times; a broker that exits otherwise fails the start at once.
// Errors: UNAVAILABLE when the brokers do not come up in time (with their log tail);
// FAILED_PRECONDITION when the broker jars or Java are missing (run tools/setup.sh).
#ifndef REVISIT_TESTS_HARNESS_KAFKA_CLUSTER_H_
#define REVISIT_TESTS_HARNESS_KAFKA_CLUSTER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/kafka_security.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"

namespace revisit::testing {

struct KafkaClusterOptions {
  int brokers = 1;
  std::string topic_prefix;     // prefix of the Revisit topics created at start
  bool create_topics = true;    // false: an empty cluster
  int max_partitions = 0;       // cap partitions per topic (0 = as specified)
  bool mtls = false;            // mTLS listener + ACLs of the KafkaUser manifests
};

class KafkaCluster {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaCluster>> Start(const KafkaClusterOptions& options);
  ~KafkaCluster();
  KafkaCluster(const KafkaCluster&) = delete;
  KafkaCluster& operator=(const KafkaCluster&) = delete;

  const std::string& Bootstrap() const { return bootstrap_; }
  // The client configuration of KafkaUser `user` (e.g. "revisit-order"); plaintext
  // when the cluster was started without `mtls`.
  KafkaSecurity Security(const std::string& user) const;
  // The CA that issued the principals' certificates (empty without `mtls`).
  std::string CaFile() const;
  int brokers() const { return static_cast<int>(nodes_.size()); }
  // SIGKILL broker `node` (1-based); OK if already dead.
  absl::Status KillBroker(int node);
  // Starts broker `node` again on its ports and data; returns once it is running
  // and the cluster lists every broker.
  absl::Status RestartBroker(int node);
  // The broker that leads most partitions of `topics` (all when empty).
  absl::StatusOr<int> BusiestLeader(const std::vector<std::string>& topics = {});
  // The tail of broker `node`'s log.
  std::string Log(int node) const;

  // Path of tools/kafka/kafka-local in the source tree.
  static std::string LauncherPath();

 private:
  KafkaCluster() = default;
  static absl::StatusOr<std::unique_ptr<KafkaCluster>> StartOnce(const KafkaClusterOptions& options);
  absl::Status RunBroker(int node);
  absl::Status WaitForBrokers(absl::Duration timeout);

  std::map<std::string, std::string> AdminProperties() const;

  std::unique_ptr<TempDir> dir_;
  bool mtls_ = false;
  std::map<int, std::unique_ptr<Subprocess>> nodes_;
  std::string bootstrap_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_KAFKA_CLUSTER_H_
