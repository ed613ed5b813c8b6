// LocalBroker: the Kafka of one test: by default real Apache Kafka, shared by every
// test of a ctest run, with this test's topics and consumer groups in a namespace of
// their own; on request the librdkafka mock cluster (revisit-broker).
//
// Real (default): the broker is the one the ctest fixture `kafka` started (its
// bootstrap in REVISIT_TEST_KAFKA_BOOTSTRAP or <build>/test-kafka/bootstrap.live); when
// there is none (a test binary run by hand) a private one-broker cluster is started
// (KafkaCluster). Start() picks a fresh prefix ("t<pid>-<random>."), creates the
// topics under it, and exports REVISIT_TOPIC_PREFIX so the services, helpers and
// readers this test starts use the same namespace. Stop() and the destructor delete
// the test's topics.
// Embedded (`embedded = true`, or REVISIT_TEST_BROKER=embedded for a whole run): the
// revisit-broker binary, data in memory, no namespace. Kept for machines without Java
// and for tests that stop the broker itself (real Kafka faults use KafkaCluster).
// Topics are `topics` ("name:partitions,...") or, when empty, every Revisit topic
// from deploy/k8s/base/kafka (at most 4 partitions each on the shared broker).
// Thread-safety: not thread-safe; Bootstrap()/Namespace() are safe after Start.
// Errors: UNAVAILABLE if the broker is not ready within the guard timeout (with its
// log); INVALID_ARGUMENT for a malformed `topics`.
#ifndef REVISIT_TESTS_HARNESS_LOCAL_BROKER_H_
#define REVISIT_TESTS_HARNESS_LOCAL_BROKER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/kafka_namespace.h"
#include "tests/harness/kafka_cluster.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"

namespace revisit::testing {

struct LocalBrokerOptions {
  int brokers = 1;      // embedded only; real multi-broker clusters: KafkaCluster
  std::string topics;   // empty: Revisit's topics
  bool embedded = false;
};

class LocalBroker {
 public:
  static absl::StatusOr<std::unique_ptr<LocalBroker>> Start(
      const LocalBrokerOptions& options = {});
  ~LocalBroker();
  LocalBroker(const LocalBroker&) = delete;
  LocalBroker& operator=(const LocalBroker&) = delete;

  // "127.0.0.1:PORT[,...]".
  const std::string& Bootstrap() const { return bootstrap_; }
  // This test's namespace (empty prefix when embedded).
  const KafkaNamespace& Namespace() const { return namespace_; }
  bool embedded() const { return process_ != nullptr; }
  // Embedded: SIGTERM and wait (INTERNAL if it exits non-zero). Real: deletes the
  // test's topics.
  absl::Status Stop();

  // Path of the revisit-broker binary this harness was built with.
  static std::string BinaryPath();

 private:
  LocalBroker() = default;
  absl::Status StartEmbedded(const LocalBrokerOptions& o);
  absl::Status StartReal(const LocalBrokerOptions& o);

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Subprocess> process_;        // embedded
  std::unique_ptr<KafkaCluster> own_cluster_;  // real, when no shared one runs
  std::vector<std::string> created_topics_;    // real: deleted by Stop
  KafkaNamespace namespace_;
  std::string bootstrap_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_LOCAL_BROKER_H_
