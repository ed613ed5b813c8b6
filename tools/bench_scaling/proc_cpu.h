// CPU accounting from /proc for the scaling benchmark: the CPU time a process has
// used (utime + stime of /proc/<pid>/stat, children not included) and the machine's
// busy and total time (first line of /proc/stat), so a benchmark can report CPU per
// operation per process and how busy the whole machine was.
// Thread-safety: free functions, reentrant.
// Errors: a process that is gone or unreadable counts 0 s (it used no more CPU).
#ifndef REVISIT_TOOLS_BENCH_SCALING_PROC_CPU_H_
#define REVISIT_TOOLS_BENCH_SCALING_PROC_CPU_H_

#include <cstdint>
#include <vector>

namespace revisit::bench {

// CPU seconds used so far by process `pid` (0 when unreadable).
double ProcessCpuSeconds(int pid);
// The sum over `pids`.
double ProcessesCpuSeconds(const std::vector<int>& pids);

struct MachineCpu {
  int64_t busy = 0;   // jiffies not idle / iowait, all cores
  int64_t total = 0;  // all jiffies, all cores
};
MachineCpu ReadMachineCpu();
// CPU seconds all cores were busy between two readings.
double MachineBusySeconds(const MachineCpu& from, const MachineCpu& to);
// Busy share of all cores between two readings, in percent (0 when no time passed).
double BusyPercent(const MachineCpu& from, const MachineCpu& to);

}  // namespace revisit::bench

#endif  // REVISIT_TOOLS_BENCH_SCALING_PROC_CPU_H_
