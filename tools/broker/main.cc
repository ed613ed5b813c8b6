// revisit-broker: a local Kafka broker for development and tests.
//
// Starts a librdkafka mock cluster on loopback, creates the topics (by default those of
// the KafkaTopic manifests in deploy/k8s/base/kafka), then announces
// readiness by printing `bootstrap=127.0.0.1:PORT` on stdout (and writing the
// address to --bootstrap-file if given). Runs until SIGTERM or SIGINT; exits 0.
// Ports are ephemeral: librdkafka 2.0.2 has no setting for the mock broker port.
// Data lives in memory only (about 5 MiB per partition).
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "tools/broker/broker_options.h"
#include "tools/broker/mock_broker.h"
#include "tools/kafka/topic_specs.h"

namespace {

std::optional<std::string> EnvTopics() {
  const char* v = std::getenv("REVISIT_BROKER_TOPICS");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// Blocks the shutdown signals in this and every later thread (librdkafka's).
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// The topics of the KafkaTopic manifests, at most 4 partitions each (the mock keeps
// every partition in memory).
absl::Status LoadSpecs(revisit::BrokerOptions& options) {
  std::string dir = options.specs_dir.empty() ? REVISIT_TOPIC_SPECS_DIR : options.specs_dir;
  auto specs = revisit::kafka::LoadTopicSpecs(dir);
  if (!specs.ok()) return specs.status();
  for (const auto& s : revisit::kafka::SizeForCluster(*specs, options.brokers, 4)) {
    options.topics.push_back({s.name, s.partitions});
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<revisit::BrokerOptions> options = revisit::ParseBrokerArgs(args, EnvTopics());
  if (!options.ok()) {
    std::fprintf(stderr, "revisit-broker: %s\nusage: revisit-broker [--brokers N] "
                 "[--topics name:partitions,...] [--specs DIR] [--bootstrap-file PATH]\n",
                 std::string(options.status().message()).c_str());
    return 2;
  }
  if (options->topics.empty()) {
    absl::Status loaded = LoadSpecs(*options);
    if (!loaded.ok()) {
      std::fprintf(stderr, "revisit-broker: %s\n", std::string(loaded.message()).c_str());
      return 2;
    }
  }
  sigset_t signals = BlockShutdownSignals();
  absl::StatusOr<std::unique_ptr<revisit::MockBroker>> broker =
      revisit::MockBroker::Create(options->brokers, options->topics);
  if (!broker.ok()) {
    std::fprintf(stderr, "revisit-broker: %s\n", std::string(broker.status().message()).c_str());
    return 1;
  }
  const std::string& bootstrap = (*broker)->Bootstrap();
  if (!options->bootstrap_file.empty()) {
    absl::Status written = revisit::WriteFileAtomically(options->bootstrap_file, bootstrap + "\n");
    if (!written.ok()) {
      std::fprintf(stderr, "revisit-broker: %s\n", std::string(written.message()).c_str());
      return 1;
    }
  }
  std::printf("bootstrap=%s\n", bootstrap.c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  std::fprintf(stderr, "revisit-broker: signal %d, shutting down\n", sig);
  broker->reset();
  return 0;
}
