// revisit-loyalty: the loyalty service process (gRPC LoyaltyService, consumer of
// revisit.order.v1 and revisit.complaint.v1 in group "loyalty" with dead-letter topic
// revisit.loyalty.dlq.v1,
// durable review/reclassify timers, outbox relay to revisit.loyalty.v1).
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "common/event_type.h"
#include "common/log.h"
#include "common/service_runtime.h"
#include "services/loyalty/loyalty_config.h"
#include "services/loyalty/edge/loyalty_engine.h"
#include "services/loyalty/edge/loyalty_service.h"

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
  if (config.consume) {
    // REVISIT_LOYALTY_REPLAY rebuilds the projection from offset 0 (exactly-once by ce_id).
    // Batches: two pipelined round trips per polled batch, per-customer fallback to
    // HandleEvent (services/loyalty/store/batch_apply.h).
    auto st = rt.StartBatchConsumer(
        {revisit::EventTopic("order"), revisit::EventTopic("complaint")},
        [&](const std::vector<revisit::EventEnvelope>& batch) { return engine.HandleBatch(batch); },
        [&](const revisit::EventEnvelope& e) { return engine.HandleEvent(e); }, config.replay,
        config.max_batch);
    if (!st.ok()) {
      std::cerr << "revisit-loyalty: " << st << std::endl;
      return 1;
    }
  }
  rt.host().AddService(&service);
  return rt.Run();
}
