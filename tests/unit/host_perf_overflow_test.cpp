// SPDX-License-Identifier: MIT
// host_perf::take_overflow(): the host's PMU interrupt handler acknowledges the overflow of the
// counters it owns, and only those (the others may be a partitioned guest's). Register numbers
// from the manuals: SDM Vol. 4 Table 2-2 (IA32_PERF_GLOBAL_STATUS 0x38E, _OVF_CTRL 0x390,
// _STATUS_SET 0x391); APM Vol. 2 13.2.2 (PerfCntrGlobalStatus C000_0300h, _StatusClr
// C000_0302h, _StatusSet C000_0303h); Arm ARM D24.5 (PMOVSSET_EL0 = S3_3_C9_C14_3,
// PMOVSCLR_EL0 = S3_3_C9_C12_3).
#include <cstdint>
#include <doctest/doctest.h>

#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"

namespace {

constexpr std::uint64_t b(unsigned n) {
  return std::uint64_t{1} << n;
}

// Counter 1 (lent to the host_perf) overflows after 10 events; counter 0 (not the host_perf's)
// has its overflow flag set by someone else. `status()` reads the hardware flags, `set(bits)`
// sets flags as another owner would, `retire(n)` counts n events on every counter.
template <class Perf, class Status, class Set, class Retire>
void check_take_overflow(Perf& perf, std::uint64_t selector, Status status, Set set,
                         Retire retire) {
  const auto h = perf.acquire({selector, 10, false});
  REQUIRE(h.has_value());
  REQUIRE(h.value() == 1U);
  perf.resume(h.value());
  perf.commit();
  retire(9);
  CHECK(status() == 0);
  CHECK(perf.take_overflow() == 0);
  retire(1);
  REQUIRE(status() == b(1));
  set(b(0));
  REQUIRE(status() == (b(0) | b(1)));
  CHECK(perf.take_overflow() == b(1));
  CHECK(status() == b(0));  // the other owner's flag stays
  CHECK(perf.take_overflow() == 0);
}

}  // namespace

TEST_CASE("host_perf::take_overflow clears only its own counters' flags (Intel)") {
  vpmu::sim::intel_pmu cpu;
  vpmu::host_perf<vpmu::arch::intel, vpmu::sim::intel_pmu> perf{cpu, cpu.counter_width(), 0xfe};
  check_take_overflow(
      perf, 0xc0 | b(16) | b(17), [&] { return cpu.rdmsr(0x38e) & 0xff; },
      [&](std::uint64_t v) { cpu.wrmsr(0x391, v); }, [&](std::uint64_t n) { cpu.retire(0xc0, n); });
}

TEST_CASE("host_perf::take_overflow clears only its own counters' flags (AMD PerfMonV2)") {
  vpmu::sim::amd_pmu cpu;
  vpmu::host_perf<vpmu::arch::amd, vpmu::sim::amd_pmu> perf{cpu, cpu.counter_width(), 0x3e};
  check_take_overflow(
      perf, 0xc0 | b(16) | b(17), [&] { return cpu.rdmsr(0xc0000300) & 0x3f; },
      [&](std::uint64_t v) { cpu.wrmsr(0xc0000303, v); },
      [&](std::uint64_t n) { cpu.retire(0xc0, n); });
}

TEST_CASE("host_perf::take_overflow clears only its own counters' flags (arm64)") {
  vpmu::sim::arm_pmuv3 cpu;
  vpmu::host_perf<vpmu::arch::arm64, vpmu::sim::arm_pmuv3> perf{cpu, cpu.counter_width(), 0x3e};
  cpu.write(vpmu::arm64::sysreg_encoding{3, 3, 9, 12, 0}, 1);  // PMCR_EL0.E
  const vpmu::arm64::sysreg_encoding pmovsset{3, 3, 9, 14, 3};
  check_take_overflow(
      perf, 0x08 | vpmu::arm64::pmevtypern_el0::nsh.mask, [&] { return cpu.read(pmovsset) & 0x3f; },
      [&](std::uint64_t v) { cpu.write(pmovsset, v); },
      [&](std::uint64_t n) { cpu.instructions(n); });
  CHECK(cpu.read(vpmu::arm64::sysreg_encoding{3, 3, 9, 12, 3}) == b(0));  // PMOVSCLR reads the same
}

TEST_CASE("host_perf::take_overflow without global control: no status register is touched") {
  vpmu::sim::amd_pmu cpu{{false, true, 6}};  // no PerfMonV2
  vpmu::host_perf<vpmu::arch::amd, vpmu::sim::amd_pmu> perf{cpu, cpu.counter_width(), 0x3e, false};
  CHECK(perf.take_overflow() == 0);
}
