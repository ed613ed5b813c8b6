#include "common/allocator.h"

#include <dlfcn.h>

#include <cstddef>

namespace revisit {

std::string AllocatorName() {
  // int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
  using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);
  auto mallctl = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
  if (mallctl == nullptr) return "glibc malloc";
  const char* version = nullptr;
  size_t len = sizeof(version);
  if (mallctl("version", &version, &len, nullptr, 0) != 0 || version == nullptr) {
    return "jemalloc";
  }
  return std::string("jemalloc ") + version;
}

}  // namespace revisit
