// ce_sequence is gapless per (ce_source, ce_subject) on revisit.loyalty.v1
// (docs/events.md "Gaps"): against a real redis-server, the local broker and the
// real revisit-loyalty process, customers go through account events (points_earned
// from order.completed), class changes (Reclassify, L1) and a voucher issue and
// redemption at checkout (L4), interleaved, with a second class change racing more completed
// orders. Read back from the topic, every subject's distinct events carry 1..n
// exactly once, in partition (commit) order, and every ce_type follows the naming
// rule. Before the fix, class_changed had its own counter under the customer
// subject (duplicate numbers) and voucher_redeemed was numbered by the voucher.
#include <algorithm>
#include <set>
#include <thread>

#include "common/event_type.h"
#include "common/keys.h"
#include "common/proto_time.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "tests/harness/kafka_reader.h"
#include "tests/integration/loyalty_fixture.h"

namespace revisit::loyalty {
namespace {

class LoyaltySequenceTest : public LoyaltyIntegrationTest {
 protected:
  v1::ReclassifyResponse Reclassify(const std::string& request_id) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::ReclassifyRequest req;
    req.set_request_id(request_id);
    v1::ReclassifyResponse resp;
    grpc::Status st = stub_->Reclassify(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  std::string IssueVoucher(const std::string& customer, const std::string& request_id) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::IssueVoucherRequest req;
    req.set_request_id(request_id);
    v1::Voucher* v = req.mutable_voucher();
    v->set_customer_id(customer);
    v->set_kind(v1::VOUCHER_KIND_COMPENSATION);
    v->mutable_value()->set_amount_minor(1000);
    v->mutable_value()->set_currency("CNY");
    v->set_reason("sequence test");
    v1::IssueVoucherResponse resp;
    grpc::Status st = stub_->IssueVoucher(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.voucher().voucher_id();
  }

  // Spends the voucher at checkout (L4): reserve for the order, then confirm as its
  // payment would (benefits_reserved, benefits_confirmed, voucher_redeemed).
  void SpendVoucher(const std::string& customer, const std::string& voucher_id,
                    const std::string& order_id) {
    v1::ReserveBenefitsRequest reserve;
    reserve.set_request_id("reserve-" + voucher_id);
    reserve.set_reservation_id(order_id);
    reserve.set_customer_id(customer);
    reserve.add_voucher_ids(voucher_id);
    auto* line = reserve.add_lines();
    line->set_category("tea");
    line->mutable_amount()->set_amount_minor(10000);
    line->mutable_amount()->set_currency("CNY");
    *reserve.mutable_payable() = line->amount();
    *reserve.mutable_hold_until() = ToProto(absl::Now() + absl::Minutes(30));
    v1::ReserveBenefitsResponse reserved;
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    grpc::Status st = stub_->ReserveBenefits(&ctx, reserve, &reserved);
    ASSERT_TRUE(st.ok()) << st.error_message();
    v1::ConfirmReservationRequest confirm;
    confirm.set_request_id("confirm-" + voucher_id);
    confirm.set_reservation_id(order_id);
    v1::ConfirmReservationResponse confirmed;
    grpc::ClientContext ctx2;
    ctx2.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    st = stub_->ConfirmReservation(&ctx2, confirm, &confirmed);
    EXPECT_TRUE(st.ok()) << st.error_message();
  }

  // Reads revisit.loyalty.v1 until a voucher_issued of every voucher in `markers`
  // is there (each customer's last event), deduplicated on ce_id.
  std::vector<EventEnvelope> ReadUntilMarkers(const std::set<std::string>& markers) {
    absl::Time give_up = absl::Now() + kGuard;
    while (true) {
      auto records = testing::ReadAll(stack_->Bootstrap(), "revisit.loyalty.v1");
      EXPECT_TRUE(records.ok()) << records.status();
      if (!records.ok()) return {};
      std::set<std::string> seen;
      for (const auto& r : *records) {
        if (r.type != "revisit.loyalty.voucher_issued.v1") continue;
        v1::VoucherIssued ev;
        if (ev.ParseFromString(r.payload)) seen.insert(ev.voucher().voucher_id());
      }
      if (std::includes(seen.begin(), seen.end(), markers.begin(), markers.end())) {
        std::set<std::string> ids;
        std::vector<EventEnvelope> out;
        for (auto& r : *records) {
          if (ids.insert(r.id).second) out.push_back(std::move(r));
        }
        return out;
      }
      if (absl::Now() > give_up) {
        ADD_FAILURE() << "markers never published (" << seen.size() << " vouchers seen)";
        return {};
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
  }
};

TEST_F(LoyaltySequenceTest, EverySubjectIsNumberedOneToNWithoutGapsL1L4) {
  // Tier thresholds out of reach; the sequences do not depend on which events occur.
  StartService({{"REVISIT_LOYALTY_TIER_THRESHOLDS", "1000000000,2000000000,3000000000"}});
  const std::vector<std::string> customers = {"cus-seq-big", "cus-seq-mid", "cus-seq-small"};
  const std::vector<int> orders = {4, 2, 1};
  std::vector<EventEnvelope> first;
  for (size_t c = 0; c < customers.size(); ++c) {
    for (int o = 0; o < orders[c]; ++o) {
      first.push_back(Completed(customers[c], absl::StrCat("ord-", customers[c], "-", o), 10000));
    }
  }
  Publish(first);
  WaitFor(customers, [&](const internal::Account& a) {
    auto it = std::find(customers.begin(), customers.end(), a.customer_id());
    return it != customers.end() &&
           a.completed_orders() >= orders[static_cast<size_t>(it - customers.begin())];
  });

  // Class change in the middle of the account's history (L1).
  EXPECT_GE(Reclassify("reclassify-1").changed(), 1);
  // Voucher issued (an account event) and spent at checkout (L4).
  const std::string voucher = IssueVoucher(customers[0], "issue-1");
  ASSERT_FALSE(voucher.empty());
  SpendVoucher(customers[0], voucher, NewEntityId("ord", ShardOf(customers[0])));  // an order of hers

  // More account events racing a second reclassification: the small customer
  // overtakes the others, so classes change again while accounts commit.
  std::vector<EventEnvelope> second;
  for (int o = 0; o < 8; ++o) {
    second.push_back(Completed(customers[2], absl::StrCat("ord-late-", o), 50000));
  }
  second.push_back(Completed(customers[0], "ord-late-big", 10000));
  std::thread racer([&] { Publish(second); });
  for (int i = 0; i < 5; ++i) Reclassify(absl::StrCat("reclassify-race-", i));
  racer.join();
  WaitFor({customers[2]}, [](const internal::Account& a) { return a.completed_orders() >= 9; });
  WaitFor({customers[0]}, [](const internal::Account& a) { return a.completed_orders() >= 5; });
  Reclassify("reclassify-final");

  // Each customer's last event: a voucher issue we can recognise.
  std::set<std::string> markers;
  for (const auto& c : customers) markers.insert(IssueVoucher(c, "marker-" + c));
  std::vector<EventEnvelope> events = ReadUntilMarkers(markers);
  ASSERT_FALSE(events.empty());

  std::map<std::string, std::vector<int64_t>> by_subject;  // in partition order
  std::map<std::string, std::set<std::string>> types_of;
  for (const auto& e : events) {
    EXPECT_TRUE(ParseEventType(e.type).has_value()) << "ce_type breaks the naming rule: " << e.type;
    EXPECT_EQ(e.source, "revisit/loyalty");
    EXPECT_EQ(e.subject, e.key) << e.type << ": a loyalty subject is the customer";
    by_subject[e.source + " " + e.subject].push_back(e.sequence);
    types_of[e.subject].insert(e.type);
  }
  for (const auto& c : customers) {
    EXPECT_TRUE(types_of[c].count("revisit.loyalty.points_earned.v1")) << c;
    EXPECT_TRUE(types_of[c].count("revisit.loyalty.class_changed.v1")) << c;
    EXPECT_TRUE(types_of[c].count("revisit.loyalty.voucher_issued.v1")) << c;
  }
  EXPECT_TRUE(types_of[customers[0]].count("revisit.loyalty.voucher_redeemed.v1"));
  for (const auto& [subject, seqs] : by_subject) {
    // One customer's events are on one partition in commit order: 1, 2, ..., n.
    for (size_t i = 0; i < seqs.size(); ++i) {
      EXPECT_EQ(seqs[i], static_cast<int64_t>(i + 1))
          << subject << ": event " << i << " of " << seqs.size() << " (gap, repeat or reorder)";
    }
    std::cout << subject << ": " << seqs.size() << " events numbered 1.." << seqs.size()
              << std::endl;
  }
}

}  // namespace
}  // namespace revisit::loyalty
