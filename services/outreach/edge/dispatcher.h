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
// A claim's timers are handled together (HandleBatch): two pipelined reads for the
// whole claim, then one commit per customer on the reads the decisions were taken
// on, re-read only when the commit's guard reports a change meanwhile.
// Exactly once: every commit guards the customer's record version (which every
// touch change bumps), so two instances firing the same timer (lease expiry,
// restart) commit one outcome; the second sees the touch already decided and does
// nothing.
// Thread-safety: thread-safe; Handle may run concurrently for different timers.
// Errors: Handle returns UNAVAILABLE/Redis errors to have the timer retried later.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_DISPATCHER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_DISPATCHER_H_

#include <optional>
#include <string>
#include <vector>

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

  // The timer handler: timer.id is the touch ID. HandleBatch of this one timer.
  absl::Status Handle(const DueTimer& timer);
  // The timers of one claim, one result per timer: their touches read in one round
  // trip, their customers' records with them in a second, each customer's due
  // touches decided in one TouchTxn (so each decision sees the ones before it: R6
  // caps) and committed right after that customer's deliveries, so a crash re-sends
  // at most one customer's touches. A commit that finds the record changed records
  // the deliveries made on fresh reads and decides the other touches again.
  std::vector<absl::Status> HandleBatch(const std::vector<DueTimer>& timers);

  // The R6 view of a customer's record (time zone loaded and cached).
  CustomerView ViewOf(const store::CustomerState& c) const;

 private:
  // One customer's due touches in a batch, and the timers' positions.
  struct Group {
    std::string customer_id;
    std::vector<std::string> touch_ids;
    std::vector<size_t> slots;
  };
  // What a delivery gave: the message sent, the voucher issued, the channel's answer.
  struct Outcome {
    std::string message;
    std::string voucher_id;
    absl::Status delivered;
  };
  // One pass over the timers at `slots`: results into `out`, the slots to decide
  // again (their customer's record changed) into `retry`.
  void Pass(const std::vector<DueTimer>& timers, const std::vector<size_t>& slots,
            std::vector<absl::Status>& out, std::vector<size_t>& retry);
  // The customers of the touches at `slots` (touches gone are done: OK in `out`).
  absl::StatusOr<std::vector<Group>> GroupByCustomer(const std::vector<DueTimer>& timers,
                                                     const std::vector<size_t>& slots,
                                                     std::vector<absl::Status>& out);
  void HandleCustomer(const Group& g, OutreachStore::CustomerAndTouches read,
                      std::vector<absl::Status>& out, std::vector<size_t>& retry);
  // Delivers a send decision (R7/R3 voucher first); an error is retryable (the timer
  // fires again), a refused delivery is Outcome::delivered.
  absl::StatusOr<Outcome> Send(const std::string& customer_id, const v1::Touch& t,
                               const Decision& send);
  // Stages SENT or FAILED on `txn`; nothing when the touch is no longer pending.
  absl::Status ApplyOutcome(TouchTxn& txn, const std::string& touch_id, const Decision& send,
                            const Outcome& outcome);
  // ApplyOutcome on fresh reads, committed (retried while the record changes).
  absl::Status CommitOutcome(const std::string& customer_id, const std::string& touch_id,
                             const Decision& send, const Outcome& outcome);

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
