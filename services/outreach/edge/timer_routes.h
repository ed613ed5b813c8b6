// OutreachTimers: the one timer handler of the outreach service. A claim's timers
// go to their owner: the greetings' own timers (GreetingsScheduler::Owns) one by
// one, the touches' together (Dispatcher::HandleBatch), one result per timer in the
// claim's order. Used by main.cc and by the tests that run the service's timers.
// Thread-safety: as its two handlers (both thread-safe).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_TIMER_ROUTES_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_TIMER_ROUTES_H_

#include "common/timer_queue.h"
#include "services/outreach/edge/dispatcher.h"
#include "services/outreach/edge/greetings_scheduler.h"

namespace revisit::outreach {

TimerScheduler::BatchHandler OutreachTimers(GreetingsScheduler& greetings,
                                            Dispatcher& dispatcher);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_TIMER_ROUTES_H_
