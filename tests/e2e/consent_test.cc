// End-to-end: consent has one owner, outreach (R6; services/outreach/domain/consent.h).
// Real processes: redis-server, Kafka and the four services.
//
// A customer registers with e-mail and SMS granted; outreach records the registration
// consent as history. The customer opts out of e-mail (source CUSTOMER). Then the
// archive is updated once per updatable field of Customer (enumerated from the
// descriptor, so a new field must be added here), each request also carrying
// "every channel granted" in its body, and UpdateCustomer with `consents` in the mask
// is refused. An order paid afterwards is the barrier (the customer's events are in
// order on one partition): its thank-you, transactional, goes out on SMS because
// e-mail, the rule's first channel, is still refused, and the consent and its history
// are unchanged. A global unsubscribe (source UNSUBSCRIBE_LINK) then refuses every
// channel: the next thank-you is suppressed.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "tests/harness/seed.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"
#include "tests/harness/shared_stack.h"

namespace revisit::e2e {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace uv1 = ::revisit::outreach::v1;
namespace cv1 = ::revisit::common::v1;

class ConsentTest : public testing::SharedStack<ConsentTest> {
 public:
  static StackOptions SuiteOptions() { return StoryStackOptions(); }

 protected:
  template <typename Req, typename Resp>
  grpc::Status Call(const std::string& what, const Req& req, Resp* resp,
                    grpc::Status (ov1::OrderService::Stub::*m)(grpc::ClientContext*, const Req&, Resp*)) {
    return RetryCall(what, [&] {
      auto ctx = Ctx();
      return (stack().order().*m)(ctx.get(), req, resp);
    });
  }

  uv1::ListConsentHistoryResponse History(const std::string& customer) {
    uv1::ListConsentHistoryRequest req;
    req.set_customer_id(customer);
    uv1::ListConsentHistoryResponse resp;
    // NOT_FOUND until outreach projected the registration.
    absl::Status st = Eventually("outreach knows " + customer, [&] {
      resp.Clear();
      auto ctx = Ctx();
      return stack().outreach().ListConsentHistory(ctx.get(), req, &resp).ok();
    });
    EXPECT_TRUE(st.ok()) << st;
    return resp;
  }

  std::map<cv1::Channel, bool> ConsentMap(const uv1::ListConsentHistoryResponse& r) {
    std::map<cv1::Channel, bool> m;
    for (const auto& c : r.consents()) m[c.channel()] = c.granted();
    return m;
  }

  void SetConsent(const std::string& rid, const std::string& customer, cv1::Channel ch,
                  bool all, uv1::ConsentSource source) {
    uv1::SetConsentRequest req;
    req.set_request_id(rid);
    req.set_customer_id(customer);
    req.set_channel(ch);
    req.set_all_channels(all);
    req.set_granted(false);
    req.set_source(source);
    req.mutable_actor()->set_id(customer);  // the shop's front end relays the customer
    req.mutable_actor()->set_role("customer");
    uv1::SetConsentResponse resp;
    grpc::Status st = RetryCall("SetConsent", [&] {
      auto ctx = Ctx();
      return stack().outreach().SetConsent(ctx.get(), req, &resp);
    });
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // Places and pays an order; returns its ID.
  std::string PaidOrder(const std::string& tag, const std::string& customer) {
    testing::OrderSeed seed(tag);
    seed.lines = {{"TEA-1", "西湖龙井", "茶叶", 1, 8800}};
    seed.recipient = "李雷";
    seed.phone = "13800138000";
    seed.street = "龙井路 1号";
    seed.payment_reference = "alipay-" + tag;
    auto order = testing::SeedPaidOrder(stack(), customer, seed);
    EXPECT_TRUE(order.ok()) << order.status();
    return order.ok() ? order->order_id() : std::string();
  }

  // The thank-you touch of `order_id` once outreach decided it (sent or suppressed).
  uv1::Touch DecidedThanks(const std::string& customer, const std::string& order_id) {
    uv1::Touch found;
    absl::Status st = Eventually("thank-you for " + order_id + " decided", [&] {
      uv1::ListTouchesRequest req;
      req.set_customer_id(customer);
      uv1::ListTouchesResponse resp;
      auto ctx = Ctx();
      if (!stack().outreach().ListTouches(ctx.get(), req, &resp).ok()) return false;
      for (const auto& t : resp.touches()) {
        if (t.trigger() != uv1::TRIGGER_ORDER_THANKS || t.source_id() != order_id) continue;
        if (t.state() != uv1::TOUCH_STATE_SENT && t.state() != uv1::TOUCH_STATE_SUPPRESSED)
          return false;
        found = t;
        return true;
      }
      return false;
    });
    EXPECT_TRUE(st.ok()) << st;
    return found;
  }

};

// A new value for each updatable field of the archive; `consents` is the one field
// UpdateCustomer refuses (R6) and referrer_id is set only at registration (L6).
std::map<std::string, std::function<void(ov1::Customer&)>> Updates() {
  return {
      {"name", [](ov1::Customer& c) { c.set_name("李雷雷"); }},
      {"phones", [](ov1::Customer& c) { c.add_phones("13900139000"); }},
      {"emails", [](ov1::Customer& c) { c.add_emails("lilei@example.cn"); }},
      {"addresses", [](ov1::Customer& c) {
         auto* a = c.add_addresses();
         a->set_recipient("李雷");
         a->set_phone("13900139000");
         a->set_province("江苏省");
         a->set_city("南京市");
         a->set_district("鼓楼区");
         a->set_street("中山路 2号");
       }},
      {"birthday", [](ov1::Customer& c) {
         c.mutable_birthday()->set_month(5);
         c.mutable_birthday()->set_day(20);
       }},
      {"time_zone", [](ov1::Customer& c) { c.set_time_zone("Asia/Urumqi"); }},
      {"preferences", [](ov1::Customer& c) { (*c.mutable_preferences())["tea"] = "green"; }},
      {"occupation", [](ov1::Customer& c) { c.set_occupation("教师"); }},
      {"age", [](ov1::Customer& c) { c.set_age(35); }},
      {"gender", [](ov1::Customer& c) { c.set_gender(ov1::GENDER_MALE); }},
      {"locale", [](ov1::Customer& c) { c.set_locale("en"); }},
  };
}

TEST_F(ConsentTest, AnOptOutSurvivesUpdateCustomerOfEveryOtherFieldR6) {
  ov1::CreateCustomerRequest cc;
  cc.set_request_id("consent-customer");
  cc.mutable_customer()->set_name("李雷");
  cc.mutable_customer()->add_phones("13800138000");
  cc.mutable_customer()->add_emails("li@example.cn");
  for (auto ch : {cv1::CHANNEL_EMAIL, cv1::CHANNEL_SMS}) {
    auto* g = cc.mutable_customer()->add_consents();
    g->set_channel(ch);
    g->set_granted(true);
  }
  ov1::CreateCustomerResponse cr;
  ASSERT_TRUE(Call("CreateCustomer", cc, &cr, &ov1::OrderService::Stub::CreateCustomer).ok());
  const std::string customer = cr.customer().customer_id();

  // Outreach records the registration consent (source REGISTRATION).
  uv1::ListConsentHistoryResponse h = History(customer);
  ASSERT_EQ(h.changes_size(), 2) << h.DebugString();
  for (const auto& c : h.changes()) {
    EXPECT_EQ(c.source(), uv1::CONSENT_SOURCE_REGISTRATION);
    EXPECT_EQ(c.actor().id(), customer);
  }

  SetConsent("opt-out-email", customer, cv1::CHANNEL_EMAIL, false, uv1::CONSENT_SOURCE_CUSTOMER);

  // Every other field, one update each; every body claims every channel granted.
  const auto updates = Updates();
  const auto* desc = ov1::Customer::descriptor();
  const std::set<std::string> fixed = {"customer_id", "referrer_id", "registered_at",
                                       "updated_at", "consents"};
  int n = 0;
  for (int i = 0; i < desc->field_count(); ++i) {
    const std::string name = desc->field(i)->name();
    if (fixed.count(name)) continue;
    ASSERT_EQ(updates.count(name), 1u) << "no update for Customer." << name << ": add one";
    ov1::UpdateCustomerRequest up;
    up.set_request_id("update-" + name);
    up.mutable_customer()->set_customer_id(customer);
    updates.at(name)(*up.mutable_customer());
    for (auto ch : {cv1::CHANNEL_EMAIL, cv1::CHANNEL_SMS, cv1::CHANNEL_APP_PUSH}) {
      auto* g = up.mutable_customer()->add_consents();
      g->set_channel(ch);
      g->set_granted(true);
    }
    up.mutable_update_mask()->add_paths(name);
    ov1::UpdateCustomerResponse ur;
    grpc::Status st = Call("UpdateCustomer " + name, up, &ur, &ov1::OrderService::Stub::UpdateCustomer);
    ASSERT_TRUE(st.ok()) << name << ": " << st.error_message();
    ++n;
  }
  EXPECT_EQ(n, 11);
  ov1::UpdateCustomerRequest grant;
  grant.set_request_id("update-consents");
  grant.mutable_customer()->set_customer_id(customer);
  grant.mutable_customer()->add_consents()->set_channel(cv1::CHANNEL_EMAIL);
  grant.mutable_customer()->mutable_consents(0)->set_granted(true);
  grant.mutable_update_mask()->add_paths("consents");
  ov1::UpdateCustomerResponse ur;
  grpc::Status refused = Call("UpdateCustomer consents", grant, &ur, &ov1::OrderService::Stub::UpdateCustomer);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("consents are owned by outreach"), std::string::npos)
      << refused.error_message();

  // The barrier: the paid order's events follow the updates on the customer's partition.
  const std::string first = PaidOrder("c1", customer);
  uv1::Touch thanks = DecidedThanks(customer, first);
  EXPECT_EQ(thanks.state(), uv1::TOUCH_STATE_SENT) << thanks.DebugString();
  EXPECT_EQ(thanks.channel(), cv1::CHANNEL_SMS) << "e-mail, the first channel of the thank-you, "
                                                   "is still refused: " << thanks.DebugString();
  h = History(customer);
  EXPECT_EQ(ConsentMap(h), (std::map<cv1::Channel, bool>{{cv1::CHANNEL_EMAIL, false},
                                                          {cv1::CHANNEL_SMS, true}}));
  ASSERT_EQ(h.changes_size(), 3) << "no update wrote consent: " << h.DebugString();
  EXPECT_EQ(h.changes(2).source(), uv1::CONSENT_SOURCE_CUSTOMER);
  EXPECT_EQ(h.changes(2).channel(), cv1::CHANNEL_EMAIL);
  EXPECT_FALSE(h.changes(2).granted());
  EXPECT_EQ(h.changes(2).cause_id(), "opt-out-email");
  EXPECT_TRUE(h.changes(2).has_changed_at());

  // Global unsubscribe: nothing goes out any more, the thank-you included.
  SetConsent("unsubscribe-all", customer, cv1::CHANNEL_UNSPECIFIED, true,
             uv1::CONSENT_SOURCE_UNSUBSCRIBE_LINK);
  const std::string second = PaidOrder("c2", customer);
  thanks = DecidedThanks(customer, second);
  EXPECT_EQ(thanks.state(), uv1::TOUCH_STATE_SUPPRESSED) << thanks.DebugString();
  h = History(customer);
  for (const auto& [ch, granted] : ConsentMap(h)) EXPECT_FALSE(granted) << ch;
  EXPECT_EQ(ConsentMap(h).size(), 4u);
  ASSERT_EQ(h.changes_size(), 4);
  EXPECT_TRUE(h.changes(3).all_channels());
  EXPECT_EQ(h.changes(3).source(), uv1::CONSENT_SOURCE_UNSUBSCRIBE_LINK);
}

}  // namespace
}  // namespace revisit::e2e
