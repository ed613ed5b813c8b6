#include "tools/bench_loyalty/completed_orders.h"

#include "absl/time/clock.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/proto_time.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/loyalty_state.pb.h"
#include "services/loyalty/store/loyalty_store.h"

namespace revisit::bench {

EventEnvelope CompletedOrderEvent(const std::string& customer, const std::string& order) {
  order::v1::OrderCompleted ev;
  auto* o = ev.mutable_order();
  o->set_order_id(order);
  o->set_customer_id(customer);
  o->mutable_paid()->set_amount_minor(10000);
  o->mutable_paid()->set_currency("CNY");
  *o->mutable_completed_at() = ToProto(absl::Now());
  EventEnvelope e = MakeEvent("order", "completed", customer, order, absl::Now(), ev);
  e.sequence = 1;
  return e;
}

int64_t CompletedOrdersApplied(RedisClient& redis, const std::vector<std::string>& customers) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& c : customers) cmds.push_back({"HGET", loyalty::AccountKey(ShardOf(c), c), "d"});
  auto replies = redis.Pipeline(cmds);
  if (!replies.ok()) return -1;
  int64_t sum = 0;
  for (auto& r : *replies) {
    loyalty::internal::Account a;
    if (r.ok() && !r->is_nil() && a.ParseFromString(r->str)) sum += a.completed_orders();
  }
  return sum;
}

}  // namespace revisit::bench
