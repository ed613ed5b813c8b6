// A small synchronous Redis client over hiredis, shared by every service store.
//
// RedisClient keeps a bounded pool of connections to one Redis server. Every call
// borrows a connection for its duration; callers on other threads wait for a free
// one. A broken connection is dropped and re-dialled on the next call with
// exponential backoff (bounded by `reconnect_budget`), so a redis-server restart
// costs callers UNAVAILABLE errors for a moment, never a crash.
//
// Errors: UNAVAILABLE when Redis cannot be reached or the connection broke
// mid-command (the command may or may not have run: callers make writes idempotent);
// DEADLINE_EXCEEDED on a command timeout; a Redis error reply of the form
// "CODE:message" (as our Lua scripts raise them, e.g. "FAILED_PRECONDITION:...")
// becomes that absl code, any other error reply becomes INTERNAL.
// Thread-safety: all methods are thread-safe.
#ifndef REVISIT_COMMON_REDIS_CLIENT_H_
#define REVISIT_COMMON_REDIS_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct redisContext;

namespace revisit {

// RedisValue is a decoded reply: nil, string (bulk or status), integer or array.
struct RedisValue {
  enum class Type { kNil, kString, kInteger, kArray };
  Type type = Type::kNil;
  std::string str;
  long long integer = 0;
  std::vector<RedisValue> elements;

  bool is_nil() const { return type == Type::kNil; }
};

// RedisOptions configure one RedisClient.
struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // ACL user (AUTH user password); empty = the default user.
  std::string password;  // AUTH on connect when non-empty.
  absl::Duration connect_timeout = absl::Seconds(1);
  absl::Duration command_timeout = absl::Seconds(5);
  // How long a call keeps re-dialling a down server before UNAVAILABLE.
  absl::Duration reconnect_budget = absl::Seconds(3);
  int pool_size = 8;
};

// Parses "host:port" into options (INVALID_ARGUMENT naming the text when malformed).
absl::StatusOr<RedisOptions> ParseRedisAddress(const std::string& address);

// LuaScript is a script run by SHA (EVALSHA) with a NOSCRIPT fallback that loads it.
// Thread-safety: immutable after construction apart from the cached SHA, which is
// guarded internally.
class LuaScript {
 public:
  LuaScript(std::string name, std::string source);
  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  std::string sha() const;
  void set_sha(std::string sha) const;

 private:
  std::string name_;
  std::string source_;
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
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> EvalPipeline(
      const LuaScript& script, const std::vector<EvalCall>& calls);

  const RedisOptions& options() const { return options_; }

 private:
  class Connection;
  absl::StatusOr<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> conn);
  absl::StatusOr<std::unique_ptr<Connection>> DialWithBackoff();
  // The script's cached SHA, loading the script first when none is cached.
  absl::StatusOr<std::string> ScriptSha(const LuaScript& script);

  RedisOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
};

// Runs `command` (e.g. "XLEN", "ZCARD") on `key_of(shard)` for every shard in one
// pipeline and sums the integer replies; -1 when Redis cannot be reached. For gauges.
int64_t SumOverShards(RedisClient& redis, const std::string& command,
                      const std::function<std::string(int shard)>& key_of);

}  // namespace revisit

#endif  // REVISIT_COMMON_REDIS_CLIENT_H_
