// SPDX-License-Identifier: MIT
// Which bits of the x86 PMU MSRs a guest with given caps may set, and what happens when it sets
// others: Intel raises #GP, AMD silently drops them (x86.md §2, Linux kvm_pmu_refresh /
// intel_pmu_refresh / amd_pmu_refresh).
//
// The Intel rules are KVM's, with two deliberate differences, both toward the architecture:
//  - EQ (bit 36) and UMASK2 (47:40) are accepted when CPUID.0x23 advertises them (KVM reserves
//    them always because it has no support merged).
//  - Everything else here follows KVM, including AnyThread (bit 21) reserved always: letting a
//    guest count its sibling hyperthread's events would leak the host's activity into the guest.
// Two decisions elsewhere follow the SDM rather than KVM, and say so where they are made
// (policy/x86_config.hpp): which fixed counters exist (CPUID.0xA.ECX's bitmap, which KVM does not
// read) and how many counters a guest may have (the architectural MSR slots: 8 GP and 4 fixed on
// Intel, 6 on AMD; KVM stops at 3 fixed).
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/cpuid.hpp"
#include "vpmu/arch/x86/fixed_ctr_ctrl.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/supported.hpp"

namespace vpmu::x86 {

// --- Intel ---------------------------------------------------------------------------------------

// Reserved PERFEVTSEL bits for GP counter `counter` (KVM base mask 0xffffffff00200000).
[[nodiscard]] constexpr std::uint64_t perfevtsel_reserved(const intel_caps& c, unsigned counter) {
  using s = ia32_perfevtselx;
  std::uint64_t reserved = 0xffff'ffff'0020'0000ULL;
  if (c.tsx) reserved &= ~s::in_tx.mask;
  if (c.tsx && counter == 2) reserved &= ~s::in_txcp.mask;  // IN_TXCP only on counter 2
  if (c.pebs_baseline) reserved &= ~s::adaptive.mask;
  if (c.eq) reserved &= ~s::eq.mask;
  if (c.umask2) reserved &= ~s::umask2.mask;
  return reserved;
}

// FIXED_CTR_CTRL: per existing fixed counter the OS, USR and PMI bits (and ADAPTIVE with PEBS
// baseline); AnyThread and every other bit reserved.
[[nodiscard]] constexpr std::uint64_t fixed_ctr_ctrl_reserved(const intel_caps& c) {
  std::uint64_t allowed = 0;
  for (unsigned i = 0; i < 8; ++i) {
    if (!c.has_fixed(i)) continue;
    allowed |= fixed_field::at(i, fixed_field::os | fixed_field::usr | fixed_field::pmi);
    if (c.pebs_baseline)
      allowed |= ia32_fixed_ctr_ctrl::adaptive0.mask << (fixed_field::stride * i);
  }
  return ~allowed;
}

// GLOBAL_CTRL: one enable per GP counter (bit n) and per fixed counter (bit 32 + n).
[[nodiscard]] constexpr std::uint64_t global_ctrl_reserved(const intel_caps& c) {
  return ~(low_mask(c.gp_counters) | (std::uint64_t{c.fixed_mask()} << 32));
}

// GLOBAL_STATUS / OVF_CTRL / STATUS_SET: the counter bits plus OvfBuf (62) and CondChgd (63).
[[nodiscard]] constexpr std::uint64_t global_status_reserved(const intel_caps& c) {
  return global_ctrl_reserved(c) & ~(bit(62) | bit(63));
}

[[nodiscard]] constexpr std::uint64_t gp_counter_mask(const intel_caps& c) {
  return low_mask(c.gp_width);
}
[[nodiscard]] constexpr std::uint64_t fixed_counter_mask(const intel_caps& c) {
  return low_mask(c.fixed_width);
}

// A PERFEVTSEL value a guest wrote: unchanged if valid, else an error naming the first reserved
// field it touches (the hypervisor injects #GP).
[[nodiscard]] constexpr result<ia32_perfevtselx::value> validate_perfevtsel(
    const intel_caps& c, unsigned counter, ia32_perfevtselx::value v) {
  return require_supported(v, ~perfevtsel_reserved(c, counter));
}

// A PERFEVTSEL fixed at compile time for caps known at compile time: a reserved field is a build
// error naming it (field_not_supported_by_these_caps<field<..., "ANY">>).
consteval ia32_perfevtselx::value perfevtsel_for(intel_caps c, unsigned counter,
                                                 ia32_perfevtselx::value v) {
  return require_supported_at_compile_time(v, ~perfevtsel_reserved(c, counter));
}

[[nodiscard]] constexpr result<ia32_fixed_ctr_ctrl::value> validate_fixed_ctr_ctrl(
    const intel_caps& c, ia32_fixed_ctr_ctrl::value v) {
  return require_supported(v, ~fixed_ctr_ctrl_reserved(c));
}

// IA32_DEBUGCTL bits a guest may set through vpmu: FREEZE_WHILE_SMM only (a guest never runs in
// SMM, so there is nothing to emulate). FREEZE_PERFMON_ON_PMI and FREEZE_LBRS_ON_PMI are not
// emulated (as in KVM, vmx_get_supported_debugctl), and the other bits are not PMU state: a write
// of any of them is a #GP.
inline constexpr std::uint64_t debugctl_writable = ia32_debugctl::freeze_while_smm.mask;

// --- AMD -----------------------------------------------------------------------------------------

// PerfEvtSel / PERF_CTL bits a guest may set (KVM: reserved = 0xfffffff000280000, i.e. 63:36,
// bit 21 and bit 19; this includes HostOnly/GuestOnly, which are the hypervisor's to set).
inline constexpr std::uint64_t amd_perf_ctl_reserved = 0xffff'fff0'0028'0000ULL;

[[nodiscard]] constexpr std::uint64_t amd_global_ctl_reserved(const amd_caps& c) {
  return ~low_mask(c.gp_counters);
}
[[nodiscard]] constexpr std::uint64_t amd_counter_mask() {
  return low_mask(amd_caps::counter_width);
}

// AMD hardware ignores reserved bits instead of faulting: what the write really sets.
[[nodiscard]] constexpr amd_perf_ctln::value sanitize_perf_ctl(std::uint64_t written) {
  return amd_perf_ctln::value::from_hardware(written & ~amd_perf_ctl_reserved);
}

}  // namespace vpmu::x86
