// OrderCommands: runs one command on one existing order, the way every mutating
// order RPC does: request_id checked, the order read (or taken from the store's
// OrderCache, store/order_cache.h), the pure decider run
// (domain/decide.h), its effects (state + events + timers) staged into one WriteBatch
// (StageOrder) under RunIdempotent keyed by the request_id, so a repeat returns the
// first answer and changes nothing. Policy() is the deciders' view of the config.
// Thread-safety: thread-safe (no state of its own).
// Errors: INVALID_ARGUMENT for a bad request_id, NOT_FOUND for an order ID this
// service never issued or does not have, the decider's status, ABORTED when a
// concurrent change kept winning the version guard.
#ifndef REVISIT_SERVICES_ORDER_EDGE_ORDER_COMMANDS_H_
#define REVISIT_SERVICES_ORDER_EDGE_ORDER_COMMANDS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/entity.h"
#include "google/protobuf/message.h"
#include "services/order/domain/decide.h"
#include "services/order/order_config.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

class OrderCommands {
 public:
  // A decider (domain/decide.h) bound to its request: the order as read, its shard
  // and now in; the effects out.
  using OrderDecider =
      std::function<absl::StatusOr<OrderEffects>(const v1::Order&, int shard, absl::Time now)>;

  // Not owned; all must outlive this.
  OrderCommands(const OrderConfig& config, OrderStore& store, const Clock& clock);

  // Read-decide-stage of order `order_id` under `method`'s request_id; `response`'s
  // `order` field gets the order after the decision. The first attempt decides on
  // `known` (the order as the caller read it) or else on the store's cache of orders
  // this process committed, and then needs no read: one round trip, the commit. A
  // retry after ABORTED (the order had moved on) and a decider's refusal decide
  // again on the order read from Redis. `decide` may therefore run more than once
  // per call (always without effects outside the batch it returns, apart from the
  // idempotent peer calls PayOrder and ShipOrder make).
  absl::Status MutateOrder(const std::string& method, const google::protobuf::Message& request,
                           const std::string& request_id, const std::string& order_id,
                           google::protobuf::Message* response, const OrderDecider& decide,
                           OrderCache::Entry known = nullptr);

  // The deciders' policy from the config (cut-off, zone, auto-completion, fee).
  OrderPolicy Policy() const;

 private:
  const OrderConfig& config_;
  OrderStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_ORDER_COMMANDS_H_
