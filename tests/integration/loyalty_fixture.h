// Test fixture for the loyalty integration suites: a private redis-server, the
// local broker and the real revisit-loyalty binary, plus helpers to publish order
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
#include "grpc/health/v1/health.grpc.pb.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/store/loyalty_store.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"
#include "tests/harness/tls_material.h"

#ifndef REVISIT_LOYALTY_PATH
#error "REVISIT_LOYALTY_PATH must name the revisit-loyalty binary"
#endif

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
    auto dir = testing::TempDir::Create("loyalty-it");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
    auto redis = testing::RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    auto broker = testing::LocalBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    auto opts = ParseRedisAddress(redis_->Address());
    ASSERT_TRUE(opts.ok());
    client_ = std::make_unique<RedisClient>(*opts);
    store_ = std::make_unique<LoyaltyStore>(*client_);
    KafkaProducerOptions popts;
    popts.bootstrap = broker_->Bootstrap();
    popts.kafka_namespace = broker_->Namespace();
    popts.client_id = "loyalty-it";
    auto producer = KafkaProducer::Create(popts);
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_ = *std::move(producer);
  }

  void TearDown() override {
    if (service_ != nullptr && HasFailure()) {
      std::cerr << "---- revisit-loyalty log ----\n" << service_->ReadLog() << std::endl;
    }
  }

  // Starts revisit-loyalty and waits until it is SERVING.
  void StartService(std::map<std::string, std::string> env = {}) {
    auto port = testing::FreePort();
    ASSERT_TRUE(port.ok()) << port.status();
    std::map<std::string, std::string> full = {
        {"REVISIT_GRPC_PORT", std::to_string(*port)},
        {"REVISIT_METRICS_PORT", "-1"},
        {"REVISIT_BIND_ADDRESS", "127.0.0.1"},
        {"REVISIT_REDIS_ADDR", redis_->Address()},
        {"REVISIT_KAFKA_BOOTSTRAP", broker_->Bootstrap()},
        {"REVISIT_INSTANCE_ID", absl::StrCat("loyalty-it-", ++starts_)},
        {"REVISIT_LOG_LEVEL", "warn"},
    };
    for (auto& [k, v] : testing::TlsMaterial::Get().ServiceEnv("loyalty")) full[k] = v;
    for (auto& [k, v] : env) full[k] = v;
    testing::SubprocessOptions opts;
    opts.path = REVISIT_LOYALTY_PATH;
    opts.env = full;
    opts.log_path = dir_->File(absl::StrCat("loyalty-", starts_, ".log"));
    auto proc = testing::Subprocess::Start(opts);
    ASSERT_TRUE(proc.ok()) << proc.status();
    service_ = *std::move(proc);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", *port),
                                   testing::TlsMaterial::Get().ChannelCredentials());
    stub_ = v1::LoyaltyService::NewStub(channel_);
    auto health = grpc::health::v1::Health::NewStub(channel_);
    absl::Time give_up = absl::Now() + kGuard;
    while (true) {
      ASSERT_TRUE(service_->Running()) << "revisit-loyalty exited:\n" << service_->ReadLog();
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
      ctx.set_wait_for_ready(true);  // poll the (mTLS) connection attempt meanwhile
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      if (health->Check(&ctx, req, &resp).ok() &&
          resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        return;
      }
      ASSERT_LT(absl::Now(), give_up) << "never SERVING:\n" << service_->ReadLog();
      absl::SleepFor(absl::Milliseconds(100));
    }
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
        ASSERT_TRUE(service_->Running()) << service_->ReadLog();
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

  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<testing::LocalBroker> broker_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<LoyaltyStore> store_;
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<testing::Subprocess> service_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::LoyaltyService::Stub> stub_;
  int starts_ = 0;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_TESTS_INTEGRATION_LOYALTY_FIXTURE_H_
