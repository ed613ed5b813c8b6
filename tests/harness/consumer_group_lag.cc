#include "tests/harness/consumer_group_lag.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <memory>

#include "common/kafka_namespace.h"
#include "common/kafka_producer.h"
#include "common/status.h"

namespace revisit::testing {
namespace {

int TimeoutMs(absl::Time deadline) {
  return static_cast<int>(std::max<int64_t>(1, absl::ToInt64Milliseconds(deadline - absl::Now())));
}

// Every partition of `topic`, with its low and high watermarks.
struct Partition {
  int32_t id;
  int64_t low = 0, high = 0;
};

absl::StatusOr<std::vector<Partition>> Partitions(RdKafka::KafkaConsumer& c,
                                                  const std::string& topic, absl::Time deadline) {
  std::string err;
  std::unique_ptr<RdKafka::Topic> t(RdKafka::Topic::create(&c, topic, nullptr, err));
  if (t == nullptr) return absl::InternalError("lag topic: " + err);
  RdKafka::Metadata* raw = nullptr;
  RETURN_IF_ERROR(KafkaStatus(c.metadata(false, t.get(), &raw, TimeoutMs(deadline)), "metadata"));
  std::unique_ptr<RdKafka::Metadata> md(raw);
  if (md->topics()->empty() || md->topics()->at(0)->err() != RdKafka::ERR_NO_ERROR) {
    return absl::NotFoundError("unknown topic " + topic);
  }
  std::vector<Partition> out;
  for (const RdKafka::PartitionMetadata* p : *md->topics()->at(0)->partitions()) {
    Partition part{p->id()};
    RETURN_IF_ERROR(KafkaStatus(c.query_watermark_offsets(topic, p->id(), &part.low, &part.high,
                                                          TimeoutMs(deadline)),
                                "watermarks"));
    out.push_back(part);
  }
  return out;
}

absl::StatusOr<int64_t> Lag(RdKafka::KafkaConsumer& c, const std::vector<std::string>& topics,
                            absl::Time deadline) {
  int64_t lag = 0;
  for (const std::string& topic : topics) {
    ASSIGN_OR_RETURN(std::vector<Partition> parts, Partitions(c, topic, deadline));
    std::vector<RdKafka::TopicPartition*> tps;
    for (const Partition& p : parts) tps.push_back(RdKafka::TopicPartition::create(topic, p.id));
    absl::Status asked = KafkaStatus(c.committed(tps, TimeoutMs(deadline)), "committed");
    for (size_t i = 0; asked.ok() && i < tps.size(); ++i) {
      int64_t committed = tps[i]->offset();
      lag += committed >= 0 ? parts[i].high - committed : parts[i].high - parts[i].low;
    }
    RdKafka::TopicPartition::destroy(tps);
    RETURN_IF_ERROR(asked);
  }
  return lag;
}

}  // namespace

absl::StatusOr<int64_t> ConsumerGroupLag(const std::string& bootstrap,
                                         const std::string& logical_group,
                                         const std::vector<std::string>& logical_topics,
                                         absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  ASSIGN_OR_RETURN(KafkaNamespace ns, KafkaNamespace::FromEnvironment());
  const std::string group = ns.Group(logical_group);
  const std::vector<std::string> topics = ns.Topics(logical_topics);
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf,
                   MakeKafkaConf({{"bootstrap.servers", bootstrap},
                                  {"group.id", group},
                                  {"enable.auto.commit", "false"},
                                  {"log_level", "3"}}));
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (c == nullptr) return absl::InternalError("lag consumer: " + err);
  absl::StatusOr<int64_t> lag = Lag(*c, topics, deadline);
  c->close();
  return lag;
}

}  // namespace revisit::testing
