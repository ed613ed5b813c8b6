#include "tools/bench_scaling/proc_cpu.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace revisit::bench {

double ProcessCpuSeconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  // The command name (field 2) may hold spaces: fields are counted after its ')'.
  size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int n = 3; n <= 15 && rest >> field; ++n) {
    if (n == 14) utime = std::stoll(field);
    if (n == 15) stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double ProcessesCpuSeconds(const std::vector<int>& pids) {
  double sum = 0;
  for (int pid : pids) sum += ProcessCpuSeconds(pid);
  return sum;
}

MachineCpu ReadMachineCpu() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;  // "cpu": the sum over all cores
  MachineCpu m;
  int64_t v = 0;
  for (int i = 0; i < 8 && in >> v; ++i) {  // user nice system idle iowait irq softirq steal
    m.total += v;
    if (i != 3 && i != 4) m.busy += v;
  }
  return m;
}

double MachineBusySeconds(const MachineCpu& from, const MachineCpu& to) {
  return static_cast<double>(to.busy - from.busy) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double BusyPercent(const MachineCpu& from, const MachineCpu& to) {
  int64_t total = to.total - from.total;
  if (total <= 0) return 0;
  return 100.0 * static_cast<double>(to.busy - from.busy) / static_cast<double>(total);
}

}  // namespace revisit::bench
