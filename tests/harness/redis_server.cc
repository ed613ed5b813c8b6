#include "tests/harness/redis_server.h"

#include <hiredis.h>
#include <signal.h>

#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/redis_client.h"

#ifndef REVISIT_REDIS_ACL_RULES_PATH
#error "REVISIT_REDIS_ACL_RULES_PATH must name deploy/k8s/base/redis/acl-rules.conf"
#endif

namespace revisit::testing {
namespace {

constexpr absl::Duration kStartGuard = absl::Seconds(20);
constexpr int kMaxClusterPort = 65535 - 10000;

bool Pings(int port) {
  timeval tv{0, 200000};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  bool ok = false;
  if (c != nullptr && c->err == 0) {
    auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS &&
         std::string(reply->str, reply->len) == "PONG";
    if (reply != nullptr) freeReplyObject(reply);
  }
  if (c != nullptr) redisFree(c);
  return ok;
}

std::string Tail(const std::string& text) {
  return text.size() <= 2000 ? text : text.substr(text.size() - 2000);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(const RedisServerOptions& options) {
  absl::Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {  // a "free" port may be taken meanwhile
    absl::StatusOr<std::unique_ptr<TempDir>> dir = TempDir::Create("revisit-redis");
    if (!dir.ok()) return dir.status();
    absl::StatusOr<int> port = FreePort();
    // A cluster node also listens on port + 10000 (the cluster bus): Redis refuses
    // ports above 55535 in cluster mode, so draw again until one fits.
    for (int draw = 0; options.cluster && port.ok() && *port > kMaxClusterPort && draw < 100;
         ++draw) {
      port = FreePort();
    }
    if (!port.ok()) return port.status();
    std::unique_ptr<RedisServer> server(new RedisServer(*std::move(dir), *port, options));
    last = server->Launch();
    if (last.ok()) return server;
  }
  return last;
}

RedisServer::~RedisServer() = default;

int RedisServer::pid() const {
  return process_ != nullptr && process_->Running() ? static_cast<int>(process_->pid()) : 0;
}

std::string RedisServer::Address() const { return absl::StrCat("127.0.0.1:", port_); }

absl::Status RedisServer::Launch() {
  SubprocessOptions o;
  o.path = REVISIT_REDIS_SERVER_PATH;
  o.args = {"--port", absl::StrCat(port_), "--bind", "127.0.0.1", "--dir", dir_->path(),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "",
            "--daemonize", "no", "--protected-mode", "no", "--logfile", ""};
  if (options_.cluster) {
    o.args.insert(o.args.end(),
                  {"--cluster-enabled", "yes", "--cluster-config-file", dir_->File("nodes.conf"),
                   "--cluster-node-timeout",
                   absl::StrCat(absl::ToInt64Milliseconds(options_.cluster_node_timeout)),
                   // As in prod (cluster.conf): every acknowledged commit waited for a
                   // replica (WAIT 1), so a replica is always fit to take over, however
                   // long its link was down on a starved machine.
                   "--cluster-replica-validity-factor", "0"});
  }
  o.log_path = dir_->File("redis.log");
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(o);
  if (!p.ok()) return p.status();
  process_ = *std::move(p);
  return AwaitPing();
}

absl::Status RedisServer::AwaitPing() {
  absl::Time deadline = absl::Now() + kStartGuard;
  while (absl::Now() < deadline && process_->Running()) {
    if (Pings(port_)) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string log = process_->ReadLog();
  process_->Kill().IgnoreError();
  return absl::UnavailableError(
      absl::StrCat("redis-server on port ", port_, " did not answer PING:\n", Tail(log)));
}

absl::Status RedisServer::Stop() {
  if (process_ == nullptr || !process_->Running()) return absl::OkStatus();
  absl::Status signalled = process_->Signal(SIGTERM);
  if (!signalled.ok()) return signalled;
  absl::StatusOr<int> code = process_->Wait(kStartGuard);
  if (!code.ok()) return code.status();
  return absl::OkStatus();
}

absl::Status RedisServer::Kill() {
  if (process_ == nullptr) return absl::OkStatus();
  return process_->Kill();
}

absl::Status RedisServer::Restart() {
  absl::Status stopped = Stop();
  if (!stopped.ok()) return stopped;
  return Launch();
}

absl::Status RedisServer::CreateServiceUsers() {
  std::ifstream in(REVISIT_REDIS_ACL_RULES_PATH);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", REVISIT_REDIS_ACL_RULES_PATH));
  auto parsed = ParseRedisAddress(Address());
  if (!parsed.ok()) return parsed.status();
  RedisClient admin(*parsed);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> words =
        absl::StrSplit(line.substr(0, line.find('#')), ' ', absl::SkipEmpty());
    if (words.empty()) continue;
    std::vector<std::string> cmd = {"ACL", "SETUSER", words[0], "reset", "on",
                                    ">" + ServicePassword(words[0])};
    cmd.insert(cmd.end(), words.begin() + 1, words.end());
    auto reply = admin.Command(cmd);
    if (!reply.ok()) return reply.status();
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> RedisServer::ServiceEnv(const std::string& service) {
  return {{"REVISIT_REDIS_USER", service}, {"REVISIT_REDIS_PASSWORD", ServicePassword(service)}};
}

}  // namespace revisit::testing
