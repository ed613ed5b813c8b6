// Service-to-service gRPC calls: channels with keepalive and bounded, jittered
// retries of idempotent calls.
//
// A call that must happen now and whose answer matters (complaint → order refund,
// outreach → complaint) goes through CallWithRetry: every attempt gets a fresh
// grpc::ClientContext with its own deadline and the current trace attached, and
// only retryable codes (revisit::IsRetryable: UNAVAILABLE, DEADLINE_EXCEEDED,
// RESOURCE_EXHAUSTED, ABORTED) are retried, with exponential backoff and jitter.
// Retrying is only safe because the caller puts an idempotency key (request_id)
// in the request, so the server answers a repeat with the first answer: the
// request object must be the same on every attempt.
//
//   OrderRefundResponse resp;
//   absl::Status s = CallWithRetry(policy, "order.RefundOrder",
//       [&](grpc::ClientContext* ctx) { return stub->RefundOrder(ctx, req, &resp); });
//
// Thread-safety: all functions are thread-safe; a CallPolicy is a plain value.
// Errors: CallWithRetry returns the last attempt's status mapped to absl::Status.
#ifndef REVISIT_COMMON_GRPC_CLIENT_H_
#define REVISIT_COMMON_GRPC_CLIENT_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace revisit {

// Channel settings; the defaults suit calls inside one cluster.
struct ChannelOptions {
  absl::Duration keepalive_time = absl::Seconds(30);     // ping an idle connection
  absl::Duration keepalive_timeout = absl::Seconds(10);  // drop it if no ack
  int max_message_bytes = 4 * 1024 * 1024;
  // Null = the process's default (SetDefaultChannelCredentials).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

// Sets the credentials MakeChannel uses when ChannelOptions.credentials is null:
// the process's mTLS client certificate (TlsConfig::ChannelCredentials), set once
// at start-up by ServiceRuntime or a tool's main(). Until set: plaintext.
void SetDefaultChannelCredentials(std::shared_ptr<grpc::ChannelCredentials> credentials);

// A channel to `address` ("host:port", "dns:///svc:50051") with the credentials
// above, keepalive (also without calls in flight, which ServiceHost permits) and
// gRPC's own transparent retries left on. Never fails: connection and handshake
// errors surface as UNAVAILABLE on calls.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelOptions& options = {});

// How one logical call is attempted.
struct CallPolicy {
  absl::Duration attempt_deadline = absl::Seconds(2);  // per attempt
  int max_attempts = 3;                                // >= 1, including the first
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  double backoff_multiplier = 2.0;
  double jitter = 0.2;  // backoff is scaled by a uniform factor in [1-jitter, 1+jitter]
  // Waits between attempts; tests inject a fake. Null means absl::SleepFor.
  std::function<void(absl::Duration)> sleep;
};

// One attempt: issue the RPC on `context` (already carrying deadline and trace).
using CallAttempt = std::function<grpc::Status(grpc::ClientContext* context)>;

// The pause before attempt `attempt` + 1 (attempt counts from 1), before jitter.
absl::Duration BackoffBefore(const CallPolicy& policy, int attempt);

// Runs `attempt` until it succeeds, fails with a non-retryable code, or
// policy.max_attempts attempts were made. `what` names the call in logs.
absl::Status CallWithRetry(const CallPolicy& policy, const std::string& what,
                           const CallAttempt& attempt);

}  // namespace revisit

#endif  // REVISIT_COMMON_GRPC_CLIENT_H_
