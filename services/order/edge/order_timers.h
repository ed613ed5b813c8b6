// OrderTimers: the order service's durable timers. "complete:<order_id>" completes
// a delivered order automatically; "late:<order_id>" raises ShipmentLate for a paid
// order not shipped by its same-day cut-off (O3); "benefits:<order_id>" tells loyalty
// what a cancel or refund gives back (L4, OrderCheckout::SyncBenefits), retried until
// loyalty acknowledged. Each commits with CompleteTimer, so a timer that fires twice
// (a scheduler died mid-handler) takes effect once; a firing that finds the order
// moved on does nothing.
// Thread-safety: thread-safe (the timer scheduler calls from its threads).
// Errors: Redis and loyalty errors (the scheduler retries the timer); unknown timer
// IDs are dropped (OK).
#ifndef REVISIT_SERVICES_ORDER_EDGE_ORDER_TIMERS_H_
#define REVISIT_SERVICES_ORDER_EDGE_ORDER_TIMERS_H_

#include <string>

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/timer_queue.h"
#include "services/order/edge/order_checkout.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

class OrderTimers {
 public:
  // Not owned; all must outlive this.
  OrderTimers(OrderStore& store, OrderCheckout& checkout, const Clock& clock);

  // Fires an order timer ("complete:", "late:" or "benefits:" + order ID).
  absl::Status HandleTimer(const DueTimer& timer);

 private:
  absl::Status AutoComplete(const std::string& order_id, const DueTimer& timer);
  absl::Status NotifyLate(const std::string& order_id, const DueTimer& timer);

  OrderStore& store_;
  OrderCheckout& checkout_;
  const Clock& clock_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_ORDER_TIMERS_H_
