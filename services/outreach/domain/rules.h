// The trigger rules table: for each Trigger, when its touch is due, how urgent it is
// and which measure (R6) applies. Defaults follow DOMAIN.md (R1: feedback 3 days after
// delivery, C10: follow-up within 7 days); every field is configurable through
// REVISIT_OUTREACH_RULES (see ApplyRuleOverrides).
// Thread-safety: RulesTable is an immutable value after construction.
// Errors: ApplyRuleOverrides returns INVALID_ARGUMENT naming the bad entry.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_RULES_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_RULES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "revisit/common/v1/types.pb.h"
#include "revisit/outreach/v1/outreach.pb.h"

namespace revisit::outreach {

using revisit::common::v1::Channel;
using revisit::outreach::v1::Trigger;

// One row of the table.
struct TriggerRule {
  Trigger trigger = revisit::outreach::v1::TRIGGER_UNSPECIFIED;
  // Short stable name, used for campaigns and overrides ("feedback_request").
  std::string name;
  // Due time = source fact time + delay.
  absl::Duration delay = absl::ZeroDuration();
  // Lower goes first when several touches compete for a cap slot (R6).
  int priority = 5;
  // Transactional touches (O1 confirmations, C10 follow-ups) are exempt from caps
  // and may fall back to a channel not explicitly refused (R6).
  bool transactional = false;
  // Respect the customer's quiet hours (R6).
  bool quiet_hours = true;
  // Held while the customer has an open complaint (R6: feedback/review requests).
  bool held_by_open_complaint = false;
  // Share of customers (per mille, 0..1000) kept in the holdout group (R12).
  int holdout_permille = 0;
  // Channels in order of preference.
  std::vector<Channel> channels;
};

// The table: one rule per trigger.
class RulesTable {
 public:
  // The defaults described in DOMAIN.md.
  static RulesTable Defaults();

  // The rule for `trigger`; the MANUAL rule for unknown triggers.
  const TriggerRule& For(Trigger trigger) const;
  // Mutable access for overrides; nullptr when `name` is no rule's name.
  TriggerRule* FindByName(absl::string_view name);

  const std::map<int, TriggerRule>& rules() const { return rules_; }

 private:
  std::map<int, TriggerRule> rules_;
};

// Applies overrides "name.field=value;..." e.g.
// "feedback_request.delay=48h;win_back.holdout_permille=100;care_tips.priority=2".
// Fields: delay (absl duration), priority (int), transactional, quiet_hours,
// held_by_open_complaint (true/false), holdout_permille (0..1000),
// channels (comma list of sms,email,app_push,phone).
absl::Status ApplyRuleOverrides(absl::string_view overrides, RulesTable& table);

// "sms" -> CHANNEL_SMS; UNSPECIFIED when unknown.
Channel ChannelFromName(absl::string_view name);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_RULES_H_
