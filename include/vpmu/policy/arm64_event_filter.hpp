// SPDX-License-Identifier: MIT
// The arm64 guest event filter, with the semantics of KVM_ARM_VCPU_PMU_V3_FILTER
// (Linux arch/arm64/kvm/pmu-emul.c, Documentation/virt/kvm/devices/vcpu.rst): ranges {base,
// nevents, action} applied in order over the 16-bit event space; the first range decides the
// default (an allow first denies everything else, a deny first allows everything else). Constexpr.
#pragma once

#include <cstdint>

#include "vpmu/core/result.hpp"

namespace vpmu {

class arm64_event_filter {
 public:
  enum class action : std::uint8_t { allow = 0, deny = 1 };
  static constexpr unsigned events = 1U << 16;

  constexpr arm64_event_filter() = default;

  // Adds one range; an error when it leaves the event space.
  constexpr result<bool> add(std::uint32_t base, std::uint32_t nevents, action a) {
    if (base >= events || nevents > events - base) {
      return error{errc::invalid_config, "arm64_event_filter", "range", base};
    }
    if (!configured_) {
      configured_ = true;
      fill(a == action::allow ? 0 : ~std::uint64_t{0});
    }
    for (std::uint32_t e = base; e < base + nevents; ++e) {
      const std::uint64_t b = std::uint64_t{1} << (e % 64);
      bits_[e / 64] = a == action::allow ? (bits_[e / 64] | b) : (bits_[e / 64] & ~b);
    }
    return true;
  }

  [[nodiscard]] constexpr bool allows(std::uint32_t event) const {
    if (!configured_) return true;
    return event < events && ((bits_[event / 64] >> (event % 64)) & 1) != 0;
  }

 private:
  constexpr void fill(std::uint64_t v) {
    for (std::uint64_t& w : bits_)
      w = v;
  }
  bool configured_ = false;
  std::uint64_t bits_[events / 64] = {};
};

[[nodiscard]] constexpr bool filter_allows_event(const arm64_event_filter* f, std::uint32_t ev) {
  return f == nullptr || f->allows(ev);
}

}  // namespace vpmu
