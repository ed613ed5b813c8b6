#include "common/redis_node.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "absl/strings/str_cat.h"
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

// One hiredis connection; broken() once any I/O error happened.
class RedisNode::Connection {
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

RedisNode::RedisNode(RedisNodeOptions options) : options_(std::move(options)) {}

RedisNode::~RedisNode() = default;

std::string RedisNode::Address() const { return absl::StrCat(options_.host, ":", options_.port); }

absl::StatusOr<std::unique_ptr<RedisNode::Connection>> RedisNode::DialWithBackoff() {
  absl::Time give_up = absl::Now() + options_.reconnect_budget;
  absl::Duration backoff = absl::Milliseconds(20);
  while (true) {
    timeval tv = absl::ToTimeval(options_.connect_timeout);
    redisContext* c = redisConnectWithTimeout(options_.host.c_str(), options_.port, tv);
    absl::Status st;
    if (c == nullptr || c->err) {
      st = ContextError(c, "redis connect " + Address());
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

absl::StatusOr<std::unique_ptr<RedisNode::Connection>> RedisNode::Acquire() {
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

void RedisNode::Release(std::unique_ptr<Connection> conn) {
  absl::MutexLock lock(&mu_);
  --outstanding_;
  if (conn && !conn->broken()) idle_.push_back(std::move(conn));
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisNode::Pipeline(
    const std::vector<std::vector<std::string>>& commands, bool asking) {
  auto conn = Acquire();
  if (!conn.ok()) return conn.status();
  std::vector<absl::StatusOr<RedisValue>> replies;
  absl::Status io;
  for (const auto& argv : commands) {
    if (asking) io = (*conn)->Append({"ASKING"});
    if (io.ok()) io = (*conn)->Append(argv);
    if (!io.ok()) break;
  }
  for (size_t i = 0; io.ok() && i < commands.size(); ++i) {
    if (asking) {
      auto ok = (*conn)->Read();  // +OK of ASKING
      if (!ok.ok()) io = ok.status();
      if (!io.ok()) break;
    }
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

}  // namespace revisit
