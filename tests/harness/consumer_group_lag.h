// ConsumerGroupLag: how many records a Kafka consumer group has not committed yet.
// The group and topics are logical names, mapped through REVISIT_TOPIC_PREFIX like
// the readers of kafka_reader.h.
//
// For every partition of `topics`: high watermark - the group's committed offset (or
// - the low watermark when the group never committed there), summed. It only asks
// (OffsetFetch, ListOffsets): it neither joins the group nor commits.
// Thread-safety: a free function, thread-safe.
// Errors: NOT_FOUND for an unknown topic; UNAVAILABLE / DEADLINE_EXCEEDED when the
// brokers do not answer within `timeout`.
#ifndef REVISIT_TESTS_HARNESS_CONSUMER_GROUP_LAG_H_
#define REVISIT_TESTS_HARNESS_CONSUMER_GROUP_LAG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace revisit::testing {

absl::StatusOr<int64_t> ConsumerGroupLag(const std::string& bootstrap, const std::string& group,
                                         const std::vector<std::string>& topics,
                                         absl::Duration timeout = absl::Seconds(20));

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_CONSUMER_GROUP_LAG_H_
