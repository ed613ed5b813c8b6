// ComplaintConsumer: the events the complaint service consumes. Order events feed
// the order projection (eligibility needs no synchronous call) and extended-warranty
// promises (O8); outreach's follow-up results are recorded on the complaint (C10);
// loyalty's tier changes set the priority of later complaints (C16). Each event
// takes effect once: its ce_id is the inbox key of the same WriteBatch.
// Thread-safety: thread-safe (the consumer calls from its threads).
// Errors: INVALID_ARGUMENT for an event that names no order/customer (the consumer
// dead-letters it after retries); Redis errors (retried). A stale, unknown or
// not-applicable event is OK and changes nothing.
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_CONSUMER_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_CONSUMER_H_

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/event_dispatch.h"
#include "common/event_envelope.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/store/complaint_store.h"

namespace revisit::complaint {

class ComplaintConsumer {
 public:
  // Not owned; all must outlive this.
  ComplaintConsumer(const ComplaintConfig& config, ComplaintStore& store, const Clock& clock);

  // Consumes one event of revisit.order.v1, revisit.outreach.v1 or revisit.loyalty.v1.
  absl::Status HandleEvent(const EventEnvelope& event);

 private:
  // The consumed event types and their handlers.
  EventDispatch<absl::Status> Events();
  absl::Status ApplyOrderFacts(const EventEnvelope& event, const order::v1::OrderFacts& facts);
  absl::Status ApplyFollowUp(const EventEnvelope& event, const outreach::v1::FollowUpRecorded& ev);
  absl::Status ApplyTier(const EventEnvelope& event, const loyalty::v1::TierChanged& ev);
  absl::Status ApplyPromise(const EventEnvelope& event, const order::v1::PromiseRecorded& ev);

  const ComplaintConfig& config_;
  ComplaintStore& store_;
  const Clock& clock_;
  const EventDispatch<absl::Status> events_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_CONSUMER_H_
