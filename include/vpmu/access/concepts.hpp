// SPDX-License-Identifier: MIT
// How policies reach PMU registers: one concept per architecture, satisfied by the hardware
// backends, the simulators and the decorators that count or record accesses.
//
// A backend is the hypervisor's own view (ring 0 / EL2): every access it is asked for exists on
// the PMU the policy was configured for, so plain reads and writes return values, not faults.
// What a *guest* would see for the same access (a #GP, a trap to EL2, UNDEFINED) is a separate,
// simulator-only question; see sim/.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/pmu_families.hpp"
#include "vpmu/arch/arm64/sysreg_encoding.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

// x86: MSRs by index, and RDPMC by its ECX selector (bit 30 = fixed counter).
template <class A>
concept msr_access = requires(A& a, std::uint32_t index, std::uint64_t value) {
  { a.rdmsr(index) } -> meta::same_as<std::uint64_t>;
  { a.wrmsr(index, value) } -> meta::same_as<void>;
  { a.rdpmc(index) } -> meta::same_as<std::uint64_t>;
};

// arm64: system registers by encoding (runtime, e.g. PMEVCNTR<n> with n from a trap).
template <class A>
concept sysreg_access = requires(A& a, arm64::sysreg_encoding e, std::uint64_t value) {
  { a.read(e) } -> meta::same_as<std::uint64_t>;
  { a.write(e, value) } -> meta::same_as<void>;
};

// What a policy needs of a register backend, one static_assert per member, so that a backend
// that lacks one is told which (vcpu_pmu runs these before it instantiates the policy; the
// concepts above say the same in one expression).
template <class A>
constexpr bool check_msr_access() {
  static_assert(
      requires(A & a, std::uint32_t i) {
        { a.rdmsr(i) } -> meta::same_as<std::uint64_t>;
      },
      "vpmu x86 register backend: no `std::uint64_t rdmsr(std::uint32_t index)`");
  static_assert(
      requires(A & a, std::uint32_t i, std::uint64_t v) {
        { a.wrmsr(i, v) } -> meta::same_as<void>;
      },
      "vpmu x86 register backend: no `void wrmsr(std::uint32_t index, std::uint64_t value)`");
  static_assert(
      requires(A & a, std::uint32_t i) {
        { a.rdpmc(i) } -> meta::same_as<std::uint64_t>;
      },
      "vpmu x86 register backend: no `std::uint64_t rdpmc(std::uint32_t ecx)`");
  return true;
}
template <class A>
constexpr bool check_sysreg_access() {
  static_assert(
      requires(A & a, arm64::sysreg_encoding e) {
        { a.read(e) } -> meta::same_as<std::uint64_t>;
      },
      "vpmu arm64 register backend: no `std::uint64_t read(vpmu::arm64::sysreg_encoding)`");
  static_assert(
      requires(A & a, arm64::sysreg_encoding e, std::uint64_t v) {
        { a.write(e, v) } -> meta::same_as<void>;
      },
      "vpmu arm64 register backend: no `void write(vpmu::arm64::sysreg_encoding, "
      "std::uint64_t)`");
  return true;
}

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

// Typed access through any backend: the backend's own read<R>()/write<R>() when it has them
// (one instruction on the hardware backends), else the runtime form (rdmsr/wrmsr with R's MSR,
// read/write with R's encoding). Policies reach registers only through these, so a backend needs
// nothing beyond msr_access / sysreg_access.
template <class R, class A>
constexpr std::uint64_t read_register(A& a) {
  if constexpr (requires { a.template read<R>(); }) {
    return a.template read<R>();
  } else if constexpr (requires { R::msr.index; }) {
    return a.rdmsr(R::msr.index);
  } else {
    return a.read(R::encoding);
  }
}
template <class R, class A>
constexpr void write_register(A& a, std::uint64_t v) {
  if constexpr (requires { a.template write<R>(v); }) {
    a.template write<R>(v);
  } else if constexpr (requires { R::msr.index; }) {
    a.wrmsr(R::msr.index, v);
  } else {
    a.write(R::encoding, v);
  }
}

// The indexed families (PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0) with n known only at run time. A
// backend may provide read_pmevcntr(n) & co. (the hardware backend does: a jump table of single
// instructions); otherwise the runtime encoding form is used.
template <sysreg_access A>
constexpr std::uint64_t read_pmevcntr(A& a, unsigned n) {
  if constexpr (requires { a.read_pmevcntr(n); }) {
    return a.read_pmevcntr(n);
  } else {
    return a.read(arm64::pmevcntr_encoding_unchecked(n));
  }
}
template <sysreg_access A>
constexpr void write_pmevcntr(A& a, unsigned n, std::uint64_t v) {
  if constexpr (requires { a.write_pmevcntr(n, v); }) {
    a.write_pmevcntr(n, v);
  } else {
    a.write(arm64::pmevcntr_encoding_unchecked(n), v);
  }
}
template <sysreg_access A>
constexpr std::uint64_t read_pmevtyper(A& a, unsigned n) {
  if constexpr (requires { a.read_pmevtyper(n); }) {
    return a.read_pmevtyper(n);
  } else {
    return a.read(arm64::pmevtyper_encoding_unchecked(n));
  }
}
template <sysreg_access A>
constexpr void write_pmevtyper(A& a, unsigned n, std::uint64_t v) {
  if constexpr (requires { a.write_pmevtyper(n, v); }) {
    a.write_pmevtyper(n, v);
  } else {
    a.write(arm64::pmevtyper_encoding_unchecked(n), v);
  }
}

// Counter n as a constant, for the unrolled form below: typed access to PMEVCNTR<n>_EL0 /
// PMEVTYPER<n>_EL0 is then one instruction on the hardware backend, with no jump table.
template <unsigned N>
struct counter_index {
  static constexpr unsigned value = N;
  constexpr operator unsigned() const { return N; }  // NOLINT: an index is an unsigned
};
template <unsigned N, class A>
VPMU_ALWAYS_INLINE constexpr std::uint64_t read_pmevcntr(A& a, counter_index<N>) {
  return read_register<arm64::pmevcntr_el0<N>>(a);
}
template <unsigned N, class A>
VPMU_ALWAYS_INLINE constexpr void write_pmevcntr(A& a, counter_index<N>, std::uint64_t v) {
  write_register<arm64::pmevcntr_el0<N>>(a, v);
}
template <unsigned N, class A>
VPMU_ALWAYS_INLINE constexpr std::uint64_t read_pmevtyper(A& a, counter_index<N>) {
  return read_register<arm64::pmevtyper_el0<N>>(a);
}
template <unsigned N, class A>
VPMU_ALWAYS_INLINE constexpr void write_pmevtyper(A& a, counter_index<N>, std::uint64_t v) {
  write_register<arm64::pmevtyper_el0<N>>(a, v);
}

// Event counters [0, n) -- a guest's, below MDCR_EL2.HPMN -- as the bit mask the unrolled loops
// below test: one TBZ per pair of counters on AArch64 instead of a compare and a branch per
// counter. Computed once, when the vCPU's shape is known.
class low_counters {
 public:
  constexpr explicit low_counters(unsigned n = 0)
      : mask_(n >= arm64::max_event_counters ? low_mask_31 : (std::uint32_t{1} << n) - 1) {}
  [[nodiscard]] constexpr bool contains(unsigned i) const { return ((mask_ >> i) & 1u) != 0; }
  [[nodiscard]] constexpr std::uint32_t mask() const { return mask_; }

 private:
  static constexpr std::uint32_t low_mask_31 = 0x7fff'ffffu;
  std::uint32_t mask_;
};

namespace detail {
// Counters 2I and 2I + 1 (f gets both at once, so that their values move as one LDP/STP), or
// 2I alone when it is the last; false once the range has ended.
template <unsigned I, class F>
VPMU_ALWAYS_INLINE constexpr bool counter_pair(low_counters range, F& f) {
  if constexpr (2 * I + 1 < arm64::max_event_counters) {
    if (range.contains(2 * I + 1)) {
      f(counter_index<2 * I>{}, counter_index<2 * I + 1>{});
      return true;
    }
  }
  if (range.contains(2 * I)) f(counter_index<2 * I>{});
  return false;
}
template <class F, decltype(sizeof 0)... I>
VPMU_ALWAYS_INLINE constexpr void for_each_counter_pair(
    low_counters range, F& f, meta::integer_list<decltype(sizeof 0), I...>) {
  // In order, stopping where the range ends: no loop counter, no indirect branch.
  (void)(counter_pair<static_cast<unsigned>(I)>(range, f) && ...);
}
}  // namespace detail

// f(counter_index<n>{}...) over the counters of `range`, two at a time (the last alone when
// their number is odd): the world-switch loops over a guest's counters, unrolled so that every
// access names its register. f takes one or two indexes: `[&](auto... n) { ... }`.
template <class F>
VPMU_ALWAYS_INLINE constexpr void for_each_counter_in(low_counters range, F&& f) {
  detail::for_each_counter_pair(range, f,
                                meta::make_index_list<(arm64::max_event_counters + 1) / 2>{});
}

}  // namespace vpmu
