// revisit-broker: a local Kafka broker for development and tests.
//
// Starts a librdkafka mock cluster on loopback, creates the topics, then announces
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

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<revisit::BrokerOptions> options = revisit::ParseBrokerArgs(args, EnvTopics());
  if (!options.ok()) {
    std::fprintf(stderr, "revisit-broker: %s\nusage: revisit-broker [--brokers N] "
                 "[--topics name:partitions,...] [--bootstrap-file PATH]\n",
                 std::string(options.status().message()).c_str());
    return 2;
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
