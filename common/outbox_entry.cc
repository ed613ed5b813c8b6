#include "common/outbox_entry.h"

#include <atomic>
#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace revisit {
namespace {

constexpr char kCompactFormat = 1;

std::atomic<bool> compact_entries{true};

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void PutBytes(std::string& out, const std::string& s) {
  PutVarint(out, s.size());
  out.append(s);
}

// Reads from `in`, advancing it; false when `in` ends too early.
bool GetVarint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool GetBytes(std::string_view& in, std::string& s) {
  uint64_t n = 0;
  if (!GetVarint(in, n) || n > in.size()) return false;
  s.assign(in.data(), n);
  in.remove_prefix(n);
  return true;
}

absl::StatusOr<EventEnvelope> FromFields(const std::vector<RedisValue>& flat) {
  EventEnvelope e;
  int64_t micros = 0;
  int found = 0;
  for (size_t i = 0; i + 1 < flat.size(); i += 2) {
    const std::string& f = flat[i].str;
    const std::string& v = flat[i + 1].str;
    ++found;
    if (f == "id") e.id = v;
    else if (f == "source") e.source = v;
    else if (f == "type") e.type = v;
    else if (f == "time") absl::SimpleAtoi(v, &micros);
    else if (f == "subject") e.subject = v;
    else if (f == "seq") absl::SimpleAtoi(v, &e.sequence);
    else if (f == "trace") e.traceparent = v;
    else if (f == "key") e.key = v;
    else if (f == "topic") e.topic = v;
    else if (f == "payload") e.payload = v;
    else if (f == "schema") { e.dataschema = v; --found; }
    else --found;
  }
  if (found != 10) return absl::InvalidArgumentError("outbox entry lacks envelope fields");
  e.time = absl::FromUnixMicros(micros);
  return e;
}

}  // namespace

void SetCompactOutboxEntries(bool compact) { compact_entries = compact; }
bool CompactOutboxEntries() { return compact_entries; }

std::string EncodeOutboxEnvelope(const EventEnvelope& e) {
  std::string out;
  out.reserve(64 + e.id.size() + e.source.size() + e.type.size() + e.subject.size() +
              e.traceparent.size() + e.key.size() + e.topic.size() + e.dataschema.size() +
              e.payload.size());
  out.push_back(kCompactFormat);
  const int64_t micros = absl::ToUnixMicros(e.time);
  PutVarint(out, (static_cast<uint64_t>(micros) << 1) ^ static_cast<uint64_t>(micros >> 63));
  for (const std::string* s : {&e.id, &e.source, &e.type, &e.subject, &e.traceparent, &e.key,
                               &e.topic, &e.dataschema, &e.payload}) {
    PutBytes(out, *s);
  }
  return out;
}

absl::StatusOr<EventEnvelope> DecodeCompactEntry(std::string_view value) {
  const size_t colon = value.find(':');
  EventEnvelope e;
  if (colon == std::string_view::npos || !absl::SimpleAtoi(absl::string_view(value.data(), colon), &e.sequence)) {
    return absl::InvalidArgumentError("outbox entry: no \"<sequence>:\" prefix");
  }
  std::string_view in = value.substr(colon + 1);
  if (in.empty() || in.front() != kCompactFormat) {
    return absl::InvalidArgumentError("outbox entry: unknown compact format");
  }
  in.remove_prefix(1);
  uint64_t zigzag = 0;
  bool ok = GetVarint(in, zigzag);
  for (std::string* s : {&e.id, &e.source, &e.type, &e.subject, &e.traceparent, &e.key,
                         &e.topic, &e.dataschema, &e.payload}) {
    ok = ok && GetBytes(in, *s);
  }
  if (!ok || !in.empty()) return absl::InvalidArgumentError("outbox entry: truncated or overlong");
  const auto micros = static_cast<int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
  e.time = absl::FromUnixMicros(micros);
  return e;
}

std::vector<std::pair<std::string, std::string>> ToOutboxFields(const EventEnvelope& e) {
  return {{"id", e.id},
          {"source", e.source},
          {"type", e.type},
          {"time", std::to_string(absl::ToUnixMicros(e.time))},
          {"subject", e.subject},
          {"seq", std::to_string(e.sequence)},
          {"trace", e.traceparent},
          {"key", e.key},
          {"topic", e.topic},
          {"payload", e.payload},
          {"schema", e.dataschema}};
}

absl::StatusOr<EventEnvelope> FromOutboxFields(const std::vector<RedisValue>& flat) {
  if (flat.size() == 2 && flat[0].str == kOutboxEntryField) return DecodeCompactEntry(flat[1].str);
  return FromFields(flat);
}

}  // namespace revisit
