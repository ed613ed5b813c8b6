// The outbox entry formats (issue 17): the compact one-field entry written now, the
// eleven-field entry written before (read during an upgrade), and malformed entries
// (which the relay quarantines).
#include "common/outbox_entry.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace revisit {
namespace {

EventEnvelope Sample() {
  EventEnvelope e;
  e.id = "0123456789abcdef0123456789abcdef";
  e.source = "revisit/order";
  e.type = "revisit.order.delivered.v1";
  e.time = absl::FromUnixMicros(1767225600123456);
  e.subject = "ord-07-00000000000000aa";
  e.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  e.key = "cus-7";
  e.topic = "revisit.order.v1";
  e.dataschema = "proto:revisit.order.v1.OrderDelivered";
  e.payload = std::string("\x0a\x03:\x00\xff", 5);  // bytes, ':' and NUL included
  return e;
}

std::vector<RedisValue> Flat(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::vector<RedisValue> flat;
  for (const auto& [f, v] : fields) {
    for (const std::string* s : {&f, &v}) {
      RedisValue r;
      r.type = RedisValue::Type::kString;
      r.str = *s;
      flat.push_back(r);
    }
  }
  return flat;
}

void ExpectSame(const EventEnvelope& a, const EventEnvelope& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.sequence, b.sequence);
  EXPECT_EQ(a.traceparent, b.traceparent);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.topic, b.topic);
  EXPECT_EQ(a.dataschema, b.dataschema);
  EXPECT_EQ(a.payload, b.payload);
}

// As commit.lua writes it: field "e", value "<seq>:" + the encoded envelope.
std::vector<RedisValue> Compact(const EventEnvelope& e, int64_t seq) {
  return Flat({{kOutboxEntryField, std::to_string(seq) + ":" + EncodeOutboxEnvelope(e)}});
}

TEST(OutboxEntryTest, CompactEntryRoundTrips) {
  EventEnvelope e = Sample();
  auto back = FromOutboxFields(Compact(e, 42));
  ASSERT_TRUE(back.ok()) << back.status();
  e.sequence = 42;
  ExpectSame(*back, e);
}

TEST(OutboxEntryTest, CompactEntryKeepsEmptyFieldsAndTimesBeforeTheEpoch) {
  EventEnvelope e = Sample();
  e.traceparent.clear();
  e.dataschema.clear();
  e.payload.clear();
  e.time = absl::FromUnixMicros(-1234567);
  auto back = FromOutboxFields(Compact(e, 1));
  ASSERT_TRUE(back.ok()) << back.status();
  e.sequence = 1;
  ExpectSame(*back, e);
}

TEST(OutboxEntryTest, CompactEntryIsSmallerThanTheElevenFields) {
  const EventEnvelope e = Sample();
  size_t fields = 0;
  for (const auto& [f, v] : ToOutboxFields(e)) fields += f.size() + v.size();
  EXPECT_LT(EncodeOutboxEnvelope(e).size() + 2, fields);
}

// Upgrade path: entries committed by the previous version are still published.
TEST(OutboxEntryTest, TheElevenFieldEntryOfThePreviousVersionIsStillRead) {
  EventEnvelope e = Sample();
  e.sequence = 9;
  auto back = FromOutboxFields(Flat(ToOutboxFields(e)));
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSame(*back, e);
}

TEST(OutboxEntryTest, MalformedEntriesAreInvalidArgument) {
  const std::string good = EncodeOutboxEnvelope(Sample());
  const std::vector<std::string> bad = {
      good,                                 // no "<seq>:" prefix
      "x:" + good,                          // sequence not a number
      "3:",                                 // nothing after the prefix
      "3:" + std::string(1, '\x02') + good.substr(1),  // unknown format byte
      "3:" + good.substr(0, good.size() - 2),          // truncated
      "3:" + good + "z",                    // trailing bytes
  };
  for (const std::string& value : bad) {
    EXPECT_EQ(FromOutboxFields(Flat({{kOutboxEntryField, value}})).status().code(),
              absl::StatusCode::kInvalidArgument)
        << value.size();
  }
  EXPECT_EQ(FromOutboxFields(Flat({{"ce_id", "broken"}, {"garbage", "x"}})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace revisit
