// TouchEffects: what one touch decision changes (touch_decide.h), for the store to
// apply in one WriteBatch (store/touch_txn.h): the customer's record and the touch
// as they must be stored, the touch's durable timer, the events to publish and the
// campaign counters to add. Nothing here does I/O.
// Thread-safety: a value.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_EFFECTS_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_EFFECTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/time/time.h"
#include "revisit/outreach/v1/outreach.pb.h"
#include "services/outreach/store/outreach_state.pb.h"

namespace revisit::outreach {

// One event about the touch (ce_subject = the touch ID): its name as in ce_type
// ("touch_scheduled") and payload.
struct TouchEvent {
  std::string name;
  std::shared_ptr<const google::protobuf::Message> payload;
};

// One campaign counter to add to (R12 stats; store/outreach_store.h kCounters).
struct CampaignCount {
  std::string campaign;
  std::string counter;
  int64_t by = 1;
};

// The touch's durable timer (its ID is the touch ID).
enum class TimerOp { kKeep, kArm, kCancel };

struct TouchEffects {
  revisit::outreach::store::CustomerState customer;
  bool customer_changed = false;
  revisit::outreach::v1::Touch touch;
  bool touch_changed = false;
  // The touch's due time moved (or it is new). The store lists pending touches from the
  // record's pending refs; only the old store form (REVISIT_OUTREACH_COMPACT_TOUCHES=false)
  // indexes them by due time (store/touch_stage.h).
  bool due_changed = false;
  TimerOp timer = TimerOp::kKeep;
  absl::Time timer_due;  // kArm
  std::vector<TouchEvent> events;
  std::vector<CampaignCount> counts;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_EFFECTS_H_
