// SPDX-License-Identifier: MIT
// One arm64 partitioned vCPU over a register backend that does nothing (reads 0, writes go to a
// volatile sink), HPMN given on the command line: after a first load()/put(), measure_warm_load()
// reloads it on the CPU it left with nothing changed, measure_cold_load() after another vCPU ran
// there. check_warm_load.sh counts the instructions each executes (valgrind's callgrind).
#include <cstdint>
#include <cstdlib>

#include "vpmu/vcpu_pmu.hpp"

namespace a64 = vpmu::arm64;

struct null_backend {
  volatile std::uint64_t sink = 0;
  std::uint64_t read(a64::sysreg_encoding) { return 0; }
  void write(a64::sysreg_encoding e, std::uint64_t v) { sink = v ^ e.key(); }
};
using pmu_type = vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, null_backend>;

__attribute__((noinline)) void measure_warm_load(pmu_type& pmu) {
  pmu.load();
}
__attribute__((noinline)) void measure_cold_load(pmu_type& pmu) {
  pmu.load();
}

int main(int argc, char** argv) {
  const unsigned hpmn = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 2;
  // A PMUv3p5 host with 31 event counters and FEAT_FGT (ID_AA64DFR0_EL1.PMUVer = 6,
  // ID_AA64MMFR0_EL1.FGT = 1 at [59:56], PMCR_EL0.N = 31 at [15:11]).
  const a64::pmu_caps caps =
      a64::probe_caps(a64::id_aa64dfr0_el1::value::from_hardware(std::uint64_t{6} << 8),
                      a64::id_aa64dfr1_el1::value::from_hardware(0),
                      a64::id_aa64mmfr0_el1::value::from_hardware(std::uint64_t{1} << 56),
                      a64::pmcr_el0::value::from_hardware(std::uint64_t{31} << 11));
  const auto config = vpmu::validate_arm64_config({caps.version, hpmn}, caps);
  if (!config) return 2;
  null_backend hw;
  vpmu::pmu_owner owner;
  pmu_type pmu{hw, config.value(), &owner};
  pmu.load();
  pmu.put();
  for (int i = 0; i < 10; ++i) {  // 10 of each, to average out nothing: the counts are exact
    measure_warm_load(pmu);
    pmu.put();
    owner.invalidate();  // another vCPU ran on this CPU
    measure_cold_load(pmu);
    pmu.put();
  }
  return 0;
}
