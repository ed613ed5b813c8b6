// OrderTimers (order_timers.h): auto-completion, the O3 late shipment, L4 benefits.
#include "services/order/edge/order_timers.h"

#include <optional>

#include "absl/strings/strip.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/order/domain/decide.h"
#include "common/proto_time.h"

namespace revisit::order {

OrderTimers::OrderTimers(OrderStore& store, OrderCheckout& checkout, const Clock& clock)
    : store_(store), checkout_(checkout), clock_(clock) {}

absl::Status OrderTimers::HandleTimer(const DueTimer& timer) {
  absl::string_view id = timer.id;
  if (absl::ConsumePrefix(&id, "complete:")) return AutoComplete(std::string(id), timer);
  if (absl::ConsumePrefix(&id, "late:")) return NotifyLate(std::string(id), timer);
  if (absl::ConsumePrefix(&id, "benefits:")) return checkout_.SyncBenefits(std::string(id));  // L4
  return absl::OkStatus();  // Unknown timers are dropped (none are ever scheduled).
}

// Both timers commit with CompleteTimer, so a timer that fires twice (a scheduler
// died mid-handler) takes effect once; a firing that finds the order moved on does
// nothing.
absl::Status OrderTimers::AutoComplete(const std::string& order_id, const DueTimer& timer) {
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

absl::Status OrderTimers::NotifyLate(const std::string& order_id, const DueTimer& timer) {
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
