#include "services/order/domain/validation.h"

#include <gtest/gtest.h>


namespace revisit::order {
namespace {

v1::CreateOrderRequest GoodOrder() {
  v1::CreateOrderRequest r;
  r.set_request_id("req-1");
  r.set_customer_id("cus-00-0000000000000001");
  auto* l = r.add_lines();
  l->set_sku("TEA-1");
  l->set_name("西湖龙井 250g");
  l->set_category("tea");
  l->set_quantity(1);
  l->mutable_unit_price()->set_amount_minor(12800);
  l->mutable_unit_price()->set_currency("CNY");
  auto* a = r.mutable_shipping_address();
  a->set_recipient("张三");
  a->set_phone("13800000000");
  a->set_province("浙江省");
  a->set_city("杭州市");
  a->set_street("西湖区文三路 1 号");
  return r;
}

TEST(OrderValidationTest, AcceptsChineseText) {
  EXPECT_TRUE(ValidateCreateOrder(GoodOrder()).ok());
}

TEST(OrderValidationTest, NamesTheFieldAndTheRule) {
  auto r = GoodOrder();
  r.mutable_lines(0)->set_quantity(0);
  EXPECT_EQ(ValidateCreateOrder(r).message(), "lines[0].quantity: must be 1..10000");
  r = GoodOrder();
  r.mutable_lines(0)->mutable_unit_price()->set_currency("cny");
  EXPECT_EQ(ValidateCreateOrder(r).message(),
            "lines[0].unit_price.currency: must be an ISO 4217 code of three capital letters");
  r = GoodOrder();
  r.clear_shipping_address();
  EXPECT_EQ(ValidateCreateOrder(r).message(), "shipping_address: is required");
  r = GoodOrder();
  r.mutable_lines(0)->set_name(std::string("\xff\xfe"));
  EXPECT_EQ(ValidateCreateOrder(r).message(), "lines[0].name: must be valid UTF-8");
}

TEST(OrderValidationTest, FreeGiftMayBeZeroPricedOthersNot) {
  auto r = GoodOrder();
  r.mutable_lines(0)->mutable_unit_price()->set_amount_minor(0);
  EXPECT_FALSE(ValidateCreateOrder(r).ok());
  r.mutable_lines(0)->set_free_gift(true);
  EXPECT_TRUE(ValidateCreateOrder(r).ok());
}

TEST(OrderValidationTest, CustomerRules) {
  v1::Customer c;
  c.set_name("李四");
  c.set_time_zone("Mars/Olympus");
  EXPECT_EQ(ValidateCustomer(c).message(),
            "customer.time_zone: must be an IANA time zone such as Asia/Shanghai");
  c.set_time_zone("Asia/Shanghai");
  c.mutable_birthday()->set_month(2);
  c.mutable_birthday()->set_day(30);
  EXPECT_EQ(ValidateCustomer(c).message(), "customer.birthday.day: must be 1..29");
  c.mutable_birthday()->set_day(29);
  c.add_emails("not-an-email");
  EXPECT_EQ(ValidateCustomer(c).message(), "customer.emails[0]: must be an address with one '@'");
}


}  // namespace
}  // namespace revisit::order
