// ComplaintTimers (complaint_timers.h): SLA deadlines breached (C1 first response, C7
// promised updates), the follow-up's silence (C10), execution retries (C9).
#include "services/complaint/edge/complaint_timers.h"

#include "common/entity.h"
#include "common/log.h"
#include "common/status.h"

namespace revisit::complaint {

ComplaintTimers::ComplaintTimers(const ComplaintConfig& config, ComplaintStore& store,
                                 ComplaintExecution& execution, const Clock& clock)
    : config_(config), store_(store), execution_(execution), clock_(clock) {}

absl::Status ComplaintTimers::HandleTimer(const DueTimer& timer) {
  auto parts = SplitTimerId(timer.id);
  if (!parts.ok()) return absl::OkStatus();  // never scheduled by us: drop it
  if (parts->second == "exec") return execution_.Execute(parts->first, timer.id).status();
  return FireDeadline(parts->first, parts->second, timer);
}

absl::Status ComplaintTimers::FireDeadline(const std::string& complaint_id, const std::string& deadline,
                                           const DueTimer& timer) {
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    auto s = store_.Get(complaint_id);
    if (s.status().code() == absl::StatusCode::kNotFound) return absl::OkStatus();
    RETURN_IF_ERROR(s.status());
    const absl::Time now = clock_.Now();
    const bool shop = IsShopDeadline(deadline);
    ASSIGN_OR_RETURN(std::optional<Effects> e,
                     shop ? DecideSlaBreach(s->complaint, deadline, config_.policies, now)
                          : DecideFollowUpSilence(s->complaint, deadline, config_.policies, now));
    if (!e.has_value()) return absl::OkStatus();  // met in time, or not due (moved)
    WriteBatch batch;
    CompleteTimer(batch, kService, timer.shard, timer.id);
    store_.Stage(batch, *s, *e, now, timer.id);
    if (shop) LogWarn("SLA breached", {{"complaint_id", complaint_id}, {"deadline", deadline}});
    else LogInfo("follow-up unanswered (C10)", {{"complaint_id", complaint_id}, {"deadline", deadline}});
    return batch.Commit(store_.redis()).status();
  });
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;  // fired already
}

}  // namespace revisit::complaint
