#include "common/event_envelope.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace revisit {
namespace {

constexpr char kSpecVersion[] = "1.0";

absl::Status Missing(const char* name) {
  return absl::InvalidArgumentError(absl::StrCat("missing header ", name));
}

absl::Status Bad(const char* name, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat("bad header ", name, ": ", why));
}

// The value of a header that must be present and non-empty.
absl::StatusOr<std::string> Required(const KafkaHeaders& headers, const char* name) {
  std::optional<std::string> value = FindHeader(headers, name);
  if (!value.has_value()) return Missing(name);
  if (value->empty()) return Bad(name, "empty");
  return *std::move(value);
}

absl::Status ParseAttributes(const KafkaHeaders& h, EventEnvelope* e) {
  absl::StatusOr<std::string> spec = Required(h, kCeSpecVersion);
  if (!spec.ok()) return spec.status();
  if (*spec != kSpecVersion) return Bad(kCeSpecVersion, absl::StrCat("unsupported '", *spec, "'"));
  std::optional<std::string> content_type = FindHeader(h, kContentType);
  if (content_type.has_value() && *content_type != kProtobufContentType) {
    return Bad(kContentType, absl::StrCat("unsupported '", *content_type, "'"));
  }
  struct Field {
    const char* name;
    std::string* out;
  } fields[] = {{kCeId, &e->id}, {kCeSource, &e->source}, {kCeType, &e->type},
                {kCeSubject, &e->subject}};
  for (const Field& f : fields) {
    absl::StatusOr<std::string> v = Required(h, f.name);
    if (!v.ok()) return v.status();
    *f.out = *std::move(v);
  }
  return absl::OkStatus();
}

absl::Status ParseTimeAndSequence(const KafkaHeaders& h, EventEnvelope* e) {
  absl::StatusOr<std::string> time = Required(h, kCeTime);
  if (!time.ok()) return time.status();
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, *time, &e->time, &err)) return Bad(kCeTime, err);
  absl::StatusOr<std::string> seq = Required(h, kCeSequence);
  if (!seq.ok()) return seq.status();
  if (!absl::SimpleAtoi(*seq, &e->sequence) || e->sequence < 0) {
    return Bad(kCeSequence, absl::StrCat("not a non-negative integer '", *seq, "'"));
  }
  e->traceparent = FindHeader(h, kCeTraceparent).value_or("");
  e->dataschema = FindHeader(h, kCeDataSchema).value_or("");
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateEnvelope(const EventEnvelope& e) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"id", &e.id},           {"source", &e.source}, {"type", &e.type},
      {"subject", &e.subject}, {"key", &e.key},       {"topic", &e.topic}};
  for (const auto& [name, value] : fields) {
    if (value->empty()) return absl::InvalidArgumentError(absl::StrCat("envelope ", name, " is empty"));
  }
  if (e.time == absl::InfinitePast() || e.time == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("envelope time is not set");
  }
  if (e.sequence < 0) return absl::InvalidArgumentError("envelope sequence is negative");
  return absl::OkStatus();
}

KafkaHeaders EnvelopeHeaders(const EventEnvelope& e) {
  KafkaHeaders h = {
      {kCeSpecVersion, kSpecVersion},
      {kCeId, e.id},
      {kCeSource, e.source},
      {kCeType, e.type},
      {kCeTime, absl::FormatTime(absl::RFC3339_full, e.time, absl::UTCTimeZone())},
      {kCeSubject, e.subject},
      {kCeSequence, absl::StrCat(e.sequence)},
  };
  if (!e.traceparent.empty()) h.emplace_back(kCeTraceparent, e.traceparent);
  if (!e.dataschema.empty()) h.emplace_back(kCeDataSchema, e.dataschema);
  h.emplace_back(kContentType, kProtobufContentType);
  return h;
}

absl::StatusOr<EventEnvelope> ParseRecord(const RawRecord& record) {
  EventEnvelope e;
  absl::Status status = ParseAttributes(record.headers, &e);
  if (status.ok()) status = ParseTimeAndSequence(record.headers, &e);
  if (!status.ok()) return status;
  e.key = record.key;
  e.topic = record.topic;
  e.payload = record.value;
  e.partition = record.partition;
  e.offset = record.offset;
  return e;
}

std::optional<std::string> FindHeader(const KafkaHeaders& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

KafkaHeaders DeadLetterHeaders(const RawRecord& record, const absl::Status& error,
                               int attempts, const std::string& group) {
  KafkaHeaders h = record.headers;
  h.emplace_back(kDlqError, std::string(error.message()));
  h.emplace_back(kDlqCode, absl::StatusCodeToString(error.code()));
  h.emplace_back(kDlqAttempts, absl::StrCat(attempts));
  h.emplace_back(kDlqGroup, group);
  h.emplace_back(kDlqOriginalTopic, record.topic);
  h.emplace_back(kDlqOriginalPartition, absl::StrCat(record.partition));
  h.emplace_back(kDlqOriginalOffset, absl::StrCat(record.offset));
  return h;
}

std::unique_ptr<RdKafka::Headers> ToRdKafkaHeaders(const KafkaHeaders& headers) {
  std::unique_ptr<RdKafka::Headers> out(RdKafka::Headers::create());
  for (const auto& [key, value] : headers) out->add(key, value.data(), value.size());
  return out;
}

RawRecord RecordFromMessage(RdKafka::Message& m) {
  RawRecord r;
  r.topic = m.topic_name();
  r.partition = m.partition();
  r.offset = m.offset();
  if (m.key_pointer() != nullptr) {
    r.key.assign(static_cast<const char*>(m.key_pointer()), m.key_len());
  }
  if (m.payload() != nullptr) r.value.assign(static_cast<const char*>(m.payload()), m.len());
  RdKafka::Headers* headers = m.headers();
  if (headers == nullptr) return r;
  for (const RdKafka::Headers::Header& h : headers->get_all()) {
    const char* v = static_cast<const char*>(h.value());
    r.headers.emplace_back(h.key(), v == nullptr ? std::string() : std::string(v, h.value_size()));
  }
  return r;
}

absl::StatusOr<EventEnvelope> ParseMessage(RdKafka::Message& message) {
  return ParseRecord(RecordFromMessage(message));
}

}  // namespace revisit
