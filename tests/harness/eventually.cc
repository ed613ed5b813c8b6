#include "tests/harness/eventually.h"

#include <iostream>

#include "absl/strings/str_cat.h"

namespace revisit::testing {

absl::Status Eventually(const std::string& what, const std::function<bool()>& pred,
                        absl::Duration guard, absl::Duration poll) {
  const absl::Time start = absl::Now();
  std::cerr << "[wait] " << what << std::endl;
  while (!pred()) {
    if (absl::Now() - start > guard) {
      return absl::DeadlineExceededError(
          absl::StrCat("gave up after ", absl::FormatDuration(guard), " waiting for: ", what));
    }
    absl::SleepFor(poll);
  }
  std::cerr << "[wait]   done after " << absl::FormatDuration(absl::Now() - start) << std::endl;
  return absl::OkStatus();
}

}  // namespace revisit::testing
