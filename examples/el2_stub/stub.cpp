// SPDX-License-Identifier: MIT
// The EL2 hypervisor stub: a freestanding image for QEMU's virt machine (virtualization=on,
// gic-version=3) that probes the PMU from the ID registers, runs an EL1 guest under each of
// vpmu's policies with the hardware backend (real MRS/MSR, real EC 0x18 traps, the real PMU
// interrupt through the GICv3), keeps a counter of its own in [HPMN, N) and checks it after
// every scenario. Output and verdict go through semihosting (SYS_WRITE0, SYS_EXIT).
#include <cstdint>
#include <type_traits>
#include <utility>

#include "hypervisor.hpp"
#include "platform.hpp"

#include <vpmu/access/arm64_hw.hpp>
#include <vpmu/host/host_perf.hpp>

namespace a64 = vpmu::arm64;

extern "C" {
std::uint64_t semihosting(std::uint64_t op, const void* arg);
extern char el1_vectors[];
extern char __stack_el1_top[];
}

namespace {

using namespace el2;

// --- semihosting (Arm "Semihosting for AArch32 and AArch64", SYS_WRITE0 0x04, SYS_EXIT 0x18) ---
void write0(const char* s) {
  (void)semihosting(0x04, s);
}
[[noreturn]] void exit_with(unsigned code) {
  // AArch64 SYS_EXIT takes {reason, subcode}; ADP_Stopped_ApplicationExit = 0x20026.
  const std::uint64_t block[2] = {0x20026, code};
  (void)semihosting(0x18, block);
  for (;;)
    asm volatile("wfe");
}

void gic_init() {
  gic_init_ppi(pmu_ppi);
}
void pmu_ppi_enable(bool on) {
  ppi_enable(pmu_ppi, on);
}

// --- the guest side (runs at EL1) ---------------------------------------------------------------
volatile bool el1_undefined = false;

struct el1_guest {
  bool undefined_ = false;
  std::uint64_t read(a64::sysreg_encoding e) {
    el1_undefined = false;
    const std::uint64_t v = a64::hw_access::read(e);
    undefined_ = el1_undefined;
    return v;
  }
  void write(a64::sysreg_encoding e, std::uint64_t v) {
    el1_undefined = false;
    a64::hw_access::write(e, v);
    undefined_ = el1_undefined;
  }
  [[nodiscard]] bool undefined() const { return undefined_; }
  // One instruction sequence: MRS, MOV, k × (SUBS, B.NE), MRS.
  std::pair<std::uint64_t, std::uint64_t> counted_loop(std::uint64_t k) {
    std::uint64_t before, after, n;
    asm volatile(
        "mrs %0, S3_3_C14_C8_0\n"  // PMEVCNTR0_EL0
        "mov %2, %3\n"
        "1: subs %2, %2, #1\n"
        "b.ne 1b\n"
        "mrs %1, S3_3_C14_C8_0\n"
        : "=&r"(before), "=&r"(after), "=&r"(n)
        : "r"(k)
        : "cc", "memory");
    return {before, after};
  }
};

// What the running scenario wants done: set by run_guest, used by the exception handlers.
struct {
  void* runner = nullptr;
  vpmu::sysreg_result (*trap)(void*, std::uint64_t esr, std::uint64_t rt_value) = nullptr;
  void (*interrupt)(void*) = nullptr;
  void* program = nullptr;
  void (*call_program)(void*, el1_guest&) = nullptr;
} current;

void guest_entry() {
  el1_guest g;
  current.call_program(current.program, g);
  asm volatile("hvc #0");  // done: back to the hypervisor
  for (;;) {
  }
}

a64::hw_access hw;

class qemu_machine {
 public:
  explicit qemu_machine(const a64::pmu_caps& caps) : caps_(caps) {}
  a64::hw_access& regs() { return hw; }
  [[nodiscard]] a64::pmu_caps caps() const { return caps_; }
  auto make_host_perf(unsigned host_counter) {
    return vpmu::host_perf<vpmu::arch::arm64, a64::hw_access>{
        hw, caps_.event_counters_64bit() ? 64U : 32U, vpmu::low_mask(host_counter)};
  }
  void print(const el2_stub::line& l) {
    write0(l.text);
    write0("\n");
  }
  template <class Runner, class Program>
  void run_guest(Runner& runner, Program&& program) {
    current.runner = &runner;
    current.trap = [](void* r, std::uint64_t esr, std::uint64_t v) {
      return static_cast<Runner*>(r)->on_trap(esr, v);
    };
    current.interrupt = [](void* r) { static_cast<Runner*>(r)->on_pmu_interrupt(); };
    current.program = &program;
    current.call_program = [](void* p, el1_guest& g) {
      (*static_cast<std::remove_reference_t<Program>*>(p))(g);
    };
    pmu_ppi_enable(true);
    run_el1(guest_entry, reinterpret_cast<std::uint64_t>(__stack_el1_top), 0);
    pmu_ppi_enable(false);
  }

 private:
  a64::pmu_caps caps_;
};

[[noreturn]] void fatal(const char* what, std::uint64_t esr, std::uint64_t elr) {
  el2_stub::line l;
  l << "# FAIL: " << what << ", ESR ";
  l.hex(esr) << " ELR ";
  l.hex(elr);
  write0(l.text);
  write0("\n");
  exit_with(3);
}

}  // namespace

extern "C" void el2_exception(frame* f, std::uint64_t kind) {
  const std::uint64_t esr = read_esr_el2(), elr = read_elr_el2();
  if (kind == lower_a64_irq || kind == current_spx_irq) {
    const std::uint64_t intid = read_icc_iar1_el1();  // ICC_IAR1_EL1
    if (intid == pmu_ppi) {
      pmu_ppi_enable(false);  // recorded, not injected: the line stays high until the guest acks
      current.interrupt(current.runner);
    }
    if (intid < 1020) write_icc_eoir1_el1(intid);  // ICC_EOIR1_EL1
    return;
  }
  if (kind != lower_a64_sync) fatal("unexpected exception at EL2", esr, elr);
  if (a64::esr_ec(esr) == ec_hvc64) back_to_el2();  // HVC: the guest program is done
  // A trapped MRS/MSR (EC 0x18) of a PMU register, decoded by vpmu (ISS: Rt, direction, encoding).
  const auto access = a64::decode_pmu_trap(esr);
  if (!access) fatal("unexpected trap from EL1", esr, elr);
  const unsigned rt = access.value().rt;
  const bool is_read = access.value().is_read;
  const std::uint64_t rt_value = rt == 31 ? 0 : f->x[rt];  // Rt = 31: XZR
  const vpmu::sysreg_result r = current.trap(current.runner, esr, rt_value);
  if (r.undefined) {
    inject_undef();
    return;
  }
  // The scenario's guest accesses come from EL1: the guest's own PMUSERENR never applies.
  if (r.trap_to_el1) fatal("an EL1 access answered with a trap to EL1", esr, elr);
  if (is_read && rt != 31) f->x[rt] = r.value;
  write_elr_el2(elr + 4);
}

extern "C" void el1_exception(frame*, std::uint64_t kind) {
  if (kind ==
      current_spx_sync) {  // synchronous, current EL: an UNDEFINED access (real or injected)
    el1_undefined = true;
    write_elr_el1(read_elr_el1() + 4);
    return;
  }
  fatal("unexpected exception at EL1", read_esr_el1(), read_elr_el1());
}

extern "C" [[noreturn]] void hyp_main(std::uint64_t /*dtb: not used by the stub*/) {
  gic_init();
  const a64::pmu_caps caps = a64::probe_caps(hw);
  // The guest: AArch64 EL1, physical IRQs to EL2 (HCR_EL2.RW, IMO), MMU off, its own vectors.
  write_hcr_el2(hcr_rw | hcr_imo);
  write_sctlr_el1(0x30d00800);
  write_vbar_el1(reinterpret_cast<std::uint64_t>(el1_vectors));
  asm volatile("isb");
  qemu_machine m{caps};
#ifdef EL2_STUB_CHECK_DEVIATIONS  // the test that proves the host-counter check can fail
  el2_stub::hypervisor<qemu_machine> h{m, true};
#else
  el2_stub::hypervisor<qemu_machine> h{m};
#endif
  const unsigned failures = h.run_all();
  exit_with(failures == 0 ? 0 : 1);
}
