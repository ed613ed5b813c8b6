// The loyalty ledger changes exactly once per source event (issue 5 "Done when"):
// against a real redis-server, the local broker and the real revisit-loyalty
// process, each source event on revisit.order.v1 changes the ledger once when it is
//   1. redelivered (every event published twice, the whole stream published again),
//   2. in flight when the consumer is SIGKILLed mid-batch (offsets not yet stored),
//   3. replayed from offset 0 (REVISIT_LOYALTY_REPLAY=true on restart),
// and after each the invariant holds: balance == sum of the ledger entries.
// Every order is 100.00 CNY = 100 pending points (regular tier: the tier thresholds
// are raised out of reach so the multiplier stays 100%; return window 7 days not
// over); one refund of half an order reverses 50.
#include <atomic>
#include <set>
#include <thread>

#include "services/loyalty/loyalty_state.pb.h"
#include "tests/harness/kafka_reader.h"
#include "tests/integration/loyalty_fixture.h"

namespace revisit::loyalty {
namespace {

struct Workload {
  std::vector<std::string> customers;
  std::vector<EventEnvelope> events;
  int orders_per_customer = 0;
};

// `n` customers with `orders` completed orders each and one half refund of the first.
Workload MakeWorkload(int n, int orders, const std::string& tag) {
  Workload w;
  w.orders_per_customer = orders;
  for (int c = 0; c < n; ++c) {
    std::string customer = absl::StrCat("cus-", tag, "-", c);
    w.customers.push_back(customer);
    for (int o = 0; o < orders; ++o) {
      w.events.push_back(Completed(customer, absl::StrCat("ord-", tag, "-", c, "-", o), 10000));
    }
    w.events.push_back(Refunded(customer, absl::StrCat("ord-", tag, "-", c, "-0"), 10000,
                                absl::StrCat("ref-", tag, "-", c), 5000));
  }
  return w;
}

// Sentinel: one more order per customer, published last; once it is applied every
// earlier event of that customer (same key, same partition) has been handled.
std::vector<EventEnvelope> Sentinels(const Workload& w, const std::string& tag) {
  std::vector<EventEnvelope> out;
  for (const auto& c : w.customers) out.push_back(Completed(c, "ord-sentinel-" + tag + "-" + c, 10000));
  return out;
}

int64_t Expected(int orders) { return 100 * orders - 50; }

class LoyaltyExactlyOnceTest : public LoyaltyIntegrationTest {
 protected:
  LoyaltyExactlyOnceTest() { instances_ = 2; }  // the rebalance runs two
  void Start(std::map<std::string, std::string> env = {}, int instance = 0) {
    env["REVISIT_LOYALTY_TIER_THRESHOLDS"] = "1000000000,2000000000,3000000000";
    StartService(env, instance);
  }
  void ExpectExact(const Workload& w, int orders) {
    for (const auto& c : w.customers) {
      auto a = Account(c);
      EXPECT_EQ(a.completed_orders(), orders) << c;
      EXPECT_EQ(a.points_pending(), Expected(orders)) << c;
      EXPECT_EQ(a.points_available(), 0) << c;
      EXPECT_EQ(a.refunded_total_minor(), 5000) << c;
    }
    ExpectLedgerInvariant(w.customers);
  }
  void AwaitOrders(const Workload& w, int orders) {
    WaitFor(w.customers,
            [&](const internal::Account& a) { return a.completed_orders() >= orders; });
  }
};

// L6: the referral reversal is deduplicated once, by referral_reversal:<referred_id>
// in the referrer's shard (committed with the REVERSE entry). A second full-refund
// fact of the rewarded first order (another refund ID: the referred side decides
// again, as after a crash between the referrer's commit and its own) asks for the
// reversal again, and the referrer's ledger still holds one award and one reversal.
TEST_F(LoyaltyExactlyOnceTest, ASecondReversalOfOneReferralIsANoOpL6) {
  Start();
  const std::string referrer = "cus-l6-referrer", referred = "cus-l6-referred";
  revisit::order::v1::CustomerRegistered reg;
  reg.set_customer_id(referred);
  reg.set_referrer_id(referrer);
  *reg.mutable_registered_at() = ToProto(absl::Now());
  Publish({MakeEvent("order", "customer_registered", referred, referred, absl::Now(), reg),
           Completed(referrer, "ord-l6-own", 10000), Completed(referred, "ord-l6-first", 10000),
           Refunded(referred, "ord-l6-first", 10000, "ref-l6-1", 10000),
           Refunded(referred, "ord-l6-first", 10000, "ref-l6-2", 10000),
           Completed(referred, "ord-l6-sentinel", 10000)});
  // The sentinel follows both refunds on the referred customer's partition.
  WaitFor({referred}, [](const internal::Account& a) { return a.completed_orders() == 2; });
  auto ledger = store_->FullLedger(referrer);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  int awards = 0, reversals = 0;
  for (const auto& e : *ledger) {
    awards += e.source_id() == "referral:" + referred;
    reversals += e.source_id() == "referral-reversal:" + referred;
  }
  EXPECT_EQ(awards, 1);
  EXPECT_EQ(reversals, 1);
  EXPECT_EQ(Account(referrer).points_available(), 0);  // 500 awarded, 500 taken back
  ExpectLedgerInvariant({referrer, referred});
}

TEST_F(LoyaltyExactlyOnceTest, RedeliveredEventsChangeTheLedgerOnceL4) {
  Start();
  Workload w = MakeWorkload(8, 5, "redeliver");
  std::vector<EventEnvelope> twice;
  for (const auto& e : w.events) {
    twice.push_back(e);
    twice.push_back(e);  // same ce_id: a redelivery
  }
  Publish(twice);
  Publish(w.events);  // the whole stream again
  Publish(Sentinels(w, "a"));
  AwaitOrders(w, 6);
  ExpectExact(w, 6);
}

TEST_F(LoyaltyExactlyOnceTest, ConsumerKilledMidBatchChangesTheLedgerOnceL4) {
  Workload w = MakeWorkload(40, 25, "kill");  // 1,040 events
  Publish(w.events);
  Start();
  // Kill as soon as some (not necessarily all) events were applied.
  absl::Time give_up = absl::Now() + kGuard;
  while (Account(w.customers[0]).completed_orders() == 0) {
    ASSERT_LT(absl::Now(), give_up);
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(stack_->Kill(testing::Svc::kLoyalty).ok());
  int applied = 0;
  for (const auto& c : w.customers) applied += Account(c).completed_orders();
  std::cout << "killed after " << applied << " of " << 40 * 25 << " completions" << std::endl;
  ExpectLedgerInvariant(w.customers);  // holds at the kill point too

  Start();
  Publish(Sentinels(w, "b"));
  AwaitOrders(w, 26);
  ExpectExact(w, 26);
}

// A consumer-group rebalance while events flow (issue 11): two instances share the
// group's partitions; one is SIGKILLed mid-stream; the survivor takes its partitions
// over (after the session timeout) and every event changes the ledger exactly once.
TEST_F(LoyaltyExactlyOnceTest, RebalanceAfterAnInstanceIsKilledWhileEventsFlowL4) {
  Workload w = MakeWorkload(24, 30, "rebalance");  // 744 events over every partition
  Start({}, /*instance=*/0);  // the survivor (WaitFor watches instance 0)
  Start({}, /*instance=*/1);  // the victim
  // Events keep arriving while the group rebalances: published in slices.
  const size_t slice = w.events.size() / 6;
  std::atomic<bool> published{false};
  std::thread publisher([&] {
    for (size_t i = 0; i < w.events.size(); ++i) {
      (void)producer_->Produce(w.events[i], [](absl::Status) {});
      if (i % slice == slice - 1) absl::SleepFor(absl::Milliseconds(300));
    }
    (void)producer_->Flush(absl::Seconds(30));
    published = true;
  });
  absl::Time give_up = absl::Now() + kGuard;
  auto applied = [&] {
    int n = 0;
    for (const auto& c : w.customers) n += Account(c).completed_orders();
    return n;
  };
  while (applied() == 0) {
    ASSERT_LT(absl::Now(), give_up);
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(stack_->Kill(testing::Svc::kLoyalty, 1).ok());
  std::cout << "killed one of two instances after " << applied() << " completions" << std::endl;
  publisher.join();
  ASSERT_TRUE(published.load());
  Publish(Sentinels(w, "r"));
  AwaitOrders(w, 31);
  ExpectExact(w, 31);
}

TEST_F(LoyaltyExactlyOnceTest, ReplayFromOffsetZeroChangesNothingL4) {
  Workload w = MakeWorkload(10, 4, "replay");
  Publish(w.events);
  Start();
  Publish(Sentinels(w, "c"));
  AwaitOrders(w, 5);
  ExpectExact(w, 5);
  ASSERT_TRUE(stack_->Terminate(testing::Svc::kLoyalty, kGuard).ok());

  Start({{"REVISIT_LOYALTY_REPLAY", "true"}});
  Publish(Sentinels(w, "d"));
  AwaitOrders(w, 6);
  ExpectExact(w, 6);

  // Each order earned once on revisit.loyalty.v1 too (distinct ce_ids per order).
  std::map<std::string, std::set<std::string>> earned_ids;
  size_t want = w.customers.size() * 6;
  absl::Time give_up = absl::Now() + kGuard;
  while (true) {
    auto records = testing::ReadAll(stack_->Bootstrap(), "revisit.loyalty.v1");
    ASSERT_TRUE(records.ok()) << records.status();
    earned_ids.clear();
    for (const auto& r : *records) {
      if (r.type != "revisit.loyalty.points_earned.v1") continue;
      v1::PointsEarned ev;
      ASSERT_TRUE(ev.ParseFromString(r.payload));
      earned_ids[ev.order_id()].insert(r.id);
    }
    if (earned_ids.size() >= want) break;
    ASSERT_LT(absl::Now(), give_up) << earned_ids.size() << " of " << want << " orders published";
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(earned_ids.size(), want);
  for (const auto& [order, ids] : earned_ids) EXPECT_EQ(ids.size(), 1u) << order;
}

}  // namespace
}  // namespace revisit::loyalty
