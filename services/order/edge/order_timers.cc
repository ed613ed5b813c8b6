// OrderServiceImpl: durable timers. "complete:<order_id>" completes a delivered
// order automatically; "late:<order_id>" raises ShipmentLate for a paid order not
// shipped by its same-day cut-off (O3); "benefits:<order_id>" tells loyalty what a
// cancel or refund gives back (L4), retried until loyalty acknowledged. Each commits with CompleteTimer, so a timer
// that fires twice (a scheduler died mid-handler) takes effect once.
#include "absl/strings/strip.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/order/edge/order_service.h"
#include "common/proto_time.h"

namespace revisit::order {

absl::Status OrderServiceImpl::HandleTimer(const DueTimer& timer) {
  absl::string_view id = timer.id;
  if (absl::ConsumePrefix(&id, "complete:")) return AutoComplete(std::string(id), timer);
  if (absl::ConsumePrefix(&id, "late:")) return NotifyLate(std::string(id), timer);
  if (absl::ConsumePrefix(&id, "benefits:")) return SyncBenefits(std::string(id));  // L4
  return absl::OkStatus();  // Unknown timers are dropped (none are ever scheduled).
}

// Both timers commit with CompleteTimer, so a timer that fires twice (a scheduler
// died mid-handler) takes effect once; a firing that finds the order moved on does
// nothing.
absl::Status OrderServiceImpl::AutoComplete(const std::string& order_id, const DueTimer& timer) {
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto o, store_.GetOrder(order_id, "order_id"));
    if (o.value.state() != v1::ORDER_STATE_DELIVERED) return absl::OkStatus();
    const absl::Time now = clock_.Now();
    ASSIGN_OR_RETURN(OrderEffects e, DecideComplete(o.value, /*automatic=*/true, now));
    WriteBatch batch;
    CompleteTimer(batch, kService, timer.shard, timer.id);
    StageOrder(batch, timer.shard, o.version, e, now);
    return batch.Commit(store_.redis()).status();
  });
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;  // fired already
}

absl::Status OrderServiceImpl::NotifyLate(const std::string& order_id, const DueTimer& timer) {
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto o, store_.GetOrder(order_id, "order_id"));
    std::optional<OrderEffects> e = DecideLate(o.value);  // O3
    if (!e) return absl::OkStatus();
    WriteBatch batch;
    CompleteTimer(batch, kService, timer.shard, timer.id);
    StageOrder(batch, timer.shard, o.version, *e, clock_.Now());
    return batch.Commit(store_.redis()).status();
  });
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

}  // namespace revisit::order
