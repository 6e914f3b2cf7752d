// SPDX-License-Identifier: MIT
// x86 mediated with reserved counters (a pmu_owner: host perf never uses the guests' counters on
// this CPU): put() leaves the stopped guest state in place, a reload where it left writes nothing
// (Intel) or only the global enable (AMD), and every other case still writes what is needed.
// MSR numbers from the SDM (Vol. 4): IA32_PERFEVTSEL0 0x186, IA32_PMC0 0xC1, IA32_A_PMC0 0x4C1,
// IA32_PERF_GLOBAL_CTRL 0x38F; the APM (Vol. 2 13.2): PERF_CTL0 C001_0200, PERF_CTR0 C001_0201,
// PerfCntrGlobalCtl C000_0301.
#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

#include "vpmu/access/counting.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/intel_pmu.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace {

namespace pol = vpmu::policy;
using intel_backend = vpmu::counting<vpmu::sim::intel_pmu>;
using intel_pmu = vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, intel_backend>;

// Two Intel vCPUs on one CPU, each counting instructions on PMC0.
struct intel_cpu {
  vpmu::sim::intel_pmu cpu;
  intel_backend hw{cpu};
  vpmu::pmu_owner owner;
  vpmu::x86_config config =
      vpmu::validate_x86_config(vpmu::host_shape(cpu.caps()), cpu.caps()).value();
  intel_pmu a{hw, config, &owner}, b{hw, config, &owner};

  intel_cpu() {
    for (intel_pmu* p : {&a, &b}) {
      (void)p->on_wrmsr(0x186, 0x4300c0);  // EN | OS | USR, INST_RETIRED.ANY
      (void)p->on_wrmsr(0x38f, 1);
    }
  }
  // The guest runs `n` instructions (VM entry loads its GLOBAL_CTRL, VM exit the host's 0).
  void run(intel_pmu& p, std::uint64_t n) {
    p.load();
    cpu.wrmsr(0x38f, p.entry_global_ctrl());
    cpu.set_mode({true, 0});
    cpu.instructions(n);
    cpu.set_mode({false, 0});
    cpu.wrmsr(0x38f, 0);
    p.put();
  }
};

}  // namespace

TEST_CASE("x86 reserved counters: a reload where the vCPU left writes nothing, counts go on") {
  intel_cpu c;
  c.run(c.a, 100);
  c.hw.reset();
  c.a.load();
  CHECK(c.hw.counts().total_writes() == 0);
  CHECK(c.hw.counts().total_reads() == 0);
  c.cpu.wrmsr(0x38f, c.a.entry_global_ctrl());
  c.cpu.set_mode({true, 0});
  c.cpu.instructions(50);
  c.cpu.set_mode({false, 0});
  c.cpu.wrmsr(0x38f, 0);
  c.a.put();
  CHECK(c.a.on_rdmsr(0xc1).value == 150);
}

TEST_CASE("x86 reserved counters: after another vCPU ran on the CPU, the reload writes its state") {
  intel_cpu c;
  c.run(c.a, 100);
  c.run(c.b, 7);  // B overwrote PMC0 and PERFEVTSEL0
  c.run(c.a, 20);
  CHECK(c.a.on_rdmsr(0xc1).value == 120);
  CHECK(c.b.on_rdmsr(0xc1).value == 7);
}

TEST_CASE("x86 reserved counters: a write handled while put reaches the hardware on reload") {
  intel_cpu c;
  c.run(c.a, 100);
  (void)c.a.on_wrmsr(0x4c1, 5000);  // a VMM's write to IA32_A_PMC0 while the vCPU is put
  c.run(c.a, 10);
  CHECK(c.a.on_rdmsr(0xc1).value == 5010);
}

TEST_CASE("x86 without reserved counters: put() still leaves no guest state in the hardware") {
  vpmu::sim::intel_pmu cpu;
  const auto config = vpmu::validate_x86_config(vpmu::host_shape(cpu.caps()), cpu.caps());
  vpmu::vcpu_pmu<vpmu::arch::intel, pol::mediated, vpmu::sim::intel_pmu> p{cpu, config.value()};
  (void)p.on_wrmsr(0x186, 0x4300c0);
  (void)p.on_wrmsr(0x38f, 1);
  p.load();
  cpu.wrmsr(0x38f, 1);
  cpu.set_mode({true, 0});
  cpu.instructions(10);
  cpu.set_mode({false, 0});
  cpu.wrmsr(0x38f, 0);
  p.put();
  CHECK(cpu.rdmsr(0x186) == 0);
  CHECK(cpu.rdmsr(0xc1) == 0);
}

TEST_CASE("AMD reserved counters: a reload where the vCPU left writes only GLOBAL_CTL") {
  vpmu::sim::amd_pmu cpu;
  vpmu::counting<vpmu::sim::amd_pmu> hw{cpu};
  vpmu::pmu_owner owner;
  const auto config = vpmu::validate_x86_config(vpmu::host_shape(cpu.caps()), cpu.caps());
  vpmu::vcpu_pmu<vpmu::arch::amd, pol::mediated, vpmu::counting<vpmu::sim::amd_pmu>> p{
      hw, config.value(), &owner};
  (void)p.on_wrmsr(0xc0010200, 0x4300c0);
  (void)p.on_wrmsr(0xc0000301, 1);
  p.load();
  p.put();
  hw.reset();
  p.load();
  CHECK(hw.counts().total_writes() == 1);
  CHECK(hw.counts().total_reads() == 0);
  CHECK(cpu.rdmsr(0xc0000301) == 1);
}
