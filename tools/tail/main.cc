// revisit-tail: prints Revisit events as JSON lines for analysts.
//
//   revisit-tail [--bootstrap HOST:PORT] [--from-beginning | --offset N | --since RFC3339]
//                [--type GLOB]... [--customer ID] [--follow] TOPIC...
//
// Each line: topic, partition, offset, key, the CloudEvents attributes (ce_id,
// ce_type, ce_source, ce_time, ce_subject, ce_sequence, ce_traceparent) and the
// payload in the protobuf JSON mapping. Without --follow it stops at the end of
// every partition. It never joins a consumer group's offsets (read-only for the
// services). Delivery is at-least-once: deduplicate on ce_id.
// Bootstrap: --bootstrap, else $REVISIT_KAFKA_BOOTSTRAP, else the local stack (.run/).
// Exit codes: 0 ok, 64 usage, 69 broker unavailable.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/kafka_namespace.h"
#include "common/kafka_producer.h"
#include "common/kafka_security.h"
#include "tools/tail/event_json.h"

namespace revisit::tail {
namespace {

volatile std::sig_atomic_t stop = 0;

struct Options {
  std::string bootstrap;
  int64_t start = RdKafka::Topic::OFFSET_END;
  bool since = false;
  bool follow = false;
  EventFilter filter;
  std::vector<std::string> topics;
};

int Usage(const std::string& why) {
  std::cerr << "revisit-tail: " << why << "\nusage: revisit-tail [--bootstrap HOST:PORT] "
            << "[--from-beginning | --offset N | --since RFC3339] [--type GLOB]... "
            << "[--customer ID] [--follow] TOPIC...\n";
  return 64;
}

std::string DefaultBootstrap() {
  if (const char* v = std::getenv("REVISIT_KAFKA_BOOTSTRAP")) return v;
  std::ifstream f(".run/broker.addr");
  std::string addr;
  f >> addr;
  return addr;
}

bool Parse(int argc, char** argv, Options* o, std::string* error) {
  o->start = RdKafka::Topic::OFFSET_BEGINNING;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--follow") o->follow = true;
    else if (a == "--from-beginning") o->start = RdKafka::Topic::OFFSET_BEGINNING;
    else if (a == "--bootstrap" && value(&v)) o->bootstrap = v;
    else if (a == "--customer" && value(&v)) o->filter.customer = v;
    else if (a == "--type" && value(&v)) o->filter.types.push_back(v);
    else if (a == "--offset" && value(&v)) {
      if (!absl::SimpleAtoi(v, &o->start) || o->start < 0) return *error = "--offset needs N >= 0", false;
    } else if (a == "--since" && value(&v)) {
      absl::Time t;
      std::string err;
      if (!absl::ParseTime(absl::RFC3339_full, v, &t, &err)) return *error = "--since: " + err, false;
      o->start = absl::ToUnixMillis(t);
      o->since = true;
    } else if (absl::StartsWith(a, "--")) {
      return *error = "unknown or incomplete option " + a, false;
    } else {
      o->topics.push_back(a);
    }
  }
  if (o->bootstrap.empty()) o->bootstrap = DefaultBootstrap();
  if (o->bootstrap.empty()) return *error = "no broker: use --bootstrap", false;
  if (o->topics.empty()) return *error = "name at least one topic, e.g. revisit.order.v1", false;
  // Topics are named logically; a deployment's REVISIT_TOPIC_PREFIX is applied here.
  auto ns = KafkaNamespace::FromEnvironment();
  if (!ns.ok()) return *error = std::string(ns.status().message()), false;
  o->topics = ns->Topics(o->topics);
  return true;
}

std::vector<RdKafka::TopicPartition*> Partitions(RdKafka::KafkaConsumer& c, const Options& o) {
  std::vector<RdKafka::TopicPartition*> out;
  for (const auto& topic : o.topics) {
    std::string err;
    std::unique_ptr<RdKafka::Topic> t(RdKafka::Topic::create(&c, topic, nullptr, err));
    RdKafka::Metadata* md = nullptr;
    if (!t || c.metadata(false, t.get(), &md, 5000) != RdKafka::ERR_NO_ERROR) continue;
    std::unique_ptr<RdKafka::Metadata> owned(md);
    for (const auto* tm : *md->topics()) {
      for (const auto* pm : *tm->partitions()) {
        out.push_back(RdKafka::TopicPartition::create(topic, pm->id(), o.start));
      }
    }
  }
  if (o.since) c.offsetsForTimes(out, 5000);
  return out;
}

int Run(const Options& o) {
  static absl::BitGen gen;
  // An mTLS cluster: the principal of REVISIT_KAFKA_CERT_FILE (revisit-analysts reads
  // the event topics; revisit-admin also the dead-letter topics).
  auto security = revisit::KafkaSecurity::FromEnvironment();
  if (!security.ok()) return Usage(std::string(security.status().message()));
  auto conf = MakeKafkaConf(security->Apply(
      {{"bootstrap.servers", o.bootstrap},
       {"group.id", absl::StrFormat("revisit-tail-%x", absl::Uniform<uint32_t>(gen))},
       {"enable.auto.commit", "false"},
       {"enable.partition.eof", "true"}}));
  if (!conf.ok()) return Usage(std::string(conf.status().message()));
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf->get(), err));
  if (!c) return Usage(err);
  auto parts = Partitions(*c, o);
  if (parts.empty()) {
    std::cerr << "revisit-tail: no partitions found at " << o.bootstrap << "\n";
    return 69;
  }
  c->assign(parts);
  size_t at_end = 0;
  absl::Time idle_since = absl::Now();
  while (!stop) {
    std::unique_ptr<RdKafka::Message> m(c->consume(500));
    if (m->err() == RdKafka::ERR__PARTITION_EOF) {
      if (!o.follow && ++at_end >= parts.size()) break;
      continue;
    }
    if (m->err() == RdKafka::ERR__TIMED_OUT) {
      if (!o.follow && absl::Now() - idle_since > absl::Seconds(10)) break;
      continue;
    }
    if (m->err() != RdKafka::ERR_NO_ERROR) {
      std::cerr << "revisit-tail: " << m->errstr() << "\n";
      continue;
    }
    idle_since = absl::Now();
    auto e = ParseMessage(*m);
    if (!e.ok()) {
      std::cout << R"({"topic":")" << m->topic_name() << R"(","offset":)" << m->offset()
                << R"(,"error":"not a Revisit event: )" << e.status().message() << "\"}\n";
      continue;
    }
    if (o.filter.Matches(*e)) std::cout << EventJson(*e) << "\n" << std::flush;
  }
  RdKafka::TopicPartition::destroy(parts);
  c->close();
  return 0;
}

}  // namespace
}  // namespace revisit::tail

int main(int argc, char** argv) {
  std::signal(SIGINT, [](int) { revisit::tail::stop = 1; });
  std::signal(SIGTERM, [](int) { revisit::tail::stop = 1; });
  revisit::tail::Options o;
  std::string error;
  if (!revisit::tail::Parse(argc, argv, &o, &error)) return revisit::tail::Usage(error);
  return revisit::tail::Run(o);
}
