// CloudEvents envelope for Revisit events on Kafka (binary content mode).
//
// An event travels as one Kafka record: key = customer ID, value = the serialized
// protobuf event, CloudEvents attributes as headers (ce_specversion=1.0, ce_id,
// ce_source, ce_type, ce_time (RFC 3339), ce_subject, ce_sequence, optional
// ce_traceparent, content-type=application/protobuf).
//
// This file is pure data and conversions: EnvelopeHeaders() builds the header list,
// ParseRecord() reads a consumed record back, DeadLetterHeaders() builds the headers
// of a dead-letter copy. The RdKafka adapters (ToRdKafkaHeaders, RecordFromMessage,
// ParseMessage) only copy bytes.
// Thread-safety: all functions are pure and thread-safe.
// Errors: ParseRecord/ParseMessage return INVALID_ARGUMENT naming the missing or bad
// header (a poison message); ValidateEnvelope returns INVALID_ARGUMENT naming the
// empty field.
#ifndef REVISIT_COMMON_EVENT_ENVELOPE_H_
#define REVISIT_COMMON_EVENT_ENVELOPE_H_

#include <librdkafka/rdkafkacpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace revisit {

// Header names (CloudEvents Kafka protocol binding, binary mode).
inline constexpr char kCeSpecVersion[] = "ce_specversion";
inline constexpr char kCeId[] = "ce_id";
inline constexpr char kCeSource[] = "ce_source";
inline constexpr char kCeType[] = "ce_type";
inline constexpr char kCeTime[] = "ce_time";
inline constexpr char kCeSubject[] = "ce_subject";
inline constexpr char kCeSequence[] = "ce_sequence";
inline constexpr char kCeTraceparent[] = "ce_traceparent";
// The payload's protobuf message, "proto:revisit.order.v1.OrderShipped" (optional).
inline constexpr char kCeDataSchema[] = "ce_dataschema";
inline constexpr char kContentType[] = "content-type";
inline constexpr char kProtobufContentType[] = "application/protobuf";

// Headers added to a dead-lettered copy of a record.
inline constexpr char kDlqError[] = "dlq_error";
inline constexpr char kDlqCode[] = "dlq_code";
inline constexpr char kDlqAttempts[] = "dlq_attempts";
inline constexpr char kDlqGroup[] = "dlq_group";
inline constexpr char kDlqOriginalTopic[] = "dlq_original_topic";
inline constexpr char kDlqOriginalPartition[] = "dlq_original_partition";
inline constexpr char kDlqOriginalOffset[] = "dlq_original_offset";

// Kafka headers in record order; names may repeat (lookups take the first).
using KafkaHeaders = std::vector<std::pair<std::string, std::string>>;

// One event with its CloudEvents attributes and Kafka coordinates.
struct EventEnvelope {
  std::string id;           // ce_id: unique, stable across retries (idempotency key)
  std::string source;       // ce_source, e.g. "revisit/order"
  std::string type;         // ce_type, versioned, e.g. "revisit.order.shipped.v1"
  absl::Time time;          // ce_time
  std::string subject;      // ce_subject: aggregate ID (order, complaint, ...)
  int64_t sequence = 0;     // ce_sequence: per-aggregate sequence number
  std::string traceparent;  // ce_traceparent (W3C), may be empty
  std::string dataschema;   // ce_dataschema: "proto:<message full name>", may be empty
  std::string key;          // Kafka key: customer ID
  std::string topic;        // Kafka topic
  std::string payload;      // serialized protobuf event
  int32_t partition = -1;   // filled on consume
  int64_t offset = -1;      // filled on consume
};

// A consumed Kafka record as plain bytes, before any interpretation.
struct RawRecord {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;
  std::string value;
  KafkaHeaders headers;
};

// OK if every attribute needed to publish is set (id, source, type, subject, key,
// topic, time); else INVALID_ARGUMENT naming the first empty field.
absl::Status ValidateEnvelope(const EventEnvelope& envelope);

// The headers that carry `envelope`'s attributes (binary mode).
KafkaHeaders EnvelopeHeaders(const EventEnvelope& envelope);

// Reads an envelope from a consumed record. INVALID_ARGUMENT names the header that
// is missing or bad (e.g. "missing header ce_id", "bad header ce_time: ...").
absl::StatusOr<EventEnvelope> ParseRecord(const RawRecord& record);

// The value of the first header called `name`, if any.
std::optional<std::string> FindHeader(const KafkaHeaders& headers, const std::string& name);

// Headers for the dead-letter copy of `record`: its original headers followed by
// dlq_error, dlq_code, dlq_attempts, dlq_group, dlq_original_{topic,partition,offset}.
KafkaHeaders DeadLetterHeaders(const RawRecord& record, const absl::Status& error,
                               int attempts, const std::string& group);

// Copies `headers` into a new RdKafka::Headers (caller owns it).
std::unique_ptr<RdKafka::Headers> ToRdKafkaHeaders(const KafkaHeaders& headers);

// Copies a successfully consumed message (err() == ERR_NO_ERROR) into a RawRecord.
RawRecord RecordFromMessage(RdKafka::Message& message);

// ParseRecord(RecordFromMessage(message)).
absl::StatusOr<EventEnvelope> ParseMessage(RdKafka::Message& message);

}  // namespace revisit

#endif  // REVISIT_COMMON_EVENT_ENVELOPE_H_
