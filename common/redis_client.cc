#include "common/redis_client.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/keys.h"
#include "common/redis_slots.h"

namespace revisit {
namespace {

constexpr int kMaxRedirects = 5;

RedisNodeOptions NodeOptions(const RedisOptions& o, const std::string& host, int port) {
  RedisNodeOptions n = o;  // the connection settings, for another node
  n.host = host;
  n.port = port;
  return n;
}

// The NOSCRIPT error reply reaches us as INTERNAL "redis: NOSCRIPT ..." (DecodeReply).
bool IsNoScript(const absl::StatusOr<RedisValue>& reply) {
  return !reply.ok() && reply.status().code() == absl::StatusCode::kInternal &&
         absl::StartsWith(reply.status().message(), "redis: NOSCRIPT");
}

std::vector<std::string> ScriptArgv(const std::string& verb, const std::string& body,
                                    const std::vector<std::string>& keys,
                                    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {verb, body, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// A script that may write (EVAL_RO / EVALSHA_RO cannot: Redis refuses their writes).
bool IsWritingScript(const std::vector<std::string>& argv) {
  return !argv.empty() && (argv[0] == "EVALSHA" || argv[0] == "EVAL");
}

const char* ShaVerb(const LuaScript& s) { return s.read_only() ? "EVALSHA_RO" : "EVALSHA"; }
const char* SourceVerb(const LuaScript& s) { return s.read_only() ? "EVAL_RO" : "EVAL"; }

// The slot of a command's keys (nullopt: keyless); CROSSSLOT when they disagree.
absl::StatusOr<std::optional<int>> CommandSlot(const std::vector<std::string>& argv) {
  return SlotOfKeys(CommandKeys(argv));
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

absl::StatusOr<RedisOptions> ParseRedisAddresses(const std::string& addresses, bool cluster) {
  std::vector<std::string> parts;
  for (absl::string_view p : absl::StrSplit(addresses, ',', absl::SkipWhitespace())) {
    parts.emplace_back(absl::StripAsciiWhitespace(p));
  }
  if (parts.empty()) return absl::InvalidArgumentError("redis address: empty");
  if (!cluster && parts.size() > 1) {
    return absl::InvalidArgumentError(
        "redis address: several addresses need cluster mode (REVISIT_REDIS_CLUSTER=true)");
  }
  for (const std::string& p : parts) {
    if (auto valid = ParseRedisAddress(p); !valid.ok()) return valid.status();
  }
  absl::StatusOr<RedisOptions> opts = ParseRedisAddress(parts.front());
  if (opts.ok() && cluster) opts->cluster_seeds = parts;
  return opts;
}

LuaScript::LuaScript(std::string name, std::string source, bool read_only)
    : name_(std::move(name)), source_(std::move(source)), read_only_(read_only) {}

std::string LuaScript::sha() const {
  absl::MutexLock lock(&mu_);
  return sha_;
}

void LuaScript::set_sha(std::string sha) const {
  absl::MutexLock lock(&mu_);
  sha_ = std::move(sha);
}

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {
  if (!cluster()) {
    single_ = std::make_unique<RedisNode>(NodeOptions(options_, options_.host, options_.port));
  }
}

RedisClient::~RedisClient() = default;

RedisNode* RedisClient::NodeAt(const std::string& address) {
  absl::MutexLock lock(&mu_);
  return NodeAtLocked(address);
}

RedisNode* RedisClient::NodeAtLocked(const std::string& address) {
  auto& node = nodes_[address];
  if (node == nullptr) {
    absl::StatusOr<RedisOptions> parsed = ParseRedisAddress(address);
    node = std::make_unique<RedisNode>(
        NodeOptions(options_, parsed.ok() ? parsed->host : address, parsed.ok() ? parsed->port : 0));
  }
  return node.get();
}

void RedisClient::MarkStale() {
  absl::MutexLock lock(&mu_);
  stale_ = true;
}

absl::Status RedisClient::RefreshSlots() {
  absl::MutexLock refresh(&refresh_mu_);
  std::vector<std::string> candidates;
  {
    absl::MutexLock lock(&mu_);
    if (!stale_) return absl::OkStatus();  // another caller just refreshed
    for (const auto& [address, node] : nodes_) candidates.push_back(address);
  }
  candidates.insert(candidates.begin(), options_.cluster_seeds.begin(),
                    options_.cluster_seeds.end());
  absl::Status last = absl::UnavailableError("redis cluster: no seed");
  for (const std::string& address : candidates) {
    auto reply = NodeAt(address)->Pipeline({{"CLUSTER", "SLOTS"}});
    if (!reply.ok()) last = reply.status();
    if (!reply.ok() || !(*reply)[0].ok()) {
      if (reply.ok()) last = (*reply)[0].status();
      continue;
    }
    std::vector<std::string> owner(kClusterSlots);
    for (const RedisValue& range : (*reply)[0]->elements) {
      if (range.elements.size() < 3 || range.elements[2].elements.size() < 2) continue;
      std::string master = absl::StrCat(range.elements[2].elements[0].str, ":",
                                        range.elements[2].elements[1].integer);
      for (long long s = range.elements[0].integer;
           s <= range.elements[1].integer && s < kClusterSlots; ++s) {
        owner[static_cast<size_t>(s)] = master;
      }
    }
    absl::MutexLock lock(&mu_);
    slot_owner_ = std::move(owner);
    stale_ = false;
    return absl::OkStatus();
  }
  return absl::UnavailableError(absl::StrCat("redis cluster: no node answered CLUSTER SLOTS: ",
                                             last.message()));
}

absl::StatusOr<RedisNode*> RedisClient::NodeFor(std::optional<int> slot) {
  absl::StatusOr<std::vector<RedisNode*>> nodes = NodesFor({slot});
  if (!nodes.ok()) return nodes.status();
  return nodes->front();
}

absl::StatusOr<std::vector<RedisNode*>> RedisClient::NodesFor(
    const std::vector<std::optional<int>>& slots) {
  if (!cluster()) return std::vector<RedisNode*>(slots.size(), single_.get());
  bool stale;
  {
    absl::MutexLock lock(&mu_);
    stale = stale_;
  }
  if (stale) {
    if (absl::Status refreshed = RefreshSlots(); !refreshed.ok()) return refreshed;
  }
  std::vector<RedisNode*> nodes;
  nodes.reserve(slots.size());
  absl::MutexLock lock(&mu_);  // once for the whole batch
  for (const std::optional<int>& slot : slots) {
    const std::string address =
        slot_owner_.empty() ? "" : slot_owner_[static_cast<size_t>(slot.value_or(0))];
    if (address.empty()) {
      stale_ = true;
      return absl::UnavailableError(absl::StrCat("redis cluster: slot ", slot.value_or(0),
                                                 " is not served (CLUSTERDOWN?)"));
    }
    nodes.push_back(NodeAtLocked(address));
  }
  return nodes;
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisClient::Send(
    RedisNode& node, const std::vector<std::vector<std::string>>& share, bool asking) {
  bool scripts = false;
  for (const auto& argv : share) scripts = scripts || IsWritingScript(argv);
  if (options_.wait_replicas <= 0 || !scripts) return node.Pipeline(share, asking);
  std::vector<std::vector<std::string>> with_wait = share;
  with_wait.push_back({"WAIT", absl::StrCat(options_.wait_replicas),
                       absl::StrCat(absl::ToInt64Milliseconds(options_.wait_timeout))});
  auto replies = node.Pipeline(with_wait, asking);
  if (!replies.ok()) return replies;
  absl::StatusOr<RedisValue> acked = std::move(replies->back());
  replies->pop_back();
  if (acked.ok() && acked->integer >= options_.wait_replicas) return replies;
  absl::Status unreplicated = absl::UnavailableError(absl::StrCat(
      "redis: written on ", node.Address(), " but acknowledged by ",
      acked.ok() ? acked->integer : 0, " of ", options_.wait_replicas,
      " replicas in time (retry with the same request)"));
  for (size_t i = 0; i < share.size(); ++i) {
    if (IsWritingScript(share[i]) && (*replies)[i].ok()) (*replies)[i] = unreplicated;
  }
  return replies;
}

absl::StatusOr<RedisValue> RedisClient::Route(const std::vector<std::string>& argv) {
  absl::StatusOr<std::optional<int>> slot = CommandSlot(argv);
  if (!slot.ok()) return slot.status();
  absl::StatusOr<RedisNode*> node = NodeFor(*slot);
  if (!node.ok()) return node.status();
  bool asking = false;
  for (int hop = 0;; ++hop) {
    auto replies = Send(**node, {argv}, asking);
    if (!replies.ok()) {
      if (cluster()) MarkStale();  // a failover may have moved the slot
      return replies.status();
    }
    absl::StatusOr<RedisValue> reply = std::move((*replies)[0]);
    std::optional<Redirect> redirect = reply.ok() ? std::nullopt : ParseRedirect(reply.status());
    if (!redirect.has_value() || !cluster() || hop == kMaxRedirects) return reply;
    asking = redirect->ask;
    if (!asking) {
      absl::MutexLock lock(&mu_);
      if (!slot_owner_.empty()) slot_owner_[static_cast<size_t>(redirect->slot)] = redirect->address;
      stale_ = true;  // MOVED: the map changed; re-read it on the next call
    }
    node = NodeAt(redirect->address);
  }
}

absl::StatusOr<RedisValue> RedisClient::Command(const std::vector<std::string>& argv) {
  return Route(argv);
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  // Group the commands per node, keeping each node's share in order.
  std::vector<std::optional<int>> slots;
  slots.reserve(commands.size());
  for (const auto& argv : commands) {
    absl::StatusOr<std::optional<int>> slot = CommandSlot(argv);
    if (!slot.ok()) return slot.status();
    slots.push_back(*slot);
  }
  absl::StatusOr<std::vector<RedisNode*>> nodes = NodesFor(slots);
  if (!nodes.ok()) return nodes.status();
  std::vector<absl::StatusOr<RedisValue>> replies(commands.size(), RedisValue());
  // Each node's share in one round trip; one node (always so on a single server) gets
  // `commands` as is, without copying them into a share.
  std::map<RedisNode*, std::vector<size_t>> groups;
  for (size_t i = 0; i < commands.size(); ++i) groups[(*nodes)[i]].push_back(i);
  for (const auto& [node, indices] : groups) {
    std::vector<std::vector<std::string>> share;
    if (groups.size() > 1) {
      for (size_t i : indices) share.push_back(commands[i]);
    }
    auto got = Send(*node, groups.size() > 1 ? share : commands, /*asking=*/false);
    if (!got.ok()) {
      if (cluster()) MarkStale();
      return got.status();
    }
    for (size_t k = 0; k < indices.size(); ++k) replies[indices[k]] = std::move((*got)[k]);
  }
  for (size_t i = 0; cluster() && i < commands.size(); ++i) {
    if (!replies[i].ok() && ParseRedirect(replies[i].status()).has_value()) {
      replies[i] = Route(commands[i]);  // the slot moved (or is moving): follow it
    }
  }
  return replies;
}

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
  auto reply = Command(ScriptArgv(ShaVerb(script), *sha, keys, args));
  // The node lost its script cache (restart) or never had it (another cluster node):
  // EVAL runs the source, which also caches it on that node.
  if (IsNoScript(reply)) {
    return Command(ScriptArgv(SourceVerb(script), script.source(), keys, args));
  }
  return reply;
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisClient::EvalPipeline(
    const LuaScript& script, std::vector<EvalCall> calls) {
  auto sha = ScriptSha(script);
  if (!sha.ok()) return sha.status();
  // The calls' strings move into the commands (a commit's arguments are its largest
  // allocation: accounts, envelopes); no copy per call.
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(calls.size());
  for (auto& c : calls) {
    std::vector<std::string> argv;
    argv.reserve(3 + c.keys.size() + c.args.size());
    argv.push_back(ShaVerb(script));
    argv.push_back(*sha);
    argv.push_back(std::to_string(c.keys.size()));
    std::move(c.keys.begin(), c.keys.end(), std::back_inserter(argv));
    std::move(c.args.begin(), c.args.end(), std::back_inserter(argv));
    cmds.push_back(std::move(argv));
  }
  auto replies = Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (!IsNoScript((*replies)[i])) continue;  // NOSCRIPT ran nothing: run the source
    cmds[i][0] = SourceVerb(script);
    cmds[i][1] = script.source();
    (*replies)[i] = Command(cmds[i]);
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
