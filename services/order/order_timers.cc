// OrderServiceImpl: durable timers. "complete:<order_id>" completes a delivered
// order automatically; "late:<order_id>" raises ShipmentLate for a paid order not
// shipped by its same-day cut-off (O3). Each commits with CompleteTimer, so a timer
// that fires twice (a scheduler died mid-handler) takes effect once.
#include "absl/strings/strip.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/order/order_events.h"
#include "services/order/order_service.h"
#include "services/order/order_time.h"

namespace revisit::order {

absl::Status OrderServiceImpl::HandleTimer(const DueTimer& timer) {
  absl::string_view id = timer.id;
  if (absl::ConsumePrefix(&id, "complete:")) return AutoComplete(std::string(id), timer);
  if (absl::ConsumePrefix(&id, "late:")) return NotifyLate(std::string(id), timer);
  return absl::OkStatus();  // Unknown timers are dropped (none are ever scheduled).
}

absl::Status OrderServiceImpl::AutoComplete(const std::string& order_id, const DueTimer& timer) {
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto o, store_.GetOrder(order_id, "order_id"));
    if (o.value.state() != v1::ORDER_STATE_DELIVERED) return absl::OkStatus();
    absl::Time now = clock_.Now();
    WriteBatch batch;
    CompleteTimer(batch, kService, timer.shard, timer.id);
    o.value.set_state(v1::ORDER_STATE_COMPLETED);
    *o.value.mutable_completed_at() = Ts(now);
    std::string key = OrderKey(timer.shard, order_id);
    batch.ExpectVersion(key, o.version).Put(key, o.version + 1, o.value.SerializeAsString());
    v1::OrderCompleted ev;
    *ev.mutable_order() = Facts(o.value);
    ev.set_automatic(true);
    Emit(batch, timer.shard, o.value.customer_id(), order_id, now, "completed", ev);
    return batch.Commit(store_.redis()).status();
  });
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;  // fired already
}

absl::Status OrderServiceImpl::NotifyLate(const std::string& order_id, const DueTimer& timer) {
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto o, store_.GetOrder(order_id, "order_id"));
    if (o.value.state() != v1::ORDER_STATE_PAID) return absl::OkStatus();
    WriteBatch batch;
    CompleteTimer(batch, kService, timer.shard, timer.id);
    std::string key = OrderKey(timer.shard, order_id);
    batch.ExpectVersion(key, o.version).Put(key, o.version + 1, o.value.SerializeAsString());
    v1::ShipmentLate ev;
    *ev.mutable_order() = Facts(o.value);
    *ev.mutable_ship_by() = o.value.ship_by();
    Emit(batch, timer.shard, o.value.customer_id(), order_id, clock_.Now(),
         "shipment_late", ev);
    return batch.Commit(store_.redis()).status();
  });
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

}  // namespace revisit::order
