#include "services/outreach/outreach_config.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace revisit::outreach {

int ParseClockMinutes(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) ||
      h < 0 || h > 23 || m < 0 || m > 59) {
    return -1;
  }
  return h * 60 + m;
}

namespace {

void LoadMeasure(EnvConfig& env, OutreachConfig& c) {
  c.measure.cap = static_cast<int>(env.Int("REVISIT_OUTREACH_CAP", 2, 1, 1000,
                                           "R6: non-transactional touches per customer per window"));
  c.measure.cap_window = env.Duration("REVISIT_OUTREACH_CAP_WINDOW", "7d", absl::Minutes(1),
                                      "R6: the cap's sliding window");
  for (auto [name, def, target] :
       {std::make_tuple("REVISIT_OUTREACH_QUIET_START", "21:00", &c.measure.quiet.start_minute),
        std::make_tuple("REVISIT_OUTREACH_QUIET_END", "09:00", &c.measure.quiet.end_minute)}) {
    std::string v = env.String(name, def, "R6 quiet hours in the customer's time zone, HH:MM");
    *target = ParseClockMinutes(v);
    if (*target < 0) env.Invalid(name, v, "must be HH:MM");
  }
  c.measure.hold_recheck = env.Duration("REVISIT_OUTREACH_HOLD_RECHECK", "1d", absl::Seconds(1),
                                        "R6: re-check of a touch held by an open complaint");
}

void LoadPeers(EnvConfig& env, OutreachConfig& c) {
  c.order_address = env.String("REVISIT_ORDER_ADDR", "", "order gRPC host:port (contact details at send time)");
  c.complaint_address =
      env.String("REVISIT_COMPLAINT_ADDR", "", "complaint gRPC host:port (R11 low ratings)");
  c.loyalty_address = env.String("REVISIT_LOYALTY_ADDR", "", "loyalty gRPC host:port (R7 vouchers)");
  c.call_deadline = env.Duration("REVISIT_OUTREACH_CALL_DEADLINE", "2s", absl::Milliseconds(10),
                                 "deadline of each call to another service");
  c.adapter = env.String("REVISIT_OUTREACH_ADAPTER", "event", "delivery adapter: event|webhook");
  if (c.adapter != "event" && c.adapter != "webhook")
    env.Invalid("REVISIT_OUTREACH_ADAPTER", c.adapter, "must be event or webhook");
  c.webhook_url = env.String("REVISIT_OUTREACH_WEBHOOK_URL", "", "webhook adapter: URL to POST JSON to");
  if (c.adapter == "webhook" && c.webhook_url.empty())
    env.Invalid("REVISIT_OUTREACH_WEBHOOK_URL", "", "required with the webhook adapter");
  c.webhook_attempts = static_cast<int>(
      env.Int("REVISIT_OUTREACH_WEBHOOK_ATTEMPTS", 3, 1, 20, "webhook: attempts per touch"));
  c.webhook_backoff = env.Duration("REVISIT_OUTREACH_WEBHOOK_BACKOFF", "200ms",
                                   absl::Milliseconds(1), "webhook: first retry pause (doubles)");
  c.webhook_timeout = env.Duration("REVISIT_OUTREACH_WEBHOOK_TIMEOUT", "5s", absl::Milliseconds(10),
                                   "webhook: timeout of one POST");
}

void LoadGreetings(EnvConfig& env, OutreachConfig& c) {
  const std::string holidays = env.String(
      "REVISIT_OUTREACH_HOLIDAYS", "",
      "R3: holidays greeted once per customer, YYYY-MM-DD:Name comma list, e.g. "
      "2027-02-06:Spring Festival,2026-10-01:National Day");
  auto parsed = ParseHolidays(holidays);
  if (parsed.ok()) c.holidays = *std::move(parsed);
  else env.Invalid("REVISIT_OUTREACH_HOLIDAYS", holidays, std::string(parsed.status().message()));
  const std::string at = env.String("REVISIT_OUTREACH_GREETING_TIME", "10:00",
                                    "R3: local time of birthday and holiday greetings, HH:MM");
  c.greeting_minute = ParseClockMinutes(at);
  if (c.greeting_minute < 0) env.Invalid("REVISIT_OUTREACH_GREETING_TIME", at, "must be HH:MM");
  c.check_in_after = env.Duration("REVISIT_OUTREACH_CHECK_IN_AFTER", "180d", absl::Minutes(1),
                                  "R9: check in with a customer not contacted for this long");
  c.sweep_interval = env.Duration("REVISIT_OUTREACH_SWEEP_INTERVAL", "1d", absl::Minutes(1),
                                  "R3/R9: how often each shard's customers are swept for "
                                  "holiday greetings and check-ins");
  c.sweep_page = static_cast<int>(env.Int("REVISIT_OUTREACH_SWEEP_PAGE", 200, 1, 10000,
                                          "R3/R9: customers read per sweep step"));
  c.birthday_voucher_minor = env.Int("REVISIT_OUTREACH_BIRTHDAY_VOUCHER_MINOR", 1000, 1, 100000000,
                                     "R3: birthday gift voucher value in minor units "
                                     "(currency of REVISIT_OUTREACH_WIN_BACK_CURRENCY)");
  c.birthday_validity = env.Duration("REVISIT_OUTREACH_BIRTHDAY_VALIDITY", "30d", absl::Hours(1),
                                     "R3: how long a birthday voucher is valid");
}

}  // namespace

OutreachConfig LoadOutreachConfig(EnvConfig& env) {
  OutreachConfig c;
  c.common = LoadCommonConfig(env, "outreach");
  std::string overrides = env.String(
      "REVISIT_OUTREACH_RULES", "",
      "rules table overrides, e.g. feedback_request.delay=3d;win_back.holdout_permille=100");
  if (absl::Status st = ApplyRuleOverrides(overrides, c.rules); !st.ok())
    env.Invalid("REVISIT_OUTREACH_RULES", overrides, std::string(st.message()));
  LoadMeasure(env, c);
  const std::string messages = env.String(
      "REVISIT_OUTREACH_MESSAGES_FILE", "",
      "R10: message templates per touch kind and locale (deploy/k8s/base/services/outreach/"
      "messages.conf); empty = the compiled-in copy of that file");
  auto templates = messages.empty() ? MessageTemplates::Default(MessageKinds(c.rules))
                                    : MessageTemplates::Load(messages, MessageKinds(c.rules));
  if (templates.ok()) c.messages = *std::move(templates);
  else env.Invalid("REVISIT_OUTREACH_MESSAGES_FILE", messages, std::string(templates.status().message()));
  c.default_time_zone_name = env.String("REVISIT_OUTREACH_DEFAULT_TIME_ZONE", "Asia/Shanghai",
                                        "IANA zone for customers without a known zone");
  if (!absl::LoadTimeZone(c.default_time_zone_name, &c.default_time_zone))
    env.Invalid("REVISIT_OUTREACH_DEFAULT_TIME_ZONE", c.default_time_zone_name,
                "must be an IANA time zone");
  c.revisit_window = env.Duration("REVISIT_OUTREACH_REVISIT_WINDOW", "14d", absl::Minutes(1),
                                  "R12: an order this soon after a touch is a revisit");
  c.idempotency_ttl = env.Duration("REVISIT_OUTREACH_IDEMPOTENCY_TTL", "7d", absl::Minutes(1),
                                   "how long a request_id's first answer is kept");
  c.inbox_ttl = env.Duration("REVISIT_OUTREACH_INBOX_TTL", "30d", absl::Minutes(1),
                             "how long a consumed event ID is remembered");
  c.compact_touches = env.Bool(
      "REVISIT_OUTREACH_COMPACT_TOUCHES", true,
      "store touches in the compact form (docs/performance.md); false = the form versions "
      "before it read (set during a rollout from, or a rollback to, such a version)");
  LoadPeers(env, c);
  c.win_back_voucher_minor = env.Int("REVISIT_OUTREACH_WIN_BACK_VOUCHER_MINOR", 2000, 1,
                                     100000000, "R7: win-back voucher value in minor units");
  c.win_back_currency = env.String("REVISIT_OUTREACH_WIN_BACK_CURRENCY", "CNY",
                                   "R7: win-back voucher currency (ISO 4217)");
  c.win_back_validity = env.Duration("REVISIT_OUTREACH_WIN_BACK_VALIDITY", "30d", absl::Hours(1),
                                     "R7: how long a win-back voucher is valid");
  LoadGreetings(env, c);
  return c;
}

}  // namespace revisit::outreach
