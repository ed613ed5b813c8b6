#include "common/outbox_ledger.h"

#include <gtest/gtest.h>

#include <thread>

namespace revisit {
namespace {

using Decision = OutboxLedger::Decision;
using Entry = OutboxLedger::Entry;

const Entry kA{"svc:{svc:00}:outbox", "1-0", "evt-a"};
const Entry kB{"svc:{svc:00}:outbox", "2-0", "evt-b"};
const Entry kOtherStream{"svc:{svc:01}:outbox", "1-0", "evt-c"};

TEST(OutboxLedgerTest, AnUnknownEntryIsPublished) {
  OutboxLedger ledger;
  EXPECT_EQ(ledger.Classify(kA), Decision::kPublish);
  EXPECT_TRUE(ledger.ToAck().empty());
  EXPECT_EQ(ledger.InFlight(kA.stream), 0);
}

TEST(OutboxLedgerTest, InFlightWaitsThenDeliveredIsAckedWithoutPublishingAgain) {
  OutboxLedger ledger;
  ledger.Begin(kA);
  EXPECT_EQ(ledger.Classify(kA), Decision::kWait);
  EXPECT_EQ(ledger.InFlight(kA.stream), 1);
  EXPECT_EQ(ledger.InFlight(kOtherStream.stream), 0);
  ledger.Settle(kA, absl::OkStatus());
  EXPECT_EQ(ledger.InFlight(kA.stream), 0);
  EXPECT_EQ(ledger.Classify(kA), Decision::kAckOnly) << "delivered, its ack failed: ack only";
  ASSERT_EQ(ledger.ToAck().size(), 1u);
  EXPECT_EQ(ledger.ToAck()[0].event_id, "evt-a");
}

TEST(OutboxLedgerTest, AFailedDeliveryIsPublishedAgain) {
  OutboxLedger ledger;
  ledger.Begin(kA);
  ledger.Settle(kA, absl::UnavailableError("broker down"));
  EXPECT_EQ(ledger.Classify(kA), Decision::kPublish);
  EXPECT_TRUE(ledger.ToAck().empty());
  EXPECT_EQ(ledger.InFlight(kA.stream), 0);
}

TEST(OutboxLedgerTest, AnAckedEntryReadAgainIsAckedOnlyUnlessItsEventDiffers) {
  OutboxLedger ledger;
  ledger.Begin(kA);
  ledger.Settle(kA, absl::OkStatus());
  ledger.Acked(ledger.ToAck());
  EXPECT_TRUE(ledger.ToAck().empty());
  EXPECT_EQ(ledger.Classify(kA), Decision::kAckOnly) << "Redis lost a confirmed XACK";
  Entry reused = kA;
  reused.event_id = "evt-other";
  EXPECT_EQ(ledger.Classify(reused), Decision::kPublish) << "same entry ID, another event";
}

TEST(OutboxLedgerTest, RemembersOnlyTheNewestAckedEntries) {
  OutboxLedger ledger(1);
  for (const Entry& e : {kA, kB}) {
    ledger.Begin(e);
    ledger.Settle(e, absl::OkStatus());
  }
  ledger.Acked({kA});
  ledger.Acked({kB});
  EXPECT_EQ(ledger.Classify(kA), Decision::kPublish);
  EXPECT_EQ(ledger.Classify(kB), Decision::kAckOnly);
}

TEST(OutboxLedgerTest, LateReportsAndUnknownKeysAreIgnored) {
  OutboxLedger ledger;
  ledger.Settle(kA, absl::OkStatus());  // never begun
  ledger.Acked({kB});                   // never delivered
  EXPECT_EQ(ledger.Classify(kA), Decision::kPublish);
  EXPECT_EQ(ledger.Classify(kB), Decision::kPublish);
  ledger.Begin(kA);
  ledger.Settle(kA, absl::OkStatus());
  ledger.Settle(kA, absl::InternalError("a second report"));
  EXPECT_EQ(ledger.Classify(kA), Decision::kAckOnly);
}

TEST(OutboxLedgerTest, AwaitSettledEndsOnTheLastReportOrOnInterrupt) {
  OutboxLedger ledger;
  EXPECT_TRUE(ledger.AwaitSettled(absl::InfinitePast()));
  ledger.Begin(kA);
  EXPECT_FALSE(ledger.AwaitSettled(absl::InfinitePast()));
  std::thread reporter([&] { ledger.Settle(kA, absl::OkStatus()); });
  EXPECT_TRUE(ledger.AwaitSettled(absl::InfiniteFuture()));
  reporter.join();
  ledger.Begin(kB);
  std::thread stopper([&] { ledger.Interrupt(); });
  EXPECT_FALSE(ledger.AwaitSettled(absl::InfiniteFuture())) << "interrupted, kB still in flight";
  stopper.join();
}

}  // namespace
}  // namespace revisit
