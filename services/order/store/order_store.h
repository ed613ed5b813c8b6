// Redis layout and reads of the order service. Writes go through WriteBatch.
//
// Keys (shard = the customer's shard, embedded in every ID, see common/keys.h):
//   order:{order:NN}:customer:<customer_id>        entity Customer
//   order:{order:NN}:order:<order_id>              entity Order
//   order:{order:NN}:promise:<promise_id>          entity Promise
//   order:{order:NN}:orders_of:<customer_id>       zset order_id by created ms
//   order:{order:NN}:promises_of:<customer_id>     zset promise_id by made ms
//   order:{order:NN}:req:<method>:<request_id>     first response (idempotency)
//   order:{order:NN}:outbox / outbox:seq / timers / timer_data
//                                                   (common/outbox.h, timer_queue.h)
// Thread-safety: thread-safe (stateless over a thread-safe RedisClient).
// Errors: NOT_FOUND naming the field when an ID is unknown; Redis errors.
#ifndef REVISIT_SERVICES_ORDER_STORE_ORDER_STORE_H_
#define REVISIT_SERVICES_ORDER_STORE_ORDER_STORE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/write_batch.h"
#include "common/entity.h"
#include "common/redis_client.h"
#include "revisit/order/v1/order.pb.h"
#include "services/order/domain/decide.h"
#include "services/order/store/lookup_index.h"
#include "services/order/store/order_cache.h"

namespace revisit::order {

inline constexpr char kService[] = "order";

std::string CustomerKey(int shard, const std::string& id);
std::string OrderKey(int shard, const std::string& id);
std::string PromiseKey(int shard, const std::string& id);
std::string OrdersOfKey(int shard, const std::string& customer_id);
std::string PromisesOfKey(int shard, const std::string& customer_id);
std::string RequestKey(int shard, const std::string& method, const std::string& request_id);

// Stages the effects of a decision (domain/decide.h) on the order read at
// `version` (0 = new): the order under its version guard, its timers and its
// events, published at `now`.
void StageOrder(WriteBatch& batch, int shard, int64_t version, const OrderEffects& effects,
                absl::Time now);

// What CreateOrder decides on (OrderStore::ReadCheckoutBasis).
struct CheckoutBasis {
  // The answer recorded under the request's dedupe key (raw, common/recorded_answer.h).
  std::optional<std::string> recorded;
  // The customer (nullopt: unknown) and the customer's promises, oldest first.
  std::optional<Versioned<v1::Customer>> customer;
  std::vector<Versioned<v1::Promise>> promises;
};

class OrderStore {
 public:
  // `lookup_secret`: the HMAC key of the FindCustomers indexes (empty: SHA-256).
  // `cached_orders`: the capacity of cache() (0: no cache).
  explicit OrderStore(RedisClient& redis, std::string lookup_secret = "",
                      size_t cached_orders = 0)
      : redis_(redis), lookup_(redis, std::move(lookup_secret)), cache_(cached_orders) {}

  // `field` names the request field in NOT_FOUND messages.
  absl::StatusOr<Versioned<v1::Customer>> GetCustomer(const std::string& id,
                                                      const std::string& field);
  absl::StatusOr<Versioned<v1::Order>> GetOrder(const std::string& id, const std::string& field);
  // A customer's promises, oldest first.
  absl::StatusOr<std::vector<Versioned<v1::Promise>>> PromisesOf(const std::string& customer_id);
  // A page of a customer's order IDs, newest first.
  absl::StatusOr<std::vector<std::string>> OrderIdsOf(const std::string& customer_id, int offset,
                                                      int limit);
  absl::StatusOr<std::vector<Versioned<v1::Order>>> GetOrders(int shard,
                                                              const std::vector<std::string>& ids);
  // The recorded answer under `dedupe_key`, customer `customer_id` (in `shard`) and
  // its promises: one pipelined round trip, plus one when the customer has promises.
  absl::StatusOr<CheckoutBasis> ReadCheckoutBasis(int shard, const std::string& dedupe_key,
                                                  const std::string& customer_id);
  RedisClient& redis() { return redis_; }
  // O2: the hashed FindCustomers indexes, staged with every customer and order write.
  const LookupIndex& lookup() const { return lookup_; }
  // The orders this process last committed (OrderCommands decides on them).
  OrderCache& cache() { return cache_; }

 private:
  RedisClient& redis_;
  LookupIndex lookup_;
  OrderCache cache_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_STORE_ORDER_STORE_H_
