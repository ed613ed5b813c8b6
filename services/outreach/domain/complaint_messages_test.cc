// The complaint steps the customer hears (C3, C7, C8, C6/C15, C12, C9) rendered from
// the operator's templates (R10, messages.conf compiled in) in both locales, filled
// with the step's real facts; the customer's locale decides, zh-CN by default.
#include <string>

#include "gtest/gtest.h"
#include "services/outreach/domain/messages.h"
#include "services/outreach/domain/rules.h"

namespace revisit::outreach {
namespace {

namespace pb = revisit::outreach::v1;
namespace cpb = revisit::complaint::v1;

cpb::Remedy Remedy(cpb::RemedyKind kind, int64_t minor = 0, int64_t points = 0) {
  cpb::Remedy r;
  r.set_kind(kind);
  r.mutable_amount()->set_amount_minor(minor);
  r.mutable_amount()->set_currency("CNY");
  r.set_points(points);
  return r;
}

class ComplaintMessagesTest : public ::testing::Test {
 protected:
  ComplaintMessagesTest() : templates_(BuiltInTemplates(RulesTable::Defaults())) {
    facts_.complaint_id = "cmp-1";
    facts_.order_id = "ord-1";
    facts_.products = {"丝巾"};
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &facts_.tz));
  }
  std::string Zh(pb::Trigger t) { return In("", t); }  // no locale: zh-CN
  std::string En(pb::Trigger t) { return In("en", t); }
  std::string In(const std::string& locale, pb::Trigger t) {
    facts_.locale = locale;
    return ComposeComplaintStep(templates_, t, facts_);
  }
  MessageTemplates templates_;
  MessageFacts facts_;
};

TEST_F(ComplaintMessagesTest, EveryStepKindHasATemplateInEveryLocale) {
  ASSERT_TRUE(MessageTemplates::Default(MessageKinds(RulesTable::Defaults())).ok());
  for (const std::string& kind : ComplaintStepKinds())
    for (const char* locale : kLocales) {
      facts_.locale = locale;
      EXPECT_NE(ComposeMessage(templates_, kind, facts_), ComposeMessage(templates_, "manual", facts_))
          << kind << " " << locale;
    }
}

TEST_F(ComplaintMessagesTest, TemplatesMissingAStepKindAreRefusedAtStartUp) {
  auto refused = MessageTemplates::Parse("order_thanks.zh-CN = x\n", MessageKinds(RulesTable::Defaults()));
  EXPECT_FALSE(refused.ok());
  std::string only_ack;
  for (const std::string& kind : MessageKinds(RulesTable::Defaults()))
    if (kind != "complaint_ruling")
      for (const char* locale : kLocales) only_ack += kind + "." + locale + " = x\n";
  auto missing = MessageTemplates::Parse(only_ack, MessageKinds(RulesTable::Defaults()));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("complaint_ruling"), std::string::npos) << missing.status();
}

TEST_F(ComplaintMessagesTest, AcknowledgementWithTheApologyC3) {
  facts_.extra = "让您久等了";
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_ACKNOWLEDGED),
            "我们已收到您关于丝巾的投诉（cmp-1），非常抱歉。让您久等了。我们正在处理，每一步都会及时告知您。");
  facts_.extra = "sorry for the wait";
  facts_.order_id.clear();  // about the service itself (R11)
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_ACKNOWLEDGED),
            "We have your complaint cmp-1 about our service and we are sorry. sorry for the wait. "
            "We are on it now and will keep you informed at every step.");
  facts_.extra.clear();  // no apology text: no double space
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_ACKNOWLEDGED),
            "We have your complaint cmp-1 about our service and we are sorry. "
            "We are on it now and will keep you informed at every step.");
  EXPECT_NE(Zh(pb::TRIGGER_COMPLAINT_ACKNOWLEDGED).find("关于我们的服务的投诉"), std::string::npos);
}

TEST_F(ComplaintMessagesTest, UpdatePostedAndPromisedInTheCustomersZoneC7) {
  facts_.extra = "厂家已确认质量问题";
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_UPDATE), "关于您的投诉（cmp-1，丝巾）的最新进展：厂家已确认质量问题。");
  facts_.extra = "the factory answers by Friday.";
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_UPDATE),
            "An update on your complaint cmp-1 about 丝巾: the factory answers by Friday.");
  facts_.extra.clear();
  // 10:00 UTC on Friday 2026-09-18 is 18:00 in Shanghai.
  facts_.due_at = absl::FromCivil(absl::CivilMinute(2026, 9, 18, 10, 0), absl::UTCTimeZone());
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_UPDATE),
            "关于您的投诉（cmp-1）：我们将在 周五 9月18日 18:00 前答复您。届时无论进展如何，我们都会告知您。");
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_UPDATE),
            "About your complaint cmp-1: we will get back to you by Fri 18 Sep 18:00. "
            "You will hear from us then, whatever the progress.");
}

TEST_F(ComplaintMessagesTest, RepairProgressC9) {
  EXPECT_FALSE(TellsFulfilmentStage(cpb::FULFILMENT_STAGE_RETURNED));  // told as done
  EXPECT_FALSE(TellsFulfilmentStage(cpb::FULFILMENT_STAGE_SHIPPED));
  facts_.stage = cpb::FULFILMENT_STAGE_ITEM_RECEIVED;
  ASSERT_TRUE(TellsFulfilmentStage(facts_.stage));
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_UPDATE), "关于您的投诉（cmp-1）：我们已收到您送修的丝巾。");
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_UPDATE), "About your complaint cmp-1: we have received 丝巾 for repair.");
  facts_.stage = cpb::FULFILMENT_STAGE_REPAIRED;
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_UPDATE), "关于您的投诉（cmp-1）：丝巾已修好，很快寄回给您。");
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_UPDATE),
            "About your complaint cmp-1: 丝巾 is repaired and goes back to you shortly.");
}

TEST_F(ComplaintMessagesTest, RefusalWithTheReasonC8) {
  facts_.extra = "超出了我们能提供的范围";
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_REFUSED),
            "我们仔细查看了您的投诉（cmp-1），很抱歉无法同意您的请求：超出了我们能提供的范围。"
            "如需补充，请直接回复，我们会再次查看。");
  facts_.extra = "ten times the price is beyond what we can offer";
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_REFUSED),
            "We looked carefully at your complaint cmp-1. We are sorry that we cannot agree to the request: "
            "ten times the price is beyond what we can offer. If there is anything you would like to add, "
            "reply and we will look again.");
}

TEST_F(ComplaintMessagesTest, RemedyChoicesC6AndNotAsDescribedC15) {
  facts_.choices = {Remedy(cpb::REMEDY_KIND_PARTIAL_REFUND, 5000), Remedy(cpb::REMEDY_KIND_EXCHANGE)};
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_REMEDIES),
            "关于丝巾非常抱歉。针对您的投诉（cmp-1），请选择最适合您的方案：退款¥50.00；换新。");
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_REMEDIES),
            "We are sorry about 丝巾. For your complaint cmp-1 please choose what suits you best: "
            "a refund of CNY 50.00; an exchange for a new one.");
  facts_.not_as_described = true;
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_REMEDIES),
            "很抱歉丝巾与描述不符。针对您的投诉（cmp-1），请选择最适合您的方案：退款¥50.00；换新。");
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_REMEDIES).rfind("We are sorry that 丝巾 was not as described. ", 0), 0u);
  facts_.choices.clear();
  EXPECT_NE(Zh(pb::TRIGGER_COMPLAINT_REMEDIES).find("详见您的订单页面"), std::string::npos);
}

TEST_F(ComplaintMessagesTest, RulingWithTheRemedyOrderedC12) {
  facts_.extra = "商家退款30元";
  facts_.remedy = Remedy(cpb::REMEDY_KIND_PARTIAL_REFUND, 3000);
  EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_RULING),
            "平台已就您的投诉（cmp-1）作出裁定：商家退款30元。我们正在为您办理退款¥30.00。");
  facts_.extra = "refund 30 yuan";
  EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_RULING),
            "The platform has ruled on your complaint cmp-1: refund 30 yuan. We are carrying out a refund of "
            "CNY 30.00 now.");
}

TEST_F(ComplaintMessagesTest, RemedyDoneSaysWhatDoneMeansC9) {
  const struct {
    cpb::Remedy remedy;
    const char* zh;
    const char* en;
  } cases[] = {
      {Remedy(cpb::REMEDY_KIND_FULL_REFUND), "已完成：您的投诉（cmp-1）的全额退款已退回原支付账户。感谢您的耐心。",
       "Done: for your complaint cmp-1, your refund (a full refund) has been sent. Thank you for your patience."},
      {Remedy(cpb::REMEDY_KIND_PARTIAL_REFUND, 3000), "已完成：您的投诉（cmp-1）的退款¥30.00已退回原支付账户。感谢您的耐心。",
       "Done: for your complaint cmp-1, your refund (a refund of CNY 30.00) has been sent. Thank you for your patience."},
      {Remedy(cpb::REMEDY_KIND_EXCHANGE), "已完成：您的投诉（cmp-1）的换新商品已下单，将立即发出。感谢您的耐心。",
       "Done: for your complaint cmp-1, your replacement is ordered and ships at once. Thank you for your patience."},
      {Remedy(cpb::REMEDY_KIND_REPAIR), "已完成：您的投诉（cmp-1）的维修商品已寄回，正在路上。感谢您的耐心。",
       "Done: for your complaint cmp-1, your repaired item is on its way back to you. Thank you for your patience."},
      {Remedy(cpb::REMEDY_KIND_VOUCHER, 2000), "已完成：您的投诉（cmp-1）的¥20.00优惠券已存入您的账户。感谢您的耐心。",
       "Done: for your complaint cmp-1, a CNY 20.00 voucher has been added to your account. Thank you for your patience."},
      {Remedy(cpb::REMEDY_KIND_POINTS, 0, 200), "已完成：您的投诉（cmp-1）的200积分已存入您的账户。感谢您的耐心。",
       "Done: for your complaint cmp-1, 200 points has been added to your account. Thank you for your patience."},
      {Remedy(cpb::REMEDY_KIND_GIFT), "已完成：您的投诉（cmp-1）的礼物已寄出，正在路上。感谢您的耐心。",
       "Done: for your complaint cmp-1, your gift is on its way. Thank you for your patience."},
      {Remedy(cpb::REMEDY_KIND_APOLOGY), "已完成：您的投诉（cmp-1）的我们诚挚的歉意已办理完毕。感谢您的耐心。",
       "Done: for your complaint cmp-1, our sincere apology is done. Thank you for your patience."},
  };
  for (const auto& c : cases) {
    facts_.remedy = c.remedy;
    EXPECT_EQ(Zh(pb::TRIGGER_COMPLAINT_REMEDY_DONE), c.zh) << c.remedy.kind();
    EXPECT_EQ(En(pb::TRIGGER_COMPLAINT_REMEDY_DONE), c.en) << c.remedy.kind();
  }
}

TEST_F(ComplaintMessagesTest, AnUnsupportedLocaleReadsChinese) {
  facts_.extra = "x";
  EXPECT_EQ(In("fr", pb::TRIGGER_COMPLAINT_UPDATE), Zh(pb::TRIGGER_COMPLAINT_UPDATE));
}

}  // namespace
}  // namespace revisit::outreach
