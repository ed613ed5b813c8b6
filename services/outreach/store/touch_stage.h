// StageTouchEffects: the Redis writes of one touch decision (domain/touch_effects.h)
// into a WriteBatch: the customer's due-ordered index of finished touches
// (touches_of) when the touch is no longer pending, the touch's durable timer (armed or cancelled), the events in the shard's
// outbox (ce_subject = the touch ID) and the campaign counters (with the campaign in
// the shard's set). The entities themselves (record, touch) are put under their
// versions by TouchTxn::Finish. Read back with WriteBatch::Iterate in unit tests.
// Thread-safety: pure function over the batch it is given.
#ifndef REVISIT_SERVICES_OUTREACH_STORE_TOUCH_STAGE_H_
#define REVISIT_SERVICES_OUTREACH_STORE_TOUCH_STAGE_H_

#include <string>

#include "absl/time/time.h"
#include "common/write_batch.h"
#include "services/outreach/domain/touch_effects.h"

namespace revisit::outreach {

// `compact` false (REVISIT_OUTREACH_COMPACT_TOUCHES) also indexes a pending touch
// whose due time moved, as versions before issue 17 list touches.
void StageTouchEffects(WriteBatch& batch, int shard, const std::string& customer_id,
                       const TouchEffects& e, absl::Time now, bool compact = true);
// One campaign counter: INCRBY of stat:<campaign>:<counter>, SADD to campaigns.
void StageCount(WriteBatch& batch, int shard, const CampaignCount& count);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_STORE_TOUCH_STAGE_H_
