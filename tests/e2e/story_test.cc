// End-to-end: the order-to-revisit loop (issue 7) across real processes:
// redis-server, revisit-broker and the four services, with an accelerated clock.
//
// 1. TheLoop: the story runs through the public APIs only; every reaction between
//    services (outreach → complaint on a low rating, complaint → order for the
//    refund, order events → loyalty reversal, complaint resolved → outreach
//    follow-up, follow-up result → complaint, new order → revisit attribution) is
//    done by the services themselves.
// 2. TheLoopSurvivesSigkill: the same story while each service is SIGKILLed once at
//    a random point (seeded; the seed is printed, REVISIT_E2E_SEED replays it) and
//    restarted; at the end no event is missing and no effect doubled.
//
// No timing assertions: waits poll under generous guards. Domain-time facts (the
// feedback request 3 days after delivery, the follow-up within 7 days, the first
// response within its SLA) are checked on the services' own timestamps.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"

namespace revisit::e2e {
namespace {

TEST(StoryTest, TheLoop) {
  absl::Time start = absl::Now();
  auto stack = Stack::Start(StoryStackOptions());
  ASSERT_TRUE(stack.ok()) << stack.status();
  Story story(**stack, "loop");
  absl::Status st = story.RunAll();
  ASSERT_TRUE(st.ok()) << st << "\n" << (*stack)->LogTails();
  story.Verify();
  if (HasFailure()) std::cerr << (*stack)->LogTails();
  std::cerr << "[story] the loop took " << absl::FormatDuration(absl::Now() - start)
            << " wall" << std::endl;
}

uint64_t Seed() {
  const char* env = std::getenv("REVISIT_E2E_SEED");
  uint64_t seed = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &seed)) return seed;
  return std::random_device{}();
}

TEST(StoryTest, TheLoopSurvivesSigkill) {
  absl::Time start = absl::Now();
  const uint64_t seed = Seed();
  std::cerr << "[chaos] seed " << seed << " (replay with REVISIT_E2E_SEED=" << seed << ")"
            << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 rng(seed);
  auto stack = Stack::Start(StoryStackOptions());
  ASSERT_TRUE(stack.ok()) << stack.status();
  Stack& s = **stack;
  Story story(s, "chaos");
  auto steps = story.Steps();
  // Each service dies once: during a random step (after `register`, so the story
  // has a customer), at a random moment of it, and stays down a random while.
  std::map<Svc, size_t> at;
  std::map<Svc, std::pair<int, int>> delays_ms;
  for (Svc svc : kAllServices) {
    at[svc] = std::uniform_int_distribution<size_t>(1, steps.size() - 1)(rng);
    delays_ms[svc] = {std::uniform_int_distribution<int>(0, 300)(rng),
                      std::uniform_int_distribution<int>(0, 1500)(rng)};
    std::cerr << "[chaos] " << SvcName(svc) << " dies " << delays_ms[svc].first
              << " ms into step '" << steps[at[svc]].first << "', down "
              << delays_ms[svc].second << " ms" << std::endl;
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& [name, step] = steps[i];
    std::cerr << "[story] step: " << name << std::endl;
    absl::Status result;
    // The step runs on its own thread; this (long-lived) thread kills and restarts,
    // because a child dies with the thread that started it.
    std::thread runner([&] { result = step(); });
    for (Svc svc : kAllServices) {
      if (at[svc] != i) continue;
      absl::SleepFor(absl::Milliseconds(delays_ms[svc].first));
      std::cerr << "[chaos] SIGKILL revisit-" << SvcName(svc) << std::endl;
      ASSERT_TRUE(s.Kill(svc).ok());
      absl::SleepFor(absl::Milliseconds(delays_ms[svc].second));
      std::cerr << "[chaos] restarting revisit-" << SvcName(svc) << std::endl;
      absl::Status restarted = s.Restart(svc);
      if (!restarted.ok()) {
        runner.join();
        FAIL() << restarted;
      }
      std::cerr << "[chaos] revisit-" << SvcName(svc) << " SERVING again" << std::endl;
    }
    runner.join();
    ASSERT_TRUE(result.ok()) << "step '" << name << "': " << result << "\n" << s.LogTails();
  }
  story.Verify();
  if (HasFailure()) std::cerr << s.LogTails();
  std::cerr << "[chaos] the loop with 4 kills took " << absl::FormatDuration(absl::Now() - start)
            << " wall (seed " << seed << ")" << std::endl;
}

}  // namespace
}  // namespace revisit::e2e
