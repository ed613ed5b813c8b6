// Kafka least privilege on a real broker (issue 13): a private KRaft cluster started
// with mTLS and the ACLs of deploy/k8s/base/kafka/users.yaml (kafka-local --auth
// mtls); each principal connects with its own client certificate through the
// services' own Kafka client code (KafkaProducer, KafkaSecurity).
#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/kafka_producer.h"
#include "common/kafka_security.h"
#include "gtest/gtest.h"
#include "tests/harness/kafka_cluster.h"

namespace revisit {
namespace {

using testing::KafkaCluster;

constexpr absl::Duration kGuard = absl::Seconds(60);  // a failure guard only

class KafkaAclTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::KafkaClusterOptions o;
    o.mtls = true;
    o.max_partitions = 1;
    auto c = KafkaCluster::Start(o);
    ASSERT_TRUE(c.ok()) << c.status();
    cluster_ = c->release();
    // A fresh cluster refuses idempotent producers until its coordinators have
    // loaded; the admin produces until one record is delivered (failure guard only).
    // Each attempt is a new producer with a short timeout: a producer that met the
    // cluster too early can stay stuck, and one attempt must not use up the guard.
    absl::Status ready = absl::UnavailableError("not tried");
    for (absl::Time end = absl::Now() + 2 * kGuard; !ready.ok() && absl::Now() < end;) {
      auto admin = ProducerAs("revisit-admin");
      if (admin != nullptr) {
        ready = admin->ProduceRawSync("revisit.order.v1", "warm-up", "{}", {}, absl::Seconds(10));
      }
    }
    ASSERT_TRUE(ready.ok()) << ready;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  // A producer as KafkaUser `user` (the services' relay and dead-letter producer).
  static std::unique_ptr<KafkaProducer> ProducerAs(const std::string& user,
                                                   bool with_certificate = true) {
    KafkaProducerOptions o;
    o.bootstrap = cluster_->Bootstrap();
    o.client_id = user;
    if (with_certificate) o.extra = cluster_->Security(user).Properties();
    // A fresh cluster may still be loading its coordinators (idempotent producer ID).
    o.extra["message.timeout.ms"] = "50000";
    auto p = KafkaProducer::Create(o);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *std::move(p) : nullptr;
  }

  // The first error a consumer as `user` in group `group` meets subscribing to
  // `topic`, or ERR_NO_ERROR once it reached the end of the topic.
  static RdKafka::ErrorCode ReadAs(const std::string& user, const std::string& topic,
                                   const std::string& group) {
    auto conf = MakeKafkaConf(cluster_->Security(user).Apply(
        {{"bootstrap.servers", cluster_->Bootstrap()},
         {"group.id", group},
         {"enable.auto.commit", "false"},
         {"enable.partition.eof", "true"}}));
    EXPECT_TRUE(conf.ok()) << conf.status();
    std::string err;
    std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf->get(), err));
    EXPECT_NE(c, nullptr) << err;
    c->subscribe({topic});
    RdKafka::ErrorCode result = RdKafka::ERR__TIMED_OUT;
    absl::Time deadline = absl::Now() + kGuard;
    while (absl::Now() < deadline && result == RdKafka::ERR__TIMED_OUT) {
      std::unique_ptr<RdKafka::Message> m(c->consume(500));
      if (m->err() == RdKafka::ERR__PARTITION_EOF) result = RdKafka::ERR_NO_ERROR;
      else if (m->err() != RdKafka::ERR__TIMED_OUT && m->err() != RdKafka::ERR_NO_ERROR) result = m->err();
    }
    c->close();
    return result;
  }

  static KafkaCluster* cluster_;
};

KafkaCluster* KafkaAclTest::cluster_ = nullptr;

absl::Status Produce(KafkaProducer& p, const std::string& topic) {
  return p.ProduceRawSync(topic, "customer-1", "{}", {}, kGuard);
}

TEST_F(KafkaAclTest, AServiceWritesItsOwnTopicAndItsDeadLetterTopic) {
  auto complaint = ProducerAs("revisit-complaint");
  ASSERT_NE(complaint, nullptr);
  absl::Status own = Produce(*complaint, "revisit.complaint.v1");
  EXPECT_TRUE(own.ok()) << own;
  absl::Status dlq = Produce(*complaint, "revisit.complaint.dlq.v1");
  EXPECT_TRUE(dlq.ok()) << dlq;
}

TEST_F(KafkaAclTest, AServiceCannotWriteAnotherServicesTopic) {
  auto order = ProducerAs("revisit-order");
  ASSERT_NE(order, nullptr);
  for (const char* topic : {"revisit.complaint.v1", "revisit.loyalty.v1", "revisit.complaint.dlq.v1"}) {
    absl::Status st = Produce(*order, topic);
    EXPECT_FALSE(st.ok()) << topic;
    EXPECT_NE(st.message().find("authorization failed"), std::string::npos) << topic << ": " << st;
  }
}

TEST_F(KafkaAclTest, AnalystsReadEventTopicsButNoDeadLetterTopic) {
  auto complaint = ProducerAs("revisit-complaint");
  ASSERT_NE(complaint, nullptr);
  ASSERT_TRUE(Produce(*complaint, "revisit.complaint.dlq.v1").ok());
  // Analysts' groups: revisit-analysts-*, revisit-tail-*, revisit-demo-* (users.yaml).
  EXPECT_EQ(ReadAs("revisit-analysts", "revisit.order.v1", "revisit-analysts-1"),
            RdKafka::ERR_NO_ERROR);
  EXPECT_EQ(ReadAs("revisit-analysts", "revisit.complaint.dlq.v1", "revisit-analysts-2"),
            RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  EXPECT_EQ(ReadAs("revisit-admin", "revisit.complaint.dlq.v1", "revisit-admin-1"),
            RdKafka::ERR_NO_ERROR);
}

TEST_F(KafkaAclTest, AServiceConsumesOnlyInItsOwnGroupWhatItConsumes) {
  EXPECT_EQ(ReadAs("revisit-complaint", "revisit.order.v1", "complaint"), RdKafka::ERR_NO_ERROR);
  EXPECT_EQ(ReadAs("revisit-complaint", "revisit.order.v1", "loyalty"),
            RdKafka::ERR_GROUP_AUTHORIZATION_FAILED);
  EXPECT_EQ(ReadAs("revisit-loyalty", "revisit.outreach.v1", "loyalty"),
            RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
}

TEST_F(KafkaAclTest, AClientWithoutACertificateIsNotServed) {
  auto anonymous = ProducerAs("revisit-order", /*with_certificate=*/false);
  ASSERT_NE(anonymous, nullptr);
  EXPECT_FALSE(anonymous->Ping(absl::Seconds(5)).ok());
  auto order = ProducerAs("revisit-order");
  ASSERT_NE(order, nullptr);
  EXPECT_TRUE(order->Ping(kGuard).ok());
}

}  // namespace
}  // namespace revisit
