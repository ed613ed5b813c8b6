// RedisServer: a private redis-server for one test, on a free loopback port.
//
// Runs the Debian redis-server with its own temp data dir, appendonly yes and
// appendfsync always (every acknowledged write survives a kill), no RDB snapshots.
// Start/Restart return only once PING answers. Restart keeps port and data; Kill
// simulates a crash (SIGKILL) and Restart brings it back from the AOF.
// The log is <dir>/redis.log. The destructor kills the server and deletes the data.
// Thread-safety: not thread-safe; port()/Address() are safe after Start.
// Errors: UNAVAILABLE if the server does not answer PING within the guard timeout
// (the message includes the tail of its log).
#ifndef REVISIT_TESTS_HARNESS_REDIS_SERVER_H_
#define REVISIT_TESTS_HARNESS_REDIS_SERVER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"

namespace revisit::testing {

struct RedisServerOptions {
  // A Redis Cluster node (cluster-enabled, nodes.conf in its dir, node timeout
  // `cluster_node_timeout`); RedisCluster joins such nodes into a cluster.
  bool cluster = false;
  absl::Duration cluster_node_timeout = absl::Seconds(2);
};

class RedisServer {
 public:
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      const RedisServerOptions& options = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:PORT".
  std::string Address() const;
  const std::string& dir() const { return dir_->path(); }
  // The process ID of the running server (0 when stopped); for CPU accounting.
  int pid() const;

  // Graceful stop (SIGTERM) and wait.
  absl::Status Stop();
  // Crash: SIGKILL and reap.
  absl::Status Kill();
  // Stops the server if it runs, then starts it again on the same port and data.
  absl::Status Restart();

  // Creates the per-service ACL users of deploy/k8s/base/redis/acl-rules.conf
  // (docs/security.md), each with the password ServicePassword(user). The default
  // user stays as it is, for the test's own inspection.
  absl::Status CreateServiceUsers();
  // The password CreateServiceUsers gives `user`.
  static std::string ServicePassword(const std::string& user) { return user + "-test-password"; }
  // REVISIT_REDIS_USER and REVISIT_REDIS_PASSWORD of `service`.
  static std::map<std::string, std::string> ServiceEnv(const std::string& service);

 private:
  RedisServer(std::unique_ptr<TempDir> dir, int port, RedisServerOptions options)
      : dir_(std::move(dir)), port_(port), options_(options) {}
  absl::Status Launch();
  absl::Status AwaitPing();

  std::unique_ptr<TempDir> dir_;
  int port_;
  RedisServerOptions options_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_REDIS_SERVER_H_
