#include "common/kafka_producer.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace revisit {

absl::Status KafkaStatus(RdKafka::ErrorCode code, const std::string& context) {
  if (code == RdKafka::ERR_NO_ERROR) return absl::OkStatus();
  std::string msg = absl::StrCat(context, ": ", RdKafka::err2str(code));
  switch (code) {
    case RdKafka::ERR__MSG_TIMED_OUT:
    case RdKafka::ERR__TIMED_OUT:
    case RdKafka::ERR_REQUEST_TIMED_OUT:
      return absl::DeadlineExceededError(msg);
    case RdKafka::ERR__UNKNOWN_TOPIC:
    case RdKafka::ERR_UNKNOWN_TOPIC_OR_PART:
    case RdKafka::ERR__UNKNOWN_PARTITION:
      return absl::NotFoundError(msg);
    case RdKafka::ERR__QUEUE_FULL:
      return absl::ResourceExhaustedError(msg);
    case RdKafka::ERR__PURGE_QUEUE:
    case RdKafka::ERR__PURGE_INFLIGHT:
    case RdKafka::ERR__DESTROY:
      return absl::CancelledError(msg);
    case RdKafka::ERR__INVALID_ARG:
    case RdKafka::ERR_MSG_SIZE_TOO_LARGE:
      return absl::InvalidArgumentError(msg);
    case RdKafka::ERR__STATE:
      return absl::FailedPreconditionError(msg);
    case RdKafka::ERR__FATAL:
      return absl::InternalError(msg);
    default:
      return absl::UnavailableError(msg);
  }
}

absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeKafkaConf(
    const std::map<std::string, std::string>& props) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  for (const auto& [name, value] : props) {
    std::string err;
    if (conf->set(name, value, err) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat("kafka property ", name, ": ", err));
    }
  }
  return conf;
}

// Routes librdkafka delivery reports to the owning producer.
class KafkaProducer::DeliveryReporter : public RdKafka::DeliveryReportCb {
 public:
  explicit DeliveryReporter(KafkaProducer* owner) : owner_(owner) {}
  void dr_cb(RdKafka::Message& message) override { owner_->OnDelivered(message); }

 private:
  KafkaProducer* owner_;
};

KafkaProducer::KafkaProducer() : reporter_(std::make_unique<DeliveryReporter>(this)) {}

absl::StatusOr<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(
    const KafkaProducerOptions& options) {
  std::map<std::string, std::string> props = {
      {"bootstrap.servers", options.bootstrap},
      {"client.id", options.client_id},
      {"enable.idempotence", "true"},
      {"acks", "all"},
  };
  for (const auto& [k, v] : options.extra) props[k] = v;
  absl::StatusOr<std::unique_ptr<RdKafka::Conf>> conf = MakeKafkaConf(props);
  if (!conf.ok()) return conf.status();
  std::unique_ptr<KafkaProducer> p(new KafkaProducer());
  p->namespace_ = options.kafka_namespace;
  std::string err;
  if ((*conf)->set("dr_cb", p->reporter_.get(), err) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(absl::StrCat("kafka dr_cb: ", err));
  }
  p->producer_.reset(RdKafka::Producer::create(conf->get(), err));
  if (p->producer_ == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("kafka producer: ", err));
  }
  p->poll_thread_ = std::thread([raw = p.get()] { raw->PollLoop(); });
  return p;
}

KafkaProducer::~KafkaProducer() {
  if (producer_ != nullptr) {
    producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
    absl::Status flushed = Flush(absl::Seconds(30));
    if (!flushed.ok()) spdlog::warn("kafka producer destroyed: {}", flushed.ToString());
  }
  stopping_ = true;
  if (poll_thread_.joinable()) poll_thread_.join();
  producer_.reset();
}

void KafkaProducer::PollLoop() {
  while (!stopping_) producer_->poll(50);
}

void KafkaProducer::OnDelivered(RdKafka::Message& message) {
  auto* callback = static_cast<DeliveryCallback*>(message.msg_opaque());
  if (callback != nullptr) {
    (*callback)(KafkaStatus(message.err(), absl::StrCat("deliver to ", message.topic_name())));
    delete callback;
  }
  absl::MutexLock lock(&mu_);
  --pending_;
}

absl::Status KafkaProducer::Enqueue(const std::string& topic, const std::string& key,
                                    const std::string& value, const KafkaHeaders& headers,
                                    DeliveryCallback on_delivery) {
  std::unique_ptr<RdKafka::Headers> h = ToRdKafkaHeaders(headers);
  auto callback = std::make_unique<DeliveryCallback>(std::move(on_delivery));
  {
    absl::MutexLock lock(&mu_);
    ++pending_;
  }
  RdKafka::ErrorCode code = producer_->produce(
      namespace_.Topic(topic), RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY | RdKafka::Producer::RK_MSG_BLOCK,
      const_cast<char*>(value.data()), value.size(), key.data(), key.size(), 0, h.get(),
      callback.get());
  if (code == RdKafka::ERR_NO_ERROR) {
    h.release();  // owned by librdkafka now
    callback.release();  // deleted by OnDelivered
    return absl::OkStatus();
  }
  {
    absl::MutexLock lock(&mu_);
    --pending_;
  }
  std::string context = absl::StrCat("produce to ", topic);
  if (code == RdKafka::ERR__FATAL) {
    std::string reason;
    producer_->fatal_error(reason);
    absl::StrAppend(&context, " (", reason, ")");
  }
  return KafkaStatus(code, context);
}

absl::Status KafkaProducer::Produce(const EventEnvelope& envelope, DeliveryCallback on_delivery) {
  absl::Status valid = ValidateEnvelope(envelope);
  if (!valid.ok()) return valid;
  return Enqueue(envelope.topic, envelope.key, envelope.payload, EnvelopeHeaders(envelope),
                 std::move(on_delivery));
}

absl::Status KafkaProducer::ProduceRaw(const std::string& topic, const std::string& key,
                                       const std::string& value, const KafkaHeaders& headers,
                                       DeliveryCallback on_delivery) {
  if (topic.empty()) return absl::InvalidArgumentError("produce: empty topic");
  return Enqueue(topic, key, value, headers, std::move(on_delivery));
}

absl::Status KafkaProducer::WaitFor(std::function<absl::Status(DeliveryCallback)> produce,
                                    absl::Duration timeout) {
  struct Result {
    absl::Mutex mu;
    bool done ABSL_GUARDED_BY(mu) = false;
    absl::Status status ABSL_GUARDED_BY(mu);
  };
  auto result = std::make_shared<Result>();
  absl::Status enqueued = produce([result](absl::Status s) {
    absl::MutexLock lock(&result->mu);
    result->status = std::move(s);
    result->done = true;
  });
  if (!enqueued.ok()) return enqueued;
  absl::MutexLock lock(&result->mu);
  if (!result->mu.AwaitWithTimeout(absl::Condition(&result->done), timeout)) {
    return absl::DeadlineExceededError("no delivery report within the timeout");
  }
  return result->status;
}

absl::Status KafkaProducer::ProduceSync(const EventEnvelope& envelope, absl::Duration timeout) {
  return WaitFor([&](DeliveryCallback cb) { return Produce(envelope, std::move(cb)); }, timeout);
}

absl::Status KafkaProducer::ProduceRawSync(const std::string& topic, const std::string& key,
                                           const std::string& value,
                                           const KafkaHeaders& headers, absl::Duration timeout) {
  return WaitFor(
      [&](DeliveryCallback cb) { return ProduceRaw(topic, key, value, headers, std::move(cb)); },
      timeout);
}

absl::Status KafkaProducer::Flush(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pending_ == 0; };
  if (mu_.AwaitWithTimeout(absl::Condition(&drained), timeout)) return absl::OkStatus();
  return absl::DeadlineExceededError(absl::StrCat("flush: ", pending_, " records pending"));
}

absl::Status KafkaProducer::Ping(absl::Duration timeout) {
  RdKafka::Metadata* metadata = nullptr;
  RdKafka::ErrorCode code = producer_->metadata(
      /*all_topics=*/false, nullptr, &metadata,
      static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  delete metadata;
  return KafkaStatus(code, "metadata");
}

int64_t KafkaProducer::Pending() const {
  absl::MutexLock lock(&mu_);
  return pending_;
}

absl::Status KafkaProducer::CheckTopicsExist(const std::vector<std::string>& logical,
                                             absl::Duration timeout) {
  RdKafka::Metadata* raw = nullptr;
  RdKafka::ErrorCode code = producer_->metadata(
      /*all_topics=*/true, nullptr, &raw, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (code != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("kafka metadata: ", RdKafka::err2str(code), " (is the broker up?)"));
  }
  std::set<std::string> present;
  for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
    if (t->err() == RdKafka::ERR_NO_ERROR) present.insert(t->topic());
  }
  for (const std::string& topic : logical) {
    std::string physical = namespace_.Topic(topic);
    if (present.count(physical) == 0) {
      return absl::NotFoundError(absl::StrCat(
          "kafka topic ", physical, " does not exist: topics are created by the deployment "
          "(tools/kafka/kafka-local, deploy/k8s/base/kafka), never auto-created"));
    }
  }
  return absl::OkStatus();
}

}  // namespace revisit
