#include "services/order/order_config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace revisit::order {
namespace {

// "HH:MM" → minutes after midnight, or -1.
int ParseClock(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) ||
      h < 0 || h > 23 || m < 0 || m > 59) {
    return -1;
  }
  return h * 60 + m;
}

// The lookup index key (O2) from `path`: its content without surrounding whitespace,
// at least 32 bytes; empty path = no key.
void ReadLookupSecret(EnvConfig& env, OrderConfig& c) {
  const char* kVar = "REVISIT_ORDER_LOOKUP_KEY_FILE";
  std::string path = env.String(kVar, "",
                                "file holding the HMAC key (>= 32 bytes) of the hashed FindCustomers "
                                "indexes (O2); empty = unkeyed SHA-256, for development only");
  if (path.empty()) return;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  c.lookup_secret = std::string(absl::StripAsciiWhitespace(text.str()));
  if (!in) {
    env.Invalid(kVar, path, "cannot be read");
  } else if (c.lookup_secret.size() < 32) {
    env.Invalid(kVar, path, "the key in it must be at least 32 bytes");
  }
}

}  // namespace

OrderConfig LoadOrderConfig(EnvConfig& env) {
  OrderConfig c;
  c.common = LoadCommonConfig(env, "order");
  c.auto_complete_after = env.Duration("REVISIT_ORDER_AUTO_COMPLETE_AFTER", "7d", absl::Seconds(1),
                                       "orders complete by themselves this long after delivery");
  std::string cutoff = env.String("REVISIT_ORDER_SHIP_CUTOFF", "18:00",
                                  "O3 same-day shipping cut-off, HH:MM local time");
  c.ship_cutoff_minutes = ParseClock(cutoff);
  if (c.ship_cutoff_minutes < 0) env.Invalid("REVISIT_ORDER_SHIP_CUTOFF", cutoff, "must be HH:MM");
  std::string tz = env.String("REVISIT_ORDER_SHIP_TIME_ZONE", "Asia/Shanghai",
                              "IANA time zone of the warehouse (for the cut-off)");
  if (!absl::LoadTimeZone(tz, &c.ship_time_zone)) {
    env.Invalid("REVISIT_ORDER_SHIP_TIME_ZONE", tz, "must be an IANA time zone");
  }
  c.idempotency_ttl = env.Duration("REVISIT_ORDER_IDEMPOTENCY_TTL", "7d", absl::Minutes(1),
                                   "how long a request_id's first answer is kept");
  c.loyalty_address = env.String("REVISIT_LOYALTY_ADDR", "",
                                 "loyalty gRPC host:port for O7 shipping perks; empty = none");
  c.perks_deadline = env.Duration("REVISIT_ORDER_PERKS_DEADLINE", "300ms", absl::Milliseconds(1),
                                  "how long shipping waits for loyalty's perks before shipping without");
  c.cached_orders = static_cast<size_t>(env.Int(
      "REVISIT_ORDER_CACHED_ORDERS", 20000, 0, 10000000,
      "orders kept in memory to commit on without a read (0 = always read; docs/performance.md)"));
  c.shipping_fee_minor = env.Int("REVISIT_ORDER_SHIPPING_FEE_MINOR", 0, 0, 100000000,
                                 "shipping fee of every order in minor units; waived by a free-shipping pass (L8)");
  c.benefits_hold = env.Duration("REVISIT_ORDER_BENEFITS_HOLD", "30m", absl::Seconds(1),
                                 "how long loyalty holds an unpaid order's vouchers and points (L4)");
  if (c.benefits_hold > absl::Hours(24)) {
    env.Invalid("REVISIT_ORDER_BENEFITS_HOLD", absl::FormatDuration(c.benefits_hold), "must be at most 24h");
  }
  c.checkout_deadline = env.Duration("REVISIT_ORDER_CHECKOUT_DEADLINE", "2s", absl::Milliseconds(1),
                                     "deadline of each checkout call to loyalty (reserve, confirm, release)");
  ReadLookupSecret(env, c);
  return c;
}

}  // namespace revisit::order
