// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction. Thread-safety: immutable after creation; thread-safe.
// Errors: Create returns INTERNAL if the directory cannot be made.
#ifndef REVISIT_TESTS_HARNESS_TEMP_DIR_H_
#define REVISIT_TESTS_HARNESS_TEMP_DIR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace revisit::testing {

class TempDir {
 public:
  static absl::StatusOr<std::unique_ptr<TempDir>> Create(const std::string& prefix = "revisit");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_TEMP_DIR_H_
