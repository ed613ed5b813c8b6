// ComplaintTimers: fires the complaint service's durable timers: "<id>|<deadline>"
// (an SLA deadline C1/C7, or the follow-up's silence C10) and "<id>|exec" (the
// execution retry, ComplaintExecution). A deadline met, moved or fired already
// changes nothing; the firing completes its timer in the same commit as its effects.
// Thread-safety: thread-safe (the timer scheduler calls from its threads).
// Errors: Redis errors (the scheduler retries the timer); a timer ID this service
// never scheduled is dropped (OK).
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_TIMERS_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_TIMERS_H_

#include <string>

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/timer_queue.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/edge/complaint_execution.h"
#include "services/complaint/store/complaint_store.h"

namespace revisit::complaint {

class ComplaintTimers {
 public:
  // Not owned; all must outlive this.
  ComplaintTimers(const ComplaintConfig& config, ComplaintStore& store, ComplaintExecution& execution,
                  const Clock& clock);

  absl::Status HandleTimer(const DueTimer& timer);

 private:
  absl::Status FireDeadline(const std::string& complaint_id, const std::string& deadline,
                            const DueTimer& timer);

  const ComplaintConfig& config_;
  ComplaintStore& store_;
  ComplaintExecution& execution_;
  const Clock& clock_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_TIMERS_H_
