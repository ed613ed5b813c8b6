// Message templates (templates.h, messages.h; R10, O1, O3): the shipped file covers
// every touch kind in every locale, start-up refuses a broken file, and the facts
// are rendered in the customer's locale.
#include "services/outreach/domain/templates.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/outreach/domain/messages.h"

namespace revisit::outreach {
namespace {

const std::vector<std::string> kKinds = {"order_thanks", "manual"};

void ExpectRefused(const std::string& text, const std::string& names) {
  auto t = MessageTemplates::Parse(text, kKinds);
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
  EXPECT_TRUE(absl::StrContains(t.status().message(), names)) << t.status() << " should name " << names;
}

constexpr char kGood[] =
    "# comment\n"
    "order_thanks.zh-CN = 感谢购买{products}，共 {amount}\n"
    "order_thanks.en = Thanks for {products}, {amount}\n"
    "manual.zh-CN = {extra}\n"
    "manual.en = {extra}\n";

TEST(MessageTemplatesTest, TheShippedFileCoversEveryKindOfTheRulesTableInEveryLocale) {
  const RulesTable rules = RulesTable::Defaults();
  auto t = MessageTemplates::Default(MessageKinds(rules));
  ASSERT_TRUE(t.ok()) << t.status();
  for (const auto& [trigger, rule] : rules.rules())
    for (const char* locale : kLocales)
      EXPECT_FALSE(t->Render(rule.name, locale, {{"extra", "x"}}).empty()) << rule.name << " " << locale;
}

TEST(MessageTemplatesTest, StartUpRefusesABrokenFileNamingTheLine) {
  EXPECT_TRUE(MessageTemplates::Parse(kGood, kKinds).ok());
  ExpectRefused(std::string(kGood) + "order_thanks.en = again\n", "line 6: second template");
  ExpectRefused(std::string(kGood) + "tier_welcome.en = x\n", "line 6: unknown kind 'tier_welcome'");
  ExpectRefused(std::string(kGood) + "manual.fr = x\n", "unknown locale 'fr'");
  ExpectRefused(std::string(kGood) + "no equals sign\n", "line 6: expected <kind>.<locale> = <text>");
  ExpectRefused("order_thanks.zh-CN = {prodcuts}\n", "line 1: unknown placeholder {prodcuts}");
  ExpectRefused("order_thanks.zh-CN = {products\n", "unclosed");
  ExpectRefused("order_thanks.zh-CN = x\norder_thanks.en = x\nmanual.zh-CN = x\n",
                "no template for kind manual in locale en");
  EXPECT_EQ(MessageTemplates::Load("/nonexistent/messages.conf", kKinds).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(MessageTemplatesTest, RendersTheCustomersLocaleDefaultZhCn) {
  auto t = MessageTemplates::Parse(kGood, kKinds);
  ASSERT_TRUE(t.ok());
  std::map<std::string, std::string> v = {{"products", "茶"}, {"amount", "¥88.00"}};
  EXPECT_EQ(t->Render("order_thanks", "zh-CN", v), "感谢购买茶，共 ¥88.00");
  EXPECT_EQ(t->Render("order_thanks", "", v), "感谢购买茶，共 ¥88.00");
  EXPECT_EQ(t->Render("order_thanks", "fr", v), "感谢购买茶，共 ¥88.00");
  EXPECT_EQ(t->Render("order_thanks", "en", v), "Thanks for 茶, ¥88.00");
  EXPECT_EQ(t->Render("no_such_kind", "en", {{"extra", "hi"}}), "hi");
}

TEST(MessageValuesTest, TheThankYouFactsInChineseAndEnglishO1O3) {
  MessageFacts f;
  f.locale = "zh-CN";
  f.tz = absl::FixedTimeZone(8 * 3600);
  f.products = {"西湖龙井"};
  f.amount_minor = 17600;
  f.currency = "CNY";
  f.quantity = 2;
  f.payment_method = "WECHAT_PAY";
  f.ship_by = absl::FromCivil(absl::CivilSecond(2026, 12, 3, 18, 0, 0), f.tz);
  auto v = MessageValues(f);
  EXPECT_EQ(v["amount"], "¥176.00");
  EXPECT_EQ(v["quantity"], "2");
  EXPECT_EQ(v["payment_method"], "微信支付");
  EXPECT_EQ(v["ship_by"], "12月3日");
  f.locale = "en";
  v = MessageValues(f);
  EXPECT_EQ(v["amount"], "CNY 176.00");
  EXPECT_EQ(v["payment_method"], "WeChat Pay");
  EXPECT_EQ(v["ship_by"], "3 December");
  f.ship_by.reset();
  EXPECT_EQ(MessageValues(f)["ship_by"], "soon");
}

TEST(MessageValuesTest, PreviousProductsAreWhatWasBoughtBeforeR10) {
  MessageFacts f;
  f.locale = "en";
  f.products = {"Tea set"};
  f.previous_products = {"Silk scarf"};
  EXPECT_EQ(MessageValues(f)["previous_products"], "Silk scarf");
  f.previous_products.clear();
  EXPECT_EQ(MessageValues(f)["previous_products"], "Tea set");
}

}  // namespace
}  // namespace revisit::outreach
