#include "common/event_envelope.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace revisit {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

EventEnvelope Sample() {
  EventEnvelope e;
  e.id = "evt-1";
  e.source = "revisit/order";
  e.type = "revisit.order.shipped.v1";
  e.time = absl::FromUnixMicros(1767225600123456);
  e.subject = "order-42";
  e.sequence = 7;
  e.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  e.key = "cust-9";
  e.topic = "revisit.order.v1";
  e.payload = std::string("\x08\x01\x00\x12", 4);
  return e;
}

RawRecord AsRecord(const EventEnvelope& e) {
  RawRecord r;
  r.topic = e.topic;
  r.partition = 3;
  r.offset = 11;
  r.key = e.key;
  r.value = e.payload;
  r.headers = EnvelopeHeaders(e);
  return r;
}

RawRecord Without(RawRecord r, const std::string& name) {
  KafkaHeaders kept;
  for (auto& h : r.headers) {
    if (h.first != name) kept.push_back(h);
  }
  r.headers = kept;
  return r;
}

RawRecord With(RawRecord r, const std::string& name, const std::string& value) {
  r = Without(r, name);
  r.headers.emplace_back(name, value);
  return r;
}

TEST(EventEnvelopeTest, HeadersRoundTrip) {
  EventEnvelope in = Sample();
  absl::StatusOr<EventEnvelope> out = ParseRecord(AsRecord(in));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->id, in.id);
  EXPECT_EQ(out->source, in.source);
  EXPECT_EQ(out->type, in.type);
  EXPECT_EQ(out->time, in.time);
  EXPECT_EQ(out->subject, in.subject);
  EXPECT_EQ(out->sequence, in.sequence);
  EXPECT_EQ(out->traceparent, in.traceparent);
  EXPECT_EQ(out->key, in.key);
  EXPECT_EQ(out->topic, in.topic);
  EXPECT_EQ(out->payload, in.payload);
  EXPECT_EQ(out->partition, 3);
  EXPECT_EQ(out->offset, 11);
}

TEST(EventEnvelopeTest, HeadersAreBinaryModeCloudEvents) {
  KafkaHeaders h = EnvelopeHeaders(Sample());
  EXPECT_THAT(h, Contains(Pair("ce_specversion", "1.0")));
  EXPECT_THAT(h, Contains(Pair("ce_time", "2026-01-01T00:00:00.123456+00:00")));
  EXPECT_THAT(h, Contains(Pair("ce_sequence", "7")));
  EXPECT_THAT(h, Contains(Pair("content-type", "application/protobuf")));
}

TEST(EventEnvelopeTest, TraceparentIsOptional) {
  EventEnvelope in = Sample();
  in.traceparent.clear();
  EXPECT_FALSE(FindHeader(EnvelopeHeaders(in), kCeTraceparent).has_value());
  absl::StatusOr<EventEnvelope> out = ParseRecord(AsRecord(in));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->traceparent, "");
}

TEST(EventEnvelopeTest, EachMissingRequiredHeaderIsNamed) {
  for (const char* name : {kCeSpecVersion, kCeId, kCeSource, kCeType, kCeTime, kCeSubject,
                           kCeSequence}) {
    absl::StatusOr<EventEnvelope> out = ParseRecord(Without(AsRecord(Sample()), name));
    ASSERT_FALSE(out.ok()) << name;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(out.status().message(), std::string("missing header ") + name);
  }
}

TEST(EventEnvelopeTest, BadHeadersAreNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {kCeTime, "yesterday"},      {kCeSequence, "-1"},
      {kCeSequence, "x7"},         {kCeSpecVersion, "0.3"},
      {kContentType, "text/json"}, {kCeId, ""}};
  for (const auto& [name, value] : cases) {
    absl::StatusOr<EventEnvelope> out = ParseRecord(With(AsRecord(Sample()), name, value));
    ASSERT_FALSE(out.ok()) << name << "=" << value;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(out.status().message(), HasSubstr(std::string("bad header ") + name));
  }
}

TEST(EventEnvelopeTest, NoHeadersAtAllIsPoison) {
  RawRecord r;
  r.value = "garbage";
  EXPECT_EQ(ParseRecord(r).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EventEnvelopeTest, ValidateNamesEmptyField) {
  EXPECT_TRUE(ValidateEnvelope(Sample()).ok());
  EventEnvelope e = Sample();
  e.key.clear();
  EXPECT_THAT(ValidateEnvelope(e).message(), HasSubstr("key"));
  e = Sample();
  e.time = absl::InfinitePast();
  EXPECT_THAT(ValidateEnvelope(e).message(), HasSubstr("time"));
}

TEST(EventEnvelopeTest, DeadLetterHeadersKeepOriginalsAndAddError) {
  RawRecord r = AsRecord(Sample());
  KafkaHeaders h = DeadLetterHeaders(r, absl::FailedPreconditionError("boom"), 5, "g1");
  EXPECT_THAT(h, Contains(Pair("ce_id", "evt-1")));
  EXPECT_THAT(h, Contains(Pair("dlq_error", "boom")));
  EXPECT_THAT(h, Contains(Pair("dlq_code", "FAILED_PRECONDITION")));
  EXPECT_THAT(h, Contains(Pair("dlq_attempts", "5")));
  EXPECT_THAT(h, Contains(Pair("dlq_group", "g1")));
  EXPECT_THAT(h, Contains(Pair("dlq_original_topic", "revisit.order.v1")));
  EXPECT_THAT(h, Contains(Pair("dlq_original_partition", "3")));
  EXPECT_THAT(h, Contains(Pair("dlq_original_offset", "11")));
}

TEST(EventEnvelopeTest, RdKafkaHeadersCopyBytes) {
  KafkaHeaders in = {{"a", std::string("x\0y", 3)}, {"b", ""}};
  std::unique_ptr<RdKafka::Headers> h = ToRdKafkaHeaders(in);
  std::vector<RdKafka::Headers::Header> all = h->get_all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key(), "a");
  EXPECT_EQ(std::string(static_cast<const char*>(all[0].value()), all[0].value_size()),
            std::string("x\0y", 3));
  EXPECT_EQ(all[1].value_size(), 0u);
}

}  // namespace
}  // namespace revisit
