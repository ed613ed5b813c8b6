#include "services/outreach/store/touch_stage.h"

#include "common/outbox.h"
#include "common/proto_time.h"
#include "common/timer_queue.h"
#include "services/outreach/domain/touch_decide.h"
#include "services/outreach/store/outreach_store.h"

namespace revisit::outreach {

void StageCount(WriteBatch& batch, int shard, const CampaignCount& count) {
  batch.IncrBy(StatKey(shard, count.campaign, count.counter), count.by);
  batch.SAdd(CampaignsKey(shard), count.campaign);
}

void StageTouchEffects(WriteBatch& batch, int shard, const std::string& customer_id,
                       const TouchEffects& e, absl::Time now, bool compact) {
  const std::string& id = e.touch.touch_id();
  // A pending touch is listed by the record's pending refs; a finished one here.
  if ((e.touch_changed && !IsPending(e.touch)) || (!compact && e.due_changed))
    batch.ZAdd(TouchesOfKey(shard, customer_id),
               static_cast<double>(absl::ToUnixMillis(FromProto(e.touch.due_at()))), id);
  if (e.timer == TimerOp::kArm) ScheduleTimer(batch, kService, shard, id, e.timer_due, "");
  if (e.timer == TimerOp::kCancel) CancelTimer(batch, kService, shard, id);
  for (const TouchEvent& ev : e.events)
    batch.AppendEvent(OutboxStream(kService, shard),
                      MakeEvent(kService, ev.name, customer_id, id, now, *ev.payload));
  for (const CampaignCount& c : e.counts) StageCount(batch, shard, c);
}

}  // namespace revisit::outreach
