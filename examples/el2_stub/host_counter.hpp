// SPDX-License-Identifier: MIT
// The EL2 host's own profiling counter, kept running in [HPMN, N) while guests run, and the
// check that a guest left it alone. Shared by the stub and the kvm-unit-tests host.
#pragma once

#include <cstdint>

#include <vpmu/vpmu.hpp>

namespace el2_stub {

namespace a64 = vpmu::arm64;

// The host's counter counts INST_RETIRED at EL2 only: P and U exclude EL1 and EL0, NSH includes
// EL2 (Arm ARM D13.3.3 "Filtering by Exception level"; without NSH, EL2 does not count).
inline constexpr std::uint64_t host_event = 0x08 | a64::pmevtypern_el0::p.mask |
                                            a64::pmevtypern_el0::u.mask |
                                            a64::pmevtypern_el0::nsh.mask;

// The host's own profiling counter, which no scenario's guest may disturb. Programmed here rather
// than with host_perf::start_host_event, which also sets the counter's PMINTENSET bit: QEMU 7.2
// shows EL1 the PMINTEN bits >= HPMN, so that bit would add one more deviation to every
// untrapped scenario's transcript without testing anything new.
template <class Regs>
struct host_counter {
  Regs& regs;
  unsigned index;
  std::uint64_t last = 0;

  void start() {
    regs.write(a64::pmevtyper_encoding_unchecked(index), host_event);
    regs.write(a64::pmevcntr_encoding_unchecked(index), 0);
    regs.template write<a64::pmcntenset_el0>(std::uint64_t{1} << index);
  }
  // Its event type, its enable bit and MDCR_EL2.HPME intact, and its count grown since the
  // last check: nullptr, or what was found disturbed (the first of those, in that order).
  const char* disturbance() {
    const std::uint64_t count = regs.read(a64::pmevcntr_encoding_unchecked(index));
    const std::uint64_t before = last;
    last = count;
    if (regs.read(a64::pmevtyper_encoding_unchecked(index)) != host_event)
      return "its PMEVTYPER changed";
    if ((regs.template read<a64::pmcntenset_el0>() & (std::uint64_t{1} << index)) == 0)
      return "it was disabled (PMCNTENSET_EL0)";
    if ((regs.template read<a64::mdcr_el2>() & a64::mdcr_el2::hpme.mask) == 0)
      return "MDCR_EL2.HPME was cleared";
    if (count <= before) return "its count did not grow";
    return nullptr;
  }
  bool intact() { return disturbance() == nullptr; }
  // After the deviations scenario, where QEMU lets the guest disturb it: restart it.
  void restart() {
    start();
    last = 0;
  }
};

}  // namespace el2_stub
