// TouchTxn: one atomic change to a customer's outreach record and touches.
//
// Read the customer's record (and any touches touched), decide with the touch
// deciders (domain/touch_decide.h: the transition table of domain/touch_state.h),
// apply their effects (Apply), and commit everything as one WriteBatch: version
// guards on every entity read, the due-ordered index and timer updates, campaign
// counters and the outreach events in the shard's outbox. The lifecycle methods
// (Schedule, Defer, ...) are each one decider plus Apply. Touch events
// are numbered per touch by the commit (SequenceKey in common/outbox.h), not by
// the touch's version, which also advances on changes without an event. The
// caller may add its own guard (Dedupe of a request or event ID) through batch().
// Thread-safety: a value for one thread and one attempt; re-create it on ABORTED
// (see MutateWithRetry).
// Errors: Load/LoadTouch pass Redis errors; the lifecycle methods return the
// deciders' FAILED_PRECONDITION (the table refuses the action in the touch's state)
// and change nothing then; Commit returns ABORTED on a concurrent change and
// NOT_FOUND when a completed timer was already gone.
#ifndef REVISIT_SERVICES_OUTREACH_STORE_TOUCH_TXN_H_
#define REVISIT_SERVICES_OUTREACH_STORE_TOUCH_TXN_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/write_batch.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/outreach/domain/touch_decide.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"

namespace revisit::outreach {

class TouchTxn {
 public:
  TouchTxn(OutreachStore& store, const OutreachConfig& config, std::string customer_id,
           absl::Time now);

  // Reads the customer's record. Call first.
  absl::Status Load();
  // Reads touch `id` of this customer: nullptr when absent.
  absl::StatusOr<v1::Touch*> LoadTouch(const std::string& id);

  store::CustomerState& customer() { return customer_.value; }
  // True when the customer's record existed at Load (outreach knows the customer).
  bool customer_known() const { return customer_.version > 0; }
  void MarkCustomerDirty() { customer_dirty_ = true; }
  int shard() const { return shard_; }
  absl::Time now() const { return now_; }
  WriteBatch& batch() { return batch_; }

  // Creates the touch for (customer, trigger, source) unless it exists; returns the
  // touch (new or existing) and whether it was created.
  absl::StatusOr<std::pair<v1::Touch*, bool>> Schedule(const TouchSpec& spec);
  // Moves a pending touch to `until` (R6) for `cause` (a complaint hold is released).
  absl::Status Defer(v1::Touch* t, absl::Time until, const std::string& reason,
                     store::DeferCause cause);
  // Schedules the timer of pending touch `t` at its due time again (no state change,
  // no event): the dispatcher's answer to a timer that fired before its touch was due.
  absl::Status Rearm(v1::Touch* t);
  // Puts a held touch back on schedule at now (its complaint closed).
  absl::Status Release(v1::Touch* t, const std::string& reason);
  // Suppresses a pending touch (consent, holdout R12).
  absl::Status Suppress(v1::Touch* t, const std::string& reason, bool holdout);
  // Records a pending touch as sent on `channel` with `message` (and the voucher
  // issued for it, if any), or as failed with `error`.
  absl::Status Sent(v1::Touch* t, Channel channel, const std::string& message,
                    const std::string& voucher_id = "");
  absl::Status Failed(v1::Touch* t, const std::string& error, const std::string& voucher_id = "");
  absl::Status Cancel(v1::Touch* t, const std::string& reason);
  // R1/R11/C10: records the answer to sent touch `t` (once).
  absl::Status RecordFeedback(v1::Touch* t, const v1::Feedback& feedback,
                              const std::string& complaint_id);
  // R12: credits the latest non-transactional touch within the window before
  // `ordered_at` with paid order `order_id` and its `revenue_minor` (campaign counters
  // revenue_minor, holdout_revenue_minor).
  absl::Status AttributeRevisit(const std::string& order_id, absl::Time ordered_at,
                                int64_t revenue_minor);
  // R12: a refund of `order_id` (this one `refund_minor`; the order's refunded total
  // and paid amount after it) takes back the credit it earned while its mark is kept
  // (DecideRevisitTakeBack); the credited sent touch gets attribution_reversed for
  // refund `refund_id`. Idempotent through the caller's inbox (one refund event, one
  // take-back). Errors: Redis errors loading the touch.
  absl::Status TakeBackRevisit(const std::string& order_id, const std::string& refund_id,
                               int64_t refund_minor, int64_t refunded_total_minor,
                               int64_t paid_minor);
  // Stages a decision's effects: the record and touch as decided, index, timer,
  // events, counters. Pointers from LoadTouch stay valid and show the new touch.
  void Apply(const TouchEffects& e);
  // The deciders' windows from the config.
  TouchPolicy policy() const;

  // Commits every change.
  absl::StatusOr<CommitResult> Commit();
  // Stages every change and hands the batch over, for a caller that commits it
  // (RunIdempotent). The transaction is spent afterwards.
  WriteBatch Finish();

  const OutreachConfig& config() const { return config_; }
  OutreachStore& store() { return store_; }

 private:
  struct Loaded {
    v1::Touch touch;
    int64_t version = 0;
    int64_t bumps = 0;  // events (or changes) in this transaction
  };
  // Applies `decided` when the decider allowed it.
  absl::Status ApplyIfOk(const absl::StatusOr<TouchEffects>& decided);

  OutreachStore& store_;
  const OutreachConfig& config_;
  std::string customer_id_;
  int shard_;
  absl::Time now_;
  Versioned<store::CustomerState> customer_;
  bool customer_dirty_ = false;
  std::map<std::string, Loaded> touches_;
  WriteBatch batch_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_STORE_TOUCH_TXN_H_
