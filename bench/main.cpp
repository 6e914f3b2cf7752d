// SPDX-License-Identifier: MIT
// vpmu_bench: Google Benchmark's command line, plus --vpmu_summary=DIR to write the demo's
// summary (markdown table, plot data and gnuplot script) after the run.
#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "summary.hpp"

int main(int argc, char** argv) {
  std::string summary_dir;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--vpmu_summary=", 15) == 0) {
      summary_dir = argv[i] + 15;
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  if (summary_dir.empty()) {  // plain Google Benchmark (honours --benchmark_format=json etc.)
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
  }
  bench::collecting_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  {
    if (!bench::write_summary(reporter.results(), summary_dir)) {
      std::fprintf(stderr, "vpmu_bench: cannot write the summary into %s\n", summary_dir.c_str());
      return 1;
    }
    std::printf("summary written to %s/summary.md (plot: gnuplot %s/accesses.gp)\n",
                summary_dir.c_str(), summary_dir.c_str());
  }
  return 0;
}
