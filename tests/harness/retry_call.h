// RetryCall: one gRPC call repeated while it fails transiently, for tests that call a
// service which may be restarting (a SIGKILL, a rollout, a peer still starting).
//
// Calls `call` until it returns a status that is not transient (UNAVAILABLE,
// DEADLINE_EXCEEDED, ABORTED) or `guard` has passed, and returns that last status.
// The caller keeps its request_id across attempts, so a retry never doubles an
// effect. Prints the first transient failure and the attempt count to stderr (the
// test log); the guard is a failure guard, never a timing check.
// Thread-safety: reentrant; `call` runs on the calling thread.
// Errors: the call's own status (the last one after the guard).
#ifndef REVISIT_TESTS_HARNESS_RETRY_CALL_H_
#define REVISIT_TESTS_HARNESS_RETRY_CALL_H_

#include <grpcpp/support/status.h>

#include <functional>
#include <string>

#include "absl/time/time.h"

namespace revisit::testing {

grpc::Status RetryCall(const std::string& what, const std::function<grpc::Status()>& call,
                       absl::Duration guard = absl::Seconds(60));

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_RETRY_CALL_H_
