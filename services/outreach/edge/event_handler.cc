#include "services/outreach/edge/event_handler.h"

namespace revisit::outreach {

EventHandler::EventHandler(const OutreachConfig& config, OutreachStore& store, const Clock& clock)
    : apply_(config, store, clock),
      order_(apply_),
      complaint_(apply_),
      complaint_steps_(apply_),
      loyalty_(apply_),
      events_(Events()) {}

EventDispatch<absl::Status> EventHandler::Events() {
  EventDispatch<absl::Status> d;
  order_.Register(d);
  complaint_.Register(d);
  complaint_steps_.Register(d);
  loyalty_.Register(d);
  return d;
}

absl::Status EventHandler::Handle(const EventEnvelope& e) {
  return events_.Dispatch(e, absl::OkStatus());
}

}  // namespace revisit::outreach
