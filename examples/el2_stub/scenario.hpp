// SPDX-License-Identifier: MIT
// What the EL2 stub runs, shared by the two places it runs: the freestanding image under QEMU
// (real MRS/MSR at EL1, real traps to EL2) and sim_run.cpp (vpmu's Arm simulator, host build).
// Both execute the same guest programs against the same policies and print the same transcript,
// so the test can compare them line by line.
#pragma once

#include <cstdint>

#include "vcpu_runner.hpp"

#include <vpmu/vpmu.hpp>

namespace el2_stub {

namespace a64 = vpmu::arm64;

// The guest's share of the PMU: MDCR_EL2.HPMN for the partitioned policies. The host keeps its
// own profiling counter at N - 1, above HPMN, in every scenario.
inline constexpr unsigned guest_counters = 4;
inline constexpr std::uint64_t loop_iterations = 1000;
enum class scenario : unsigned { partitioned, emulated, lazy_partitioned, deviations };
inline constexpr const char* scenario_names[] = {"partitioned", "emulated", "lazy_partitioned",
                                                 "deviations"};

// What the guest saw, in order. `what` names the access; the test compares these by name.
struct transcript {
  struct entry {
    const char* what;
    std::uint64_t value;
    bool undefined;
  };
  entry entries[48] = {};
  unsigned size = 0;
  constexpr void log(const char* what, std::uint64_t value, bool undefined = false) {
    if (size < sizeof(entries) / sizeof(entries[0])) entries[size++] = {what, value, undefined};
  }
};

// PMCR_EL0 as the guest reports it: IMP and IDCODE (bits [31:16]) are IMPLEMENTATION DEFINED
// and differ between QEMU's CPU models and the simulator; N and the controls are architectural.
inline constexpr std::uint64_t pmcr_reported_bits = 0xffff;

// The guest program of the main scenarios. G: read(e) / write(e, v), undefined() after either,
// and counted_loop(k): read PMEVCNTR0, run a k-iteration SUBS/B.NE loop, read PMEVCNTR0 again,
// as one instruction sequence (1 MOV + 2k instructions between the two reads).
template <class G>
void guest_main(G& g, transcript& t) {
  const auto read = [&](const char* what, a64::sysreg_encoding e, std::uint64_t keep = ~0ULL) {
    const std::uint64_t v = g.read(e);
    t.log(what, g.undefined() ? 0 : v & keep, g.undefined());
  };
  const auto write = [&](const char* what, a64::sysreg_encoding e, std::uint64_t v) {
    g.write(e, v);
    if (g.undefined()) t.log(what, v, true);
  };
  read("pmcr", a64::pmcr_el0::encoding, pmcr_reported_bits);
  write("pmevtyper0", a64::pmevtyper_el0<0>::encoding, 0x08);  // INST_RETIRED, EL1 and EL0
  write("pmevtyper1", a64::pmevtyper_el0<1>::encoding, 0x00);  // SW_INCR
  write("pmevcntr0", a64::pmevcntr_el0<0>::encoding, 0);
  // Two increments from overflow at bit 31 (PMCR_EL0.LP = 0: the 32-bit overflow point also
  // for 64-bit counters, Arm ARM D13.3.2).
  write("pmevcntr1", a64::pmevcntr_el0<1>::encoding, 0xfffffffe);
  write("pmintenset", a64::pmintenset_el1::encoding, 0b10);
  write("pmcntenset", a64::pmcntenset_el0::encoding, 0b11);
  write("pmcr", a64::pmcr_el0::encoding, a64::pmcr_el0::e.mask);
  const auto [before, after] = g.counted_loop(loop_iterations);
  t.log("loop_inst_retired", after - before);
  write("pmswinc", a64::pmswinc_el0::encoding, 0b10);
  write("pmswinc", a64::pmswinc_el0::encoding, 0b10);
  read("pmevcntr1", a64::pmevcntr_el0<1>::encoding);
  read("pmovsset", a64::pmovsset_el0::encoding);
  read("pmcntenset", a64::pmcntenset_el0::encoding);
  read("pmintenset", a64::pmintenset_el1::encoding);
  write("pmovsclr", a64::pmovsclr_el0::encoding, 0b10);
  read("pmovsset_cleared", a64::pmovsset_el0::encoding);
  write("pmcntenclr", a64::pmcntenclr_el0::encoding, 0b11);
  const auto [stopped_before, stopped_after] = g.counted_loop(100);
  t.log("loop_disabled", stopped_after - stopped_before);
  write("pmselr", a64::pmselr_el0::encoding, 1);
  read("pmxevtyper", a64::pmxevtyper_el0::encoding);
  read("pmevtyper0", a64::pmevtyper_el0<0>::encoding);
  write("pmcr_off", a64::pmcr_el0::encoding, 0);
  read("pmcr_off", a64::pmcr_el0::encoding, pmcr_reported_bits);
}

// The guest program of the deviations scenario: accesses whose architectural answer QEMU 7.2
// does not give (sim_run.cpp lists them). `host` is the index of the host's counter.
template <class G>
void guest_deviations(G& g, transcript& t, unsigned host) {
  const std::uint64_t v = g.read(a64::pmevcntr_encoding_unchecked(host));
  t.log("pmevcntr_host", g.undefined() ? 0 : (v != 0 ? 1 : 0), g.undefined());
  const std::uint64_t en = g.read(a64::pmcntenset_el0::encoding);
  t.log("pmcntenset", en, g.undefined());
  g.write(a64::pmcntenclr_el0::encoding, std::uint64_t{1} << host);
  t.log("pmcntenclr_host", 0, g.undefined());
  const std::uint64_t pmcr = g.read(a64::pmcr_el0::encoding);  // traps with MDCR_EL2.TPMCR
  t.log("pmcr", pmcr & pmcr_reported_bits, g.undefined());
  g.write(a64::pmcr_el0::encoding, a64::pmcr_el0::p.mask);  // resets the guest's counters only
  t.log("pmcr_p", 0, g.undefined());
}

}  // namespace el2_stub
