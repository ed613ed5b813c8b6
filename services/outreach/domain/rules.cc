#include "services/outreach/domain/rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;
using revisit::common::v1::CHANNEL_APP_PUSH;
using revisit::common::v1::CHANNEL_EMAIL;
using revisit::common::v1::CHANNEL_PHONE;
using revisit::common::v1::CHANNEL_SMS;

TriggerRule Rule(Trigger t, const char* name, absl::Duration delay, int priority,
                 bool transactional, bool quiet, bool held, int holdout,
                 std::vector<Channel> channels) {
  TriggerRule r;
  r.trigger = t;
  r.name = name;
  r.delay = delay;
  r.priority = priority;
  r.transactional = transactional;
  r.quiet_hours = quiet;
  r.held_by_open_complaint = held;
  r.holdout_permille = holdout;
  r.channels = std::move(channels);
  return r;
}

absl::Status ParseBool(absl::string_view v, bool* out) {
  if (v == "true" || v == "1") { *out = true; return absl::OkStatus(); }
  if (v == "false" || v == "0") { *out = false; return absl::OkStatus(); }
  return absl::InvalidArgumentError(absl::StrCat("expected true/false, got '", v, "'"));
}

absl::Status ApplyField(TriggerRule& rule, absl::string_view field, absl::string_view value) {
  if (field == "delay") {
    if (!absl::ParseDuration(value, &rule.delay) || rule.delay < absl::ZeroDuration())
      return absl::InvalidArgumentError(absl::StrCat("bad duration '", value, "'"));
    return absl::OkStatus();
  }
  if (field == "priority") {
    if (!absl::SimpleAtoi(value, &rule.priority))
      return absl::InvalidArgumentError(absl::StrCat("bad integer '", value, "'"));
    return absl::OkStatus();
  }
  if (field == "transactional") return ParseBool(value, &rule.transactional);
  if (field == "quiet_hours") return ParseBool(value, &rule.quiet_hours);
  if (field == "held_by_open_complaint") return ParseBool(value, &rule.held_by_open_complaint);
  if (field == "holdout_permille") {
    if (!absl::SimpleAtoi(value, &rule.holdout_permille) || rule.holdout_permille < 0 ||
        rule.holdout_permille > 1000)
      return absl::InvalidArgumentError(absl::StrCat("expected 0..1000, got '", value, "'"));
    return absl::OkStatus();
  }
  if (field == "channels") {
    std::vector<Channel> channels;
    for (absl::string_view c : absl::StrSplit(value, ',')) {
      Channel ch = ChannelFromName(c);
      if (ch == revisit::common::v1::CHANNEL_UNSPECIFIED)
        return absl::InvalidArgumentError(absl::StrCat("unknown channel '", c, "'"));
      channels.push_back(ch);
    }
    rule.channels = std::move(channels);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown field '", field, "'"));
}

}  // namespace

Channel ChannelFromName(absl::string_view name) {
  std::string n = absl::AsciiStrToLower(name);
  if (n == "sms") return CHANNEL_SMS;
  if (n == "email") return CHANNEL_EMAIL;
  if (n == "app_push") return CHANNEL_APP_PUSH;
  if (n == "phone") return CHANNEL_PHONE;
  return revisit::common::v1::CHANNEL_UNSPECIFIED;
}

RulesTable RulesTable::Defaults() {
  const std::vector<Channel> msg = {CHANNEL_APP_PUSH, CHANNEL_EMAIL, CHANNEL_SMS};
  const std::vector<Channel> personal = {CHANNEL_PHONE, CHANNEL_SMS, CHANNEL_EMAIL,
                                         CHANNEL_APP_PUSH};
  RulesTable t;
  const absl::Duration day = absl::Hours(24);
  for (TriggerRule r : {
           // O1/R5: confirmation right after payment; not held by quiet hours.
           Rule(pb::TRIGGER_ORDER_THANKS, "order_thanks", absl::ZeroDuration(), 0, true,
                false, false, 0, {CHANNEL_EMAIL, CHANNEL_SMS, CHANNEL_APP_PUSH}),
           // O3: apologise before the customer has to ask.
           Rule(pb::TRIGGER_SHIPMENT_APOLOGY, "shipment_apology", absl::ZeroDuration(), 1,
                true, true, false, 0, msg),
           // C10/R8: follow-up a day after resolution, well within the 7-day promise.
           Rule(pb::TRIGGER_COMPLAINT_FOLLOW_UP, "complaint_follow_up", day, 1, true, true,
                false, 0, personal),
           // The customer hears every complaint step: service messages, exempt from caps.
           // C3: the acknowledgement and apology at once, quiet hours or not (C1).
           Rule(pb::TRIGGER_COMPLAINT_ACKNOWLEDGED, "complaint_acknowledged", absl::ZeroDuration(), 1,
                true, false, false, 0, msg),
           // C7, C8, C6/C15, C12, C9: not urgent, so the customer's quiet hours apply.
           Rule(pb::TRIGGER_COMPLAINT_UPDATE, "complaint_update", absl::ZeroDuration(), 1, true, true,
                false, 0, msg),
           Rule(pb::TRIGGER_COMPLAINT_REFUSED, "complaint_refused", absl::ZeroDuration(), 1, true, true,
                false, 0, msg),
           Rule(pb::TRIGGER_COMPLAINT_REMEDIES, "complaint_remedies", absl::ZeroDuration(), 1, true,
                true, false, 0, msg),
           Rule(pb::TRIGGER_COMPLAINT_RULING, "complaint_ruling", absl::ZeroDuration(), 1, true, true,
                false, 0, msg),
           Rule(pb::TRIGGER_COMPLAINT_REMEDY_DONE, "complaint_remedy_done", absl::ZeroDuration(), 1,
                true, true, false, 0, msg),
           // R1: feedback and review request 3 days after delivery; held by complaints.
           Rule(pb::TRIGGER_FEEDBACK_REQUEST, "feedback_request", 3 * day, 2, false, true,
                true, 0, msg),
           // R2: care tips with the shipment.
           Rule(pb::TRIGGER_CARE_TIPS, "care_tips", absl::ZeroDuration(), 3, false, true,
                false, 0, msg),
           // L4: a warning about the customer's own points is a service message, not a
           // campaign: no holdout (holding it back would let points expire unannounced),
           // yet not urgent, so caps, quiet hours and consent apply as to other touches.
           Rule(pb::TRIGGER_POINTS_EXPIRING, "points_expiring", absl::ZeroDuration(), 3, false,
                true, false, 0, msg),
           // Campaign triggers keep a holdout group so their lift can be measured (R12).
           Rule(pb::TRIGGER_TIER_WELCOME, "tier_welcome", absl::ZeroDuration(), 4, false, true,
                false, 50, msg),
           // R7: win-back with a real voucher; 10% holdout to measure lift (R12).
           Rule(pb::TRIGGER_WIN_BACK, "win_back", absl::ZeroDuration(), 5, false, true, false,
                100, msg),
           Rule(pb::TRIGGER_BIRTHDAY, "birthday", absl::ZeroDuration(), 4, false, true, false, 50,
                msg),
           // R3 anniversaries (registration, first purchase): greeted like a birthday.
           Rule(pb::TRIGGER_ANNIVERSARY, "anniversary", absl::ZeroDuration(), 4, false, true,
                false, 50, msg),
           Rule(pb::TRIGGER_HOLIDAY, "holiday", absl::ZeroDuration(), 6, false, true, false, 50,
                msg),
           Rule(pb::TRIGGER_NEW_PRODUCT, "new_product", absl::ZeroDuration(), 7, false, true,
                false, 50, msg),
           Rule(pb::TRIGGER_CHECK_IN, "check_in", absl::ZeroDuration(), 8, false, true, false,
                50, msg),
           Rule(pb::TRIGGER_MANUAL, "manual", absl::ZeroDuration(), 5, false, true, false, 50,
                msg),
       }) {
    t.rules_[r.trigger] = r;
  }
  return t;
}

const TriggerRule& RulesTable::For(Trigger trigger) const {
  auto it = rules_.find(trigger);
  if (it == rules_.end()) it = rules_.find(pb::TRIGGER_MANUAL);
  return it->second;
}

TriggerRule* RulesTable::FindByName(absl::string_view name) {
  for (auto& [k, r] : rules_)
    if (r.name == name) return &r;
  return nullptr;
}

absl::Status ApplyRuleOverrides(absl::string_view overrides, RulesTable& table) {
  for (absl::string_view entry : absl::StrSplit(overrides, ';', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(entry, '=');
    std::pair<absl::string_view, absl::string_view> nf = absl::StrSplit(kv.first, '.');
    TriggerRule* rule = table.FindByName(nf.first);
    if (rule == nullptr)
      return absl::InvalidArgumentError(
          absl::StrCat("REVISIT_OUTREACH_RULES: unknown trigger '", nf.first, "' in '", entry, "'"));
    absl::Status s = ApplyField(*rule, nf.second, kv.second);
    if (!s.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("REVISIT_OUTREACH_RULES: '", entry, "': ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace revisit::outreach
