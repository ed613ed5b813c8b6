#include "tests/harness/retry_call.h"

#include <iostream>

#include "absl/time/clock.h"

namespace revisit::testing {
namespace {

bool Transient(grpc::StatusCode c) {
  return c == grpc::StatusCode::UNAVAILABLE || c == grpc::StatusCode::DEADLINE_EXCEEDED ||
         c == grpc::StatusCode::ABORTED;
}

}  // namespace

grpc::Status RetryCall(const std::string& what, const std::function<grpc::Status()>& call,
                       absl::Duration guard) {
  absl::Time start = absl::Now();
  int attempts = 0;
  while (true) {
    grpc::Status st = call();
    ++attempts;
    if (st.ok() || !Transient(st.error_code()) || absl::Now() - start > guard) {
      if (attempts > 1) {
        std::cerr << "[retry]   " << what << " took " << attempts << " attempts ("
                  << absl::FormatDuration(absl::Now() - start) << ")" << std::endl;
      }
      return st;
    }
    if (attempts == 1) {
      std::cerr << "[retry]   " << what << ": " << st.error_code() << " " << st.error_message()
                << "; retrying with the same request_id" << std::endl;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
}

}  // namespace revisit::testing
