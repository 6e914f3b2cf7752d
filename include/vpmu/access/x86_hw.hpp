// SPDX-License-Identifier: MIT
// The x86 hardware backend: RDMSR / WRMSR / RDPMC, for ring-0 hypervisor code. Defined when
// compiling for x86-64 (elsewhere a declaration whose construction is a compile error saying so).
// vpmu's tests never execute it on the host (it would #GP in user space);
// a codegen test checks what it compiles to.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/core/config.hpp"

#if defined(__x86_64__)
namespace vpmu::x86 {

struct hw_access {
  static VPMU_ALWAYS_INLINE std::uint64_t rdmsr(std::uint32_t index) {
    std::uint32_t lo = 0, hi = 0;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(index));
    return (std::uint64_t{hi} << 32) | lo;
  }
  static VPMU_ALWAYS_INLINE void wrmsr(std::uint32_t index, std::uint64_t value) {
    asm volatile("wrmsr" ::"c"(index), "a"(static_cast<std::uint32_t>(value)),
                 "d"(static_cast<std::uint32_t>(value >> 32))
                 : "memory");
  }
  static VPMU_ALWAYS_INLINE std::uint64_t rdpmc(std::uint32_t selector) {
    std::uint32_t lo = 0, hi = 0;
    asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(selector));
    return (std::uint64_t{hi} << 32) | lo;
  }
  // The MSR index is a constant of R: `mov $index, %ecx; rdmsr`, no lookup.
  template <class R>
  static VPMU_ALWAYS_INLINE std::uint64_t read() {
    return rdmsr(R::msr.index);
  }
  template <class R>
  static VPMU_ALWAYS_INLINE void write(std::uint64_t value) {
    wrmsr(R::msr.index, value);
  }
};

static_assert(::vpmu::msr_access<hw_access>);

}  // namespace vpmu::x86
#else
namespace vpmu::x86 {

// Not compiling for x86-64: RDMSR/WRMSR/RDPMC do not exist here. The type is declared so code
// naming it parses; constructing one is the single error that says why.
struct hw_access {
  template <class T = void>
  hw_access() {
    static_assert(sizeof(T*) == 0,
                  "vpmu::x86::hw_access executes RDMSR/WRMSR/RDPMC and exists only when "
                  "compiling for x86-64; elsewhere use your own vpmu::msr_access backend or "
                  "vpmu::sim::intel_pmu / amd_pmu");
  }
  static std::uint64_t rdmsr(std::uint32_t index);
  static void wrmsr(std::uint32_t index, std::uint64_t value);
  static std::uint64_t rdpmc(std::uint32_t selector);
};

}  // namespace vpmu::x86
#endif
