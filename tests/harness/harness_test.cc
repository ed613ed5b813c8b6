// Tests for the test harness itself: processes, temp dirs, Redis and broker fixtures.
#include <gtest/gtest.h>
#include <hiredis.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "tests/harness/kafka_reader.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/temp_dir.h"

namespace revisit::testing {
namespace {

TEST(SubprocessTest, ExitCodeAndLog) {
  auto dir = TempDir::Create();
  ASSERT_TRUE(dir.ok());
  auto p = Subprocess::Start({"sh", {"-c", "echo hello $GREETING; exit 3"},
                              {{"GREETING", "world"}}, (*dir)->File("log")});
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<int> code = (*p)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  EXPECT_EQ((*p)->ReadLog(), "hello world\n");
}

TEST(SubprocessTest, SignalAndKill) {
  auto p = Subprocess::Start({"sleep", {"600"}, {}, ""});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE((*p)->Running());
  EXPECT_EQ((*p)->Wait(absl::Milliseconds(1)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE((*p)->Signal(SIGTERM).ok());
  absl::StatusOr<int> code = (*p)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 128 + SIGTERM);
  EXPECT_FALSE((*p)->Running());
  EXPECT_EQ((*p)->Signal(SIGTERM).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*p)->Kill().ok());
}

TEST(SubprocessTest, MissingBinaryIsNotFound) {
  auto p = Subprocess::Start({"/nonexistent/revisit-binary", {}, {}, ""});
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
}

TEST(TempDirTest, RemovedOnDestruction) {
  std::string path;
  {
    auto dir = TempDir::Create();
    ASSERT_TRUE(dir.ok());
    path = (*dir)->path();
    std::ofstream((*dir)->File("x")) << "data";
    EXPECT_TRUE(std::filesystem::exists((*dir)->File("x")));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(FreePortTest, GivesAPort) {
  absl::StatusOr<int> port = FreePort();
  ASSERT_TRUE(port.ok());
  EXPECT_GT(*port, 0);
}

std::string Command(int port, const char* cmd, const char* arg1 = nullptr,
                    const char* arg2 = nullptr) {
  redisContext* c = redisConnect("127.0.0.1", port);
  if (c == nullptr || c->err) return "connect error";
  redisReply* r = static_cast<redisReply*>(arg2 ? redisCommand(c, "%s %s %s", cmd, arg1, arg2)
                                          : redisCommand(c, "%s %s", cmd, arg1));
  std::string out = (r && r->str) ? std::string(r->str, r->len) : "(nil)";
  if (r) freeReplyObject(r);
  redisFree(c);
  return out;
}

TEST(RedisServerTest, DataSurvivesRestartAndCrash) {
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  int port = (*redis)->port();
  EXPECT_EQ((*redis)->Address(), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(Command(port, "SET", "k", "v1"), "OK");
  ASSERT_TRUE((*redis)->Restart().ok());
  EXPECT_EQ((*redis)->port(), port);
  EXPECT_EQ(Command(port, "GET", "k"), "v1");
  EXPECT_EQ(Command(port, "SET", "k", "v2"), "OK");
  ASSERT_TRUE((*redis)->Kill().ok());
  ASSERT_TRUE((*redis)->Restart().ok());
  EXPECT_EQ(Command(port, "GET", "k"), "v2");
  EXPECT_TRUE((*redis)->Stop().ok());
}

TEST(LocalBrokerTest, RealKafkaGivesEachTestItsOwnNamespaceAndNoAutoCreation) {
  auto broker = LocalBroker::Start({1, "t.a:2,t.b:1"});
  ASSERT_TRUE(broker.ok()) << broker.status();
  ASSERT_FALSE((*broker)->embedded());
  EXPECT_NE((*broker)->Bootstrap().find("127.0.0.1:"), std::string::npos);
  EXPECT_FALSE((*broker)->Namespace().prefix().empty());
  absl::StatusOr<std::vector<RawRecord>> records = ReadAllRaw((*broker)->Bootstrap(), "t.a");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->empty());
  // Real Kafka with auto.create.topics.enable=false: a typo'd topic is an error.
  auto typo = ReadAllRaw((*broker)->Bootstrap(), "t.typo", absl::Seconds(5));
  EXPECT_EQ(typo.status().code(), absl::StatusCode::kNotFound) << typo.status();
  auto second = LocalBroker::Start({1, "t.a:2"});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE((*second)->Namespace().prefix(), (*broker)->Namespace().prefix());
  EXPECT_TRUE((*broker)->Stop().ok());
}

TEST(LocalBrokerTest, EmbeddedBrokerStartsWithTopicsAndStopsCleanly) {
  auto broker = LocalBroker::Start({1, "t.a:2,t.b:1", /*embedded=*/true});
  ASSERT_TRUE(broker.ok()) << broker.status();
  EXPECT_TRUE((*broker)->embedded());
  EXPECT_TRUE((*broker)->Namespace().prefix().empty());
  absl::StatusOr<std::vector<RawRecord>> records = ReadAllRaw((*broker)->Bootstrap(), "t.a");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->empty());
  // Note: the mock cluster auto-creates any topic a metadata request names (4
  // partitions), whatever allow.auto.create.topics says, so a typo'd topic reads empty.
  EXPECT_TRUE((*broker)->Stop().ok());
}

}  // namespace
}  // namespace revisit::testing
