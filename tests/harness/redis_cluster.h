// RedisCluster: a real Redis Cluster for one test: `masters` masters with
// `replicas_per_master` replicas each (3 + 3 by default), every node a RedisServer
// (Debian redis-server, AOF appendfsync always) on a free loopback port, joined with
// `redis-cli --cluster create`. Start returns once every node reports
// cluster_state:ok.
//
// Faults: KillNode (SIGKILL a node; its replica is promoted after the node timeout),
// RestartNode (back from its AOF and nodes.conf, rejoining as a replica when it was
// failed over), MoveSlots (resharding while clients run: the spec's IMPORTING /
// MIGRATING / MIGRATE / SETSLOT NODE sequence, so clients meet ASK and MOVED).
// Thread-safety: not thread-safe; call from the test's main thread (the nodes die
// with the thread that started them). Seeds() is safe after Start.
// Errors: UNAVAILABLE when the cluster does not form or heal within the guard.
#ifndef REVISIT_TESTS_HARNESS_REDIS_CLUSTER_H_
#define REVISIT_TESTS_HARNESS_REDIS_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/harness/redis_server.h"

namespace revisit::testing {

struct RedisClusterOptions {
  int masters = 3;
  int replicas_per_master = 1;
  absl::Duration node_timeout = absl::Seconds(2);
};

class RedisCluster {
 public:
  static absl::StatusOr<std::unique_ptr<RedisCluster>> Start(const RedisClusterOptions& options = {});
  ~RedisCluster();
  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;

  // "127.0.0.1:P1,127.0.0.1:P2,..." (every node; REVISIT_REDIS_ADDR in cluster mode).
  std::string Seeds() const;
  int size() const { return static_cast<int>(nodes_.size()); }
  RedisServer& node(int i) { return *nodes_[static_cast<size_t>(i)]; }

  // The index of the node serving `slot` now, as the cluster's live nodes see it.
  absl::StatusOr<int> MasterOf(int slot);
  absl::Status KillNode(int i);
  absl::Status RestartNode(int i);
  // Waits until every running node reports cluster_state:ok and every slot is
  // served by a running master.
  absl::Status AwaitHealthy(absl::Duration guard = absl::Seconds(60));
  // Moves slots [first, last] to node `to` (a master), keys included.
  absl::Status MoveSlots(int first, int last, int to);

 private:
  RedisCluster() = default;
  absl::StatusOr<std::string> NodeId(int i);
  int IndexOfPort(int port) const;

  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::vector<bool> down_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_REDIS_CLUSTER_H_
