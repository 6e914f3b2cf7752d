// SPDX-License-Identifier: MIT
// How policies reach PMU registers: one concept per architecture, satisfied by the hardware
// backends, the simulators and the decorators that count or record accesses.
//
// A backend is the hypervisor's own view (ring 0 / EL2): every access it is asked for exists on
// the PMU the policy was configured for, so plain reads and writes return values, not faults.
// What a *guest* would see for the same access (a #GP, a trap to EL2, UNDEFINED) is a separate,
// simulator-only question; see sim/.
#pragma once

#include <concepts>
#include <cstdint>

#include "vpmu/arch/arm64/sysreg_encoding.hpp"

namespace vpmu {

// x86: MSRs by index, and RDPMC by its ECX selector (bit 30 = fixed counter).
template <class A>
concept msr_access = requires(A& a, std::uint32_t index, std::uint64_t value) {
  { a.rdmsr(index) } -> std::same_as<std::uint64_t>;
  { a.wrmsr(index, value) } -> std::same_as<void>;
  { a.rdpmc(index) } -> std::same_as<std::uint64_t>;
};

// arm64: system registers by encoding (runtime, e.g. PMEVCNTR<n> with n from a trap).
template <class A>
concept sysreg_access = requires(A& a, arm64::sysreg_encoding e, std::uint64_t value) {
  { a.read(e) } -> std::same_as<std::uint64_t>;
  { a.write(e, value) } -> std::same_as<void>;
};

// Typed access to a register known at compile time (R has `msr` or `encoding`):
// `backend.read<R>()` / `backend.write<R>(v)`. Hardware backends implement these as one
// instruction; backends that only have the runtime form (simulators) inherit them from these
// mixins. core/modify.hpp works on any backend through them.
template <class Derived>
struct typed_msr_access {
  template <class R>
  constexpr std::uint64_t read() {
    return static_cast<Derived&>(*this).rdmsr(R::msr.index);
  }
  template <class R>
  constexpr void write(std::uint64_t v) {
    static_cast<Derived&>(*this).wrmsr(R::msr.index, v);
  }
};

template <class Derived>
struct typed_sysreg_access {
  template <class R>
  constexpr std::uint64_t read() {
    return static_cast<Derived&>(*this).read(R::encoding);
  }
  template <class R>
  constexpr void write(std::uint64_t v) {
    static_cast<Derived&>(*this).write(R::encoding, v);
  }
};

}  // namespace vpmu
