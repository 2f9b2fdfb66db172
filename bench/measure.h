// What every workload measures with: wall time, percentiles, the process's peak memory.
#ifndef CLINCODE_BENCH_MEASURE_H_
#define CLINCODE_BENCH_MEASURE_H_

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace clincode::bench {

using Clock = std::chrono::steady_clock;

inline double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The process's peak resident memory so far, in KiB.
inline long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// The p-th percentile (0..1) by the nearest-rank method.
inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t rank = static_cast<std::size_t>(p * static_cast<double>(v.size()) + 0.999999);
  return v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
}

}  // namespace clincode::bench

#endif  // CLINCODE_BENCH_MEASURE_H_
