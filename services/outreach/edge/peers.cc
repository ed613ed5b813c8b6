#include "services/outreach/edge/peers.h"

#include "absl/strings/str_cat.h"

namespace revisit::outreach {

CallPolicy PeerCallPolicy(const OutreachConfig& config) {
  CallPolicy p;
  p.attempt_deadline = config.call_deadline;
  p.max_attempts = 3;
  return p;
}

absl::Status PeerNotConfigured(const char* what, const char* var) {
  return absl::UnavailableError(absl::StrCat(what, " not configured (", var, " is empty)"));
}

}  // namespace revisit::outreach
