// LocalBroker: the built revisit-broker (librdkafka mock cluster) for one test.
//
// Start() runs the binary with a private --bootstrap-file and returns once the
// broker has created its topics and written its address. Topics are `topics`
// ("name:partitions,...") or the broker's defaults when empty. The broker keeps
// data in memory only: Stop() loses it. The destructor kills the broker.
// Thread-safety: not thread-safe; Bootstrap() is safe after Start.
// Errors: UNAVAILABLE if the broker exits or is not ready within the guard timeout
// (the message includes its log).
#ifndef REVISIT_TESTS_HARNESS_LOCAL_BROKER_H_
#define REVISIT_TESTS_HARNESS_LOCAL_BROKER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"

namespace revisit::testing {

struct LocalBrokerOptions {
  int brokers = 1;
  std::string topics;  // empty: the broker's default topics
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
  // SIGTERM and wait; INTERNAL if the broker exits non-zero.
  absl::Status Stop();
  Subprocess& process() { return *process_; }

  // Path of the revisit-broker binary this harness was built with.
  static std::string BinaryPath();

 private:
  LocalBroker() = default;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Subprocess> process_;
  std::string bootstrap_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_LOCAL_BROKER_H_
