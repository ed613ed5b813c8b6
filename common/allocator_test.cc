// The allocator the build chose (REVISIT_JEMALLOC) is the one the process runs with:
// common_unit_test links revisit_allocator exactly as the service binaries do.
#include "common/allocator.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace revisit {
namespace {

TEST(AllocatorTest, ProcessRunsWithTheAllocatorTheBuildChose) {
  const std::string name = AllocatorName();
#ifdef REVISIT_JEMALLOC
  EXPECT_EQ(name.rfind("jemalloc ", 0), 0u) << name;
#else
  EXPECT_EQ(name, "glibc malloc");
#endif
}

TEST(AllocatorTest, MallocAndFreeGoThroughIt) {
  void* p = std::malloc(100);
  ASSERT_NE(p, nullptr);
  std::free(p);
  std::string big(1 << 20, 'x');  // a large allocation through operator new
  EXPECT_EQ(big.size(), 1u << 20);
}

}  // namespace
}  // namespace revisit
