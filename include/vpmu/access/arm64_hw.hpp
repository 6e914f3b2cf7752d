// SPDX-License-Identifier: MIT
// The arm64 hardware backend: MRS / MSR at EL2. Defined when compiling for AArch64; elsewhere a
// declaration whose construction is a compile error saying so.
//
// A register known at compile time becomes exactly one instruction: its encoding is spliced
// into the generic assembler name S<op0>_<op1>_C<n>_C<m>_<op2> through "i" operands printed
// with %c (no '#'), so no runtime switch and no dependency on the assembler knowing the name.
// A runtime encoding (a decoded trap) goes through a switch over the 31 family members and the
// PMU registers; inlined with a constant argument, it folds back to one instruction.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/pmu_families.hpp"
#include "vpmu/arch/arm64/pmu_register.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/arch/arm64/sysreg_encoding.hpp"
#include "vpmu/core/config.hpp"

#if defined(__aarch64__)
#include <utility>  // std::integer_sequence: the 31-member family switches

namespace vpmu::arm64 {

struct hw_access {
  template <class R>
  static VPMU_ALWAYS_INLINE std::uint64_t read() {
    std::uint64_t v;
    asm volatile("mrs %0, S%c1_%c2_C%c3_C%c4_%c5"
                 : "=r"(v)
                 : "i"(R::encoding.op0), "i"(R::encoding.op1), "i"(R::encoding.crn),
                   "i"(R::encoding.crm), "i"(R::encoding.op2));
    return v;
  }
  template <class R>
  static VPMU_ALWAYS_INLINE void write(std::uint64_t v) {
    asm volatile("msr S%c1_%c2_C%c3_C%c4_%c5, %0" ::"r"(v), "i"(R::encoding.op0),
                 "i"(R::encoding.op1), "i"(R::encoding.crn), "i"(R::encoding.crm),
                 "i"(R::encoding.op2)
                 : "memory");
  }

  // The families with a runtime index: a jump table of single MRS/MSR instructions.
  static VPMU_ALWAYS_INLINE std::uint64_t read_pmevcntr(unsigned n) {
    return family_read<false>(n);
  }
  static VPMU_ALWAYS_INLINE std::uint64_t read_pmevtyper(unsigned n) {
    return family_read<true>(n);
  }
  static VPMU_ALWAYS_INLINE void write_pmevcntr(unsigned n, std::uint64_t v) {
    family_write<false>(n, v);
  }
  static VPMU_ALWAYS_INLINE void write_pmevtyper(unsigned n, std::uint64_t v) {
    family_write<true>(n, v);
  }

  static VPMU_ALWAYS_INLINE std::uint64_t read(sysreg_encoding e) {
    std::uint64_t v = 0;
    (void)dispatch(e, [&]<class R>() { v = read<R>(); });
    return v;
  }
  static VPMU_ALWAYS_INLINE void write(sysreg_encoding e, std::uint64_t v) {
    (void)dispatch(e, [&]<class R>() { write<R>(v); });
  }

 private:
  template <bool Typer>
  static VPMU_ALWAYS_INLINE std::uint64_t family_read(unsigned n) {
    std::uint64_t v = 0;
    (void)family(
        n, Typer, [&]<class R>() { v = read<R>(); },
        std::make_integer_sequence<unsigned, max_event_counters>{});
    return v;
  }
  template <bool Typer>
  static VPMU_ALWAYS_INLINE void family_write(unsigned n, std::uint64_t v) {
    (void)family(
        n, Typer, [&]<class R>() { write<R>(v); },
        std::make_integer_sequence<unsigned, max_event_counters>{});
  }
  template <unsigned... N, class F>
  static VPMU_ALWAYS_INLINE bool family(unsigned n, bool typer, F&& f,
                                        std::integer_sequence<unsigned, N...> /*unused*/) {
    return ((n == N ? (typer ? f.template operator()<pmevtyper_el0<N>>()
                             : f.template operator()<pmevcntr_el0<N>>()),
             true   : false) ||
            ...);
  }
  template <class F>
  static VPMU_ALWAYS_INLINE bool dispatch(sysreg_encoding e, F&& f) {
    const pmu_reg_ref r = classify(e);
    if (r.reg == pmu_reg::pmevcntr || r.reg == pmu_reg::pmevtyper) {
      return family(r.index, r.reg == pmu_reg::pmevtyper, f,
                    std::make_integer_sequence<unsigned, max_event_counters>{});
    }
    return pmu_registers::visit(e, f) || el2_registers::visit(e, f);
  }
};

static_assert(::vpmu::sysreg_access<hw_access>);

}  // namespace vpmu::arm64
#else
namespace vpmu::arm64 {

// Not compiling for AArch64: MRS/MSR do not exist here. The type is declared so code naming it
// parses; constructing one is the single error that says why.
struct hw_access {
  template <class T = void>
  hw_access() {
    static_assert(sizeof(T*) == 0,
                  "vpmu::arm64::hw_access executes MRS/MSR and exists only when compiling for "
                  "AArch64; elsewhere use your own vpmu::sysreg_access backend or "
                  "vpmu::sim::arm_pmuv3");
  }
  static std::uint64_t read(sysreg_encoding e);
  static void write(sysreg_encoding e, std::uint64_t value);
};

}  // namespace vpmu::arm64
#endif
