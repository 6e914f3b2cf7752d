// SPDX-License-Identifier: MIT
// The kvm-unit-tests host: a freestanding EL2 image for QEMU's virt machine (virtualization=on,
// gic-version=3) that boots an unmodified guest kernel image -- kvm-unit-tests' arm/pmu.flat --
// at EL1 and gives it its PMU through vcpu_pmu<arch::arm64, Policy, arm64::hw_access>.
//
// Boot: QEMU loads this host as a raw arm64 Image at 0x40080000 with x0 = the device tree, the
// guest with `-device loader` at guest_entry, and the boot parameter (which policy) at
// boot_parameter_address. The guest gets the device tree in x0 and its own `-append` line.
// No stage 2 (HCR_EL2.VM = 0): the guest reaches the UART and the GIC by MMIO directly and
// programs the distributor itself; its CPU-interface accesses go to the virtual interface
// (HCR_EL2.IMO), where this host injects the guest's PMU interrupt through list register 0.
// It keeps a profiling counter of its own in [HPMN, N) and checks it when the guest powers
// off (PSCI SYSTEM_OFF, trapped by HCR_EL2.TSC), then prints its verdicts and powers off.
// Output: the PL011 UART, shared with the guest, every host line starting with "HOST: ".
#include <cstdint>

#include "host_counter.hpp"
#include "line.hpp"
#include "platform.hpp"
#include "vcpu_runner.hpp"

#include <vpmu/access/arm64_hw.hpp>
#include <vpmu/host/host_perf.hpp>

namespace a64 = vpmu::arm64;
using namespace el2;

extern "C" {
extern char __stack_el1_top[];
}

namespace {

// Where run_kut.sh puts the guest and the boot parameter (just below the guest).
constexpr std::uint64_t guest_entry = 0x40200000;
constexpr std::uintptr_t boot_parameter_address = 0x401ff000;
// The boot parameter: "vpmu" in the upper half (so that a missing one is recognised), the
// policy in the lower.
constexpr std::uint64_t boot_parameter_tag = 0x76706d75ULL << 32;
enum class policy_choice : std::uint32_t { partitioned, emulated, lazy_partitioned };
constexpr const char* policy_names[] = {"partitioned", "emulated", "lazy_partitioned"};

// PSCI (Arm DEN 0022): SYSTEM_OFF's function ID; SMCCC's NOT_SUPPORTED.
constexpr std::uint64_t psci_system_off = 0x84000008;
constexpr std::uint64_t smccc_not_supported = ~std::uint64_t{0};

// --- output: PL011 UART of QEMU virt (data register at +0, flag register at +0x18) ----------
constexpr std::uintptr_t uart = 0x09000000;
void put_char(char c) {
  while ((mmio32(uart + 0x18) & (1U << 5)) != 0) {  // FR.TXFF: transmit FIFO full
  }
  mmio32(uart) = static_cast<unsigned char>(c);
}
void print(const el2_stub::line& l) {
  for (const char* p = "HOST: "; *p != 0; ++p)
    put_char(*p);
  for (unsigned i = 0; i < l.n; ++i)
    put_char(l.text[i]);
  put_char('\n');
}
[[noreturn]] void power_off() {
  std::uint64_t regs[4] = {psci_system_off, 0, 0, 0};
  smc_call(regs);
  for (;;)
    asm volatile("wfe");
}
[[noreturn]] void fatal(const char* what, std::uint64_t esr, std::uint64_t elr) {
  el2_stub::line l;
  l << "FAIL: " << what << ", ESR ";
  l.hex(esr) << " ELR ";
  l.hex(elr);
  print(l);
  power_off();
}

// --- the guest's PMU interrupt, through list register 0 (GICv3 spec 12.5.9 ICH_LR<n>_EL2) ---
constexpr std::uint64_t lr_state_mask = std::uint64_t{3} << 62;
constexpr std::uint64_t lr_pending = std::uint64_t{1} << 62;
constexpr std::uint64_t lr_hw = std::uint64_t{1} << 61;
constexpr std::uint64_t lr_group1 = std::uint64_t{1} << 60;
constexpr std::uint64_t lr_eoi = std::uint64_t{1} << 41;  // HW = 0: maintenance IRQ on EOI
constexpr unsigned lr_priority_lsb = 48, lr_pintid_lsb = 32;
constexpr std::uint64_t guest_irq_priority = 0xa0;  // below the guest's PMR threshold (0xf0)
constexpr std::uint64_t pmu_lr =
    lr_pending | lr_group1 | (guest_irq_priority << lr_priority_lsb) | pmu_ppi;
constexpr std::uint64_t icc_ctlr_eoimode = std::uint64_t{1} << 1;  // EOIR drops priority only
constexpr std::uint64_t ich_hcr_en = 1;

// The running vCPU, as the exception handlers see it (set by run()).
struct {
  void* runner = nullptr;
  vpmu::sysreg_result (*trap)(void*, std::uint64_t esr, std::uint64_t rt, bool from_el0) = nullptr;
  void (*host_overflow)(void*) = nullptr;
  bool (*line)(void*) = nullptr;
  void (*delivered)(void*) = nullptr;
  // Emulated: the host perf whose counters back the guest's; its overflow flags are the host's
  // to acknowledge before the policy folds the counts.
  vpmu::host_perf<vpmu::arch::arm64, a64::hw_access>* perf = nullptr;
  // The guest's counters are hardware counters (partitioned): the physical PMU interrupt is
  // the guest's and is forwarded with HW = 1, so the guest's deactivation deactivates it.
  // Otherwise (emulated) the host computes the line, and injects with HW = 0 and EOI = 1.
  bool hardware_line = false;
  unsigned injected = 0;
  unsigned unexpected_irqs = 0;
} vcpu;

// HW = 0: make list register 0 follow the line the policy computes (level-sensitive): inject
// when it is high and the guest enabled the interrupt in its distributor, retract an injection
// the guest has not taken yet when it falls, leave an active one to the maintenance interrupt.
void sync_virtual_line() {
  if (vcpu.hardware_line) return;
  const std::uint64_t state = read_ich_lr0_el2() & lr_state_mask;
  const bool want = vcpu.line(vcpu.runner) && ppi_enabled(pmu_ppi);
  if (state == 0 && want) {
    write_ich_lr0_el2(pmu_lr | lr_eoi);
    ++vcpu.injected;
  } else if (state == lr_pending && !want) {
    write_ich_lr0_el2(0);
  }
}

void on_irq() {
  const std::uint64_t iar = read_icc_iar1_el1();
  const std::uint64_t intid = iar & 0xffffff;
  if (intid >= 1020) return;  // spurious
  if (intid == pmu_ppi) {
    if (vcpu.perf != nullptr) (void)vcpu.perf->take_overflow();
    vcpu.host_overflow(vcpu.runner);  // the policy's bookkeeping
    if (vcpu.hardware_line) {
      write_ich_lr0_el2(pmu_lr | lr_hw | (std::uint64_t{pmu_ppi} << lr_pintid_lsb));
      ++vcpu.injected;
      write_icc_eoir1_el1(iar);  // priority drop; the guest's EOI deactivates it
      return;
    }
  } else if (intid == maintenance_ppi) {
    if ((read_ich_eisr_el2() & 1) != 0) {  // the guest deactivated list register 0
      write_ich_lr0_el2(0);
      vcpu.delivered(vcpu.runner);
    }
  } else {
    ++vcpu.unexpected_irqs;
  }
  write_icc_eoir1_el1(iar);
  write_icc_dir_el1(iar);
  sync_virtual_line();
}

a64::hw_access hw;
std::uint64_t dtb = 0;

}  // namespace

extern "C" void el2_exception(frame* f, std::uint64_t kind) {
  if (kind == lower_a64_irq || kind == current_spx_irq) {
    on_irq();
    return;
  }
  const std::uint64_t esr = read_esr_el2(), elr = read_elr_el2();
  if (kind != lower_a64_sync) fatal("unexpected exception at EL2", esr, elr);
  switch (a64::esr_ec(esr)) {
    case ec_smc64:  // trapped by HCR_EL2.TSC; the preferred return address is the SMC itself
      if (f->x[0] == psci_system_off) back_to_el2();
      smc_call(f->x);  // anything else: to QEMU's PSCI firmware
      write_elr_el2(elr + 4);
      return;
    case ec_hvc64:  // no hypervisor calls: SMCCC's answer (ELR is already past the HVC)
      f->x[0] = smccc_not_supported;
      return;
    case ec_sysreg: break;
    default: fatal("unexpected exception from the guest", esr, elr);
  }
  const auto access = a64::decode_pmu_trap(esr);
  if (!access) fatal("a trapped register that is not the PMU's", esr, elr);
  const unsigned rt = access.value().rt;
  const bool from_el0 = ((read_spsr_el2() >> 2) & 3) == 0;  // SPSR_EL2.M[3:2]: the EL
  const vpmu::sysreg_result r =
      vcpu.trap(vcpu.runner, esr, rt == 31 ? 0 : f->x[rt], from_el0);  // Rt = 31: XZR
  if (r.undefined) {
    inject_undef();
  } else if (r.trap_to_el1) {
    inject_sync_to_el1(esr);  // the guest's PMUSERENR_EL0 denies this EL0 access
  } else {
    if (access.value().is_read && rt != 31) f->x[rt] = r.value;
    write_elr_el2(elr + 4);
  }
  sync_virtual_line();
}

extern "C" void el1_exception(frame*, std::uint64_t) {
  fatal("EL1 vectors of the host taken", read_esr_el1(), read_elr_el1());
}

namespace {

template <class Pmu, class Backend>
unsigned run(policy_choice choice, const vpmu::arm64_config& config, const a64::pmu_caps& caps,
             Backend& backend, el2_stub::host_counter<a64::hw_access>& host) {
  Pmu pmu{backend, config};
  using runner_type = el2_stub::vcpu_runner<Pmu, a64::hw_access>;
  runner_type runner{pmu, hw, host.index, caps};
  vcpu.runner = &runner;
  vcpu.trap = [](void* r, std::uint64_t esr, std::uint64_t v, bool el0) {
    return static_cast<runner_type*>(r)->on_trap(esr, v, el0);
  };
  vcpu.host_overflow = [](void* r) { static_cast<runner_type*>(r)->on_pmu_interrupt(); };
  vcpu.line = [](void* r) { return static_cast<runner_type*>(r)->pmu.irq_pending(); };
  vcpu.delivered = [](void* r) {
    if constexpr (requires(Pmu & p) { p.irq_delivered(); })
      static_cast<runner_type*>(r)->pmu.irq_delivered();
  };
  vcpu.hardware_line = choice != policy_choice::emulated;
  // Whether every guest PMU access must trap to this host (all but untrapped partitioned, and
  // lazy<P>, whose first access traps).
  bool trapping = true;
  if constexpr (requires(Pmu & p) { p.traps_everything(); }) {
    if (choice == policy_choice::partitioned) trapping = pmu.traps_everything();
  }

  runner.enter();
  run_el1(reinterpret_cast<void (*)()>(guest_entry),
          reinterpret_cast<std::uint64_t>(__stack_el1_top), dtb);
  runner.exit();  // the guest called SYSTEM_OFF

  unsigned failures = 0;
  print((el2_stub::line{} << "PMU traps taken: ").dec(runner.traps)
        << (trapping ? "" : " (untrapped policy)"));
  if (trapping && runner.traps == 0) {
    print(el2_stub::line{} << "FAIL: no PMU access trapped under a trapping policy");
    ++failures;
  }
  print((el2_stub::line{} << "guest PMU interrupts injected: ").dec(vcpu.injected));
  if (vcpu.unexpected_irqs != 0) {
    print((el2_stub::line{} << "FAIL: unexpected physical interrupts: ").dec(vcpu.unexpected_irqs));
    ++failures;
  }
  if (const char* what = host.disturbance(); what == nullptr) {
    print(el2_stub::line{} << "PASS: the host's counter is intact");
  } else {
    print(el2_stub::line{} << "FAIL: the host's counter was disturbed: " << what);
    ++failures;
  }
  return failures;
}

}  // namespace

extern "C" [[noreturn]] void hyp_main(std::uint64_t device_tree) {
  dtb = device_tree;
  const std::uint64_t parameter =
      *reinterpret_cast<volatile std::uint64_t*>(boot_parameter_address);
  const auto choice = static_cast<policy_choice>(parameter & 0xffffffff);
  if ((parameter >> 32) != (boot_parameter_tag >> 32) ||
      static_cast<std::uint32_t>(choice) >
          static_cast<std::uint32_t>(policy_choice::lazy_partitioned)) {
    fatal("no boot parameter at 0x401ff000 (run_kut.sh puts the policy there)", parameter, 0);
  }
  const a64::pmu_caps caps = a64::probe_caps(hw);
  // The host's interrupts: the PMU's (forwarded to the guest) and the GIC maintenance
  // interrupt (the guest deactivated an injected one). EOImode 1: EOIR only drops the running
  // priority, so a forwarded hardware interrupt stays active until the guest deactivates it.
  gic_init_ppi(pmu_ppi);
  gic_init_ppi(maintenance_ppi);
  write_icc_ctlr_el1(read_icc_ctlr_el1() | icc_ctlr_eoimode);
  ppi_enable(pmu_ppi, true);
  ppi_enable(maintenance_ppi, true);
  write_ich_hcr_el2(ich_hcr_en);
  // The guest's EL1: AArch64, SMC and physical IRQs to EL2, FP/SIMD/SVE untrapped (CPTR_EL2
  // RES1 bits only), the physical timer and counter accessible, its own MIDR/MPIDR.
  write_hcr_el2(hcr_rw | hcr_tsc | hcr_imo);
  write_cptr_el2(0x32ff);
  write_cnthctl_el2(3);
  write_cntvoff_el2(0);
  write_vpidr_el2(read_midr_el1());
  write_vmpidr_el2(read_mpidr_el1());
  write_sctlr_el1(0x30d00800);  // RES1 bits, MMU and caches off: the guest sets its own
  asm volatile("isb");

  el2_stub::host_counter<a64::hw_access> host{hw, static_cast<unsigned>(caps.counters - 1U)};
  host.start();
  const auto config = vpmu::validate_arm64_config({caps.version, host.index}, caps);
  if (!config) {
    const vpmu::error& e = config.error_value();
    el2_stub::line l;
    l << "FAIL: invalid configuration: " << vpmu::describe(e.code) << " ("
      << (e.where != nullptr ? e.where : "?") << ")";
    print(l);
    power_off();
  }
  print((((el2_stub::line{} << "vpmu policy " << policy_names[static_cast<unsigned>(choice)]
                            << ", guest counters ")
              .dec(host.index)
          << " of ")
             .dec(caps.counters)));
  using namespace vpmu;
  using partitioned = vcpu_pmu<arch::arm64, policy::partitioned, a64::hw_access>;
  using lazy_partitioned = vcpu_pmu<arch::arm64, policy::lazy<policy::partitioned>, a64::hw_access>;
  unsigned failures = 0;
  switch (choice) {
    case policy_choice::partitioned:
      failures = run<partitioned>(choice, config.value(), caps, hw, host);
      break;
    case policy_choice::emulated: {
      host_perf<arch::arm64, a64::hw_access> perf{hw, caps.event_counters_64bit() ? 64U : 32U,
                                                  low_mask(host.index)};
      vcpu.perf = &perf;
      failures = run<vcpu_pmu<arch::arm64, policy::emulated, decltype(perf)>>(
          choice, config.value(), caps, perf, host);
      break;
    }
    case policy_choice::lazy_partitioned:
      failures = run<lazy_partitioned>(choice, config.value(), caps, hw, host);
      break;
  }
  // The last line: the checker counts an entry as run to the end only with it.
  print((el2_stub::line{} << "done, failed host checks: ").dec(failures));
  power_off();
}
