// Configuration of the order service: the common REVISIT_* variables plus the
// order rules' knobs (O3 same-day cut-off, auto-completion, perks, idempotency).
// Thread-safety: a plain value, read once in main().
#ifndef REVISIT_SERVICES_ORDER_ORDER_CONFIG_H_
#define REVISIT_SERVICES_ORDER_ORDER_CONFIG_H_

#include <cstddef>
#include <string>

#include "absl/time/time.h"
#include "common/config.h"
#include "common/service_runtime.h"

namespace revisit::order {

struct OrderConfig {
  CommonConfig common;
  // Orders complete by themselves this long after delivery.
  absl::Duration auto_complete_after;
  // O3: paid orders ship the same day; one paid after the cut-off ships by the
  // next day's cut-off. Minutes after local midnight in ship_time_zone.
  int ship_cutoff_minutes = 18 * 60;
  absl::TimeZone ship_time_zone;
  absl::Duration idempotency_ttl;
  // How many orders this process keeps to decide on without reading them first
  // (store/order_cache.h); 0 = read every order before deciding.
  size_t cached_orders = 20000;
  // O7: the loyalty service asked for perks while shipping; empty = no perks.
  std::string loyalty_address;
  absl::Duration perks_deadline;
  // L4/L8 checkout: the shipping fee of every order (minor units of the order's
  // currency; 0 = free shipping for all), how long loyalty holds an unpaid order's
  // vouchers and points, and the deadline of each checkout call to loyalty.
  int64_t shipping_fee_minor = 0;
  absl::Duration benefits_hold;
  absl::Duration checkout_deadline;
  // O2 FindCustomers: the HMAC key of the hashed lookup indexes (store/lookup_index.h),
  // read from REVISIT_ORDER_LOOKUP_KEY_FILE; empty = unkeyed SHA-256 (development).
  std::string lookup_secret;
};

// Declares and reads every variable; env.status() tells whether all were valid.
OrderConfig LoadOrderConfig(EnvConfig& env);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_ORDER_CONFIG_H_
