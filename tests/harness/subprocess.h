// Subprocess: a child process started by a test, with its output in a log file.
//
// Start() forks and execs `path` with `args`, the parent's environment plus `env`
// overrides, an empty signal mask, and stdout+stderr appended to `log_path`. The
// child gets SIGKILL if the starting thread dies (PR_SET_PDEATHSIG), so a crashed
// test leaves no strays. The destructor kills (SIGKILL) and reaps a running child.
// Thread-safety: not thread-safe; use one Subprocess from one thread.
// Errors: Start returns NOT_FOUND if `path` cannot be executed, INTERNAL if fork
// fails; Wait returns DEADLINE_EXCEEDED if the child is still running.
#ifndef REVISIT_TESTS_HARNESS_SUBPROCESS_H_
#define REVISIT_TESTS_HARNESS_SUBPROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace revisit::testing {

struct SubprocessOptions {
  std::string path;                        // absolute, or looked up in PATH
  std::vector<std::string> args;           // without argv[0]
  std::map<std::string, std::string> env;  // added to / overriding the parent's
  std::string log_path;                    // stdout+stderr; empty: /dev/null
};

class Subprocess {
 public:
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(const SubprocessOptions& options);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  // True until the child has exited (reaps it when it has).
  bool Running();
  // Sends `sig` to the child. FAILED_PRECONDITION if it already exited.
  absl::Status Signal(int sig);
  // SIGKILL and reap. OK if it had already exited.
  absl::Status Kill();
  // Waits for exit: the exit code, or 128 + signal number if killed by a signal.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // The log file contents so far ("" if none).
  std::string ReadLog() const;
  const std::string& log_path() const { return log_path_; }

 private:
  Subprocess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  void Reaped(int wait_status);

  pid_t pid_;
  std::string log_path_;
  bool exited_ = false;
  int exit_code_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, then close).
absl::StatusOr<int> FreePort();

// Reads a whole file; NOT_FOUND if it cannot be opened.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_SUBPROCESS_H_
