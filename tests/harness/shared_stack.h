// SharedStack<Suite>: the one fixture shape of a suite whose tests share one Stack
// (stack.h), started once in SetUpTestSuite with Suite::SuiteOptions() and stopped in
// TearDownTestSuite. A suite derives from it (CRTP) and defines
//
//   static StackOptions SuiteOptions();
//
// Tests of such a suite share the store and Kafka, so each uses data of its own
// (request IDs and customers derived from a tag of its own).
//
// A Stack that cannot start fails every test of the suite, each with the start's
// status (the tail of the failing service's log), instead of an assertion in
// SetUpTestSuite: GoogleTest 1.12 reports the tests of a suite whose SetUpTestSuite
// failed as "[  SKIPPED ]", which CTest does not count as failed. A test that fails
// prints the tail of every service's log.
//
// Thread-safety: GoogleTest's main thread starts and stops the Stack (a Stack's
// Start/destructor must stay on one thread); stack() is used as Stack allows.
// Errors: none of its own; the start's status is reported as above.
#ifndef REVISIT_TESTS_HARNESS_SHARED_STACK_H_
#define REVISIT_TESTS_HARNESS_SHARED_STACK_H_

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "tests/harness/stack.h"

namespace revisit::testing {

template <typename Suite>
class SharedStack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Stack>> started = Stack::Start(Suite::SuiteOptions());
    if (!started.ok()) {
      start_status_ = started.status();
      std::cerr << "[shared-stack] the suite's Stack did not start: " << start_status_ << std::endl;
      return;
    }
    start_status_ = absl::OkStatus();
    stack_ = std::move(*started).release();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(stack_, nullptr) << "the suite's Stack did not start: " << start_status_;
  }
  void TearDown() override {
    if (HasFailure() && stack_ != nullptr) std::cerr << stack_->LogTails();
  }
  static Stack& stack() { return *stack_; }
  // OK once the Stack runs; why it did not start otherwise.
  static const absl::Status& start_status() { return start_status_; }

 private:
  static inline Stack* stack_ = nullptr;
  static inline absl::Status start_status_ = absl::UnknownError("SetUpTestSuite did not run");
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_SHARED_STACK_H_
