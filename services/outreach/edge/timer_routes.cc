#include "services/outreach/edge/timer_routes.h"

#include <vector>

namespace revisit::outreach {

TimerScheduler::BatchHandler OutreachTimers(GreetingsScheduler& greetings,
                                            Dispatcher& dispatcher) {
  return [&greetings, &dispatcher](const std::vector<DueTimer>& timers) {
    std::vector<absl::Status> out(timers.size());
    std::vector<DueTimer> touches;
    std::vector<size_t> slots;
    for (size_t i = 0; i < timers.size(); ++i) {
      if (GreetingsScheduler::Owns(timers[i])) {
        out[i] = greetings.Handle(timers[i]);
      } else {
        touches.push_back(timers[i]);
        slots.push_back(i);
      }
    }
    if (touches.empty()) return out;
    std::vector<absl::Status> sent = dispatcher.HandleBatch(touches);
    for (size_t k = 0; k < slots.size(); ++k) out[slots[k]] = sent[k];
    return out;
  };
}

}  // namespace revisit::outreach
