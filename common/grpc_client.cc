#include "common/grpc_client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status.h"

namespace revisit {
namespace {

absl::Mutex default_credentials_mu(absl::kConstInit);
std::shared_ptr<grpc::ChannelCredentials>& DefaultCredentials() {
  static auto* credentials = new std::shared_ptr<grpc::ChannelCredentials>();
  return *credentials;
}

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const ChannelOptions& options) {
  if (options.credentials) return options.credentials;
  absl::MutexLock lock(&default_credentials_mu);
  if (DefaultCredentials()) return DefaultCredentials();
  return grpc::InsecureChannelCredentials();
}

}  // namespace

void SetDefaultChannelCredentials(std::shared_ptr<grpc::ChannelCredentials> credentials) {
  absl::MutexLock lock(&default_credentials_mu);
  DefaultCredentials() = std::move(credentials);
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
              static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_time)));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
              static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_timeout)));
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);  // no cap on idle pings
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  return grpc::CreateCustomChannel(address, CredentialsFor(options), args);
}

absl::Duration BackoffBefore(const CallPolicy& policy, int attempt) {
  absl::Duration d = policy.initial_backoff;
  for (int i = 1; i < attempt && d < policy.max_backoff; ++i) d = d * policy.backoff_multiplier;
  return std::min(d, policy.max_backoff);
}

absl::Status CallWithRetry(const CallPolicy& policy, const std::string& what,
                           const CallAttempt& attempt) {
  thread_local absl::BitGen gen;
  const int max_attempts = std::max(1, policy.max_attempts);
  absl::Status status;
  for (int n = 1; n <= max_attempts; ++n) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + policy.attempt_deadline));
    AttachTrace(&context);
    status = FromGrpcStatus(attempt(&context));
    if (status.ok() || !IsRetryable(status) || n == max_attempts) break;
    double factor = absl::Uniform(gen, 1.0 - policy.jitter, 1.0 + policy.jitter);
    absl::Duration pause = BackoffBefore(policy, n) * std::max(0.0, factor);
    LogWarn("rpc attempt failed; retrying",
            {{"call", what}, {"attempt", n}, {"code", absl::StatusCodeToString(status.code())},
             {"error", status.message()}, {"backoff_ms", absl::ToInt64Milliseconds(pause)}});
    if (policy.sleep) {
      policy.sleep(pause);
    } else {
      absl::SleepFor(pause);
    }
  }
  return status;
}

}  // namespace revisit
