#include "common/redis_client.h"

#include <hiredis/hiredis.h>

#include <cerrno>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "common/keys.h"
#include "common/redis_reply.h"

namespace revisit {
namespace {

absl::Status ContextError(redisContext* c, const std::string& what) {
  std::string msg = what + ": " + (c ? c->errstr : "cannot allocate context");
  if (c && c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    return absl::DeadlineExceededError(msg);
  }
  return absl::UnavailableError(msg);
}

}  // namespace

absl::StatusOr<RedisOptions> ParseRedisAddress(const std::string& address) {
  auto colon = address.rfind(':');
  RedisOptions opts;
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError("redis address \"" + address +
                                      "\" must be host:port with a port in 1..65535");
  }
  opts.host = address.substr(0, colon);
  opts.port = port;
  return opts;
}

LuaScript::LuaScript(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)) {}

std::string LuaScript::sha() const {
  absl::MutexLock lock(&mu_);
  return sha_;
}

void LuaScript::set_sha(std::string sha) const {
  absl::MutexLock lock(&mu_);
  sha_ = std::move(sha);
}

// One hiredis connection; broken() once any I/O error happened.
class RedisClient::Connection {
 public:
  explicit Connection(redisContext* c) : ctx_(c) {}
  ~Connection() { redisFree(ctx_); }
  bool broken() const { return ctx_->err != 0; }

  absl::Status Append(const std::vector<std::string>& argv) {
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), ptrs.data(), lens.data()) !=
        REDIS_OK) {
      return ContextError(ctx_, "redis append");
    }
    return absl::OkStatus();
  }

  // Reads one reply; the outer status is a connection error, the inner a reply error.
  absl::StatusOr<absl::StatusOr<RedisValue>> Read() {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
      return ContextError(ctx_, "redis read");
    }
    auto* reply = static_cast<redisReply*>(raw);
    absl::StatusOr<RedisValue> value = DecodeReply(reply);
    freeReplyObject(reply);
    return value;
  }

 private:
  redisContext* ctx_;
};

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {}

RedisClient::~RedisClient() = default;

absl::StatusOr<std::unique_ptr<RedisClient::Connection>> RedisClient::DialWithBackoff() {
  absl::Time give_up = absl::Now() + options_.reconnect_budget;
  absl::Duration backoff = absl::Milliseconds(20);
  while (true) {
    timeval tv = absl::ToTimeval(options_.connect_timeout);
    redisContext* c = redisConnectWithTimeout(options_.host.c_str(), options_.port, tv);
    absl::Status st;
    if (c == nullptr || c->err) {
      st = ContextError(c, "redis connect " + options_.host + ":" + std::to_string(options_.port));
      if (c) redisFree(c);
    } else {
      redisSetTimeout(c, absl::ToTimeval(options_.command_timeout));
      auto conn = std::make_unique<Connection>(c);
      if (options_.password.empty()) return conn;
      auto auth = options_.user.empty()
                      ? conn->Append({"AUTH", options_.password})
                      : conn->Append({"AUTH", options_.user, options_.password});
      if (auth.ok()) {
        auto reply = conn->Read();
        if (reply.ok() && reply->ok()) return conn;
        st = reply.ok() ? reply->status() : reply.status();
      } else {
        st = auth;
      }
      if (st.code() != absl::StatusCode::kUnavailable) return st;  // wrong password
    }
    if (absl::Now() + backoff > give_up) return st;
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(backoff));
    backoff = std::min(backoff * 2, absl::Milliseconds(500));
  }
}

absl::StatusOr<std::unique_ptr<RedisClient::Connection>> RedisClient::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto can_go = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || outstanding_ < options_.pool_size;
    };
    mu_.Await(absl::Condition(&can_go));
    ++outstanding_;
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  auto conn = DialWithBackoff();
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --outstanding_;
  }
  return conn;
}

void RedisClient::Release(std::unique_ptr<Connection> conn) {
  absl::MutexLock lock(&mu_);
  --outstanding_;
  if (conn && !conn->broken()) idle_.push_back(std::move(conn));
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  auto conn = Acquire();
  if (!conn.ok()) return conn.status();
  std::vector<absl::StatusOr<RedisValue>> replies;
  absl::Status io;
  for (const auto& argv : commands) {
    io = (*conn)->Append(argv);
    if (!io.ok()) break;
  }
  for (size_t i = 0; io.ok() && i < commands.size(); ++i) {
    auto r = (*conn)->Read();
    if (!r.ok()) {
      io = r.status();
      break;
    }
    replies.push_back(*std::move(r));
  }
  Release(*std::move(conn));
  if (!io.ok()) return io;
  return replies;
}

absl::StatusOr<RedisValue> RedisClient::Command(const std::vector<std::string>& argv) {
  auto replies = Pipeline({argv});
  if (!replies.ok()) return replies.status();
  return std::move((*replies)[0]);
}

namespace {

// The NOSCRIPT error reply reaches us as INTERNAL "redis: NOSCRIPT ..." (DecodeReply).
bool IsNoScript(const absl::StatusOr<RedisValue>& reply) {
  return !reply.ok() && reply.status().code() == absl::StatusCode::kInternal &&
         absl::StartsWith(reply.status().message(), "redis: NOSCRIPT");
}

std::vector<std::string> EvalShaArgv(const std::string& sha, const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"EVALSHA", sha, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

absl::StatusOr<std::string> RedisClient::ScriptSha(const LuaScript& script) {
  std::string sha = script.sha();
  if (!sha.empty()) return sha;
  auto loaded = Command({"SCRIPT", "LOAD", script.source()});
  if (!loaded.ok()) return loaded.status();
  script.set_sha(loaded->str);
  return loaded->str;
}

absl::StatusOr<RedisValue> RedisClient::Eval(const LuaScript& script,
                                             const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args) {
  auto sha = ScriptSha(script);
  if (!sha.ok()) return sha.status();
  auto reply = Command(EvalShaArgv(*sha, keys, args));
  if (IsNoScript(reply)) {
    script.set_sha("");
    return Eval(script, keys, args);
  }
  return reply;
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisClient::EvalPipeline(
    const LuaScript& script, const std::vector<EvalCall>& calls) {
  auto sha = ScriptSha(script);
  if (!sha.ok()) return sha.status();
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(calls.size());
  for (const auto& c : calls) cmds.push_back(EvalShaArgv(*sha, c.keys, c.args));
  auto replies = Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < calls.size(); ++i) {
    if (!IsNoScript((*replies)[i])) continue;
    script.set_sha("");  // the server lost its script cache (restart): reload, redo
    (*replies)[i] = Eval(script, calls[i].keys, calls[i].args);
  }
  return replies;
}

int64_t SumOverShards(RedisClient& redis, const std::string& command,
                      const std::function<std::string(int shard)>& key_of) {
  std::vector<std::vector<std::string>> cmds;
  for (int s = 0; s < kShards; ++s) cmds.push_back({command, key_of(s)});
  auto replies = redis.Pipeline(cmds);
  if (!replies.ok()) return -1;
  int64_t total = 0;
  for (auto& r : *replies) {
    if (r.ok()) total += r->integer;
  }
  return total;
}

}  // namespace revisit
