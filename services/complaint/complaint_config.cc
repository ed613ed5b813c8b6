#include "services/complaint/complaint_config.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/complaint/domain/calendar_file.h"

namespace revisit::complaint {
namespace {

// Reads and validates the calendar files listed in `paths` (comma-separated).
absl::StatusOr<BusinessCalendar> ReadCalendar(const std::string& paths) {
  std::vector<CalendarSource> sources;
  for (absl::string_view path : absl::StrSplit(paths, ',', absl::SkipWhitespace())) {
    path = absl::StripAsciiWhitespace(path);
    std::ifstream in{std::string(path)};
    if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
    std::stringstream text;
    text << in.rdbuf();
    sources.push_back({std::string(path), text.str()});
  }
  return LoadCalendar(sources);
}

void ReadSla(EnvConfig& env, SlaPolicy& sla) {
  struct Var {
    const char* name;
    const char* def;
    v1::Priority p;
    bool first;
  };
  const Var vars[] = {
      {"REVISIT_COMPLAINT_FIRST_RESPONSE_NORMAL", "24h", v1::PRIORITY_NORMAL, true},
      {"REVISIT_COMPLAINT_FIRST_RESPONSE_HIGH", "8h", v1::PRIORITY_HIGH, true},
      {"REVISIT_COMPLAINT_FIRST_RESPONSE_URGENT", "2h", v1::PRIORITY_URGENT, true},
      {"REVISIT_COMPLAINT_RESOLUTION_NORMAL", "7d", v1::PRIORITY_NORMAL, false},
      {"REVISIT_COMPLAINT_RESOLUTION_HIGH", "3d", v1::PRIORITY_HIGH, false},
      {"REVISIT_COMPLAINT_RESOLUTION_URGENT", "1d", v1::PRIORITY_URGENT, false},
  };
  for (const Var& v : vars) {
    absl::Duration d = env.Duration(
        v.name, v.def, absl::Seconds(1),
        std::string(v.first ? "first-response deadline (C1, C16) for priority "
                            : "resolution target for priority ") +
            v1::Priority_Name(v.p));
    (v.first ? sla.first_response : sla.resolution)[v.p] = d;
  }
  if (sla.first_response[v1::PRIORITY_NORMAL] > absl::Hours(24)) {
    env.Invalid("REVISIT_COMPLAINT_FIRST_RESPONSE_NORMAL", "", "must be at most 24h (C1)");
  }
  sla.at_risk = env.Duration("REVISIT_COMPLAINT_AT_RISK", "2h", absl::ZeroDuration(),
                             "a deadline due within this is listed as at risk");
  sla.same_day_min_left = env.Duration(
      "REVISIT_COMPLAINT_SAME_DAY_MIN_LEFT", "1h", absl::ZeroDuration(),
      "opened with less working time left in the day: first response due at the next business day's close (C1)");
  const std::string files = env.String(
      "REVISIT_COMPLAINT_CALENDAR", "",
      "SLA business calendar files, one per year, comma-separated (deploy/calendars/); empty = 24x7");
  auto cal = ReadCalendar(files);
  if (cal.ok()) sla.calendar = *cal;
  else env.Invalid("REVISIT_COMPLAINT_CALENDAR", files, std::string(cal.status().message()));
}

}  // namespace

ComplaintConfig LoadComplaintConfig(EnvConfig& env) {
  ComplaintConfig c;
  c.common = LoadCommonConfig(env, "complaint");
  ReadSla(env, c.policies.sla);
  std::string sanbao = env.String("REVISIT_COMPLAINT_SANBAO_POLICY", "",
                                  "三包 rules as JSON {default, categories, skus} (C13); empty = 7d/15d/365d");
  auto policy = ParseSanbaoPolicy(sanbao);
  if (policy.ok()) c.policies.sanbao = *policy;
  else env.Invalid("REVISIT_COMPLAINT_SANBAO_POLICY", sanbao, std::string(policy.status().message()));
  std::string authority = env.String(
      "REVISIT_COMPLAINT_AUTHORITY",
      "agent=20000/2000,supervisor=200000/20000/approve,manager=unlimited/unlimited/approve",
      "compensation limits per role, role=money_minor/points[/approve] (C8)");
  auto auth = AuthorityPolicy::Parse(authority);
  if (auth.ok()) c.policies.authority = *auth;
  else env.Invalid("REVISIT_COMPLAINT_AUTHORITY", authority, std::string(auth.status().message()));
  c.policies.execution_retry = env.Duration("REVISIT_COMPLAINT_EXECUTION_RETRY", "30s", absl::Milliseconds(10),
                                            "retry interval of a failed remedy execution (C9)");
  c.policies.follow_up_within = env.Duration("REVISIT_COMPLAINT_FOLLOW_UP_WITHIN", "7d", absl::Minutes(1),
                                             "the follow-up after resolution is due within this (C10)");
  c.policies.follow_up_reminder_wait = env.Duration(
      "REVISIT_COMPLAINT_FOLLOW_UP_REMINDER_WAIT", "3d", absl::Minutes(1),
      "no answer to the follow-up: one reminder, then this long before closing as no answer (C10)");
  c.policies.repair_within = env.Duration("REVISIT_COMPLAINT_REPAIR_WITHIN", "7d", absl::Minutes(1),
                                          "a REPAIR remedy is returned within this (fulfilment deadline, C9)");
  c.policies.gift_within = env.Duration("REVISIT_COMPLAINT_GIFT_WITHIN", "3d", absl::Minutes(1),
                                        "a GIFT remedy is shipped within this (fulfilment deadline, C9)");
  const std::string suppliers = env.String("REVISIT_COMPLAINT_SUPPLIERS", "",
                                           "the supplier of each SKU, SKU=supplier,... (C11 quality reports)");
  auto parsed = ParseSuppliers(suppliers);
  if (parsed.ok()) c.policies.causes.suppliers = *parsed;
  else env.Invalid("REVISIT_COMPLAINT_SUPPLIERS", suppliers, std::string(parsed.status().message()));
  c.policies.causes.threshold = static_cast<int>(
      env.Int("REVISIT_COMPLAINT_RECURRING_THRESHOLD", 3, 0, 1000,
              "complaints about one SKU with one cause within the window that raise the recurring alert; 0 = off (C11)"));
  c.policies.causes.window = env.Duration("REVISIT_COMPLAINT_RECURRING_WINDOW", "30d", absl::Hours(1),
                                          "the window of the recurring-cause alert (C11)");
  c.policies.reopen_at_or_below = static_cast<int>(
      env.Int("REVISIT_COMPLAINT_FOLLOW_UP_REOPEN_AT_OR_BELOW", 2, 0, 4,
              "a follow-up satisfaction (1..5) at or below this reopens the complaint; 0 = always close (C10)"));
  c.idempotency_ttl = env.Duration("REVISIT_COMPLAINT_IDEMPOTENCY_TTL", "7d", absl::Minutes(1),
                                   "how long a request_id's or consumed event's record is kept");
  c.order_address = env.String("REVISIT_ORDER_ADDR", "", "order service gRPC host:port (refunds, C9)");
  c.loyalty_address = env.String("REVISIT_LOYALTY_ADDR", "", "loyalty gRPC host:port (vouchers, points, C9)");
  c.call_policy.attempt_deadline = env.Duration("REVISIT_COMPLAINT_CALL_DEADLINE", "2s", absl::Milliseconds(10),
                                                "deadline of each attempt of a call to order/loyalty");
  c.call_policy.max_attempts = static_cast<int>(
      env.Int("REVISIT_COMPLAINT_CALL_ATTEMPTS", 3, 1, 20, "attempts per call before the timer retries later"));
  return c;
}

}  // namespace revisit::complaint
