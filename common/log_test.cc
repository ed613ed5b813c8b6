#include "common/log.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace revisit {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    ASSERT_TRUE(InitLogging("svc", "debug", sink).ok());
  }
  // The sink refers to out_, so put a stderr logger back before out_ dies.
  void TearDown() override { (void)InitLogging("test", "info"); }
  nlohmann::json LastLine() {
    std::string all = out_.str(), line;
    std::istringstream in(all);
    std::string last;
    while (std::getline(in, line)) last = line;
    return nlohmann::json::parse(last);
  }
  std::ostringstream out_;
};

TEST_F(LogTest, LineIsJsonWithFields) {
  ScopedTraceId trace("4bf92f3577b34da6a3ce929d0e0e4736");
  LogInfo("order \"shipped\"\n", {{"order_id", "o-1"}, {"n", 3}, {"ok", true}, {"x", 0.5}});
  nlohmann::json j = LastLine();
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["service"], "svc");
  EXPECT_EQ(j["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(j["msg"], "order \"shipped\"\n");
  EXPECT_EQ(j["order_id"], "o-1");
  EXPECT_EQ(j["n"], 3);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["x"], 0.5);
  EXPECT_EQ(j["ts"].get<std::string>().size(), 24u);  // 2026-01-01T00:00:00.000Z
}

TEST_F(LogTest, PlainSpdlogCallsAreJsonToo) {
  spdlog::warn("plain {}", 1);
  nlohmann::json j = LastLine();
  EXPECT_EQ(j["level"], "warn");
  EXPECT_EQ(j["msg"], "plain 1");
  EXPECT_EQ(j["trace_id"], "");
}

TEST_F(LogTest, LevelFilters) {
  ASSERT_TRUE(InitLogging("svc", "warn", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)).ok());
  LogInfo("hidden");
  EXPECT_EQ(out_.str(), "");
  EXPECT_FALSE(InitLogging("svc", "loud", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)).ok());
}

TEST(TraceTest, NewIdsAreHex) {
  std::string t = NewTraceId();
  EXPECT_EQ(t.size(), 32u);
  EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(t, NewTraceId());
  EXPECT_EQ(NewSpanId().size(), 16u);
}

TEST(TraceTest, ScopedTraceIdNestsAndRestores) {
  EXPECT_EQ(CurrentTraceId(), "");
  {
    ScopedTraceId a("aaaa");
    {
      ScopedTraceId b("bbbb");
      EXPECT_EQ(CurrentTraceId(), "bbbb");
    }
    EXPECT_EQ(CurrentTraceId(), "aaaa");
  }
  EXPECT_EQ(CurrentTraceId(), "");
}

TEST(TraceTest, TraceparentRoundTrip) {
  std::string trace = NewTraceId();
  std::string header = FormatTraceparent(trace);
  EXPECT_EQ(header.size(), 55u);
  EXPECT_EQ(ParseTraceparent(header), trace);
  EXPECT_EQ(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(TraceTest, RejectsInvalidTraceparent) {
  EXPECT_FALSE(ParseTraceparent(""));
  EXPECT_FALSE(ParseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
}

TEST(TraceTest, TraceIdFromMetadata) {
  std::string header = FormatTraceparent("4bf92f3577b34da6a3ce929d0e0e4736");
  std::multimap<grpc::string_ref, grpc::string_ref> md{{"traceparent", header}};
  EXPECT_EQ(TraceIdFromMetadata(md), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_FALSE(TraceIdFromMetadata({}));
}

}  // namespace
}  // namespace revisit
