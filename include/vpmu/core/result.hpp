// SPDX-License-Identifier: MIT
// Errors as values: hypervisor code has no exceptions, so every checked operation returns a
// result<T> that holds either a T or an error naming what was wrong and where.
#pragma once

#include "vpmu/core/config.hpp"
#include "vpmu/core/fixed_string.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

enum class errc : unsigned char {
  value_too_wide,      // a value does not fit the field it is meant for
  res0_bits_set,       // a raw register value sets bits the architecture reserves as 0
  res1_bits_clear,     // a raw register value clears bits the architecture reserves as 1
  index_out_of_range,  // counter/register index beyond what the PMU has
  not_implemented,     // register or feature absent in this PMU shape
  invalid_config,      // a configuration the hardware cannot back
  unsupported,         // a field (or value) this PMU's capabilities do not provide
};

[[nodiscard]] constexpr const char* describe(errc code) {
  switch (code) {
    case errc::value_too_wide: return "value does not fit the field";
    case errc::res0_bits_set: return "RES0 bits set";
    case errc::res1_bits_clear: return "RES1 bits clear";
    case errc::index_out_of_range: return "index out of range";
    case errc::not_implemented: return "not implemented";
    case errc::invalid_config: return "invalid configuration";
    case errc::unsupported: return "not supported by this PMU";
  }
  return "unknown error";
}

// What went wrong, and where: `where` names the register (e.g. "PMCR_EL0"), `field` the field
// (e.g. "N") or nullptr when the whole register is concerned; `bits` carries the offending bits
// or value so a log line can show them.
struct error {
  errc code;
  const char* where = nullptr;
  const char* field = nullptr;
  unsigned long long bits = 0;

  friend constexpr bool operator==(const error& a, const error& b) {
    return a.code == b.code && a.bits == b.bits && same_name(a.where, b.where) &&
           same_name(a.field, b.field);
  }

 private:
  static constexpr bool same_name(const char* a, const char* b) {
    return (a == nullptr || b == nullptr) ? a == b : equal_strings(a, b);
  }
};

// Holds a T or an error. T must be trivially copyable (register values, settings, small structs),
// which keeps result<T> usable in constant expressions and free of lifetime traps.
template <class T>
class [[nodiscard]] result {
  static_assert(meta::is_trivially_copyable_v<T>, "vpmu::result<T> needs a trivially copyable T");

 public:
  constexpr result(T value) : value_(value), ok_(true) {}   // NOLINT: implicit by design
  constexpr result(error err) : error_(err), ok_(false) {}  // NOLINT: implicit by design

  [[nodiscard]] constexpr bool has_value() const { return ok_; }
  constexpr explicit operator bool() const { return ok_; }

  [[nodiscard]] constexpr const T& value() const {
    VPMU_ASSERT(ok_);
    return value_;
  }
  [[nodiscard]] constexpr T value_or(T fallback) const { return ok_ ? value_ : fallback; }
  [[nodiscard]] constexpr const error& error_value() const {
    VPMU_ASSERT(!ok_);
    return error_;
  }

  // Chains a step that may itself fail: r.and_then([](T v) -> result<U> { ... }).
  template <class F>
  constexpr auto and_then(F&& step) const
      -> decltype(meta::forward<F>(step)(meta::declval<const T&>())) {
    if (!ok_) return error_;
    return meta::forward<F>(step)(value_);
  }

 private:
  T value_{};
  error error_{errc::invalid_config};
  bool ok_;
};

}  // namespace vpmu
