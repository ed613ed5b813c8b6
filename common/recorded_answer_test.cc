// Idempotency records carry the request's fingerprint (common/recorded_answer.h).
#include "common/recorded_answer.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit {
namespace {

namespace ov1 = ::revisit::order::v1;

ov1::PayOrderRequest Pay(int64_t amount) {
  ov1::PayOrderRequest r;
  r.set_request_id("pay-1");
  r.set_order_id("ord-01-0000000000000001");
  r.mutable_amount()->set_amount_minor(amount);
  r.mutable_amount()->set_currency("CNY");
  return r;
}

ov1::PayOrderResponse Answer() {
  ov1::PayOrderResponse a;
  a.mutable_order()->set_order_id("ord-01-0000000000000001");
  return a;
}

TEST(RecordedAnswerTest, TheSameRequestGetsTheFirstAnswer) {
  const std::string recorded = RecordAnswer(Pay(100), Answer());
  ov1::PayOrderResponse got;
  ASSERT_TRUE(ReadAnswer("k", recorded, Pay(100), &got).ok());
  EXPECT_EQ(got.order().order_id(), "ord-01-0000000000000001");
}

TEST(RecordedAnswerTest, ADifferentRequestWithTheSameIdIsRefusedNamingRequestId) {
  const std::string recorded = RecordAnswer(Pay(100), Answer());
  ov1::PayOrderResponse got;
  absl::Status st = ReadAnswer("k", recorded, Pay(101), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(st.message(), "request_id: ")) << st;
  EXPECT_TRUE(IsReusedRequestId(st));
  EXPECT_FALSE(IsReusedRequestId(absl::FailedPreconditionError("order is shipped")));
}

TEST(RecordedAnswerTest, ARecordWithoutFingerprintIsReadAsTheResponse) {
  ov1::PayOrderResponse got;
  ASSERT_TRUE(ReadAnswer("k", Answer().SerializeAsString(), Pay(7), &got).ok());
  EXPECT_EQ(got.order().order_id(), "ord-01-0000000000000001");
  ASSERT_TRUE(ReadAnswer("k", "", Pay(7), &got).ok());  // an empty response
}

TEST(RecordedAnswerTest, FingerprintIsStableAndIgnoresMapOrder) {
  EXPECT_EQ(RequestFingerprint(Pay(100)), RequestFingerprint(Pay(100)));
  EXPECT_NE(RequestFingerprint(Pay(100)), RequestFingerprint(Pay(101)));
  ov1::UpdateCustomerRequest a, b;
  (*a.mutable_customer()->mutable_preferences())["x"] = "1";
  (*a.mutable_customer()->mutable_preferences())["y"] = "2";
  (*b.mutable_customer()->mutable_preferences())["y"] = "2";
  (*b.mutable_customer()->mutable_preferences())["x"] = "1";
  EXPECT_EQ(RequestFingerprint(a), RequestFingerprint(b));
}

}  // namespace
}  // namespace revisit
