// Eventually: the one way a test waits for a condition (issue 14). Polls `pred`
// every `poll` until it holds; the guard is a failure guard, never a timing check,
// so pick it generously. Prints what it waits for and how long it took to stderr
// (the test log), so a slow step is visible without being a failure.
// Thread-safety: reentrant; `pred` runs on the calling thread.
// Errors: DEADLINE_EXCEEDED naming `what` when `pred` still fails after `guard`.
#ifndef REVISIT_TESTS_HARNESS_EVENTUALLY_H_
#define REVISIT_TESTS_HARNESS_EVENTUALLY_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace revisit::testing {

absl::Status Eventually(const std::string& what, const std::function<bool()>& pred,
                        absl::Duration guard = absl::Seconds(60),
                        absl::Duration poll = absl::Milliseconds(100));

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_EVENTUALLY_H_
