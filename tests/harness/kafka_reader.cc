#include "tests/harness/kafka_reader.h"

#include "common/kafka_namespace.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <map>
#include <memory>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/kafka_producer.h"
#include "common/status.h"

namespace revisit::testing {
namespace {

int TimeoutMs(absl::Time deadline) {
  return static_cast<int>(std::max<int64_t>(1, absl::ToInt64Milliseconds(deadline - absl::Now())));
}

absl::StatusOr<std::unique_ptr<RdKafka::KafkaConsumer>> MakeReader(const std::string& bootstrap) {
  absl::BitGen gen;
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf,
                   MakeKafkaConf({{"bootstrap.servers", bootstrap},
                                  {"group.id", absl::StrCat("revisit-reader-", absl::Uniform<uint64_t>(gen))},
                                  {"enable.auto.commit", "false"},
                                  {"enable.partition.eof", "false"},
                                  {"log_level", "3"}}));
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (c == nullptr) return absl::InternalError("reader: " + err);
  return c;
}

// True for the answers a partition gives while its leadership settles (just created,
// or a broker just failed over): asking again shortly succeeds.
bool LeadershipSettling(RdKafka::ErrorCode code) {
  return code == RdKafka::ERR_NOT_LEADER_FOR_PARTITION ||
         code == RdKafka::ERR_LEADER_NOT_AVAILABLE || code == RdKafka::ERR__TRANSPORT ||
         code == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART || code == RdKafka::ERR__UNKNOWN_PARTITION;
}

// The high watermark of one partition, asked again while its leadership settles.
absl::StatusOr<int64_t> HighWatermark(RdKafka::KafkaConsumer& c, const std::string& topic,
                                      int32_t partition, absl::Time deadline) {
  while (true) {
    int64_t low = 0, high = 0;
    RdKafka::ErrorCode code =
        c.query_watermark_offsets(topic, partition, &low, &high, TimeoutMs(deadline));
    if (code == RdKafka::ERR_NO_ERROR) return high;
    if (!LeadershipSettling(code) || absl::Now() >= deadline) {
      return KafkaStatus(code, "watermarks");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// High watermark per partition of `topic`.
absl::StatusOr<std::map<int32_t, int64_t>> HighWatermarks(RdKafka::KafkaConsumer& c,
                                                          const std::string& topic,
                                                          absl::Time deadline) {
  std::string err;
  std::unique_ptr<RdKafka::Topic> t(RdKafka::Topic::create(&c, topic, nullptr, err));
  if (t == nullptr) return absl::InternalError("reader topic: " + err);
  RdKafka::Metadata* raw = nullptr;
  RETURN_IF_ERROR(KafkaStatus(c.metadata(false, t.get(), &raw, TimeoutMs(deadline)), "metadata"));
  std::unique_ptr<RdKafka::Metadata> md(raw);
  if (md->topics()->empty() || md->topics()->at(0)->err() != RdKafka::ERR_NO_ERROR) {
    return absl::NotFoundError("unknown topic " + topic);
  }
  std::map<int32_t, int64_t> highs;
  for (const RdKafka::PartitionMetadata* p : *md->topics()->at(0)->partitions()) {
    ASSIGN_OR_RETURN(highs[p->id()], HighWatermark(c, topic, p->id(), deadline));
  }
  return highs;
}

absl::Status AssignFromBeginning(RdKafka::KafkaConsumer& c, const std::string& topic,
                                 const std::map<int32_t, int64_t>& highs) {
  std::vector<RdKafka::TopicPartition*> parts;
  for (const auto& [partition, high] : highs) {
    parts.push_back(
        RdKafka::TopicPartition::create(topic, partition, RdKafka::Topic::OFFSET_BEGINNING));
  }
  RdKafka::ErrorCode err = c.assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  return KafkaStatus(err, "assign");
}

absl::Status Drain(RdKafka::KafkaConsumer& c, std::map<int32_t, int64_t> highs,
                   absl::Time deadline, std::vector<RawRecord>* out) {
  auto done = [&] {
    for (const auto& [partition, high] : highs) {
      if (high > 0) return false;
    }
    return true;
  };
  std::map<int32_t, int64_t> next;  // partition -> next offset wanted
  while (!done()) {
    if (absl::Now() >= deadline) return absl::DeadlineExceededError("reader: timed out");
    std::unique_ptr<RdKafka::Message> m(c.consume(100));
    if (m->err() == RdKafka::ERR__TIMED_OUT) continue;
    RETURN_IF_ERROR(KafkaStatus(m->err(), "reader consume"));
    if (m->offset() >= highs[m->partition()]) continue;
    out->push_back(RecordFromMessage(*m));
    if (m->offset() + 1 >= highs[m->partition()]) highs[m->partition()] = 0;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<RawRecord>> ReadAllRaw(const std::string& bootstrap,
                                                  const std::string& logical_topic,
                                                  absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  ASSIGN_OR_RETURN(KafkaNamespace ns, KafkaNamespace::FromEnvironment());
  const std::string topic = ns.Topic(logical_topic);
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::KafkaConsumer> c, MakeReader(bootstrap));
  std::vector<RawRecord> records;
  absl::StatusOr<std::map<int32_t, int64_t>> highs = HighWatermarks(*c, topic, deadline);
  absl::Status status = highs.status();
  if (status.ok()) status = AssignFromBeginning(*c, topic, *highs);
  if (status.ok()) status = Drain(*c, *highs, deadline, &records);
  c->close();
  if (!status.ok()) return status;
  std::sort(records.begin(), records.end(), [](const RawRecord& a, const RawRecord& b) {
    return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
  });
  return records;
}

absl::StatusOr<std::vector<EventEnvelope>> ReadAll(const std::string& bootstrap,
                                                   const std::string& topic,
                                                   absl::Duration timeout) {
  ASSIGN_OR_RETURN(std::vector<RawRecord> records, ReadAllRaw(bootstrap, topic, timeout));
  std::vector<EventEnvelope> out;
  for (const RawRecord& r : records) {
    absl::StatusOr<EventEnvelope> e = ParseRecord(r);
    if (!e.ok()) return Annotate(e.status(), absl::StrCat(topic, "@", r.partition, ":", r.offset));
    out.push_back(*std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<RawRecord>> ReadAtLeast(const std::string& bootstrap,
                                                   const std::string& topic, size_t count,
                                                   absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<RawRecord> records,
                     ReadAllRaw(bootstrap, topic, deadline - absl::Now()));
    if (records.size() >= count) return records;
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(topic, ": ", records.size(), " of ", count, " records"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace revisit::testing
