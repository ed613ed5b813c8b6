// AnalyzeEvents on hand-made records: what the chaos suites rely on to tell a lost,
// reordered or doubled event from a harmless re-publish. No processes.
#include "tests/harness/invariant_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace revisit::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

EventEnvelope Event(const std::string& id, const std::string& subject, int64_t seq,
                    const std::string& type = "revisit.order.paid.v1") {
  EventEnvelope e;
  e.id = id;
  e.source = "revisit/order";
  e.type = type;
  e.time = absl::FromUnixSeconds(1767225600);
  e.subject = subject;
  e.sequence = seq;
  e.key = "cus-1";
  e.topic = "revisit.order.v1";
  e.payload = "payload-" + id;
  return e;
}

std::vector<RawRecord> Records(const std::vector<EventEnvelope>& events) {
  std::vector<RawRecord> out;
  for (const EventEnvelope& e : events) {
    out.push_back({e.topic, 0, static_cast<int64_t>(out.size()), e.key, e.payload,
                   EnvelopeHeaders(e)});
  }
  return out;
}

TEST(InvariantCheckerTest, AGaplessInOrderStreamIsClean) {
  EventFindings f = AnalyzeEvents(
      Records({Event("a", "ord-1", 1), Event("b", "ord-2", 1), Event("c", "ord-1", 2)}), {});
  EXPECT_EQ(f.records, 3);
  EXPECT_EQ(f.events, 3);
  EXPECT_EQ(f.republished, 0);
  EXPECT_THAT(f.gaps, IsEmpty());
  EXPECT_THAT(f.inversions, IsEmpty());
  EXPECT_THAT(f.reused_sequences, IsEmpty());
  InvariantReport report;
  report.events = f;
  report.outbox_backlog["order"] = 0;
  EXPECT_TRUE(report.Clean()) << report.Summary();
  report.outbox_pending["order"] = 1;
  EXPECT_FALSE(report.Clean()) << "an entry left pending";
}

TEST(InvariantCheckerTest, AnIdenticalCopyIsAHarmlessRepublishADifferentOneAConflict) {
  EventEnvelope a = Event("a", "ord-1", 1);
  EventEnvelope changed = a;
  changed.payload = "other";
  EventFindings f = AnalyzeEvents(Records({a, Event("b", "ord-1", 2), a, changed}), {});
  EXPECT_EQ(f.events, 2);
  EXPECT_EQ(f.republished, 1);
  ASSERT_EQ(f.conflicting_copies.size(), 1u);
  EXPECT_THAT(f.conflicting_copies[0], HasSubstr("a at revisit.order.v1/0@3"));
  EXPECT_THAT(f.inversions, IsEmpty()) << "a re-published copy is not an inversion";
}

TEST(InvariantCheckerTest, GapsInversionsAndReusedSequencesAreFound) {
  EventFindings f = AnalyzeEvents(Records({Event("a", "ord-1", 1), Event("c", "ord-1", 3),
                                           Event("b", "ord-1", 2), Event("x", "ord-2", 2),
                                           Event("y", "ord-3", 1), Event("z", "ord-3", 1)}),
                                  {});
  EXPECT_THAT(f.inversions, ElementsAre(HasSubstr("ord-1: ce_sequence 2 (b) after 3")));
  EXPECT_THAT(f.gaps, ElementsAre("revisit/order ord-2: ce_sequence 1 missing"));
  EXPECT_THAT(f.reused_sequences, ElementsAre(HasSubstr("ord-3: ce_sequence 1 carried by y and z")));
}

TEST(InvariantCheckerTest, AtMostOncePerCountsDistinctEventsPerKey) {
  auto by_subject = [](const EventEnvelope& e) -> std::optional<std::string> {
    if (e.subject == "skip") return std::nullopt;
    return e.subject;
  };
  const std::string refunded = "revisit.order.refunded.v1";
  EventEnvelope r1 = Event("r1", "ord-1", 1, refunded);
  EventFindings f = AnalyzeEvents(
      Records({r1, r1, Event("r2", "ord-2", 1, refunded), Event("r3", "ord-2", 2, refunded),
               Event("p", "ord-3", 1), Event("p2", "ord-3", 2), Event("s1", "skip", 1, refunded),
               Event("s2", "skip", 2, refunded)}),
      {{"refunds", AtMostOncePer("refund of order", refunded, by_subject)}});
  EXPECT_THAT(f.effect_violations,
              ElementsAre("refunds: refund of order ord-2: 2 events (r2, r3)"));
  EXPECT_EQ(f.republished, 1) << "r1 twice is one effect re-published";
}

TEST(InvariantCheckerTest, AnUnparsableRecordIsReported) {
  std::vector<RawRecord> records = Records({Event("a", "ord-1", 1)});
  records[0].headers.clear();
  EventFindings f = AnalyzeEvents(records, {});
  ASSERT_EQ(f.unparsable.size(), 1u);
  EXPECT_EQ(f.events, 0);
  InvariantReport report;
  report.events = f;
  EXPECT_FALSE(report.Clean());
  EXPECT_THAT(report.Summary(), HasSubstr("unparsable records (1)"));
}

}  // namespace
}  // namespace revisit::testing
