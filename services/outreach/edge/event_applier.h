// EventApplier: applies one consumed event's effect for one customer: a TouchTxn
// with the inbox guard (Dedupe of the event ID, so a redelivery or a replay from
// offset 0 changes nothing), committed, retried on a concurrent change. Shared by
// the reactions of EventHandler (order, complaint, complaint steps, loyalty).
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT for an event without a customer; the effect's and Redis
// errors (the consumer retries, then dead-letters).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_EVENT_APPLIER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_EVENT_APPLIER_H_

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/event_envelope.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

class EventApplier {
 public:
  using Effect = std::function<absl::Status(TouchTxn&)>;

  EventApplier(const OutreachConfig& config, OutreachStore& store, const Clock& clock);

  // Runs `effect` for `customer_id` under the inbox guard of `event`, retrying conflicts.
  absl::Status Apply(const EventEnvelope& event, const std::string& customer_id,
                     const Effect& effect) const;
  const OutreachConfig& config() const { return config_; }

 private:
  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_EVENT_APPLIER_H_
