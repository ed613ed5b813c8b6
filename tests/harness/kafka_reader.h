// Test helpers that read a whole topic from the beginning, for assertions.
//
// Topics are logical names, mapped through REVISIT_TOPIC_PREFIX (which LocalBroker
// exports for the test's namespace). ReadAllRaw assigns every partition of `topic` at its beginning (no consumer
// group join, nothing committed) and reads until each partition reaches the high
// watermark measured at the start. Records come sorted by (partition, offset).
// ReadAtLeast repeats ReadAllRaw until `count` records are there.
// Thread-safety: free functions, thread-safe.
// Errors: NOT_FOUND for an unknown topic (on real Kafka; the embedded revisit-broker,
// librdkafka 2.0.2's mock cluster, auto-creates any topic named in a metadata request,
// so there an unknown topic reads as empty), DEADLINE_EXCEEDED when `timeout` passes
// first; ReadAll returns INVALID_ARGUMENT if a record is not a valid envelope.
#ifndef REVISIT_TESTS_HARNESS_KAFKA_READER_H_
#define REVISIT_TESTS_HARNESS_KAFKA_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"

namespace revisit::testing {

absl::StatusOr<std::vector<RawRecord>> ReadAllRaw(const std::string& bootstrap,
                                                  const std::string& topic,
                                                  absl::Duration timeout = absl::Seconds(20));

absl::StatusOr<std::vector<EventEnvelope>> ReadAll(const std::string& bootstrap,
                                                   const std::string& topic,
                                                   absl::Duration timeout = absl::Seconds(20));

absl::StatusOr<std::vector<RawRecord>> ReadAtLeast(const std::string& bootstrap,
                                                   const std::string& topic, size_t count,
                                                   absl::Duration timeout = absl::Seconds(30));

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_KAFKA_READER_H_
