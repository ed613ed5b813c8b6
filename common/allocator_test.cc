// The allocator the build chose (REVISIT_JEMALLOC) is the one the process runs with:
// common_unit_test links revisit_allocator exactly as the service binaries do.
#include "common/allocator.h"

#include <dlfcn.h>

#include <cstdint>
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

#ifdef REVISIT_JEMALLOC
// malloc itself (not only the symbol lookup) goes to jemalloc: its per-thread
// allocation counter grows by the block this thread just took.
TEST(AllocatorTest, MallocIsServedByJemalloc) {
  using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);
  auto mallctl = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
  ASSERT_NE(mallctl, nullptr);
  auto allocated = [&] {
    uint64_t bytes = 0;
    size_t len = sizeof(bytes);
    EXPECT_EQ(mallctl("thread.allocated", &bytes, &len, nullptr, 0), 0);
    return bytes;
  };
  const uint64_t before = allocated();
  void* volatile block = std::malloc(1 << 20);  // volatile: not optimised away
  ASSERT_NE(block, nullptr);
  EXPECT_GE(allocated() - before, uint64_t{1} << 20);
  std::free(block);
}
#endif

}  // namespace
}  // namespace revisit
