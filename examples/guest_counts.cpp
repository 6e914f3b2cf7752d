// SPDX-License-Identifier: MIT
// A vCPU with a mediated Intel PMU, on the Intel simulator standing in for the hardware: the
// guest programs two counters, runs, and reads them back, the way a hypervisor would wire it.
#include <cinttypes>
#include <cstdio>

#include <vpmu/host/host_perf.hpp>
#include <vpmu/sim/amd_pmu.hpp>
#include <vpmu/sim/arm_pmuv3.hpp>
#include <vpmu/sim/intel_pmu.hpp>
#include <vpmu/vpmu.hpp>

namespace {

using cpu_pmu = vpmu::sim::intel_pmu;  // the "hardware"; a real hypervisor uses x86::hw_access
using guest_pmu = vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::mediated, cpu_pmu>;

// The hypervisor's MSR exit handlers: intercepted MSRs go to vpmu, the rest run on "hardware"
// (on a real CPU the passthrough ones would not exit at all).
std::uint64_t guest_rdmsr(guest_pmu& pmu, cpu_pmu& cpu, std::uint32_t msr) {
  if (pmu.trap_config().passes_through(msr)) return cpu.rdmsr(msr);
  const vpmu::msr_result r = pmu.on_rdmsr(msr);
  if (r.fault) std::printf("  guest RDMSR %#x -> #GP\n", msr);
  return r.value;
}
void guest_wrmsr(guest_pmu& pmu, cpu_pmu& cpu, std::uint32_t msr, std::uint64_t v) {
  if (pmu.trap_config().passes_through(msr)) return cpu.wrmsr(msr, v);
  if (pmu.on_wrmsr(msr, v).fault) std::printf("  guest WRMSR %#x <- %#" PRIx64 " -> #GP\n", msr, v);
}

// What VM entry and exit do with IA32_PERF_GLOBAL_CTRL (VMCS guest field / host value 0).
void run_guest(guest_pmu& pmu, cpu_pmu& cpu, std::uint64_t instructions, std::uint64_t branches) {
  cpu.wrmsr(0x38f, pmu.entry_global_ctrl());
  cpu.set_mode({true, 0});  // guest kernel
  cpu.instructions(instructions);
  cpu.retire(vpmu::sim::intel_event::branches, branches);
  cpu.set_mode({false, 0});
  cpu.wrmsr(0x38f, 0);
}

}  // namespace

int main() {
  cpu_pmu cpu{{4, 8, 48, 3, 48, true}};  // host: PMU v4, 8 x 48-bit GP counters, 3 fixed

  // The guest sees 4 GP counters and 3 fixed counters; the host's caps must back that.
  vpmu::x86_guest_shape shape;
  shape.version = 4;
  shape.gp_counters = 4;
  const auto config = vpmu::validate_x86_config(shape, cpu.caps());
  if (!config) {
    std::printf("cannot give the guest this PMU: %s (%s)\n",
                vpmu::describe(config.error_value().code), config.error_value().field);
    return 1;
  }
  guest_pmu pmu{cpu, config.value()};
  const vpmu::x86::cpuid_regs leaf_0a = vpmu::x86::encode_intel_cpuid_0a(shape.intel_caps());
  std::printf("guest CPUID.0xA: eax=%#x edx=%#x\n", leaf_0a.eax, leaf_0a.edx);

  pmu.load();  // the vCPU is scheduled in
  // The guest's perf driver: disable, program PMC0 = instructions and PMC1 = branches, enable.
  guest_wrmsr(pmu, cpu, 0x38f, 0);
  guest_wrmsr(pmu, cpu, 0x186, 0x4300c0);  // EN | OS | USR, INST_RETIRED.ANY
  guest_wrmsr(pmu, cpu, 0x187, 0x4300c4);  // EN | OS | USR, BR_INST_RETIRED.ALL
  guest_wrmsr(pmu, cpu, 0x4c1, 0);
  guest_wrmsr(pmu, cpu, 0x4c2, 0);
  guest_wrmsr(pmu, cpu, 0x38f, 0x3);
  std::printf("counters passing through now: %u MSRs, RDPMC %s\n", pmu.trap_config().count,
              pmu.trap_config().rdpmc_exiting ? "exits" : "runs natively");

  run_guest(pmu, cpu, 45, 10);
  pmu.put();  // scheduled out: the host could use the counters now
  pmu.load();
  run_guest(pmu, cpu, 100, 7);

  std::printf("guest reads PMC0 (instructions) = %" PRIu64 "\n", guest_rdmsr(pmu, cpu, 0xc1));
  std::printf("guest reads PMC1 (branches)     = %" PRIu64 "\n", guest_rdmsr(pmu, cpu, 0xc2));
  std::printf("guest reads GLOBAL_STATUS       = %#" PRIx64 "\n", guest_rdmsr(pmu, cpu, 0x38e));
  // AnyThread is reserved for guests: the write faults, as on KVM.
  guest_wrmsr(pmu, cpu, 0x188, 0x6300c0);
  pmu.put();

  const auto saved = pmu.save_state();  // what migration would carry
  std::printf("saved state: PMC0=%" PRIu64 " PERFEVTSEL0=%#" PRIx64 " (format %u)\n",
              saved.registers.pmc[0], saved.registers.evtsel[0], saved.format);
  return 0;
}
