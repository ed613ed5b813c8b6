// Configuration of the outreach service: the common REVISIT_* variables plus the
// outreach rules' knobs (R6 measure, R12 window, rules table overrides, peers and
// the delivery adapter).
// Thread-safety: a plain value, read once in main().
#ifndef REVISIT_SERVICES_OUTREACH_OUTREACH_CONFIG_H_
#define REVISIT_SERVICES_OUTREACH_OUTREACH_CONFIG_H_

#include <string>

#include "absl/time/time.h"
#include "common/config.h"
#include "common/service_runtime.h"
#include "services/outreach/domain/greetings.h"
#include "services/outreach/domain/measure.h"
#include "services/outreach/domain/messages.h"
#include "services/outreach/domain/rules.h"

namespace revisit::outreach {

struct OutreachConfig {
  CommonConfig common;
  RulesTable rules = RulesTable::Defaults();
  // R10: the message of every touch kind per locale (templates.h); the compiled-in
  // default unless REVISIT_OUTREACH_MESSAGES_FILE names the operator's file.
  MessageTemplates messages = BuiltInTemplates(RulesTable::Defaults());
  MeasurePolicy measure;
  // Time zone of customers whose zone is unknown or invalid.
  absl::TimeZone default_time_zone;
  std::string default_time_zone_name;
  // Store touches in the compact form (store/touch_record.h); false writes the form
  // versions before issue 17 read, while such a version may still run (rollout).
  bool compact_touches = true;
  // R12: an order within this window after a touch is a revisit.
  absl::Duration revisit_window;
  absl::Duration idempotency_ttl;
  absl::Duration inbox_ttl;
  std::string order_address;      // GetCustomer for contact details at send time
  std::string complaint_address;  // OpenComplaint for a low rating (R11)
  std::string loyalty_address;    // IssueVoucher for win-back (R7)
  // "event" (TouchSent is the delivery) or "webhook".
  std::string adapter;
  std::string webhook_url;
  int webhook_attempts = 3;
  absl::Duration webhook_backoff;
  absl::Duration webhook_timeout;
  // R7 win-back voucher terms.
  int64_t win_back_voucher_minor = 2000;
  std::string win_back_currency;
  absl::Duration win_back_validity;
  // R3 greetings and R9 check-ins (greetings_scheduler.h).
  std::vector<Holiday> holidays;
  int greeting_minute = 10 * 60;  // local time of birthday and holiday greetings
  absl::Duration check_in_after = absl::Hours(24 * 180);
  absl::Duration sweep_interval = absl::Hours(24);
  int sweep_page = 200;
  // R3 birthday gift (currency: win_back_currency).
  int64_t birthday_voucher_minor = 1000;
  absl::Duration birthday_validity = absl::Hours(24 * 30);
  absl::Duration call_deadline;
};

// Declares and reads every variable; env.status() tells whether all were valid.
OutreachConfig LoadOutreachConfig(EnvConfig& env);

// "HH:MM" → minutes after midnight, or -1.
int ParseClockMinutes(const std::string& text);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_OUTREACH_CONFIG_H_
