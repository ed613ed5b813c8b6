// RedisNode: a bounded pool of hiredis connections to one Redis server, and the
// pipelined round trip every RedisClient call ends in.
//
// Every call borrows a connection for its duration; callers on other threads wait
// for a free one. A broken connection is dropped and re-dialled on the next call with
// exponential backoff (bounded by `reconnect_budget`).
// Thread-safety: all methods are thread-safe.
// Errors: UNAVAILABLE when the server cannot be reached or the connection broke
// mid-pipeline (any command may or may not have run); DEADLINE_EXCEEDED on a command
// timeout; a wrong password is the server's error. Error replies are per command.
#ifndef REVISIT_COMMON_REDIS_NODE_H_
#define REVISIT_COMMON_REDIS_NODE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis_value.h"

namespace revisit {

struct RedisNodeOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // ACL user for AUTH (empty: the default user)
  std::string password;  // AUTH on connect when non-empty
  absl::Duration connect_timeout = absl::Seconds(1);
  absl::Duration command_timeout = absl::Seconds(5);
  // How long a call keeps re-dialling a down server before UNAVAILABLE.
  absl::Duration reconnect_budget = absl::Seconds(3);
  int pool_size = 8;  // connections to this node
};

class RedisNode {
 public:
  explicit RedisNode(RedisNodeOptions options);
  ~RedisNode();
  RedisNode(const RedisNode&) = delete;
  RedisNode& operator=(const RedisNode&) = delete;

  // Sends all commands in one round trip; one reply per command, in order. With
  // `asking`, each command is preceded by ASKING (a Redis Cluster ASK redirect).
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> Pipeline(
      const std::vector<std::vector<std::string>>& commands, bool asking = false);

  // "host:port".
  std::string Address() const;

 private:
  class Connection;
  absl::StatusOr<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> conn);
  absl::StatusOr<std::unique_ptr<Connection>> DialWithBackoff();

  const RedisNodeOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_REDIS_NODE_H_
