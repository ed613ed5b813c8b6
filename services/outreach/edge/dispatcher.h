// Dispatcher: what happens when a touch's durable timer fires.
//
// It reads the touch (to learn its customer), then the customer's record with the
// touch in one round trip, and decides with DecideDue
// (domain/touch_due.h: the R6 measure against the customer's other pending touches,
// through the touch transition table), then
//   - defers (cap, quiet hours, complaint hold): the touch's timer moves to the next
//     allowed time, a TouchDeferred event says why; nothing is dropped;
//   - suppresses (no consent, holdout R12): TouchSuppressed with the reason;
//   - sends: for a win-back first obtains a real voucher from loyalty (R7), fetches
//     contact details if the adapter needs them (never stored), delivers through the
//     channel adapter, then commits SENT + TouchSent; a channel that fails after its
//     retries gives TouchFailed.
// The send's outcome is committed on the reads the decision was taken on (three
// round trips per sent touch: touch, record + touch, commit), re-read only when the
// commit's guard reports a change meanwhile.
// Exactly once: every commit guards the customer's record version (which every
// touch change bumps), so two instances firing the same timer (lease expiry,
// restart) commit one outcome; the second sees the touch already decided and does
// nothing.
// Thread-safety: thread-safe; Handle may run concurrently for different timers.
// Errors: Handle returns UNAVAILABLE/Redis errors to have the timer retried later.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_DISPATCHER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_DISPATCHER_H_

#include <optional>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "services/outreach/edge/channel_adapter.h"
#include "services/outreach/domain/measure.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/edge/peers.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

class Dispatcher {
 public:
  Dispatcher(const OutreachConfig& config, OutreachStore& store, const Clock& clock,
             ChannelAdapter& adapter, ContactSource& contacts, VoucherIssuer& vouchers);

  // The timer handler: timer.id is the touch ID.
  absl::Status Handle(const DueTimer& timer);

  // The R6 view of a customer's record (time zone loaded and cached).
  CustomerView ViewOf(const store::CustomerState& c) const;

 private:
  // What DecideAndCommit leaves for the delivery: the send decision, the touch as
  // decided, and the transaction it was decided in while nothing was committed.
  struct ToSend {
    Decision send;
    v1::Touch touch;
    std::optional<TouchTxn> txn;
  };
  // Decides and commits a deferral/suppression; returns the send decision, if any.
  absl::StatusOr<std::optional<ToSend>> DecideAndCommit(const std::string& customer_id,
                                                        const std::string& touch_id);
  absl::Status Deliver(const std::string& customer_id, ToSend& to_send);
  // The delivery's outcome: first on `txn` (if any), then on fresh reads.
  absl::Status CommitOutcome(const std::string& customer_id, const std::string& touch_id,
                             const Decision& send, const std::string& message,
                             const std::string& voucher_id, const absl::Status& delivered,
                             std::optional<TouchTxn>& txn);
  // Stages SENT or FAILED on `txn`; OK without change when the touch is no longer pending.
  absl::Status ApplyOutcome(TouchTxn& txn, const std::string& touch_id, const Decision& send,
                            const std::string& message, const std::string& voucher_id,
                            const absl::Status& delivered);

  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
  ChannelAdapter& adapter_;
  ContactSource& contacts_;
  VoucherIssuer& vouchers_;
};

// Loads an IANA zone, falling back to `fallback` for empty or unknown names.
absl::TimeZone ZoneOrDefault(const std::string& name, const absl::TimeZone& fallback);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_DISPATCHER_H_
