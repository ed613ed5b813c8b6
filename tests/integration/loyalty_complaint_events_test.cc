// Loyalty consumes revisit.complaint.v1 for the negative-value rule (L7), exactly
// once: against a real redis-server, the local broker and the real revisit-loyalty
// process, complaint events that are redelivered (each published twice, the whole
// stream again) and then replayed from offset 0 (REVISIT_LOYALTY_REPLAY=true) count
// once: the compensation stored per complaint is the sum of distinct remedies, the
// rejection count is per complaint, and negative_value.flagged is published once.
#include <set>

#include "revisit/complaint/v1/events.pb.h"
#include "services/loyalty/loyalty_state.pb.h"
#include "tests/harness/kafka_reader.h"
#include "tests/integration/loyalty_fixture.h"

namespace revisit::loyalty {
namespace {

namespace cv1 = ::revisit::complaint::v1;

cv1::ComplaintFacts Facts(const std::string& customer, const std::string& complaint) {
  cv1::ComplaintFacts f;
  f.set_complaint_id(complaint);
  f.set_customer_id(customer);
  return f;
}

// complaint.resolved with a voucher of `minor` CNY as remedy r1.
EventEnvelope Resolved(const std::string& customer, const std::string& complaint, int64_t minor) {
  cv1::ComplaintResolved ev;
  *ev.mutable_complaint() = Facts(customer, complaint);
  ev.mutable_remedy()->set_remedy_id("r1");
  ev.mutable_remedy()->set_kind(cv1::REMEDY_KIND_VOUCHER);
  ev.mutable_remedy()->mutable_amount()->set_amount_minor(minor);
  ev.mutable_remedy()->mutable_amount()->set_currency("CNY");
  return MakeEvent("complaint", "resolved", customer, complaint, absl::Now(), ev);
}

EventEnvelope Rejected(const std::string& customer, const std::string& complaint) {
  cv1::ComplaintRejected ev;
  *ev.mutable_complaint() = Facts(customer, complaint);
  ev.set_reason("a refund of ten times the price is not something we can offer (C8)");
  return MakeEvent("complaint", "rejected", customer, complaint, absl::Now(), ev);
}

class LoyaltyComplaintEventsTest : public LoyaltyIntegrationTest {
 protected:
  // L7 by complaint counts only: 3 compensated complaints (any amount) flag; the
  // rejection rule needs 2 (the refund rule cannot fire: nothing is refunded).
  void Start(std::map<std::string, std::string> env = {}) {
    env["REVISIT_LOYALTY_NEGATIVE_COMPENSATED_COMPLAINTS"] = "3";
    env["REVISIT_LOYALTY_NEGATIVE_COMPENSATION_PCT"] = "0";
    env["REVISIT_LOYALTY_NEGATIVE_REJECTED_COMPLAINTS"] = "2";
    StartService(env);
  }

  // Waits until the sentinel complaint `sentinel` (published last on the complaint
  // topic, same key) is on every account: every earlier complaint event was handled.
  void AwaitSentinel(const std::vector<std::string>& customers, const std::string& sentinel) {
    WaitFor(customers, [&](const internal::Account& a) {
      for (const auto& c : a.complaints()) {
        if (c.complaint_id() == sentinel) return true;
      }
      return false;
    });
  }

  // Exactly: 3 compensated complaints of 100.00, 200.00, 300.00 (one remedy each),
  // 1 rejected complaint + the rejected sentinels, and the flag on.
  void ExpectCountedOnce(const std::string& customer, int sentinels) {
    auto a = Account(customer);
    std::map<std::string, internal::ComplaintRecord> by_id;
    for (const auto& c : a.complaints()) by_id[c.complaint_id()] = c;
    ASSERT_EQ(by_id.size(), static_cast<size_t>(4 + sentinels)) << customer;
    for (int i = 1; i <= 3; ++i) {
      const auto& c = by_id[absl::StrCat("cmp-comp-", i)];
      EXPECT_EQ(c.compensation_minor(), 10000 * i) << customer << " cmp-comp-" << i;
      EXPECT_EQ(c.remedy_ids_size(), 1) << customer << " cmp-comp-" << i;
      EXPECT_FALSE(c.rejected());
    }
    EXPECT_TRUE(by_id["cmp-rej-1"].rejected());
    EXPECT_TRUE(a.negative_value()) << customer;
    EXPECT_NE(a.negative_value_reason().find("3 complaints compensated with 600.00 CNY"), std::string::npos)
        << a.negative_value_reason();
    EXPECT_NE(a.negative_value_reason().find(absl::StrCat(1 + sentinels, " complaints rejected")),
              std::string::npos)
        << a.negative_value_reason();
  }

  // ce_ids of negative_value.flagged per customer on revisit.loyalty.v1.
  std::map<std::string, std::set<std::string>> Flagged() {
    std::map<std::string, std::set<std::string>> out;
    auto records = testing::ReadAll(stack_->Bootstrap(), "revisit.loyalty.v1");
    EXPECT_TRUE(records.ok()) << records.status();
    if (!records.ok()) return out;
    for (const auto& r : *records) {
      if (r.type == "revisit.loyalty.negative_value_flagged.v1") out[r.key].insert(r.id);
    }
    return out;
  }
};

TEST_F(LoyaltyComplaintEventsTest, RedeliveredAndReplayedComplaintEventsCountOnceL7) {
  Start();
  std::vector<std::string> customers;
  std::vector<EventEnvelope> stream;
  for (int c = 0; c < 4; ++c) {
    const std::string customer = absl::StrCat("cus-cmp-", c);
    customers.push_back(customer);
    for (int i = 1; i <= 3; ++i) stream.push_back(Resolved(customer, absl::StrCat("cmp-comp-", i), 10000 * i));
    stream.push_back(Rejected(customer, "cmp-rej-1"));
  }
  std::vector<EventEnvelope> twice;
  for (const auto& e : stream) {
    twice.push_back(e);
    twice.push_back(e);  // same ce_id: a redelivery
  }
  Publish(twice);
  Publish(stream);  // the whole stream again
  std::vector<EventEnvelope> sentinels;
  for (const auto& c : customers) sentinels.push_back(Rejected(c, "cmp-sentinel-a"));
  Publish(sentinels);
  AwaitSentinel(customers, "cmp-sentinel-a");
  for (const auto& c : customers) ExpectCountedOnce(c, 1);

  // Replay the complaint topic (and the order topic) from offset 0.
  ASSERT_TRUE(stack_->Terminate(testing::Svc::kLoyalty, kGuard).ok());
  Start({{"REVISIT_LOYALTY_REPLAY", "true"}});
  sentinels.clear();
  for (const auto& c : customers) sentinels.push_back(Rejected(c, "cmp-sentinel-b"));
  Publish(sentinels);
  AwaitSentinel(customers, "cmp-sentinel-b");
  for (const auto& c : customers) ExpectCountedOnce(c, 2);

  // The flag went out once per customer, whatever was redelivered or replayed. The
  // outbox relay publishes asynchronously: wait for all, then check no duplicate.
  absl::Time give_up = absl::Now() + kGuard;
  std::map<std::string, std::set<std::string>> flagged = Flagged();
  while (flagged.size() < customers.size() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
    flagged = Flagged();
  }
  ASSERT_EQ(flagged.size(), customers.size());
  for (const auto& c : customers) EXPECT_EQ(flagged[c].size(), 1u) << c;
}

}  // namespace
}  // namespace revisit::loyalty
