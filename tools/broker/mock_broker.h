// MockBroker: a librdkafka mock Kafka cluster listening on loopback.
//
// Owns a producer handle that hosts the mock cluster (rd_kafka_mock_cluster_new)
// and creates the requested topics before Create() returns, so clients never rely
// on auto-creation. The brokers listen on ephemeral 127.0.0.1 ports (librdkafka
// 2.0.2 cannot be told a port); Bootstrap() returns them.
// Thread-safety: Bootstrap() is thread-safe; destroy from one thread.
// Errors: Create returns INTERNAL if librdkafka cannot create the cluster or a topic.
#ifndef REVISIT_TOOLS_BROKER_MOCK_BROKER_H_
#define REVISIT_TOOLS_BROKER_MOCK_BROKER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/broker/broker_options.h"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace revisit {

class MockBroker {
 public:
  static absl::StatusOr<std::unique_ptr<MockBroker>> Create(int brokers,
                                                            const std::vector<TopicSpec>& topics);
  ~MockBroker();
  MockBroker(const MockBroker&) = delete;
  MockBroker& operator=(const MockBroker&) = delete;

  // "127.0.0.1:PORT[,127.0.0.1:PORT...]".
  const std::string& Bootstrap() const { return bootstrap_; }

  // Fault injection: every broker drops its connections and refuses new ones
  // (down), or accepts them again on the same ports (up). Data is kept.
  absl::Status SetBrokersUp(bool up);

 private:
  MockBroker() = default;
  rd_kafka_s* handle_ = nullptr;
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
  int brokers_ = 0;
  std::string bootstrap_;
};

// Writes `content` to `path` via a temporary file and rename, so readers see either
// nothing or the whole content.
absl::Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace revisit

#endif  // REVISIT_TOOLS_BROKER_MOCK_BROKER_H_
