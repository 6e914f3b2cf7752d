// SPDX-License-Identifier: MIT
// The benchmark summary the demo writes: a markdown table (accesses and time per round trip,
// vpmu against Linux KVM's sequence and the raw copy, with the ratios) and the data plus gnuplot
// script for a plot of accesses per round trip against counters in use.
#pragma once

#include <benchmark/benchmark.h>
#include <map>
#include <string>
#include <vector>

namespace bench {

struct measured {
  double ns = 0;
  double reads = 0;
  double writes = 0;
  [[nodiscard]] double accesses() const { return reads + writes; }
};

// A console reporter that also keeps every result by name.
class collecting_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  [[nodiscard]] const std::map<std::string, measured>& results() const { return results_; }

 private:
  std::map<std::string, measured> results_;
};

// Writes summary.md, accesses.dat and accesses.gp into `dir`; returns false if a file could not
// be written.
bool write_summary(const std::map<std::string, measured>& results, const std::string& dir);

}  // namespace bench
