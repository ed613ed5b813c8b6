#include "common/kafka_consumer.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "spdlog/spdlog.h"

namespace revisit {
namespace {

constexpr int kPollMs = 100;
constexpr absl::Duration kDeadLetterTimeout = absl::Seconds(60);

std::string PartitionName(const std::string& topic, int32_t partition) {
  return absl::StrCat(topic, "/", partition);
}

}  // namespace

// Applies assignments (eager or cooperative) and the replay-from-beginning option.
class KafkaConsumer::Rebalancer : public RdKafka::RebalanceCb {
 public:
  explicit Rebalancer(bool replay) : replay_(replay) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& parts) override {
    bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      if (replay_) RewindNew(parts);
      spdlog::info("kafka consumer assigned {} partition(s)", parts.size());
      if (cooperative) {
        delete consumer->incremental_assign(parts);
      } else {
        consumer->assign(parts);
      }
      return;
    }
    spdlog::info("kafka consumer revoked {} partition(s): {}", parts.size(),
                 RdKafka::err2str(err));
    if (cooperative) {
      delete consumer->incremental_unassign(parts);
    } else {
      consumer->unassign();
    }
  }

 private:
  // Partitions seen for the first time start at their beginning.
  void RewindNew(std::vector<RdKafka::TopicPartition*>& parts) {
    for (RdKafka::TopicPartition* p : parts) {
      if (seen_.insert(PartitionName(p->topic(), p->partition())).second) {
        p->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      }
    }
  }

  const bool replay_;
  std::set<std::string> seen_;  // only touched from the consuming thread
};

KafkaConsumer::KafkaConsumer(KafkaConsumerOptions options)
    : options_(std::move(options)),
      rebalancer_(std::make_unique<Rebalancer>(options_.replay_from_beginning)) {}

KafkaConsumer::~KafkaConsumer() {
  absl::Status closed = Close();
  if (!closed.ok()) spdlog::warn("kafka consumer close: {}", closed.ToString());
}

std::map<std::string, std::string> ConsumerProperties(const KafkaConsumerOptions& o) {
  int64_t session_ms = absl::ToInt64Milliseconds(o.session_timeout);
  std::map<std::string, std::string> props = {
      {"bootstrap.servers", o.bootstrap},
      {"group.id", o.kafka_namespace.Group(o.group_id)},
      {"client.id", o.client_id},
      {"enable.auto.commit", "true"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"enable.partition.eof", "false"},
      {"session.timeout.ms", absl::StrCat(session_ms)},
      {"heartbeat.interval.ms", absl::StrCat(std::max<int64_t>(100, session_ms / 3))},
  };
  for (const auto& [k, v] : o.extra) props[k] = v;
  for (const auto& [k, v] : o.consumer_extra) props[k] = v;
  return props;
}

KafkaProducerOptions DeadLetterProducerOptions(const KafkaConsumerOptions& o) {
  KafkaProducerOptions dlq{o.bootstrap, o.client_id + "-dlq", o.extra, o.kafka_namespace};
  dlq.extra["message.timeout.ms"] = "30000";
  return dlq;
}

absl::StatusOr<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Create(
    const KafkaConsumerOptions& o) {
  if (o.group_id.empty()) return absl::InvalidArgumentError("kafka consumer: empty group_id");
  if (o.topics.empty()) return absl::InvalidArgumentError("kafka consumer: no topics");
  if (o.dead_letter_topic.empty()) {
    return absl::InvalidArgumentError("kafka consumer: empty dead_letter_topic");
  }
  if (o.max_attempts < 1) return absl::InvalidArgumentError("kafka consumer: max_attempts < 1");
  if (o.max_batch < 1) return absl::InvalidArgumentError("kafka consumer: max_batch < 1");
  std::map<std::string, std::string> props = ConsumerProperties(o);
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf, MakeKafkaConf(props));
  std::unique_ptr<KafkaConsumer> c(new KafkaConsumer(o));
  std::string err;
  if (conf->set("rebalance_cb", c->rebalancer_.get(), err) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(absl::StrCat("kafka rebalance_cb: ", err));
  }
  c->consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (c->consumer_ == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("kafka consumer: ", err));
  }
  ASSIGN_OR_RETURN(c->dead_letters_, KafkaProducer::Create(DeadLetterProducerOptions(o)));
  return c;
}

absl::Status KafkaConsumer::CheckTopicsExist(absl::Duration timeout) {
  std::vector<std::string> topics = options_.topics;
  topics.push_back(options_.dead_letter_topic);
  return dead_letters_->CheckTopicsExist(topics, timeout);
}

absl::Status KafkaConsumer::Run(const Handler& handler) {
  RETURN_IF_ERROR(KafkaStatus(
      consumer_->subscribe(options_.kafka_namespace.Topics(options_.topics)), "subscribe"));
  while (!stop_requested_.load()) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(kPollMs));
    RefreshLag();
    switch (m->err()) {
      case RdKafka::ERR_NO_ERROR: {
        absl::Status handled = HandleMessage(*m, handler);
        if (!handled.ok()) spdlog::warn("kafka record left unstored: {}", handled.ToString());
        break;
      }
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        break;
      case RdKafka::ERR__FATAL:
        return KafkaStatus(m->err(), "consume");
      default:
        spdlog::warn("kafka consume: {}", m->errstr());
    }
  }
  return absl::OkStatus();
}

void KafkaConsumer::Stop() {
  if (!stop_requested_.exchange(true)) stop_.Notify();
}

absl::Status KafkaConsumer::Close() {
  if (closed_) return absl::OkStatus();
  closed_ = true;
  Stop();
  absl::Status status, flushed;
  if (consumer_ != nullptr) status = KafkaStatus(consumer_->close(), "close consumer");
  if (dead_letters_ != nullptr) flushed = dead_letters_->Flush(absl::Seconds(10));
  return status.ok() ? flushed : status;
}

absl::Status KafkaConsumer::HandleMessage(RdKafka::Message& message, const Handler& handler) {
  RawRecord record = RecordFromMessage(message);
  return HandleRecord(record, ParseRecord(record), handler);
}

absl::Status KafkaConsumer::HandleRecord(const RawRecord& record,
                                         const absl::StatusOr<EventEnvelope>& envelope,
                                         const Handler& handler) {
  if (!envelope.ok()) {
    spdlog::warn("kafka poison record {}@{}: {}", PartitionName(record.topic, record.partition),
                 record.offset, envelope.status().ToString());
    RETURN_IF_ERROR(DeadLetter(record, envelope.status(), 0));
    StoreOffset(record);
    return absl::OkStatus();
  }
  int attempts = 0;
  absl::Status status = CallWithRetries(*envelope, handler, &attempts);
  if (status.ok()) {
    ++processed_;
    StoreOffset(record);
    return absl::OkStatus();
  }
  if (attempts < options_.max_attempts) return Annotate(status, "stopped while retrying");
  RETURN_IF_ERROR(DeadLetter(record, status, attempts));
  StoreOffset(record);
  return absl::OkStatus();
}

absl::Status KafkaConsumer::RunBatches(const BatchHandler& batch, const Handler& single) {
  RETURN_IF_ERROR(KafkaStatus(
      consumer_->subscribe(options_.kafka_namespace.Topics(options_.topics)), "subscribe"));
  while (!stop_requested_.load()) {
    std::vector<Polled> polled;
    RETURN_IF_ERROR(PollBatch(&polled));
    if (polled.empty()) continue;
    absl::Status handled = HandleBatch(polled, batch, single);
    if (!handled.ok()) spdlog::warn("kafka batch left partly unstored: {}", handled.ToString());
  }
  return absl::OkStatus();
}

// Waits up to kPollMs for a first record, then takes what is already fetched.
absl::Status KafkaConsumer::PollBatch(std::vector<Polled>* out) {
  int timeout_ms = kPollMs;
  while (static_cast<int>(out->size()) < options_.max_batch && !stop_requested_.load()) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(timeout_ms));
    timeout_ms = 0;
    RefreshLag();
    switch (m->err()) {
      case RdKafka::ERR_NO_ERROR: {
        RawRecord record = RecordFromMessage(*m);
        absl::StatusOr<EventEnvelope> envelope = ParseRecord(record);
        out->push_back(Polled{std::move(record), std::move(envelope)});
        continue;
      }
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        return absl::OkStatus();
      case RdKafka::ERR__FATAL:
        return KafkaStatus(m->err(), "consume");
      default:
        spdlog::warn("kafka consume: {}", m->errstr());
        return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::Status KafkaConsumer::HandleBatch(std::vector<Polled>& polled, const BatchHandler& batch,
                                        const Handler& single) {
  std::vector<EventEnvelope> envelopes;
  std::vector<int> slot(polled.size(), -1);  // index into envelopes, -1 = poison
  for (size_t i = 0; i < polled.size(); ++i) {
    if (!polled[i].envelope.ok()) continue;
    slot[i] = static_cast<int>(envelopes.size());
    envelopes.push_back(*polled[i].envelope);
  }
  std::vector<absl::Status> statuses;
  if (!envelopes.empty()) statuses = batch(envelopes);
  if (statuses.size() != envelopes.size()) {
    statuses.assign(envelopes.size(), absl::InternalError(absl::StrCat(
        "batch handler returned ", statuses.size(), " statuses for ", envelopes.size())));
  }
  // Settle each partition's records in offset order (poll order within a partition).
  std::map<std::string, std::vector<size_t>> partitions;
  for (size_t i = 0; i < polled.size(); ++i) {
    partitions[PartitionName(polled[i].record.topic, polled[i].record.partition)].push_back(i);
  }
  absl::Status first_error;
  for (const auto& [name, indexes] : partitions) {
    for (size_t i : indexes) {
      if (slot[i] >= 0 && statuses[slot[i]].ok()) {
        ++processed_;
        StoreOffset(polled[i].record);
        continue;
      }
      if (slot[i] >= 0) {
        spdlog::info("kafka batch handler failed for {}: {}; handling it alone",
                     polled[i].envelope->id, statuses[slot[i]].ToString());
      }
      absl::Status settled = HandleRecord(polled[i].record, polled[i].envelope, single);
      if (!settled.ok()) {
        // Stopped: this and later records of the partition stay unstored (redelivered).
        if (first_error.ok()) first_error = Annotate(settled, name);
        break;
      }
    }
  }
  return first_error;
}

absl::Status KafkaConsumer::CallWithRetries(const EventEnvelope& envelope,
                                            const Handler& handler, int* attempts) {
  for (*attempts = 1;; ++*attempts) {
    absl::Status status = handler(envelope);
    if (status.ok() || *attempts >= options_.max_attempts) return status;
    spdlog::info("kafka handler failed for {} (attempt {}): {}", envelope.id, *attempts,
                 status.ToString());
    if (stop_.WaitForNotificationWithTimeout(Backoff(*attempts))) return status;
    ++retried_;
  }
}

absl::Status KafkaConsumer::DeadLetter(const RawRecord& record, const absl::Status& error,
                                       int attempts) {
  KafkaHeaders headers = DeadLetterHeaders(record, error, attempts, options_.group_id);
  for (int failures = 1;; ++failures) {
    absl::Status status = dead_letters_->ProduceRawSync(
        options_.dead_letter_topic, record.key, record.value, headers, kDeadLetterTimeout);
    if (status.ok()) {
      ++dead_lettered_;
      return status;
    }
    spdlog::error("kafka dead-letter to {} failed: {}", options_.dead_letter_topic,
                  status.ToString());
    if (stop_.WaitForNotificationWithTimeout(Backoff(failures))) return status;
  }
}

void KafkaConsumer::StoreOffset(const RawRecord& record) {
  std::vector<RdKafka::TopicPartition*> offsets = {
      RdKafka::TopicPartition::create(record.topic, record.partition, record.offset + 1)};
  RdKafka::ErrorCode err = consumer_->offsets_store(offsets);
  RdKafka::TopicPartition::destroy(offsets);
  if (err != RdKafka::ERR_NO_ERROR) {
    // Typically the partition was revoked meanwhile: its new owner redelivers.
    spdlog::warn("kafka offsets_store {}@{}: {}", PartitionName(record.topic, record.partition),
                 record.offset, RdKafka::err2str(err));
  }
}

void KafkaConsumer::RefreshLag() {
  absl::Time now = absl::Now();
  if (now < next_lag_refresh_) return;
  next_lag_refresh_ = now + options_.lag_refresh_interval;
  std::vector<RdKafka::TopicPartition*> parts;
  if (consumer_->assignment(parts) != RdKafka::ERR_NO_ERROR) return;
  consumer_->position(parts);
  int64_t lag = 0;
  for (RdKafka::TopicPartition* p : parts) {
    int64_t low = -1, high = -1;
    consumer_->get_watermark_offsets(p->topic(), p->partition(), &low, &high);
    if (p->offset() >= 0 && high >= p->offset()) lag += high - p->offset();
  }
  RdKafka::TopicPartition::destroy(parts);
  lag_.store(lag);
}

absl::Duration KafkaConsumer::Backoff(int failures) const {
  absl::Duration backoff = options_.retry_backoff;
  for (int i = 1; i < failures && backoff < options_.max_retry_backoff; ++i) backoff *= 2;
  return std::min(backoff, options_.max_retry_backoff);
}

}  // namespace revisit
