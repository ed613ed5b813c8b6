#include "services/outreach/domain/consent.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"

namespace revisit::outreach {
namespace {

namespace cv1 = revisit::common::v1;
namespace pb = revisit::outreach::v1;

bool IsStaff(const std::string& role) {
  return role == "agent" || role == "supervisor" || role == "manager";
}

bool Known(cv1::Channel c) {
  return c != cv1::CHANNEL_UNSPECIFIED && cv1::Channel_IsValid(c);
}

void Put(Consents& consents, cv1::Channel channel, bool granted) {
  for (auto& c : consents) {
    if (c.channel() != channel) continue;
    c.set_granted(granted);
    return;
  }
  auto* c = consents.Add();
  c->set_channel(channel);
  c->set_granted(granted);
}

bool Granted(const Consents& consents, cv1::Channel channel, bool* listed) {
  for (const auto& c : consents) {
    if (c.channel() != channel) continue;
    *listed = true;
    return c.granted();
  }
  *listed = false;
  return false;
}

}  // namespace

absl::Status ValidateConsentRequest(const ConsentRequest& r) {
  if (r.source != pb::CONSENT_SOURCE_CUSTOMER && r.source != pb::CONSENT_SOURCE_AGENT &&
      r.source != pb::CONSENT_SOURCE_UNSUBSCRIBE_LINK)
    return absl::InvalidArgumentError(
        "source: must be CUSTOMER, AGENT or UNSUBSCRIBE_LINK (R6: every change says where it came from)");
  if (r.actor.id().empty() || r.actor.role().empty())
    return absl::InvalidArgumentError("actor: id and role required (R6: every change says who made it)");
  if (r.source == pb::CONSENT_SOURCE_AGENT && !IsStaff(r.actor.role()))
    return absl::InvalidArgumentError(absl::StrCat(
        "actor: source AGENT needs an agent, supervisor or manager, not role '", r.actor.role(), "'"));
  if (r.source != pb::CONSENT_SOURCE_AGENT &&
      (r.actor.role() != "customer" || r.actor.id() != r.customer_id))
    return absl::InvalidArgumentError(absl::StrCat(
        "actor: source ", pb::ConsentSource_Name(r.source),
        " is the customer's own change: actor must be the customer (role customer, id customer_id)"));
  if (r.all_channels) {
    if (r.granted)
      return absl::InvalidArgumentError("all_channels: only refuses (global unsubscribe): granted must be false");
    if (r.channel != cv1::CHANNEL_UNSPECIFIED)
      return absl::InvalidArgumentError("channel: must be unset with all_channels");
    return absl::OkStatus();
  }
  if (!Known(r.channel))
    return absl::InvalidArgumentError("channel: required, one of SMS, EMAIL, APP_PUSH, PHONE");
  return absl::OkStatus();
}

ConsentDecision DecideConsent(const Consents& current, const ConsentRequest& r, absl::Time now) {
  ConsentDecision d;
  d.consents = current;
  bool changed = false;
  for (int i = 0; i < cv1::Channel_descriptor()->value_count(); ++i) {
    const auto ch = static_cast<cv1::Channel>(cv1::Channel_descriptor()->value(i)->number());
    if (!Known(ch) || (!r.all_channels && ch != r.channel)) continue;
    bool listed = false;
    const bool was = Granted(d.consents, ch, &listed);
    // A refusal is recorded even for a channel never granted: an explicit "no"
    // also stops transactional messages on it (measure.h ChooseChannel).
    if (listed && was == r.granted) continue;
    Put(d.consents, ch, r.granted);
    changed = true;
  }
  if (!changed) return d;
  pb::ConsentChange c;
  c.set_channel(r.all_channels ? cv1::CHANNEL_UNSPECIFIED : r.channel);
  c.set_all_channels(r.all_channels);
  c.set_granted(r.granted);
  c.set_source(r.source);
  *c.mutable_actor() = r.actor;
  *c.mutable_changed_at() = ToProto(now);
  c.set_cause_id(r.cause_id);
  d.change = std::move(c);
  return d;
}

std::vector<pb::ConsentChange> RegistrationConsent(bool owned, const std::string& customer_id,
                                                   const Consents& given,
                                                   const std::string& event_id, absl::Time at) {
  std::vector<pb::ConsentChange> out;
  if (owned) return out;
  for (const auto& g : given) {
    if (!Known(g.channel())) continue;
    pb::ConsentChange c;
    c.set_channel(g.channel());
    c.set_granted(g.granted());
    c.set_source(pb::CONSENT_SOURCE_REGISTRATION);
    c.mutable_actor()->set_id(customer_id);
    c.mutable_actor()->set_role("customer");
    *c.mutable_changed_at() = ToProto(at);
    c.set_cause_id(event_id);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace revisit::outreach
