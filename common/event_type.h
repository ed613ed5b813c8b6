// The one naming rule for CloudEvents types (ce_type), docs/events.md "Event types":
//
//   revisit.<service>.<event>.v<N>
//
// exactly four dot-separated segments: <service> is one of order, complaint, loyalty,
// outreach; <event> is one snake_case token ([a-z][a-z0-9_]*, e.g. "points_earned",
// "follow_up_recorded"); N is the schema version. Producers build types with
// EventTypeName; consumers match with ParseEventType, which accepts nothing else (no
// dotted event names). tools/docs_check/check.mjs applies the same rule to every type
// the services emit.
// Thread-safety: pure functions.
#ifndef REVISIT_COMMON_EVENT_TYPE_H_
#define REVISIT_COMMON_EVENT_TYPE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace revisit {

// A parsed ce_type.
struct EventType {
  std::string service;  // "loyalty"
  std::string event;    // "points_earned"
  int version = 0;      // 1
};

// True for one snake_case token: [a-z][a-z0-9_]*.
bool IsEventName(absl::string_view name);

// The parts of `type`, or nullopt when it does not follow the rule above.
std::optional<EventType> ParseEventType(absl::string_view type);

// "revisit.<service>.<event>.v<version>". The caller passes a valid event name
// (IsEventName); the result is checked by the unit tests and the docs check.
std::string EventTypeName(absl::string_view service, absl::string_view event, int version = 1);

// The logical topic names (ARCHITECTURE.md "Events"; specs in deploy/k8s/base/kafka):
// "revisit.<service>.v1", the service's event stream, and "revisit.<service>.dlq.v1",
// the dead-letter topic of the consumer group <service>. A deployment's
// REVISIT_TOPIC_PREFIX is applied on top (KafkaNamespace).
std::string EventTopic(absl::string_view service);
std::string DeadLetterTopic(absl::string_view service);

}  // namespace revisit

#endif  // REVISIT_COMMON_EVENT_TYPE_H_
