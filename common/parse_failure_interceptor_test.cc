// The refusal of a request gRPC could not parse (common/parse_failure_interceptor.h);
// tests/e2e/bad_input_test.cc sends invalid UTF-8 to every real service.
#include "common/parse_failure_interceptor.h"

#include <gtest/gtest.h>

#include "revisit/order/v1/order.pb.h"

namespace revisit {
namespace {

TEST(ParseFailureTest, FindsTheFieldProtobufComplainsAbout) {
  EXPECT_EQ(InvalidUtf8FieldOf("String field 'revisit.order.v1.Customer.name' contains invalid "
                               "UTF-8 data when parsing a protocol buffer. Use the 'bytes' type "
                               "if you intend to send raw bytes. "),
            "revisit.order.v1.Customer.name");
  // Serialising is not a request's fault; other lines name nothing.
  EXPECT_EQ(InvalidUtf8FieldOf("String field 'a.B.c' contains invalid UTF-8 data when serializing "
                               "a protocol buffer."),
            std::nullopt);
  EXPECT_EQ(InvalidUtf8FieldOf("CHECK failed: (size) >= (0)"), std::nullopt);
  EXPECT_EQ(InvalidUtf8FieldOf("String field '' contains invalid UTF-8 data when parsing"),
            std::nullopt);
}

TEST(ParseFailureTest, NamesTheFieldAndTheRule) {
  grpc::Status st = UnparsableRequestStatus("/revisit.order.v1.OrderService/CreateCustomer",
                                            "revisit.order.v1.Customer.name");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "revisit.order.v1.Customer.name: must be valid UTF-8");
}

TEST(ParseFailureTest, NamesTheRequestTypeWhenNoFieldWasNamed) {
  order::v1::CreateOrderRequest linked;  // the generated pool knows the order protos
  (void)linked;
  grpc::Status st = UnparsableRequestStatus("/revisit.order.v1.OrderService/CreateOrder", "");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "request: not a valid revisit.order.v1.CreateOrderRequest (malformed protobuf)");
  EXPECT_EQ(UnparsableRequestStatus("/no.Such/Method", "").error_message(),
            "request: not a valid message (malformed protobuf)");
}

TEST(ParseFailureTest, CapturesTheFieldOfAFailedParseOnThisThread) {
  InstallProtobufUtf8Capture();
  InstallProtobufUtf8Capture();  // idempotent
  (void)TakeInvalidUtf8Field();
  order::v1::Customer c;
  const std::string wire("\x12\x02\xff\xfe", 4);  // field 2 (name): 2 bytes, not UTF-8
  EXPECT_FALSE(c.ParseFromString(wire));             // proto3 strings must be UTF-8
  EXPECT_EQ(TakeInvalidUtf8Field(), "revisit.order.v1.Customer.name");
  EXPECT_EQ(TakeInvalidUtf8Field(), "");  // taken once
  EXPECT_TRUE(c.ParseFromString(std::string("\x12\x02ok", 4)));
  EXPECT_EQ(TakeInvalidUtf8Field(), "");
}

}  // namespace
}  // namespace revisit
