#include "tools/bench_loyalty/completed_orders.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/proto_time.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/store/loyalty_store.h"

namespace revisit::bench {
namespace {

constexpr int64_t kPaidMinor = 10000;  // 100.00 CNY per order

}  // namespace

EventEnvelope CompletedOrderEvent(const std::string& customer, const std::string& order) {
  order::v1::OrderCompleted ev;
  auto* o = ev.mutable_order();
  o->set_order_id(order);
  o->set_customer_id(customer);
  o->mutable_paid()->set_amount_minor(kPaidMinor);
  o->mutable_paid()->set_currency("CNY");
  *o->mutable_completed_at() = ToProto(absl::Now());
  EventEnvelope e = MakeEvent("order", "completed", customer, order, absl::Now(), ev);
  e.sequence = 1;
  return e;
}

int64_t CompletedOrdersApplied(RedisClient& redis, const std::vector<std::string>& customers) {
  // The shards' spend indexes (net spend per customer, written with every account) hold
  // kPaidMinor per completed order of this workload: one ZMSCORE per shard instead of
  // reading and parsing every account (which grow with their orders), so the probe
  // takes little of the CPU it measures.
  std::map<int, std::vector<std::string>> by_shard;
  for (const auto& c : customers) by_shard[ShardOf(c)].push_back(c);
  std::vector<std::vector<std::string>> cmds;
  for (const auto& [shard, members] : by_shard) {
    cmds.push_back({"ZMSCORE", loyalty::SpendKey(shard)});
    cmds.back().insert(cmds.back().end(), members.begin(), members.end());
  }
  auto replies = redis.Pipeline(cmds);
  if (!replies.ok()) return -1;
  int64_t spend = 0;
  for (auto& r : *replies) {
    if (!r.ok()) return -1;
    for (const RedisValue& score : r->elements) {
      int64_t minor = 0;
      if (!score.is_nil() && absl::SimpleAtoi(score.str, &minor)) spend += minor;
    }
  }
  return spend / kPaidMinor;
}

}  // namespace revisit::bench
