#include "services/outreach/edge/event_applier.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/write_batch.h"

namespace revisit::outreach {

EventApplier::EventApplier(const OutreachConfig& config, OutreachStore& store, const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

absl::Status EventApplier::Apply(const EventEnvelope& e, const std::string& customer_id,
                                 const Effect& effect) const {
  if (customer_id.empty())
    return absl::InvalidArgumentError(absl::StrCat(e.type, " ", e.id, ": no customer_id"));
  return MutateWithRetry([&]() -> absl::Status {
    TouchTxn txn(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(txn.Load());
    txn.batch().Dedupe(InboxKey(txn.shard(), e.id), config_.inbox_ttl, "");
    RETURN_IF_ERROR(effect(txn));
    return txn.Commit().status();
  });
}

}  // namespace revisit::outreach
