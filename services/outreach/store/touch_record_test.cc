// The stored forms of a touch and of a customer's record (touch_record.h,
// customer_record.h): the compact form written since issue 17, and the form before
// it, still read (the upgrade path) and moved by a touch's next change. No Redis:
// replies are built as Redis gives them, writes read back with WriteBatch::Iterate.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"
#include "services/outreach/store/customer_record.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/store/touch_record.h"

namespace revisit::outreach {
namespace {

const std::string kCustomer = "cus-07-00000000000000bb";
constexpr int kShard = 7;

v1::Touch SampleTouch() {
  v1::Touch t;
  t.set_touch_id(TouchId(kCustomer, v1::TRIGGER_FEEDBACK_REQUEST, "ord-07-00000000000000aa"));
  t.set_customer_id(kCustomer);
  t.set_trigger(v1::TRIGGER_FEEDBACK_REQUEST);
  t.set_source_id("ord-07-00000000000000aa");
  t.set_campaign("feedback_request");
  t.set_state(v1::TOUCH_STATE_SCHEDULED);
  *t.mutable_due_at() = ToProto(absl::FromUnixSeconds(1772704800));
  t.set_message("How is Silk scarf working for you? Tell us honestly (1-5).");
  return t;
}

RedisValue Str(const std::string& s) {
  RedisValue v;
  v.type = RedisValue::Type::kString;
  v.str = s;
  return v;
}
RedisValue Nil() { return RedisValue{}; }
RedisValue Array(std::vector<RedisValue> elements) {
  RedisValue v;
  v.type = RedisValue::Type::kArray;
  v.elements = std::move(elements);
  return v;
}

TEST(TouchRecordTest, TheCompactFormLeavesOutTheIdAndReadsBackWhole) {
  const v1::Touch t = SampleTouch();
  const std::string compact = EncodeTouch(t);
  EXPECT_EQ(compact.size() + t.touch_id().size() + 2, t.SerializeAsString().size());
  auto read = ParseTouchReads(kShard, t.touch_id(), Str(compact), Array({Nil(), Nil()}));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->touch.SerializeAsString(), t.SerializeAsString());
  EXPECT_EQ((*read)->legacy_version, 0);
}

TEST(TouchRecordTest, ATouchOfTheOldFormIsReadWithItsVersion) {
  const v1::Touch t = SampleTouch();
  auto read = ParseTouchReads(kShard, t.touch_id(), Nil(),
                              Array({Str("3"), Str(t.SerializeAsString())}));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->touch.SerializeAsString(), t.SerializeAsString());
  EXPECT_EQ((*read)->legacy_version, 3);
}

TEST(TouchRecordTest, TheCompactFormWinsOverALeftoverOldOne) {
  v1::Touch newer = SampleTouch();
  newer.set_state(v1::TOUCH_STATE_SENT);
  auto read = ParseTouchReads(kShard, newer.touch_id(), Str(EncodeTouch(newer)),
                              Array({Str("1"), Str(SampleTouch().SerializeAsString())}));
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->touch.state(), v1::TOUCH_STATE_SENT);
  EXPECT_EQ((*read)->legacy_version, 0);
}

TEST(TouchRecordTest, AbsentInBothFormsIsNoTouch) {
  auto read = ParseTouchReads(kShard, "tch-07-0000000000000001", Nil(), Array({Nil(), Nil()}));
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->has_value());
}

TEST(TouchRecordTest, UnreadableBytesAreDataLossNamingTheKey) {
  const std::string id = "tch-07-0000000000000001";
  auto bad = ParseTouchReads(kShard, id, Str("\xff\xff\xff"), Array({Nil(), Nil()}));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find(TouchesKey(kShard)), std::string::npos);
  auto version = ParseTouchReads(kShard, id, Nil(), Array({Str("x"), Str("")}));
  EXPECT_EQ(version.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(version.status().message().find(TouchKey(kShard, id)), std::string::npos);
}

std::vector<BatchOp> OpsOf(const WriteBatch& batch) {
  std::vector<BatchOp> ops;
  batch.Iterate([&](const BatchOp& op) { ops.push_back(op); });
  return ops;
}

TEST(TouchRecordTest, WritingATouchWritesOneHashField) {
  StoredTouch t{SampleTouch(), 0};
  WriteBatch batch;
  StageTouchWrite(batch, kShard, t);
  auto ops = OpsOf(batch);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].op, "HSET");
  EXPECT_EQ(ops[0].key, TouchesKey(kShard));
  EXPECT_EQ(ops[0].args, (std::vector<std::string>{t.touch.touch_id(), EncodeTouch(t.touch)}));
}

TEST(TouchRecordTest, WritingATouchReadInTheOldFormMovesItUnderItsOldVersion) {
  StoredTouch t{SampleTouch(), 4};
  WriteBatch batch;
  StageTouchWrite(batch, kShard, t);
  auto ops = OpsOf(batch);
  const std::string old_key = TouchKey(kShard, t.touch.touch_id());
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].op, "HSET");
  EXPECT_EQ(ops[1].op, "VERSION");
  EXPECT_EQ(ops[1].key, old_key);
  EXPECT_EQ(ops[1].args, std::vector<std::string>{"4"});
  EXPECT_EQ(ops[2].op, "DEL");
  EXPECT_EQ(ops[2].key, old_key);
}

TEST(TouchRecordTest, DuringARolloutTheOldFormIsWrittenUnderItsVersion) {
  // REVISIT_OUTREACH_COMPACT_TOUCHES=false: versions before issue 17 read only it.
  StoredTouch t{SampleTouch(), 4};
  WriteBatch batch;
  StageTouchWrite(batch, kShard, t, /*compact=*/false);
  auto ops = OpsOf(batch);
  const std::string old_key = TouchKey(kShard, t.touch.touch_id());
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].op, "VERSION");
  EXPECT_EQ(ops[0].key, old_key);
  EXPECT_EQ(ops[0].args, std::vector<std::string>{"4"});
  EXPECT_EQ(ops[1].op, "PUT");
  EXPECT_EQ(ops[1].key, old_key);
  EXPECT_EQ(ops[1].args, (std::vector<std::string>{"5", t.touch.SerializeAsString()}));
  EXPECT_EQ(ops[2].op, "HDEL");
  EXPECT_EQ(ops[2].key, TouchesKey(kShard));
  StoredTouch fresh{SampleTouch(), 0};  // a new touch: its entity must not exist yet
  WriteBatch create;
  StageTouchWrite(create, kShard, fresh, /*compact=*/false);
  EXPECT_EQ(OpsOf(create)[0].args, std::vector<std::string>{"0"});
}

store::CustomerState WithPending() {
  store::CustomerState c;
  c.set_customer_id(kCustomer);
  const v1::Touch t = SampleTouch();
  store::PendingRef* ref = c.add_pending();
  ref->set_touch_id(t.touch_id());
  ref->set_trigger(t.trigger());
  ref->set_source_id(t.source_id());
  ref->set_due_ms(1772704800000);
  store::PendingRef* odd = c.add_pending();  // an ID not derived from its fields
  odd->set_touch_id("tch-07-00000000000000ff");
  odd->set_trigger(v1::TRIGGER_CARE_TIPS);
  odd->set_source_id("ord-07-00000000000000aa");
  return c;
}

TEST(CustomerRecordTest, PendingRefsAreStoredWithoutTheirDerivedIdsAndReadWithThem) {
  const store::CustomerState c = WithPending();
  const std::string bytes = EncodeCustomer(c);
  store::CustomerState stored;
  ASSERT_TRUE(stored.ParseFromString(bytes));
  EXPECT_EQ(stored.pending(0).touch_id(), "") << "derivable from customer, trigger, source";
  EXPECT_EQ(stored.pending(1).touch_id(), "tch-07-00000000000000ff") << "kept: not derivable";
  EXPECT_LT(bytes.size(), c.SerializeAsString().size());
  store::CustomerState read;
  ASSERT_TRUE(DecodeCustomer("k", bytes, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), c.SerializeAsString());
}

TEST(CustomerRecordTest, DuringARolloutEveryIdIsKept) {
  const store::CustomerState c = WithPending();
  EXPECT_EQ(EncodeCustomer(c, /*compact=*/false), c.SerializeAsString());
}

TEST(CustomerRecordTest, ARecordOfTheOldFormReadsUnchanged) {
  const store::CustomerState c = WithPending();
  store::CustomerState read;
  ASSERT_TRUE(DecodeCustomer("k", c.SerializeAsString(), &read).ok());
  EXPECT_EQ(read.SerializeAsString(), c.SerializeAsString());
  EXPECT_EQ(DecodeCustomer("k", "\xff\xff", &read).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace revisit::outreach
