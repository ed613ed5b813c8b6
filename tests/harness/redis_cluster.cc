#include "tests/harness/redis_cluster.h"

#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/redis_client.h"
#include "tests/harness/subprocess.h"

namespace revisit::testing {
namespace {

constexpr absl::Duration kCreateGuard = absl::Seconds(60);

// A plain (single-node) client to one cluster node, for admin commands.
absl::StatusOr<RedisValue> On(RedisServer& node, const std::vector<std::string>& argv) {
  RedisOptions o;
  o.port = node.port();
  o.reconnect_budget = absl::Milliseconds(200);
  RedisClient client(o);
  return client.Command(argv);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisCluster>> RedisCluster::Start(const RedisClusterOptions& o) {
  std::unique_ptr<RedisCluster> c(new RedisCluster());
  const int n = o.masters * (1 + o.replicas_per_master);
  std::vector<std::string> addresses;
  for (int i = 0; i < n; ++i) {
    auto node = RedisServer::Start({/*cluster=*/true, o.node_timeout});
    if (!node.ok()) return node.status();
    addresses.push_back((*node)->Address());
    c->nodes_.push_back(*std::move(node));
    c->down_.push_back(false);
  }
  auto dir = TempDir::Create("redis-cluster-create");
  if (!dir.ok()) return dir.status();
  SubprocessOptions create;
  create.path = "redis-cli";
  create.args = {"--cluster", "create"};
  create.args.insert(create.args.end(), addresses.begin(), addresses.end());
  create.args.insert(create.args.end(), {"--cluster-replicas", absl::StrCat(o.replicas_per_master),
                                         "--cluster-yes"});
  create.log_path = (*dir)->File("create.log");
  auto proc = Subprocess::Start(create);
  if (!proc.ok()) return proc.status();
  absl::StatusOr<int> code = (*proc)->Wait(kCreateGuard);
  if (!code.ok() || *code != 0) {
    return absl::UnavailableError(absl::StrCat("redis-cli --cluster create failed:\n",
                                               (*proc)->ReadLog()));
  }
  if (absl::Status healthy = c->AwaitHealthy(); !healthy.ok()) return healthy;
  return c;
}

RedisCluster::~RedisCluster() = default;

std::string RedisCluster::Seeds() const {
  std::vector<std::string> addresses;
  for (const auto& node : nodes_) addresses.push_back(node->Address());
  return absl::StrJoin(addresses, ",");
}

int RedisCluster::IndexOfPort(int port) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i]->port() == port) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<int> RedisCluster::MasterOf(int slot) {
  absl::Status last = absl::UnavailableError("no node is up");
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (down_[i]) continue;
    auto slots = On(*nodes_[i], {"CLUSTER", "SLOTS"});
    if (!slots.ok()) {
      last = slots.status();
      continue;
    }
    for (const RedisValue& r : slots->elements) {
      if (r.elements.size() >= 3 && r.elements[0].integer <= slot && slot <= r.elements[1].integer) {
        return IndexOfPort(static_cast<int>(r.elements[2].elements[1].integer));
      }
    }
    return absl::NotFoundError(absl::StrCat("slot ", slot, " is not served"));
  }
  return last;
}

absl::Status RedisCluster::KillNode(int i) {
  down_[static_cast<size_t>(i)] = true;
  return nodes_[static_cast<size_t>(i)]->Kill();
}

absl::Status RedisCluster::RestartNode(int i) {
  absl::Status st = nodes_[static_cast<size_t>(i)]->Restart();
  if (st.ok()) down_[static_cast<size_t>(i)] = false;
  return st;
}

absl::Status RedisCluster::AwaitHealthy(absl::Duration guard) {
  absl::Time deadline = absl::Now() + guard;
  std::string why;
  while (absl::Now() < deadline) {
    why.clear();
    for (size_t i = 0; i < nodes_.size() && why.empty(); ++i) {
      if (down_[i]) continue;
      auto info = On(*nodes_[i], {"CLUSTER", "INFO"});
      if (!info.ok()) why = absl::StrCat(nodes_[i]->Address(), ": ", info.status().message());
      else if (!absl::StrContains(info->str, "cluster_state:ok")) {
        why = absl::StrCat(nodes_[i]->Address(), " not ok");
      }
    }
    for (int slot : {0, 8191, 16383}) {  // every master's range answers through a live master
      if (!why.empty()) break;
      auto master = MasterOf(slot);
      if (!master.ok() || *master < 0 || down_[static_cast<size_t>(*master)]) {
        why = absl::StrCat("slot ", slot, " has no live master");
      }
    }
    if (why.empty()) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return absl::UnavailableError("redis cluster not healthy: " + why);
}

absl::StatusOr<std::string> RedisCluster::NodeId(int i) {
  auto id = On(*nodes_[static_cast<size_t>(i)], {"CLUSTER", "MYID"});
  if (!id.ok()) return id.status();
  return id->str;
}

absl::Status RedisCluster::MoveSlots(int first, int last, int to) {
  auto to_id = NodeId(to);
  if (!to_id.ok()) return to_id.status();
  RedisServer& target = *nodes_[static_cast<size_t>(to)];
  for (int slot = first; slot <= last; ++slot) {
    auto from = MasterOf(slot);
    if (!from.ok()) return from.status();
    if (*from == to) continue;
    RedisServer& source = *nodes_[static_cast<size_t>(*from)];
    auto from_id = NodeId(*from);
    if (!from_id.ok()) return from_id.status();
    const std::string s = absl::StrCat(slot);
    if (auto r = On(target, {"CLUSTER", "SETSLOT", s, "IMPORTING", *from_id}); !r.ok()) return r.status();
    if (auto r = On(source, {"CLUSTER", "SETSLOT", s, "MIGRATING", *to_id}); !r.ok()) return r.status();
    while (true) {
      auto keys = On(source, {"CLUSTER", "GETKEYSINSLOT", s, "100"});
      if (!keys.ok()) return keys.status();
      if (keys->elements.empty()) break;
      std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", absl::StrCat(target.port()), "",
                                          "0", "5000", "KEYS"};
      for (const RedisValue& k : keys->elements) migrate.push_back(k.str);
      if (auto r = On(source, migrate); !r.ok()) return r.status();
    }
    for (size_t i = 0; i < nodes_.size(); ++i) {  // every node learns the new owner
      if (down_[i]) continue;
      (void)On(*nodes_[i], {"CLUSTER", "SETSLOT", s, "NODE", *to_id});
    }
  }
  return absl::OkStatus();
}

}  // namespace revisit::testing
