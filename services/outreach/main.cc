// revisit-outreach: the outreach service process (issue 6).
#include <iostream>
#include <memory>

#include "common/event_type.h"
#include "common/log.h"
#include "common/service_runtime.h"
#include "services/outreach/edge/dispatcher.h"
#include "services/outreach/edge/timer_routes.h"
#include "services/outreach/edge/event_handler.h"
#include "services/outreach/edge/greetings_scheduler.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/edge/outreach_service.h"
#include "services/outreach/edge/grpc_complaint_opener.h"
#include "services/outreach/edge/loyalty_voucher_issuer.h"
#include "services/outreach/edge/order_contact_source.h"
#include "services/outreach/edge/webhook_adapter.h"

namespace ro = revisit::outreach;

namespace {

std::unique_ptr<ro::ChannelAdapter> MakeAdapter(const ro::OutreachConfig& c) {
  if (c.adapter != "webhook") return std::make_unique<ro::EventAdapter>();
  ro::WebhookOptions w;
  w.url = c.webhook_url;
  w.attempts = c.webhook_attempts;
  w.backoff = c.webhook_backoff;
  w.timeout = c.webhook_timeout;
  return std::make_unique<ro::WebhookAdapter>(w);
}

}  // namespace

int main(int argc, char** argv) {
  revisit::BlockTerminationSignals();
  revisit::EnvConfig env;
  ro::OutreachConfig config = ro::LoadOutreachConfig(env);
  if (revisit::WantsPrintEnv(argc, argv)) {
    std::cout << env.SpecsJson() << std::endl;
    return 0;
  }
  if (!env.status().ok()) {
    std::cerr << "revisit-outreach: " << env.status().message() << std::endl;
    return 2;
  }
  revisit::InitLogging("outreach", config.common.log_level).IgnoreError();
  auto runtime = revisit::ServiceRuntime::Create(config.common);
  if (!runtime.ok()) {
    std::cerr << "revisit-outreach: " << runtime.status() << std::endl;
    return 1;
  }
  auto& rt = **runtime;
  ro::OutreachStore store(rt.redis());
  auto adapter = MakeAdapter(config);
  ro::OrderContactSource contacts(config);
  ro::LoyaltyVoucherIssuer vouchers(config);
  ro::GrpcComplaintOpener complaints(config);
  ro::Dispatcher dispatcher(config, store, rt.clock(), *adapter, contacts, vouchers);
  ro::EventHandler events(config, store, rt.clock());
  ro::OutreachServiceImpl service(config, store, rt.clock(), complaints);
  if (auto st = rt.StartOutbox(); !st.ok()) {
    std::cerr << "revisit-outreach: " << st << std::endl;
    return 1;
  }
  ro::GreetingsScheduler greetings(config, store, rt.clock());  // R3, R9
  if (auto st = greetings.ArmSweeps(); !st.ok()) {
    std::cerr << "revisit-outreach: " << st << std::endl;
    return 1;
  }
  rt.StartBatchTimers(ro::OutreachTimers(greetings, dispatcher));
  if (auto st = rt.StartConsumer({revisit::EventTopic("order"), revisit::EventTopic("complaint"), revisit::EventTopic("loyalty")},
                                 [&](const revisit::EventEnvelope& e) { return events.Handle(e); });
      !st.ok()) {
    std::cerr << "revisit-outreach: " << st << std::endl;
    return 1;
  }
  rt.host().AddService(&service);
  return rt.Run();
}
