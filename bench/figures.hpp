// figures: what the benches print with — elapsed milliseconds on the steady
// clock, percentiles by nearest rank, one latency line, a field of
// /proc/self/status. Printing only: no bench passes or fails on a figure.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace bench {

using Steady = std::chrono::steady_clock;

inline double ms_since(Steady::time_point t) { return std::chrono::duration<double, std::milli>(Steady::now() - t).count(); }

inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

inline void print_latency(const char* what, const std::vector<double>& v) {
    std::printf("  %-52s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (n=%zu)\n", what, percentile(v, 0.5), percentile(v, 0.99),
                percentile(v, 1.0), v.size());
}

// "VmRSS:", "VmHWM:" of this process, in KiB (0 when not found).
inline long status_kib(const std::string& field) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
    return 0;
}

}  // namespace bench
