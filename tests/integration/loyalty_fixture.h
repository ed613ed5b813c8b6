// Test fixture for the loyalty integration suites: a private redis-server, the
// local broker and the real revisit-loyalty binary (all from testing::Stack), plus helpers to publish order
// events onto revisit.order.v1 and to check the ledger invariant in Redis.
// No timing assertions: waits are "until the condition holds" under a guard.
#ifndef REVISIT_TESTS_INTEGRATION_LOYALTY_FIXTURE_H_
#define REVISIT_TESTS_INTEGRATION_LOYALTY_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/kafka_producer.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/store/loyalty_store.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/stack.h"

namespace revisit::loyalty {

inline constexpr absl::Duration kGuard = absl::Seconds(90);  // failure guard only

// An order.completed envelope for `customer`/`order` of `minor` CNY.
inline EventEnvelope Completed(const std::string& customer, const std::string& order,
                               int64_t minor) {
  revisit::order::v1::OrderCompleted ev;
  auto* o = ev.mutable_order();
  o->set_order_id(order);
  o->set_customer_id(customer);
  o->set_state(revisit::order::v1::ORDER_STATE_COMPLETED);
  o->mutable_paid()->set_amount_minor(minor);
  o->mutable_paid()->set_currency("CNY");
  *o->mutable_total() = o->paid();
  o->add_lines()->set_sku("sku-" + order);
  *o->mutable_completed_at() = ToProto(absl::Now());
  EventEnvelope e = MakeEvent("order", "completed", customer, order, absl::Now(), ev);
  e.sequence = 1;
  return e;
}

// An order.refunded envelope: refund `refund_id` of `minor` on `order` (paid `paid`).
inline EventEnvelope Refunded(const std::string& customer, const std::string& order,
                              int64_t paid, const std::string& refund_id, int64_t minor) {
  revisit::order::v1::OrderRefunded ev;
  auto* o = ev.mutable_order();
  o->set_order_id(order);
  o->set_customer_id(customer);
  o->mutable_paid()->set_amount_minor(paid);
  o->mutable_paid()->set_currency("CNY");
  o->mutable_refunded()->set_amount_minor(minor);
  o->mutable_refunded()->set_currency("CNY");
  ev.mutable_refund()->set_refund_id(refund_id);
  ev.mutable_refund()->mutable_amount()->set_amount_minor(minor);
  ev.mutable_refund()->mutable_amount()->set_currency("CNY");
  EventEnvelope e = MakeEvent("order", "refunded", customer, order, absl::Now(), ev);
  e.sequence = 2;
  return e;
}

class LoyaltyIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::StackOptions o;
    o.services = {};  // revisit-loyalty starts in each test (StartService)
    o.instances = instances_;
    o.service_env[testing::Svc::kLoyalty] = {{"REVISIT_LOG_LEVEL", "warn"}};
    auto stack = testing::Stack::Start(o);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    client_ = std::make_unique<RedisClient>(stack_->StoreOptions());
    store_ = std::make_unique<LoyaltyStore>(*client_);
    KafkaProducerOptions popts;
    popts.bootstrap = stack_->Bootstrap();
    popts.kafka_namespace = stack_->local_broker()->Namespace();
    popts.client_id = "loyalty-it";
    auto producer = KafkaProducer::Create(popts);
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_ = *std::move(producer);
  }

  void TearDown() override {
    if (stack_ != nullptr && HasFailure()) std::cerr << stack_->LogTails() << std::endl;
  }

  // (Re)starts `instance` of revisit-loyalty with `env` over the stack's defaults (a
  // previous call's `env` is forgotten) and waits until it is SERVING.
  void StartService(const std::map<std::string, std::string>& env = {}, int instance = 0) {
    stack_->ResetEnv(testing::Svc::kLoyalty);
    for (const auto& [k, v] : env) stack_->SetEnv(testing::Svc::kLoyalty, k, v);
    absl::Status st = stack_->Restart(testing::Svc::kLoyalty, instance);
    ASSERT_TRUE(st.ok()) << st;
    stub_ = &stack_->loyalty();
  }

  void Publish(const std::vector<EventEnvelope>& events) {
    for (const auto& e : events) {
      ASSERT_TRUE(producer_->Produce(e, [](absl::Status) {}).ok());
    }
    ASSERT_TRUE(producer_->Flush(absl::Seconds(30)).ok());
  }

  // The stored account (fresh, version 0 when absent).
  internal::Account Account(const std::string& customer) {
    auto a = store_->LoadAccount(customer);
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? a->value : internal::Account();
  }

  // Waits until `done(account)` holds for every customer.
  void WaitFor(const std::vector<std::string>& customers,
               const std::function<bool(const internal::Account&)>& done) {
    absl::Time give_up = absl::Now() + kGuard;
    for (const auto& c : customers) {
      while (!done(Account(c))) {
        ASSERT_TRUE(stack_->Running(testing::Svc::kLoyalty)) << stack_->LogTails();
        ASSERT_LT(absl::Now(), give_up) << "customer " << c << " never reached the state";
        absl::SleepFor(absl::Milliseconds(50));
      }
    }
  }

  // The invariant (L4): balances == sums over the ledger, for every customer.
  void ExpectLedgerInvariant(const std::vector<std::string>& customers) {
    for (const auto& c : customers) {
      auto a = Account(c);
      auto ledger = store_->FullLedger(c);
      ASSERT_TRUE(ledger.ok()) << ledger.status();
      int64_t avail = 0, pending = 0;
      for (const auto& e : *ledger) {
        avail += e.available_delta();
        pending += e.pending_delta();
      }
      EXPECT_EQ(a.points_available(), avail) << c;
      EXPECT_EQ(a.points_pending(), pending) << c;
      EXPECT_EQ(static_cast<int64_t>(ledger->size()), a.ledger_seq()) << c;
    }
  }

  int instances_ = 1;  // processes the stack may run (set in a subclass's constructor)
  std::unique_ptr<testing::Stack> stack_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<LoyaltyStore> store_;
  std::unique_ptr<KafkaProducer> producer_;
  v1::LoyaltyService::Stub* stub_ = nullptr;  // the stack's: reconnects after a restart
};

}  // namespace revisit::loyalty

#endif  // REVISIT_TESTS_INTEGRATION_LOYALTY_FIXTURE_H_
