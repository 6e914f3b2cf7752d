// SPDX-License-Identifier: MIT
// The arm64 passthrough policies' warm reload: a vCPU reloaded on the CPU it left (pmu_owner)
// restores only PMCR_EL0.E -- unless something changed its registers while it was put, which
// must then reach the hardware. Each case reads the hardware (the simulator) after load(), so a
// reload that skipped a changed register fails. Encodings from the Arm ARM (D24.5): PMCR_EL0
// S3_3_C9_C12_0, PMEVCNTR0_EL0 S3_3_C14_C8_0, PMEVTYPER0_EL0 S3_3_C14_C12_0.
#include <cstdint>
#include <doctest/doctest.h>

#include "vpmu/access/counting.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace {

using vpmu::arch::arm64;
namespace a64 = vpmu::arm64;
constexpr a64::sysreg_encoding pmcr{3, 3, 9, 12, 0}, pmevcntr0{3, 3, 14, 8, 0},
    pmevtyper0{3, 3, 14, 12, 0};

std::uint64_t esr_write(a64::sysreg_encoding e) {
  return a64::encode_esr({e, false, 0});
}

// A guest with 4 counters on an N = 6, PMUv3p5 CPU with FGT; counter 0 counts INST_RETIRED.
struct world {
  vpmu::sim::arm_pmuv3 cpu{{6, a64::pmuver::v3p5, false, 1}};
  vpmu::counting<vpmu::sim::arm_pmuv3> hw{cpu};
  vpmu::pmu_owner owner;
  vpmu::arm64_event_filter filter;
  vpmu::vcpu_pmu<arm64, vpmu::policy::partitioned, vpmu::counting<vpmu::sim::arm_pmuv3>> pmu;

  world()
      : pmu(hw, vpmu::validate_arm64_config({a64::pmuver::v3p5, 4}, cpu.caps(), &filter).value(),
            &owner) {
    vpmu::program_traps(cpu, pmu.trap_config(), cpu.caps(), &owner);
    pmu.load();
    (void)pmu.on_sysreg(esr_write(pmevtyper0), 0x08);
    (void)pmu.on_sysreg(esr_write(pmevcntr0), 500);
    (void)pmu.on_sysreg(esr_write(pmcr), 1);  // E
    pmu.put();
  }
};

}  // namespace

TEST_CASE("warm reload: nothing changed -> one access (PMCR_EL0.E), whatever the counters") {
  world w;
  w.hw.reset();
  w.pmu.load();
  CHECK(w.hw.counts().total_writes() == 1);
  CHECK(w.hw.counts().total_reads() == 0);
  CHECK((w.cpu.read(pmcr) & 1) == 1);
  CHECK(w.cpu.read(pmevcntr0) == 500);
}

TEST_CASE("warm reload after a restore while put: the restored values reach the hardware") {
  world w;
  auto blob = w.pmu.save_state();
  blob.registers.evcntr[0] = 12345;
  REQUIRE(w.pmu.restore_state(blob).has_value());
  w.pmu.load();
  CHECK(w.cpu.read(pmevcntr0) == 12345);
}

TEST_CASE("warm reload after an access handled while put: the new value reaches the hardware") {
  world w;
  (void)w.pmu.on_sysreg(esr_write(pmevcntr0), 777);  // e.g. a VMM's register write
  w.hw.reset();
  w.pmu.load();
  CHECK(w.cpu.read(pmevcntr0) == 777);
  // Proportional to what changed: that counter and PMCR_EL0.E, nothing else.
  CHECK(w.hw.counts().total_writes() == 2);
  CHECK(w.hw.counts().total_reads() == 0);
}

TEST_CASE("warm reload after a filter change while put: the typer's hardware copy follows") {
  world w;
  REQUIRE(w.filter.add(0x08, 1, vpmu::arm64_event_filter::action::deny).has_value());
  w.pmu.on_filter_change();
  w.pmu.load();
  // A denied event's hardware copy excludes EL1 and EL0 (P and U, bits 31 and 30).
  CHECK((w.cpu.read(pmevtyper0) & (std::uint64_t{3} << 30)) == (std::uint64_t{3} << 30));
}
