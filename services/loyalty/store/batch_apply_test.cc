// BatchApplier over a fake store (no Redis): a batch is one read and one commit of a
// chain per customer; a conflict, a commit error or a failing event sends that
// customer's remaining events one at a time, in order, and stops at the first
// failure; other customers are unaffected. Rules: exactly-once per event (L4 ledger).
#include "services/loyalty/store/batch_apply.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "common/outbox.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/edge/event_decision.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using ::revisit::loyalty::testing::T0;
namespace ov1 = ::revisit::order::v1;

EventEnvelope Completed(const std::string& customer, const std::string& order,
                        const std::string& currency = "CNY") {
  ov1::OrderCompleted ev;
  *ev.mutable_order() = testing::Order(order, 10000, T0());
  ev.mutable_order()->set_customer_id(customer);
  ev.mutable_order()->mutable_paid()->set_currency(currency);
  EventEnvelope e = MakeEvent("order", "completed", customer, order, T0(), ev);
  e.id = "ev-" + order;
  return e;
}

EventEnvelope Registered(const std::string& customer, const std::string& referrer) {
  ov1::CustomerRegistered ev;
  ev.set_customer_id(customer);
  ev.set_referrer_id(referrer);
  EventEnvelope e = MakeEvent("order", "customer_registered", customer, customer, T0(), ev);
  e.id = "ev-reg-" + customer;
  return e;
}

// Accounts, inbox and a call log in memory, with injectable conflicts and errors.
class FakeStore : public BatchStore {
 public:
  struct Stored {
    int64_t version = 0;
    internal::Account account;
  };
  explicit FakeStore(const LoyaltyRules& rules) : rules_(rules) {}

  absl::StatusOr<BatchSnapshot> Read(
      const std::vector<std::string>& customers,
      const std::vector<std::pair<std::string, std::string>>& events) override {
    calls.push_back("read");
    if (fail_read) return absl::UnavailableError("read: connection reset");
    BatchSnapshot s;
    for (const auto& c : customers) s.accounts.push_back(Load(c));
    for (const auto& [c, id] : events) s.seen.push_back(inbox.count(id) > 0);
    return s;
  }

  std::vector<absl::Status> Commit(const std::vector<AccountChain>& chains,
                                   absl::Time) override {
    calls.push_back(absl::StrCat("commit:", chains.size()));
    std::vector<absl::Status> out;
    for (const auto& chain : chains) out.push_back(CommitChain(chain));
    return out;
  }

  absl::Status ApplyOne(const EventEnvelope& e) override {
    calls.push_back("one:" + e.id);
    if (fail_one.count(e.id) > 0) return absl::UnavailableError("one: connection reset");
    auto p = PrepareEvent(e, T0(), rules_);
    if (!p.ok()) return p.status();
    if (!p->applies || inbox.count(e.id) > 0) return absl::OkStatus();
    Versioned<internal::Account> a = Load(p->customer_id);
    Effects fx;
    if (auto st = p->decide(a.value, fx); !st.ok()) return st;
    if (fx.referral) referrals.push_back(fx.referral->referrer_id);
    accounts[p->customer_id] = {a.version + 1, a.value};
    inbox.insert(e.id);
    applied[p->customer_id].push_back(e.id);
    return absl::OkStatus();
  }

  Versioned<internal::Account> Load(const std::string& c) {
    Versioned<internal::Account> v;
    auto it = accounts.find(c);
    if (it == accounts.end()) {
      v.value = NewAccount(c);
    } else {
      v.version = it->second.version;
      v.value = it->second.account;
    }
    return v;
  }

  std::map<std::string, Stored> accounts;
  std::set<std::string> inbox;
  std::map<std::string, std::vector<std::string>> applied;  // customer -> event IDs in order
  std::vector<std::string> referrals;
  std::vector<std::string> calls;
  std::set<std::string> conflict_on_commit;  // customers another writer changes first
  std::set<std::string> fail_commit;         // customers whose chain commit errs
  std::set<std::string> fail_one;            // event IDs ApplyOne fails on
  bool fail_read = false;

 private:
  absl::Status CommitChain(const AccountChain& chain) {
    const std::string& c = chain.customer_id;
    if (fail_commit.count(c) > 0) return absl::UnavailableError("commit: connection reset");
    if (conflict_on_commit.erase(c) > 0) {  // e.g. an AwardPoints RPC got in first
      Stored& s = accounts[c];
      if (s.version == 0) s.account = NewAccount(c);
      ++s.version;
    }
    if (Load(c).version != chain.read_version) return absl::AbortedError("version changed");
    for (const auto& step : chain.steps) {
      if (inbox.count(step.event_id) > 0) return absl::AlreadyExistsError("in the inbox");
    }
    accounts[c] = {chain.read_version + static_cast<int64_t>(chain.steps.size()), chain.account};
    for (const auto& step : chain.steps) {
      inbox.insert(step.event_id);
      applied[c].push_back(step.event_id);
    }
    return absl::OkStatus();
  }

  const LoyaltyRules& rules_;
};

class BatchApplyTest : public ::testing::Test {
 protected:
  std::vector<absl::Status> Apply(const std::vector<EventEnvelope>& events) {
    return BatchApplier(store_, rules_).Apply(events, T0());
  }
  // The same events through the one-at-a-time path only, on a fresh store.
  FakeStore Sequential(const std::vector<EventEnvelope>& events) {
    FakeStore s(rules_);
    for (const auto& e : events) EXPECT_TRUE(s.ApplyOne(e).ok()) << e.id;
    return s;
  }
  static std::vector<std::string> Ids(std::initializer_list<const char*> ids) {
    std::vector<std::string> out;
    for (const char* id : ids) out.push_back(id);
    return out;
  }

  LoyaltyRules rules_;
  FakeStore store_{rules_};
};

TEST_F(BatchApplyTest, MixedCustomersCommitOneChainEachInTwoRoundTripsL4) {
  std::vector<EventEnvelope> events = {Completed("a", "a1"), Completed("b", "b1"),
                                       Completed("a", "a2"), Completed("c", "c1"),
                                       Completed("b", "b2"), Completed("a", "a3")};
  for (const auto& st : Apply(events)) EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(store_.calls, Ids({"read", "commit:3"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-a1", "ev-a2", "ev-a3"}));
  EXPECT_EQ(store_.applied["b"], Ids({"ev-b1", "ev-b2"}));
  EXPECT_EQ(store_.accounts["a"].version, 3);  // one version per event, as one at a time
  // Each event decided on the in-memory result of the previous: the same accounts as
  // applying the events one at a time.
  FakeStore one_by_one = Sequential(events);
  for (const char* c : {"a", "b", "c"}) {
    EXPECT_EQ(store_.accounts[c].version, one_by_one.accounts[c].version) << c;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        store_.accounts[c].account, one_by_one.accounts[c].account))
        << c << "\nbatched: " << store_.accounts[c].account.DebugString()
        << "\none by one: " << one_by_one.accounts[c].account.DebugString();
  }
  EXPECT_EQ(store_.accounts["a"].account.completed_orders(), 3);
}

TEST_F(BatchApplyTest, VersionConflictSendsOnlyThatCustomerOneAtATimeInOrder) {
  store_.conflict_on_commit = {"a"};
  std::vector<EventEnvelope> events = {Completed("a", "a1"), Completed("b", "b1"),
                                       Completed("a", "a2")};
  for (const auto& st : Apply(events)) EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(store_.calls, Ids({"read", "commit:2", "one:ev-a1", "one:ev-a2"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-a1", "ev-a2"}));
  EXPECT_EQ(store_.applied["b"], Ids({"ev-b1"}));
  EXPECT_EQ(store_.accounts["a"].version, 3);  // the other writer's change, then two
  EXPECT_EQ(store_.accounts["a"].account.completed_orders(), 2);
}

TEST_F(BatchApplyTest, AFailingEventInTheMiddleStopsThatCustomerOnly) {
  std::vector<EventEnvelope> events = {Completed("a", "a1"), Completed("b", "b1"),
                                       Completed("a", "a2", "USD"), Completed("a", "a3"),
                                       Completed("b", "b2")};
  std::vector<absl::Status> st = Apply(events);
  EXPECT_TRUE(st[0].ok()) << st[0];
  EXPECT_TRUE(st[1].ok()) << st[1];
  EXPECT_EQ(st[2].code(), absl::StatusCode::kInvalidArgument) << st[2];
  EXPECT_EQ(st[3].code(), absl::StatusCode::kAborted) << st[3];  // not attempted
  EXPECT_NE(st[3].message().find("not attempted"), std::string::npos);
  EXPECT_TRUE(st[4].ok()) << st[4];
  // a1 committed in the chain; a2 retried alone (and failed); a3 left for the consumer.
  EXPECT_EQ(store_.calls, Ids({"read", "commit:2", "one:ev-a2"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-a1"}));
  EXPECT_EQ(store_.applied["b"], Ids({"ev-b1", "ev-b2"}));
  EXPECT_EQ(store_.inbox.count("ev-a3"), 0u);
}

TEST_F(BatchApplyTest, ACommitErrorFallsBackAndStopsAtTheFirstFailure) {
  store_.fail_commit = {"a"};
  store_.fail_one = {"ev-a2"};
  std::vector<EventEnvelope> events = {Completed("a", "a1"), Completed("a", "a2"),
                                       Completed("b", "b1"), Completed("a", "a3")};
  std::vector<absl::Status> st = Apply(events);
  EXPECT_TRUE(st[0].ok()) << st[0];
  EXPECT_EQ(st[1].code(), absl::StatusCode::kUnavailable) << st[1];
  EXPECT_TRUE(st[2].ok()) << st[2];
  EXPECT_EQ(st[3].code(), absl::StatusCode::kAborted) << st[3];
  EXPECT_EQ(store_.calls, Ids({"read", "commit:2", "one:ev-a1", "one:ev-a2"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-a1"}));
}

TEST_F(BatchApplyTest, ReadFailureAppliesEverythingOneAtATime) {
  store_.fail_read = true;
  std::vector<EventEnvelope> events = {Completed("a", "a1"), Completed("b", "b1"),
                                       Completed("a", "a2")};
  for (const auto& st : Apply(events)) EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(store_.calls, Ids({"read", "one:ev-a1", "one:ev-a2", "one:ev-b1"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-a1", "ev-a2"}));
}

TEST_F(BatchApplyTest, RedeliveredAndRepeatedEventsChangeNothingL4) {
  store_.inbox.insert("ev-a1");  // applied by an earlier delivery
  std::vector<EventEnvelope> events = {Completed("a", "a1"), Completed("a", "a2"),
                                       Completed("a", "a2"), Completed("a", "a1")};
  for (const auto& st : Apply(events)) EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(store_.calls, Ids({"read", "commit:1"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-a2"}));
  EXPECT_EQ(store_.accounts["a"].version, 1);
  EXPECT_EQ(store_.accounts["a"].account.completed_orders(), 1);
}

TEST_F(BatchApplyTest, RepeatedEventOfAFailedChainIsAppliedOnceAlone) {
  store_.conflict_on_commit = {"a"};
  std::vector<EventEnvelope> events = {Completed("a", "a1"), Completed("a", "a1")};
  for (const auto& st : Apply(events)) EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(store_.calls, Ids({"read", "commit:1", "one:ev-a1", "one:ev-a1"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-a1"}));
}

TEST_F(BatchApplyTest, AReferralRewardTakesTheOneAtATimePathL6) {
  std::vector<EventEnvelope> events = {Registered("a", "r"), Completed("a", "a1"),
                                       Completed("a", "a2"), Completed("b", "b1")};
  for (const auto& st : Apply(events)) EXPECT_TRUE(st.ok()) << st;
  // The registration chains; the first order owes the referrer (another shard, written
  // first), so it and the customer's later events go one at a time.
  EXPECT_EQ(store_.calls, Ids({"read", "commit:2", "one:ev-a1", "one:ev-a2"}));
  EXPECT_EQ(store_.referrals, Ids({"r"}));
  EXPECT_EQ(store_.applied["a"], Ids({"ev-reg-a", "ev-a1", "ev-a2"}));
  // The chain committed the account as it was before the referral decision, which
  // had changed it in place (BatchApplier::Rewind): the same state as one at a time.
  FakeStore one = Sequential(events);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(store_.accounts["a"].account,
                                                                 one.accounts["a"].account));
}

TEST_F(BatchApplyTest, IgnoredAndUnparsableEventsAreReportedWithoutStoreCalls) {
  EventEnvelope shipped = Completed("a", "a1");
  shipped.type = "revisit.order.shipped.v1";
  EventEnvelope garbled = Completed("a", "a2");
  garbled.payload = "\xff\xff\xff";
  std::vector<absl::Status> st = Apply({shipped, garbled});
  EXPECT_TRUE(st[0].ok()) << st[0];
  EXPECT_EQ(st[1].code(), absl::StatusCode::kInvalidArgument) << st[1];
  EXPECT_TRUE(store_.calls.empty());
}

}  // namespace
}  // namespace revisit::loyalty
