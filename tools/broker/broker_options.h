// Command line of revisit-broker, parsed into BrokerOptions.
//
//   revisit-broker [--brokers N] [--topics name:partitions,...] [--specs DIR]
//                  [--bootstrap-file PATH]
//
// Topics come from --topics, else the REVISIT_BROKER_TOPICS environment variable,
// else the KafkaTopic manifests in --specs DIR (default: deploy/k8s/base/kafka of the
// source tree), the one source of truth that real Kafka and Kubernetes use too. The mock brokers always listen on ephemeral loopback ports
// (librdkafka 2.0.2 offers no way to choose the port); the address is printed as
// `bootstrap=127.0.0.1:PORT[,...]` and written to --bootstrap-file.
// Thread-safety: pure functions, thread-safe.
// Errors: INVALID_ARGUMENT naming the bad flag or topic spec.
#ifndef REVISIT_TOOLS_BROKER_BROKER_OPTIONS_H_
#define REVISIT_TOOLS_BROKER_BROKER_OPTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace revisit {

struct TopicSpec {
  std::string name;
  int partitions = 1;
};

struct BrokerOptions {
  int brokers = 1;
  std::vector<TopicSpec> topics;  // empty: read them from specs_dir
  std::string specs_dir;         // --specs; empty: the built-in default
  std::string bootstrap_file;    // empty: don't write one
};

// Parses "name:partitions,name:partitions"; a missing ":partitions" means 1.
absl::StatusOr<std::vector<TopicSpec>> ParseTopicSpecs(const std::string& text);

// Parses argv (without argv[0]); `env_topics` is REVISIT_BROKER_TOPICS if set.
absl::StatusOr<BrokerOptions> ParseBrokerArgs(const std::vector<std::string>& args,
                                              const std::optional<std::string>& env_topics);

}  // namespace revisit

#endif  // REVISIT_TOOLS_BROKER_BROKER_OPTIONS_H_
