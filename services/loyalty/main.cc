// revisit-loyalty: the loyalty service process (gRPC LoyaltyService, consumer of
// revisit.order.v1 in group "loyalty" with dead-letter topic revisit.loyalty.dlq.v1,
// durable review/reclassify timers, outbox relay to revisit.loyalty.v1).
#include <iostream>
#include <memory>
#include <thread>

#include "common/log.h"
#include "common/service_runtime.h"
#include "services/loyalty/loyalty_config.h"
#include "services/loyalty/loyalty_engine.h"
#include "services/loyalty/loyalty_service.h"

int main(int argc, char** argv) {
  revisit::BlockTerminationSignals();
  revisit::EnvConfig env;
  revisit::loyalty::LoyaltyConfig config = revisit::loyalty::LoadLoyaltyConfig(env);
  if (revisit::WantsPrintEnv(argc, argv)) {
    std::cout << env.SpecsJson() << std::endl;
    return 0;
  }
  if (!env.status().ok()) {
    std::cerr << "revisit-loyalty: " << env.status().message() << std::endl;
    return 2;
  }
  revisit::InitLogging("loyalty", config.common.log_level).IgnoreError();
  auto runtime = revisit::ServiceRuntime::Create(config.common);
  if (!runtime.ok()) {
    std::cerr << "revisit-loyalty: " << runtime.status() << std::endl;
    return 1;
  }
  auto& rt = **runtime;
  revisit::loyalty::LoyaltyEngine engine(config, rt.redis(), rt.clock());
  revisit::loyalty::LoyaltyServiceImpl service(engine);
  if (auto st = rt.StartOutbox(); !st.ok()) {
    std::cerr << "revisit-loyalty: " << st << std::endl;
    return 1;
  }
  if (auto st = engine.EnsureReclassifyTimer(); !st.ok()) {
    std::cerr << "revisit-loyalty: " << st << std::endl;
    return 1;
  }
  rt.StartTimers([&](const revisit::DueTimer& t) { return engine.HandleTimer(t); });
  // The consumer is built here rather than by ServiceRuntime::StartConsumer so that
  // REVISIT_LOYALTY_REPLAY can rebuild the projection from offset 0.
  std::unique_ptr<revisit::KafkaConsumer> consumer;
  std::thread consumer_thread;
  if (config.consume) {
    revisit::KafkaConsumerOptions opts;
    opts.bootstrap = config.common.kafka_bootstrap;
    opts.group_id = "loyalty";
    opts.client_id = config.common.instance_id;
    opts.topics = {"revisit.order.v1"};
    opts.dead_letter_topic = "revisit.loyalty.dlq.v1";
    opts.replay_from_beginning = config.replay;
    auto created = revisit::KafkaConsumer::Create(opts);
    if (!created.ok()) {
      std::cerr << "revisit-loyalty: " << created.status() << std::endl;
      return 1;
    }
    consumer = *std::move(created);
    consumer_thread = std::thread([&] {
      auto st = consumer->Run([&](const revisit::EventEnvelope& e) {
        revisit::ScopedTraceId trace(
            revisit::ParseTraceparent(e.traceparent).value_or(revisit::NewTraceId()));
        return engine.HandleEvent(e);
      });
      if (!st.ok()) revisit::LogError("consumer stopped: " + st.ToString());
    });
    rt.host().OnShutdown("kafka consumer", [&] {
      consumer->Stop();
      if (consumer_thread.joinable()) consumer_thread.join();
      consumer->Close().IgnoreError();
    });
  }
  rt.host().AddService(&service);
  int code = rt.Run();
  if (consumer_thread.joinable()) {
    consumer->Stop();
    consumer_thread.join();
  }
  return code;
}
