// SPDX-License-Identifier: MIT
// What the two EL2 images (stub.cpp and kut_host.cpp) share about the machine they run on:
// QEMU's virt board with virtualization=on and gic-version=3. System registers that vpmu does
// not describe (exception and GIC registers), the GICv3 addresses, the exception frame and the
// injection of an UNDEF into the guest.
#pragma once

#include <cstdint>

extern "C" {
// Start code (start.S).
void run_el1(void (*entry)(), std::uint64_t stack, std::uint64_t x0);
[[noreturn]] void back_to_el2();
void smc_call(std::uint64_t regs[4]);
}

namespace el2 {

// One read and one write function per system register (register names are assembler operands,
// so they cannot be function arguments). Unused ones are never emitted.
#define EL2_SYSREG(fn, name)                                 \
  [[maybe_unused]] inline std::uint64_t read_##fn() {        \
    std::uint64_t v;                                         \
    asm volatile("mrs %0, " #name : "=r"(v) : : "memory");   \
    return v;                                                \
  }                                                          \
  [[maybe_unused]] inline void write_##fn(std::uint64_t v) { \
    asm volatile("msr " #name ", %0" : : "r"(v) : "memory"); \
  }
EL2_SYSREG(esr_el2, esr_el2)
EL2_SYSREG(elr_el2, elr_el2)
EL2_SYSREG(spsr_el2, spsr_el2)
EL2_SYSREG(hcr_el2, hcr_el2)
EL2_SYSREG(cptr_el2, cptr_el2)
EL2_SYSREG(cnthctl_el2, cnthctl_el2)
EL2_SYSREG(cntvoff_el2, cntvoff_el2)
EL2_SYSREG(vpidr_el2, vpidr_el2)
EL2_SYSREG(vmpidr_el2, vmpidr_el2)
EL2_SYSREG(midr_el1, midr_el1)
EL2_SYSREG(mpidr_el1, mpidr_el1)
EL2_SYSREG(esr_el1, esr_el1)
EL2_SYSREG(elr_el1, elr_el1)
EL2_SYSREG(spsr_el1, spsr_el1)
EL2_SYSREG(vbar_el1, vbar_el1)
EL2_SYSREG(sctlr_el1, sctlr_el1)
// GICv3 CPU interface (Arm IHI 0069 "GICv3 and GICv4 Architecture Specification", 12.2/12.4).
EL2_SYSREG(icc_sre_el2, S3_4_C12_C9_5)
EL2_SYSREG(icc_pmr_el1, S3_0_C4_C6_0)
EL2_SYSREG(icc_ctlr_el1, S3_0_C12_C12_4)
EL2_SYSREG(icc_igrpen1_el1, S3_0_C12_C12_7)
EL2_SYSREG(icc_iar1_el1, S3_0_C12_C12_0)
EL2_SYSREG(icc_eoir1_el1, S3_0_C12_C12_1)
EL2_SYSREG(icc_dir_el1, S3_0_C12_C11_1)
EL2_SYSREG(ich_hcr_el2, S3_4_C12_C11_0)
EL2_SYSREG(ich_misr_el2, S3_4_C12_C11_2)
EL2_SYSREG(ich_eisr_el2, S3_4_C12_C11_3)
EL2_SYSREG(ich_lr0_el2, S3_4_C12_C12_0)
#undef EL2_SYSREG

// The registers an exception entry (start.S) saves: x0..x30.
struct frame {
  std::uint64_t x[31];
  std::uint64_t pad;
};

// start.S's vector entries pass their index: Arm ARM D1.3.1, "Exception vectors".
enum vector : std::uint64_t {
  current_sp0_sync = 0,
  current_spx_sync = 4,
  current_spx_irq = 5,
  lower_a64_sync = 8,
  lower_a64_irq = 9,
};

// Exception classes in ESR_ELx.EC (Arm ARM D17.2.37).
inline constexpr std::uint64_t ec_unknown = 0x00, ec_hvc64 = 0x16, ec_smc64 = 0x17,
                               ec_sysreg = 0x18;
inline constexpr std::uint64_t esr_il = std::uint64_t{1} << 25;

// HCR_EL2 bits (Arm ARM D17.2.48): RW (EL1 is AArch64), TSC (SMC traps to EL2), IMO (physical
// IRQs to EL2, the guest's ICC_* become ICV_*).
inline constexpr std::uint64_t hcr_rw = std::uint64_t{1} << 31, hcr_tsc = std::uint64_t{1} << 19,
                               hcr_imo = std::uint64_t{1} << 4;
// SPSR value of EL1h with D, A, I and F masked.
inline constexpr std::uint64_t spsr_el1h_masked = 0x3c5;

// --- GICv3 on QEMU virt: distributor at 0x08000000, redistributor of CPU 0 at 0x080A0000 ---
inline constexpr std::uintptr_t gicd = 0x08000000, gicr = 0x080A0000, gicr_sgi = gicr + 0x10000;
inline constexpr unsigned pmu_ppi = 23;          // the PMU interrupt on virt (Arm BSA: INTID 23)
inline constexpr unsigned maintenance_ppi = 25;  // the GIC maintenance interrupt (BSA: 25)
inline volatile std::uint32_t& mmio32(std::uintptr_t a) {
  return *reinterpret_cast<volatile std::uint32_t*>(a);
}
inline volatile std::uint8_t& mmio8(std::uintptr_t a) {
  return *reinterpret_cast<volatile std::uint8_t*>(a);
}

// Distributor and redistributor on, `ppi` in group 1 at a priority the CPU interface accepts;
// the EL2 CPU interface on (system-register interface, group 1, every priority).
inline void gic_init_ppi(unsigned ppi) {
  mmio32(gicd) = 0x10 | 0x2 | 0x1;                  // GICD_CTLR: ARE, EnableGrp1, EnableGrp0
  mmio32(gicr + 0x14) = mmio32(gicr + 0x14) & ~2U;  // GICR_WAKER.ProcessorSleep = 0
  while ((mmio32(gicr + 0x14) & 4U) != 0) {         // GICR_WAKER.ChildrenAsleep
  }
  mmio32(gicr_sgi + 0x80) = mmio32(gicr_sgi + 0x80) | 1U << ppi;  // GICR_IGROUPR0: group 1
  mmio8(gicr_sgi + 0x400 + ppi) = 0x80;                           // GICR_IPRIORITYR
  write_icc_sre_el2(read_icc_sre_el2() | 9);  // ICC_SRE_EL2: SRE, Enable (EL1 may use SRE)
  asm volatile("isb");
  write_icc_pmr_el1(0xff);
  write_icc_igrpen1_el1(1);
}
inline void ppi_enable(unsigned ppi, bool on) {
  mmio32(gicr_sgi + (on ? 0x100 : 0x180)) = 1U << ppi;  // GICR_ISENABLER0 / ICENABLER0
}
[[nodiscard]] inline bool ppi_enabled(unsigned ppi) {
  return (mmio32(gicr_sgi + 0x100) & (1U << ppi)) != 0;
}

// Where a synchronous exception taken to EL1 enters the guest's vector table, by the state it
// came from (SPSR_EL2.M[3:0]: the EL in [3:2], the stack pointer in [0]) -- Arm ARM D1.3.1
// "Exception vectors": from EL1 with SP_EL0 +0x000, from EL1 with SP_EL1 +0x200, from EL0
// (a lower EL, AArch64) +0x400.
[[nodiscard]] constexpr std::uint64_t el1_sync_vector_offset(std::uint64_t spsr) {
  const std::uint64_t mode = spsr & 0xf;
  if ((mode >> 2) == 0) return 0x400;
  return (mode & 1) != 0 ? 0x200 : 0x000;
}
static_assert(el1_sync_vector_offset(0x3c0) == 0x400);  // EL0t
static_assert(el1_sync_vector_offset(0x3c4) == 0x000);  // EL1t
static_assert(el1_sync_vector_offset(0x3c5) == 0x200);  // EL1h

// Makes the guest take an exception with syndrome `esr` at its EL1 on return from EL2, as if
// the trapped instruction had raised it there (Arm ARM D1.10.2 "Exception entry"): ELR/SPSR
// of the interrupted context, entry at the vector its state selects, EL1h with DAIF masked.
inline void inject_sync_to_el1(std::uint64_t esr) {
  const std::uint64_t spsr = read_spsr_el2();
  write_esr_el1(esr);
  write_elr_el1(read_elr_el2());
  write_spsr_el1(spsr);
  write_elr_el2(read_vbar_el1() + el1_sync_vector_offset(spsr));
  write_spsr_el2(spsr_el1h_masked);
}
// UNDEFINED: EC 0 (Unknown reason), IL 1.
inline void inject_undef() {
  inject_sync_to_el1(esr_il);
}

}  // namespace el2
