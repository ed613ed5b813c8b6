// revisit-order: the order service process.
#include <iostream>

#include "common/log.h"
#include "common/service_runtime.h"
#include "services/order/order_config.h"
#include "services/order/edge/order_service.h"

int main(int argc, char** argv) {
  revisit::BlockTerminationSignals();
  revisit::EnvConfig env;
  revisit::order::OrderConfig config = revisit::order::LoadOrderConfig(env);
  if (revisit::WantsPrintEnv(argc, argv)) {
    std::cout << env.SpecsJson() << std::endl;
    return 0;
  }
  if (!env.status().ok()) {
    std::cerr << "revisit-order: " << env.status().message() << std::endl;
    return 2;
  }
  revisit::InitLogging("order", config.common.log_level).IgnoreError();
  auto runtime = revisit::ServiceRuntime::Create(config.common);
  if (!runtime.ok()) {
    std::cerr << "revisit-order: " << runtime.status() << std::endl;
    return 1;
  }
  auto& rt = **runtime;
  revisit::order::OrderServiceImpl service(config, rt.redis(), rt.clock());
  if (auto st = rt.StartOutbox(); !st.ok()) {
    std::cerr << "revisit-order: " << st << std::endl;
    return 1;
  }
  rt.StartTimers([&](const revisit::DueTimer& t) { return service.HandleTimer(t); });
  rt.host().AddService(&service);
  return rt.Run();
}
