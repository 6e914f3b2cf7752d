// SPDX-License-Identifier: MIT
// A simulated hypervisor: two arm64 vCPUs time-share one CPU (N = 10 counters) while the host
// profiles itself on a counter of its own, under each policy. Prints what each guest counted and
// what the host counted; the host's count is the same under every policy.
#include <cinttypes>
#include <cstdio>

#include <vpmu/host/host_perf.hpp>
#include <vpmu/sim/amd_pmu.hpp>
#include <vpmu/sim/arm_pmuv3.hpp>
#include <vpmu/sim/intel_pmu.hpp>
#include <vpmu/vpmu.hpp>

namespace {

namespace a64 = vpmu::arm64;
using vpmu::sim::arm_pmuv3;
using vpmu::sim::el;
using host_perf = vpmu::host_perf<vpmu::arch::arm64, arm_pmuv3>;

// Runs the same scenario under one policy. Host: the CPU for the passthrough policies, the host
// perf (lending counters) for emulated ones.
template <class Policy, class Host>
void scenario(const char* name, arm_pmuv3& cpu, host_perf& perf, Host& backend) {
  const auto config = vpmu::validate_arm64_config({a64::pmuver::v3p5, 4}, cpu.caps()).value();
  vpmu::vcpu_pmu<vpmu::arch::arm64, Policy, Host> vcpu[2] = {{backend, config}, {backend, config}};
  using t = a64::pmevtypern_el0;
  const auto host_counter =
      perf.start_host_event(0x08 | t::p.mask | t::u.mask | t::nsh.mask).value();

  // The hypervisor's run loop: program EL2 for the vCPU, load, let the guest run, put.
  const auto run = [&](unsigned v, auto&& guest) {
    const vpmu::arm64_trap_config traps = vcpu[v].trap_config();
    vpmu::program_traps(cpu, traps, cpu.caps(), nullptr);  // MDCR_EL2 (+HPME), FGT, EL0 state
    // Trapped vCPUs leave PMCR_EL0 to the host, whose lent counters below HPMN need E.
    if (traps.neutral_el0_state) cpu.write(a64::pmcr_el0::encoding, 1);
    vcpu[v].load();
    guest(vcpu[v]);
    vcpu[v].put();
  };
  // A guest access from EL1: it executes, or traps to EL2 and vpmu answers it.
  const auto access = [&](auto& pmu, a64::sysreg_encoding e, bool read, std::uint64_t v = 0) {
    cpu.set_el(el::el1);
    auto o = read ? cpu.guest_read(el::el1, e) : cpu.guest_write(el::el1, e, v);
    cpu.set_el(el::el2);
    if (o.kind == vpmu::sim::outcome::trap_el2) return pmu.on_sysreg(o.esr, v).value;
    return o.value;
  };
  const auto count_instructions = [&](auto& pmu) {
    access(pmu, a64::pmevtyper_encoding_unchecked(0), false, 0x08);  // INST_RETIRED
    access(pmu, a64::pmcntenset_el0::encoding, false, 1);
    access(pmu, a64::pmcr_el0::encoding, false, 1);
  };
  const auto execute = [&](std::uint64_t guest_insns, std::uint64_t host_insns) {
    cpu.set_el(el::el1);
    cpu.instructions(guest_insns);
    cpu.set_el(el::el2);
    cpu.instructions(host_insns);  // the hypervisor's own work, between guest runs
  };

  run(0, [&](auto& pmu) {
    count_instructions(pmu);
    execute(1000, 50);
  });
  run(1, [&](auto& pmu) {
    count_instructions(pmu);
    execute(3000, 50);
  });
  for (unsigned slice = 0; slice < 10; ++slice) {
    run(slice % 2, [&](auto&) { execute(100 * std::uint64_t{slice + 1}, 10); });
  }
  std::uint64_t seen[2] = {};
  for (unsigned v = 0; v < 2; ++v) {
    run(v, [&](auto& pmu) { seen[v] = access(pmu, a64::pmevcntr_encoding_unchecked(0), true); });
  }
  std::printf("%-18s guest0 = %6" PRIu64 "  guest1 = %6" PRIu64 "  host = %4" PRIu64 "\n", name,
              seen[0], seen[1], perf.host_count(host_counter));
}

template <class Policy, bool Emulated>
void with_fresh_cpu(const char* name) {
  arm_pmuv3 cpu{{10, a64::pmuver::v3p5, false, 1}};
  cpu.write(a64::pmcr_el0::encoding, 1);
  // Partitioned guests own [0, 4): the host keeps [4, 10). Emulated: the host owns all 10.
  host_perf perf{cpu, cpu.counter_width(),
                 Emulated ? vpmu::low_mask(10) : vpmu::low_mask(10) & ~vpmu::low_mask(4)};
  if constexpr (Emulated) {
    scenario<Policy>(name, cpu, perf, perf);
  } else {
    scenario<Policy>(name, cpu, perf, cpu);
  }
}

}  // namespace

int main() {
  std::printf(
      "two vCPUs, 4 counters each, on one CPU with 10; the host counts its EL2 instructions\n");
  with_fresh_cpu<vpmu::policy::partitioned, false>("partitioned");
  with_fresh_cpu<vpmu::policy::lazy<vpmu::policy::partitioned>, false>("lazy<partitioned>");
  with_fresh_cpu<vpmu::policy::emulated, true>("emulated");
  with_fresh_cpu<vpmu::policy::lazy<vpmu::policy::emulated>, true>("lazy<emulated>");
  return 0;
}
