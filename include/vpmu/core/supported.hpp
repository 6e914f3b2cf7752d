// SPDX-License-Identifier: MIT
// Capability-dependent validity: which bits of a layout a particular PMU accepts is a mask
// computed from its caps (arch/*/caps). These helpers turn "bits outside that mask" into an
// answer that names the field: a compile error for compile-time values, an error value at run
// time.
#pragma once

#include <cstdint>

#include "vpmu/core/layout.hpp"
#include "vpmu/core/reg_value.hpp"
#include "vpmu/core/result.hpp"

namespace vpmu {

namespace diag {
template <class Field>
void field_not_supported_by_these_caps() {}
template <class Layout>
void reserved_bits_set(std::uint64_t /*bits*/) {}
}  // namespace diag

namespace detail {
template <class... F>
constexpr const char* first_field_in(field_list<F...> /*unused*/, std::uint64_t bits) {
  const char* found = nullptr;
  ((found == nullptr && (F::mask & bits) != 0 ? (found = F::name) : found), ...);
  return found;
}
template <class... F>
consteval void diagnose_fields(field_list<F...> /*unused*/, std::uint64_t bits) {
  ((void)((F::mask & bits) != 0 ? (diag::field_not_supported_by_these_caps<F>(), 0) : 0), ...);
}
}  // namespace detail

// Name of the first field (in declaration order) that has any of `bits`; nullptr if the bits
// are all reserved ones.
template <layout_type L>
[[nodiscard]] constexpr const char* field_name_at(std::uint64_t bits) {
  return detail::first_field_in(typename L::fields{}, bits);
}

// Runtime: v unchanged when it sets only `supported` bits; otherwise an error naming the
// register, the first offending field and the offending bits.
template <layout_type L>
[[nodiscard]] constexpr result<reg_value<L>> require_supported(reg_value<L> v,
                                                               std::uint64_t supported) {
  const std::uint64_t bad = v.raw() & ~supported;
  if (bad == 0) return v;
  return error{errc::unsupported, L::name, field_name_at<L>(bad), bad};
}

// Compile time: the same check as a build error whose text names the field
// (field_not_supported_by_these_caps<field<..., "evtCount">>).
template <layout_type L>
consteval reg_value<L> require_supported_at_compile_time(reg_value<L> v, std::uint64_t supported) {
  const std::uint64_t bad = v.raw() & ~supported;
  if (bad != 0) {
    detail::diagnose_fields(typename L::fields{}, bad);
    diag::reserved_bits_set<L>(bad);
  }
  return v;
}

}  // namespace vpmu
