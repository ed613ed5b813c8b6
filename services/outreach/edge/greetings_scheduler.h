// GreetingsScheduler: durable timers for R3 (birthdays, holidays) and R9 (check-ins).
//
// Birthday (R3): each customer with a known birthday has one timer
// "bday:<customer_id>" in their shard, armed by ArmBirthday whenever the profile
// arrives (CustomerRegistered/CustomerUpdated; a changed birthday moves it, an
// unknown one cancels it) and re-armed for the next year when it fires. Its payload
// is the year greeted; firing schedules the touch (customer, TRIGGER_BIRTHDAY,
// "birthday-<year>") due now, so however often the profile or the timer arrives
// there is one birthday touch per year. The gift voucher is issued by the dispatcher
// at send time (peers.h, VOUCHER_KIND_BIRTHDAY, request_id "<touch_id>:voucher").
//
// Sweep (R3 holidays, R9 check-ins): one timer "greetings-sweep" per shard (ArmSweeps
// adds it at start-up if absent). A run walks the shard's known-customers set with
// SSCAN, one page (REVISIT_OUTREACH_SWEEP_PAGE) per firing: the timer is re-armed
// at once with the cursor in its payload ("<run start ms>:<cursor>") until the scan
// ends, then for run start + REVISIT_OUTREACH_SWEEP_INTERVAL. Per page: one pipelined
// read of the records, one pipelined read of the candidate touches, and one small
// TouchTxn per customer that still needs a touch. Touch IDs are deterministic
// ("holiday-<date>", "check-in-<period>"), so a page handled twice (lease expiry,
// two instances) schedules nothing twice. The holdout share and the R6 measure apply
// at send time as for every other touch.
// Thread-safety: thread-safe.
// Errors: Redis errors (the timer fires again after its lease).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_GREETINGS_SCHEDULER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_GREETINGS_SCHEDULER_H_

#include <string>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

inline constexpr char kBirthdayTimerPrefix[] = "bday:";
inline constexpr char kSweepTimerId[] = "greetings-sweep";

// (Re-)arms or cancels the customer's birthday timer in `txn` from its current record.
void ArmBirthday(TouchTxn& txn);

class GreetingsScheduler {
 public:
  GreetingsScheduler(const OutreachConfig& config, OutreachStore& store, const Clock& clock);

  // True for the timers this class handles (the rest are touches: Dispatcher).
  static bool Owns(const DueTimer& timer);
  absl::Status Handle(const DueTimer& timer);

  // Adds each shard's sweep timer, due now, unless it exists.
  absl::Status ArmSweeps();

 private:
  absl::Status FireBirthday(const DueTimer& timer);
  absl::Status Sweep(const DueTimer& timer);
  // Schedules what `customer_id` needs now (holidays, check-in); re-decided inside
  // the transaction from the fresh record.
  absl::Status SweepCustomer(const std::string& customer_id);

  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_GREETINGS_SCHEDULER_H_
