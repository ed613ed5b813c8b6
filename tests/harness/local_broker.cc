#include "tests/harness/local_broker.h"

#include <signal.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace revisit::testing {
namespace {
constexpr absl::Duration kStartGuard = absl::Seconds(20);
}  // namespace

std::string LocalBroker::BinaryPath() { return REVISIT_BROKER_PATH; }

absl::StatusOr<std::unique_ptr<LocalBroker>> LocalBroker::Start(const LocalBrokerOptions& o) {
  std::unique_ptr<LocalBroker> b(new LocalBroker());
  absl::StatusOr<std::unique_ptr<TempDir>> dir = TempDir::Create("revisit-broker");
  if (!dir.ok()) return dir.status();
  b->dir_ = *std::move(dir);
  SubprocessOptions so;
  so.path = BinaryPath();
  so.args = {"--brokers", absl::StrCat(o.brokers), "--bootstrap-file", b->dir_->File("bootstrap")};
  if (!o.topics.empty()) so.args.insert(so.args.end(), {"--topics", o.topics});
  so.log_path = b->dir_->File("broker.log");
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(so);
  if (!p.ok()) return p.status();
  b->process_ = *std::move(p);
  absl::Time deadline = absl::Now() + kStartGuard;
  while (absl::Now() < deadline && b->process_->Running()) {
    absl::StatusOr<std::string> text = ReadFile(b->dir_->File("bootstrap"));
    if (text.ok()) {
      b->bootstrap_ = std::string(absl::StripAsciiWhitespace(*text));
      return b;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::UnavailableError(absl::StrCat("revisit-broker not ready:\n", b->process_->ReadLog()));
}

LocalBroker::~LocalBroker() = default;

absl::Status LocalBroker::Stop() {
  if (!process_->Running()) return absl::OkStatus();
  absl::Status signalled = process_->Signal(SIGTERM);
  if (!signalled.ok()) return signalled;
  absl::StatusOr<int> code = process_->Wait(kStartGuard);
  if (!code.ok()) return code.status();
  if (*code != 0) return absl::InternalError(absl::StrCat("revisit-broker exited ", *code));
  return absl::OkStatus();
}

}  // namespace revisit::testing
