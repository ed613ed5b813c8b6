// The outbox entry formats: how an EventEnvelope sits in an outbox stream entry.
//
// Compact (written since issue 17): one field, "e", whose value is the event's
// ce_sequence in decimal, ':', then the envelope in a length-prefixed binary form:
// a format byte (1), ce_time as a varint of its zigzagged Unix microseconds, then
// id, source, type, subject, traceparent, key, topic, dataschema and payload, each
// a varint length and its bytes. commit.lua writes the sequence prefix (it numbers
// the event in the commit); the rest is EncodeOutboxEnvelope's, untouched by Lua.
// Fields (written before issue 17, still read during an upgrade): eleven field
// pairs id, source, type, time (Unix µs), subject, seq, trace, key, topic, payload,
// schema (schema may be absent).
// FromOutboxFields reads both. WriteBatch writes the compact form unless
// SetCompactOutboxEntries(false) (REVISIT_OUTBOX_COMPACT=false: while a version that
// reads only the eleven fields may still run, during a rollout or for a rollback). Thread-safety: pure functions. Errors:
// INVALID_ARGUMENT naming what is missing or malformed (the relay quarantines such
// an entry).
#ifndef REVISIT_COMMON_OUTBOX_ENTRY_H_
#define REVISIT_COMMON_OUTBOX_ENTRY_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/event_envelope.h"
#include "common/redis_value.h"

namespace revisit {

// The compact entry's one field name.
inline constexpr char kOutboxEntryField[] = "e";

// The form WriteBatch::AppendEvent writes from now on (process-wide; default compact).
void SetCompactOutboxEntries(bool compact);
bool CompactOutboxEntries();

// The compact envelope without its sequence (commit.lua prefixes "<seq>:").
std::string EncodeOutboxEnvelope(const EventEnvelope& e);
// A compact field value "<seq>:<envelope>" back to its envelope.
absl::StatusOr<EventEnvelope> DecodeCompactEntry(std::string_view value);

// The eleven-field form (the format before issue 17); "seq" is commit.lua's to fill.
std::vector<std::pair<std::string, std::string>> ToOutboxFields(const EventEnvelope& e);

// An entry's flat field list [f, v, f, v, ...] in either format.
absl::StatusOr<EventEnvelope> FromOutboxFields(const std::vector<RedisValue>& flat_fields);

}  // namespace revisit

#endif  // REVISIT_COMMON_OUTBOX_ENTRY_H_
