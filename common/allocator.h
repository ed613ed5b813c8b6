// AllocatorName: which malloc this process runs with, for the start-up log line and
// the test that the build's allocator choice (CMake option REVISIT_JEMALLOC, on by
// default for the service binaries) reached the binary.
// jemalloc is detected at run time by its `mallctl` entry point, so the answer is
// what the dynamic linker actually bound, not what the build intended.
// Thread-safety: thread-safe. Errors: none ("glibc malloc" when jemalloc is absent).
#ifndef REVISIT_COMMON_ALLOCATOR_H_
#define REVISIT_COMMON_ALLOCATOR_H_

#include <string>

namespace revisit {

// "jemalloc <version>" (e.g. "jemalloc 5.3.0-0-g54eaed1d...") or "glibc malloc".
std::string AllocatorName();

}  // namespace revisit

#endif  // REVISIT_COMMON_ALLOCATOR_H_
