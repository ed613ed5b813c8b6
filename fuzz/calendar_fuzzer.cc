// Any text as a business-calendar file and as opening hours: a status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/complaint/domain/calendar_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)revisit::complaint::LoadCalendar({{"fuzz.cal", text}});
  (void)revisit::complaint::ParseDayHours(text);
  return 0;
}
