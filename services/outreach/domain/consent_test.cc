// The consent deciders (consent.h, R6): who may change consent from which source,
// the consent after a change, global unsubscribe, history entries, and registration
// consent that never overwrites a later change.
#include "services/outreach/domain/consent.h"

#include "absl/strings/match.h"
#include "common/proto_time.h"
#include "gtest/gtest.h"

namespace revisit::outreach {
namespace {

namespace cv1 = revisit::common::v1;
namespace pb = revisit::outreach::v1;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
constexpr char kCustomer[] = "cus-07-00000000000000aa";

ConsentRequest ByCustomer(cv1::Channel ch, bool granted) {
  ConsentRequest r;
  r.customer_id = kCustomer;
  r.channel = ch;
  r.granted = granted;
  r.source = pb::CONSENT_SOURCE_CUSTOMER;
  r.actor.set_id(kCustomer);
  r.actor.set_role("customer");
  r.cause_id = "req-1";
  return r;
}

Consents Of(std::vector<std::pair<cv1::Channel, bool>> list) {
  Consents out;
  for (auto [ch, g] : list) {
    auto* c = out.Add();
    c->set_channel(ch);
    c->set_granted(g);
  }
  return out;
}

std::map<cv1::Channel, bool> AsMap(const Consents& c) {
  std::map<cv1::Channel, bool> m;
  for (const auto& x : c) m[x.channel()] = x.granted();
  return m;
}

void ExpectInvalid(const ConsentRequest& r, const std::string& names) {
  absl::Status st = ValidateConsentRequest(r);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), names)) << st << " should name " << names;
}

TEST(ValidateConsentRequestTest, TheCustomerChangesTheirOwnConsent) {
  EXPECT_TRUE(ValidateConsentRequest(ByCustomer(cv1::CHANNEL_SMS, false)).ok());
  ConsentRequest link = ByCustomer(cv1::CHANNEL_EMAIL, false);
  link.source = pb::CONSENT_SOURCE_UNSUBSCRIBE_LINK;
  EXPECT_TRUE(ValidateConsentRequest(link).ok());
  ConsentRequest other = ByCustomer(cv1::CHANNEL_SMS, true);
  other.actor.set_id("cus-07-00000000000000bb");
  ExpectInvalid(other, "actor: source CONSENT_SOURCE_CUSTOMER is the customer's own change");
  ConsentRequest agent_as_customer = ByCustomer(cv1::CHANNEL_SMS, true);
  agent_as_customer.actor.set_role("agent");
  ExpectInvalid(agent_as_customer, "actor: source CONSENT_SOURCE_CUSTOMER");
}

TEST(ValidateConsentRequestTest, AgentSourceNeedsStaff) {
  ConsentRequest r = ByCustomer(cv1::CHANNEL_PHONE, false);
  r.source = pb::CONSENT_SOURCE_AGENT;
  ExpectInvalid(r, "actor: source AGENT needs an agent, supervisor or manager");
  for (const char* role : {"agent", "supervisor", "manager"}) {
    r.actor.set_id("a-17");
    r.actor.set_role(role);
    EXPECT_TRUE(ValidateConsentRequest(r).ok()) << role;
  }
}

TEST(ValidateConsentRequestTest, SourceActorAndChannelRequired) {
  ConsentRequest r = ByCustomer(cv1::CHANNEL_SMS, true);
  r.source = pb::CONSENT_SOURCE_UNSPECIFIED;
  ExpectInvalid(r, "source: must be CUSTOMER, AGENT or UNSUBSCRIBE_LINK");
  r.source = pb::CONSENT_SOURCE_REGISTRATION;  // outreach's own, never a caller's
  ExpectInvalid(r, "source: must be");
  r = ByCustomer(cv1::CHANNEL_SMS, true);
  r.actor.Clear();
  ExpectInvalid(r, "actor: id and role required");
  r = ByCustomer(cv1::CHANNEL_UNSPECIFIED, true);
  ExpectInvalid(r, "channel: required");
  r = ByCustomer(static_cast<cv1::Channel>(99), true);
  ExpectInvalid(r, "channel: required");
}

TEST(ValidateConsentRequestTest, GlobalUnsubscribeOnlyRefuses) {
  ConsentRequest r = ByCustomer(cv1::CHANNEL_UNSPECIFIED, false);
  r.all_channels = true;
  EXPECT_TRUE(ValidateConsentRequest(r).ok());
  r.granted = true;
  ExpectInvalid(r, "all_channels: only refuses");
  r.granted = false;
  r.channel = cv1::CHANNEL_SMS;
  ExpectInvalid(r, "channel: must be unset with all_channels");
}

TEST(DecideConsentTest, OptOutChangesOneChannelAndRecordsWhoWhenWhere) {
  const Consents current = Of({{cv1::CHANNEL_SMS, true}, {cv1::CHANNEL_EMAIL, true}});
  ConsentDecision d = DecideConsent(current, ByCustomer(cv1::CHANNEL_SMS, false), kNow);
  EXPECT_EQ(AsMap(d.consents), (std::map<cv1::Channel, bool>{{cv1::CHANNEL_SMS, false},
                                                              {cv1::CHANNEL_EMAIL, true}}));
  ASSERT_TRUE(d.change.has_value());
  EXPECT_EQ(d.change->channel(), cv1::CHANNEL_SMS);
  EXPECT_FALSE(d.change->granted());
  EXPECT_FALSE(d.change->all_channels());
  EXPECT_EQ(d.change->source(), pb::CONSENT_SOURCE_CUSTOMER);
  EXPECT_EQ(d.change->actor().id(), kCustomer);
  EXPECT_EQ(d.change->actor().role(), "customer");
  EXPECT_EQ(FromProto(d.change->changed_at()), kNow);
  EXPECT_EQ(d.change->cause_id(), "req-1");
}

TEST(DecideConsentTest, GrantOfANewChannelIsAdded) {
  ConsentDecision d = DecideConsent(Consents(), ByCustomer(cv1::CHANNEL_APP_PUSH, true), kNow);
  EXPECT_EQ(AsMap(d.consents), (std::map<cv1::Channel, bool>{{cv1::CHANNEL_APP_PUSH, true}}));
  EXPECT_TRUE(d.change.has_value());
}

TEST(DecideConsentTest, NoChangeIsNotRecorded) {
  const Consents current = Of({{cv1::CHANNEL_SMS, false}});
  ConsentDecision d = DecideConsent(current, ByCustomer(cv1::CHANNEL_SMS, false), kNow);
  EXPECT_FALSE(d.change.has_value());
  EXPECT_EQ(AsMap(d.consents), AsMap(current));
}

TEST(DecideConsentTest, ARefusalOfAChannelNeverListedIsRecorded) {
  // An explicit "no" differs from no answer: it also stops transactional messages.
  ConsentDecision d = DecideConsent(Consents(), ByCustomer(cv1::CHANNEL_PHONE, false), kNow);
  EXPECT_EQ(AsMap(d.consents), (std::map<cv1::Channel, bool>{{cv1::CHANNEL_PHONE, false}}));
  EXPECT_TRUE(d.change.has_value());
}

TEST(DecideConsentTest, GlobalUnsubscribeRefusesEveryChannelInOneEntry) {
  ConsentRequest r = ByCustomer(cv1::CHANNEL_UNSPECIFIED, false);
  r.all_channels = true;
  r.source = pb::CONSENT_SOURCE_UNSUBSCRIBE_LINK;
  ConsentDecision d = DecideConsent(Of({{cv1::CHANNEL_SMS, true}}), r, kNow);
  EXPECT_EQ(AsMap(d.consents),
            (std::map<cv1::Channel, bool>{{cv1::CHANNEL_SMS, false}, {cv1::CHANNEL_EMAIL, false},
                                          {cv1::CHANNEL_APP_PUSH, false}, {cv1::CHANNEL_PHONE, false}}));
  ASSERT_TRUE(d.change.has_value());
  EXPECT_TRUE(d.change->all_channels());
  EXPECT_EQ(d.change->channel(), cv1::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(d.change->source(), pb::CONSENT_SOURCE_UNSUBSCRIBE_LINK);
  // Again: everything already refused, nothing recorded.
  EXPECT_FALSE(DecideConsent(d.consents, r, kNow).change.has_value());
  // A later grant of one channel by the customer re-opens that channel only.
  ConsentDecision back = DecideConsent(d.consents, ByCustomer(cv1::CHANNEL_EMAIL, true), kNow);
  EXPECT_TRUE(AsMap(back.consents)[cv1::CHANNEL_EMAIL]);
  EXPECT_FALSE(AsMap(back.consents)[cv1::CHANNEL_SMS]);
}

TEST(RegistrationConsentTest, OneEntryPerChannelGivenBySourceRegistration) {
  auto changes = RegistrationConsent(false, kCustomer,
                                     Of({{cv1::CHANNEL_SMS, true}, {cv1::CHANNEL_EMAIL, false}}),
                                     "ce-1", kNow);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].channel(), cv1::CHANNEL_SMS);
  EXPECT_TRUE(changes[0].granted());
  EXPECT_EQ(changes[1].channel(), cv1::CHANNEL_EMAIL);
  EXPECT_FALSE(changes[1].granted());
  for (const auto& c : changes) {
    EXPECT_EQ(c.source(), pb::CONSENT_SOURCE_REGISTRATION);
    EXPECT_EQ(c.actor().id(), kCustomer);
    EXPECT_EQ(c.actor().role(), "customer");
    EXPECT_EQ(c.cause_id(), "ce-1");
    EXPECT_EQ(FromProto(c.changed_at()), kNow);
  }
}

TEST(RegistrationConsentTest, NeverOverAConsentOutreachAlreadyOwns) {
  EXPECT_TRUE(RegistrationConsent(true, kCustomer, Of({{cv1::CHANNEL_SMS, true}}), "ce-2", kNow)
                  .empty());
}

}  // namespace
}  // namespace revisit::outreach
