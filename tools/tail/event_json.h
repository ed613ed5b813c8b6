// EventJson: one consumed event as one JSON object for analysts — the CloudEvents
// attributes, Kafka coordinates and the payload in the protobuf JSON mapping
// (resolved from ce_dataschema "proto:<message>"; base64 when unknown).
// EventFilter decides whether an event is shown (type glob and customer).
// Thread-safety: pure functions.
#ifndef REVISIT_TOOLS_TAIL_EVENT_JSON_H_
#define REVISIT_TOOLS_TAIL_EVENT_JSON_H_

#include <string>
#include <vector>

#include "common/event_envelope.h"

namespace revisit::tail {

// The JSON line for `e` (no trailing newline).
std::string EventJson(const EventEnvelope& e);

// Shows events whose ce_type matches any of `types` (shell globs, empty = all) and
// whose key is `customer` (empty = all).
struct EventFilter {
  std::vector<std::string> types;
  std::string customer;
  bool Matches(const EventEnvelope& e) const;
};

}  // namespace revisit::tail

#endif  // REVISIT_TOOLS_TAIL_EVENT_JSON_H_
