// revisit-complaint: the complaint service process.
#include <iostream>

#include "common/event_type.h"
#include "common/log.h"
#include "common/service_runtime.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/edge/complaint_service.h"
#include "services/complaint/edge/remedy_executor.h"

int main(int argc, char** argv) {
  revisit::BlockTerminationSignals();
  revisit::EnvConfig env;
  revisit::complaint::ComplaintConfig config = revisit::complaint::LoadComplaintConfig(env);
  if (revisit::WantsPrintEnv(argc, argv)) {
    std::cout << env.SpecsJson() << std::endl;
    return 0;
  }
  if (!env.status().ok()) {
    std::cerr << "revisit-complaint: " << env.status().message() << std::endl;
    return 2;
  }
  revisit::InitLogging("complaint", config.common.log_level).IgnoreError();
  auto runtime = revisit::ServiceRuntime::Create(config.common);
  if (!runtime.ok()) {
    std::cerr << "revisit-complaint: " << runtime.status() << std::endl;
    return 1;
  }
  auto& rt = **runtime;
  revisit::complaint::GrpcRemedyExecutor executor(config.order_address, config.loyalty_address,
                                                  config.call_policy);
  revisit::complaint::ComplaintServiceImpl service(config, rt.redis(), rt.clock(), executor);
  if (auto st = rt.StartOutbox(); !st.ok()) {
    std::cerr << "revisit-complaint: " << st << std::endl;
    return 1;
  }
  rt.StartTimers([&](const revisit::DueTimer& t) { return service.HandleTimer(t); });
  if (auto st = rt.StartConsumer({revisit::EventTopic("order"), revisit::EventTopic("outreach"), revisit::EventTopic("loyalty")},
                                 [&](const revisit::EventEnvelope& e) { return service.HandleEvent(e); });
      !st.ok()) {
    std::cerr << "revisit-complaint: " << st << std::endl;
    return 1;
  }
  rt.host().AddService(&service);
  return rt.Run();
}
