#include "services/order/store/order_store.h"

#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/status_macros.h"
#include "common/text.h"
#include "common/timer_queue.h"
#include "services/order/store/order_events.h"

namespace revisit::order {

std::string CustomerKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "customer:" + id);
}
std::string OrderKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "order:" + id);
}
std::string PromiseKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "promise:" + id);
}
std::string OrdersOfKey(int shard, const std::string& customer_id) {
  return ShardKey(kService, shard, "orders_of:" + customer_id);
}
std::string PromisesOfKey(int shard, const std::string& customer_id) {
  return ShardKey(kService, shard, "promises_of:" + customer_id);
}
std::string RequestKey(int shard, const std::string& method, const std::string& request_id) {
  return ShardKey(kService, shard, absl::StrCat("req:", method, ":", request_id));
}

absl::StatusOr<Versioned<v1::Customer>> OrderStore::GetCustomer(const std::string& id,
                                                               const std::string& field) {
  auto shard = ShardOfEntityId(id, "cus", field);
  if (!shard.ok()) return shard.status();
  auto c = ReadEntity<v1::Customer>(redis_, CustomerKey(*shard, id));
  if (!c.ok()) return c.status();
  if (!c->has_value()) return absl::NotFoundError(field + ": customer " + Excerpt(id) + " not found");
  return **c;
}

absl::StatusOr<Versioned<v1::Order>> OrderStore::GetOrder(const std::string& id,
                                                         const std::string& field) {
  auto shard = ShardOfEntityId(id, "ord", field);
  if (!shard.ok()) return shard.status();
  auto o = ReadEntity<v1::Order>(redis_, OrderKey(*shard, id));
  if (!o.ok()) return o.status();
  if (!o->has_value()) return absl::NotFoundError(field + ": order " + Excerpt(id) + " not found");
  return **o;
}

absl::StatusOr<std::vector<Versioned<v1::Promise>>> OrderStore::PromisesOf(
    const std::string& customer_id) {
  auto shard = ShardOfEntityId(customer_id, "cus", "customer_id");
  if (!shard.ok()) return shard.status();
  auto ids = redis_.Command({"ZRANGE", PromisesOfKey(*shard, customer_id), "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const auto& id : ids->elements) keys.push_back(PromiseKey(*shard, id.str));
  return ReadEntities<v1::Promise>(redis_, keys);
}

absl::StatusOr<std::vector<std::string>> OrderStore::OrderIdsOf(const std::string& customer_id,
                                                               int offset, int limit) {
  auto shard = ShardOfEntityId(customer_id, "cus", "customer_id");
  if (!shard.ok()) return shard.status();
  auto ids = redis_.Command({"ZREVRANGE", OrdersOfKey(*shard, customer_id),
                             std::to_string(offset), std::to_string(offset + limit - 1)});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> out;
  for (const auto& id : ids->elements) out.push_back(id.str);
  return out;
}

absl::StatusOr<std::vector<Versioned<v1::Order>>> OrderStore::GetOrders(
    int shard, const std::vector<std::string>& ids) {
  std::vector<std::string> keys;
  for (const auto& id : ids) keys.push_back(OrderKey(shard, id));
  return ReadEntities<v1::Order>(redis_, keys);
}

absl::StatusOr<CheckoutBasis> OrderStore::ReadCheckoutBasis(int shard,
                                                              const std::string& dedupe_key,
                                                              const std::string& customer_id) {
  const std::string customer_key = CustomerKey(shard, customer_id);
  auto replies = redis_.Pipeline({{"GET", dedupe_key},
                                  {"HMGET", customer_key, "v", "d"},
                                  {"ZRANGE", PromisesOfKey(shard, customer_id), "0", "-1"}});
  if (!replies.ok()) return replies.status();
  for (const auto& r : *replies) {
    if (!r.ok()) return r.status();
  }
  CheckoutBasis basis;
  if (!(*replies)[0]->is_nil()) basis.recorded = std::move((*replies)[0]->str);
  ASSIGN_OR_RETURN(auto raw, DecodeRaw(customer_key, *(*replies)[1]));
  if (raw) {
    basis.customer.emplace();
    basis.customer->version = raw->first;
    RETURN_IF_ERROR(ParseStored(customer_key, raw->second, &basis.customer->value));
  }
  std::vector<std::string> keys;
  for (const auto& id : (*replies)[2]->elements) keys.push_back(PromiseKey(shard, id.str));
  if (keys.empty()) return basis;
  ASSIGN_OR_RETURN(basis.promises, ReadEntities<v1::Promise>(redis_, keys));
  return basis;
}

void StageOrder(WriteBatch& batch, int shard, int64_t version, const OrderEffects& effects,
                absl::Time now) {
  const v1::Order& o = effects.order;
  const std::string key = OrderKey(shard, o.order_id());
  batch.ExpectVersion(key, version).Put(key, version + 1, o.SerializeAsString());
  for (const OrderTimer& t : effects.timers) {
    if (t.due) {
      ScheduleTimer(batch, kService, shard, t.id, *t.due, "");
    } else {
      CancelTimer(batch, kService, shard, t.id);
    }
  }
  for (const OrderEvent& e : effects.events) {
    Emit(batch, shard, o.customer_id(), o.order_id(), now, e.name, *e.payload);
  }
}

}  // namespace revisit::order
