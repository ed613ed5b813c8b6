// Story: the order-to-revisit loop of issue 7, driven through the public gRPC APIs
// of a running Stack, step by step.
//
// register → order → pay → ship (care tips) → deliver → complete → feedback request
// after 3 simulated days → rating 1 → complaint opened by outreach (R11) →
// acknowledged within the first-response SLA (C1) → investigated, cause determined
// (C4) → partial refund proposed, accepted, executed by complaint → order (C9) →
// points reversed by loyalty (L4) → follow-up within 7 simulated days (C10) →
// satisfaction 2 reopens the complaint → acknowledged, investigated, an apology
// accepted and resolved again → a second follow-up touch for that resolution within
// 7 days (C10/R8) → satisfaction 5 recorded → complaint closed by it → the customer
// orders again → the revisit is attributed to a touch (R12).
//
// Every step retries a failed call with the same request_id (so a retry never
// doubles an effect) while a service is unavailable, and every wait polls a
// condition under a generous guard: no step asserts how long anything takes.
// Steps() lists the steps so a test can run them one by one (and kill processes in
// between); Verify() checks the end state and the event streams.
// Thread-safety: one Story is used by one thread at a time.
#ifndef REVISIT_TESTS_E2E_STORY_H_
#define REVISIT_TESTS_E2E_STORY_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "tests/harness/eventually.h"
#include "tests/harness/retry_call.h"
#include "tests/harness/stack.h"

namespace revisit::e2e {

// The harness names every e2e suite uses (tests/harness/stack.h, retry_call.h).
using ::revisit::testing::Ctx;
using ::revisit::testing::kAllServices;
using ::revisit::testing::RetryCall;
using ::revisit::testing::Stack;
using ::revisit::testing::StackOptions;
using ::revisit::testing::Svc;
using ::revisit::testing::SvcName;

class Story {
 public:
  using Step = std::pair<std::string, std::function<absl::Status()>>;
  Story(Stack& stack, std::string tag) : stack_(stack), tag_(std::move(tag)) {}

  std::vector<Step> Steps();
  // Runs every step in order; stops at the first failure.
  absl::Status RunAll();
  // End state: every effect exactly once (refund, ledger, touches, complaint), the
  // expected CloudEvents types present, no gap in any aggregate's ce_sequence.
  // Reports failures through gtest.
  void Verify();

  const std::string& customer_id() const { return customer_id_; }

 private:
  absl::Status Register();
  absl::Status PlaceOrder();
  absl::Status Pay();
  absl::Status Ship();
  absl::Status Deliver();
  absl::Status Complete();
  absl::Status AwaitFeedbackRequest();
  absl::Status RateOne();
  absl::Status AwaitComplaint();
  absl::Status Acknowledge();
  absl::Status Investigate();
  absl::Status ProposeAndAccept();
  absl::Status Resolve();
  absl::Status AwaitRefundAndReversal();
  absl::Status AwaitFollowUp();
  absl::Status RateFollowUpLow();
  absl::Status ResolveAgain();
  absl::Status AwaitSecondFollowUp();
  absl::Status RecordSatisfaction();
  absl::Status OrderAgain();
  absl::Status AwaitRevisit();

  Stack& stack_;
  std::string tag_;
  std::string customer_id_, order_id_, feedback_touch_id_, complaint_id_, remedy_id_;
  std::string follow_up_touch_id_, second_order_id_;
  int64_t order_total_minor_ = 0;
};

// The stack a Story runs on: domain time 20,000 x wall time (3 days in ~13 s), quiet
// hours off so every run takes the same path, idempotency and inbox records kept
// for the whole accelerated run. Chaos suites start from it too.
StackOptions StoryStackOptions();

// The one wait helper (tests/harness/eventually.h).
using ::revisit::testing::Eventually;

// Several stories run at once (the load of the chaos suites) and their outcome.
struct StoryRun {
  std::vector<std::unique_ptr<Story>> stories;  // tagged "<tag>0", "<tag>1", ...
  std::vector<absl::Status> results;           // RunAll() of each
  // Every story finished and its Verify() holds (reports through gtest; the stack's
  // log tails with a failed story). False when a story did not finish (the caller
  // stops: there is nothing to check after it).
  bool ExpectAllVerified(Stack& stack);
};

// Runs `count` stories, each on its own thread and started `stagger` after the one
// before (so faults meet every step), while `schedule` (the fault schedule) runs on
// the calling thread: processes die with the thread that started them, so the
// schedule must run on the test's main thread. Returns once every story ended.
StoryRun RunStoriesConcurrently(Stack& stack, const std::string& tag, int count,
                                absl::Duration stagger, const std::function<void()>& schedule);

}  // namespace revisit::e2e

#endif  // REVISIT_TESTS_E2E_STORY_H_
