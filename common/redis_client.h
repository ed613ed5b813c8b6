// A small synchronous Redis client over hiredis, shared by every service store, for
// one Redis server or a Redis Cluster.
//
// Single node (the default): a pool of connections to host:port (RedisNode).
// Cluster (`cluster_seeds` set): the client learns which master serves each of the
// 16384 slots from CLUSTER SLOTS (asked of any seed or known node), keeps a pool per
// node, and sends each call to the master of its key's slot (common/redis_slots.h).
// MOVED updates the slot and the map is re-read; ASK retries that one command on the
// named node after ASKING; a lost connection re-reads the map on the next call, so a
// failover costs callers UNAVAILABLE for a moment, never a restart. Pipelines are
// split per node (one round trip per node; the slot map is consulted under one lock per
// pipeline); scripts are loaded per node on first use.
// In both modes every call's keys must share a slot (CROSSSLOT refusal below), so a
// cross-slot call fails in single-node tests as it would on a cluster.
//
// Errors: UNAVAILABLE when Redis cannot be reached or the connection broke
// mid-command (the command may or may not have run: callers make writes idempotent),
// also for Redis's transient refusals (LOADING, BUSY, MASTERDOWN, TRYAGAIN,
// CLUSTERDOWN); DEADLINE_EXCEEDED on a command timeout; INVALID_ARGUMENT "CROSSSLOT"
// for a call whose keys hash to different slots (nothing is sent); a Redis error
// reply of the form "CODE:message" (as our Lua scripts raise them, e.g.
// "FAILED_PRECONDITION:...") becomes that absl code, any other error reply INTERNAL.
// Durability: see RedisOptions::wait_replicas (docs/operations.md, "Redis failover").
// Thread-safety: all methods are thread-safe.
#ifndef REVISIT_COMMON_REDIS_CLIENT_H_
#define REVISIT_COMMON_REDIS_CLIENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis_node.h"
#include "common/redis_value.h"

namespace revisit {

// RedisOptions configure one RedisClient: the connection settings of every node
// (RedisNodeOptions: host:port of the single server, or of the first seed), plus the
// cluster and durability settings below.
struct RedisOptions : RedisNodeOptions {
  // Redis Cluster seed nodes ("host:port"); empty: the one server at host:port.
  std::vector<std::string> cluster_seeds;
  // Durability of script commits (every state change is one script): with N > 0, a
  // script's reply is returned only once N replicas acknowledged it (WAIT N on the
  // same connection); otherwise the call is UNAVAILABLE ("not yet replicated"), so the
  // caller retries with its idempotency key. 0: the master's word is enough.
  // Read-only scripts (LuaScript read_only, EVALSHA_RO) and plain commands never wait.
  int wait_replicas = 0;
  absl::Duration wait_timeout = absl::Milliseconds(500);
};

// Parses "host:port" into options (INVALID_ARGUMENT naming the text when malformed).
absl::StatusOr<RedisOptions> ParseRedisAddress(const std::string& address);

// Parses "host:port[,host:port...]": with `cluster`, every address is a seed of a
// Redis Cluster; without, exactly one address is allowed.
absl::StatusOr<RedisOptions> ParseRedisAddresses(const std::string& addresses, bool cluster);

// LuaScript is a script run by SHA (EVALSHA) with a NOSCRIPT fallback that loads it.
// A read-only script runs as EVALSHA_RO / EVAL_RO: Redis refuses it if it writes, and
// RedisClient never waits for replicas after it (nothing to replicate).
// Thread-safety: immutable after construction apart from the cached SHA, which is
// guarded internally.
class LuaScript {
 public:
  LuaScript(std::string name, std::string source, bool read_only = false);
  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  bool read_only() const { return read_only_; }
  std::string sha() const;
  void set_sha(std::string sha) const;

 private:
  std::string name_;
  std::string source_;
  bool read_only_;
  mutable absl::Mutex mu_;
  mutable std::string sha_ ABSL_GUARDED_BY(mu_);
};

class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command, e.g. {"HGET", key, field}. Arguments are binary-safe.
  absl::StatusOr<RedisValue> Command(const std::vector<std::string>& argv);

  // Sends all commands in one round trip and returns one reply per command. An error
  // reply inside the pipeline is returned as that element's error status.
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // Runs `script` with EVALSHA, loading it on NOSCRIPT (e.g. after a server restart).
  absl::StatusOr<RedisValue> Eval(const LuaScript& script, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args);

  // One script invocation of EvalPipeline.
  struct EvalCall {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };
  // Runs `script` once per call with EVALSHA, all in one round trip; one reply per
  // call, in order. Calls answered NOSCRIPT (they ran nothing) are re-run with Eval.
  // The outer error is a connection failure: any call may or may not have run.
  // `calls` is taken by value: pass it with std::move and its strings are not copied.
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> EvalPipeline(
      const LuaScript& script, std::vector<EvalCall> calls);

  const RedisOptions& options() const { return options_; }
  bool cluster() const { return !options_.cluster_seeds.empty(); }

 private:
  // The node serving `slot` (any node for nullopt); reads the slot map first when
  // it is unknown or stale.
  absl::StatusOr<RedisNode*> NodeFor(std::optional<int> slot);
  // The nodes serving `slots`, one per slot, looked up under one lock.
  absl::StatusOr<std::vector<RedisNode*>> NodesFor(const std::vector<std::optional<int>>& slots);
  RedisNode* NodeAt(const std::string& address);
  RedisNode* NodeAtLocked(const std::string& address) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RefreshSlots();
  void MarkStale();
  // One command with redirects followed (cluster) or as is (single node).
  absl::StatusOr<RedisValue> Route(const std::vector<std::string>& argv);
  // Sends `share` to `node` in one round trip, followed by WAIT when a writing script
  // in it must reach replicas (wait_replicas; never after read-only scripts or plain
  // commands); unreplicated script replies become UNAVAILABLE.
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> Send(
      RedisNode& node, const std::vector<std::vector<std::string>>& share, bool asking);
  // The script's cached SHA, loading the script first when none is cached.
  absl::StatusOr<std::string> ScriptSha(const LuaScript& script);

  const RedisOptions options_;
  std::unique_ptr<RedisNode> single_;  // single-node mode
  absl::Mutex refresh_mu_;             // one slot-map refresh at a time
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<RedisNode>> nodes_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> slot_owner_ ABSL_GUARDED_BY(mu_);  // slot -> "host:port"
  bool stale_ ABSL_GUARDED_BY(mu_) = true;
};

// Runs `command` (e.g. "XLEN", "ZCARD") on `key_of(shard)` for every shard in one
// pipeline and sums the integer replies; -1 when Redis cannot be reached. For gauges.
int64_t SumOverShards(RedisClient& redis, const std::string& command,
                      const std::function<std::string(int shard)>& key_of);

}  // namespace revisit

#endif  // REVISIT_COMMON_REDIS_CLIENT_H_
