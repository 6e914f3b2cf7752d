// SPDX-License-Identifier: MIT
// The PMU a guest sees on x86, and the check that the host can back it. A shape the host cannot
// back is an error value naming what does not fit; nothing is silently clamped.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/cpuid.hpp"
#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/arch/x86/vendor.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/policy/x86_event_filter.hpp"

namespace vpmu {

struct x86_guest_shape {
  x86::vendor vendor = x86::vendor::intel;
  unsigned version = 2;  // Intel architectural PMU version (AMD: 2 = PerfMonV2, 1 = without)
  unsigned gp_counters = 4;
  unsigned gp_width = 48;       // AMD: always 48
  unsigned fixed_counters = 3;  // Intel only
  unsigned fixed_width = 48;    // Intel only
  bool fw_writes = true;        // Intel: IA32_A_PMCx and PERF_CAPABILITIES.FW_WRITES
  bool core_ext = true;         // AMD: six core counters at 0xC0010200

  // The caps a guest with this shape reads from CPUID (and PERF_CAPABILITIES).
  [[nodiscard]] constexpr x86::intel_caps intel_caps() const {
    x86::intel_caps c;
    c.version = static_cast<std::uint8_t>(version);
    c.gp_counters = static_cast<std::uint8_t>(gp_counters);
    c.gp_width = static_cast<std::uint8_t>(gp_width);
    c.events_length = 7;
    c.fixed_counters = static_cast<std::uint8_t>(version >= 2 ? fixed_counters : 0);
    c.fixed_width = static_cast<std::uint8_t>(fixed_width);
    c.fw_writes = fw_writes;
    return c;
  }
  [[nodiscard]] constexpr x86::amd_caps amd_caps() const {
    x86::amd_caps c;
    c.perfmon_v2 = version >= 2;
    c.core_ext = core_ext;
    c.gp_counters = static_cast<std::uint8_t>(gp_counters);
    return c;
  }
};

// A guest shape checked against the host. Only validate_x86_config() produces a validated one;
// a policy refuses (VPMU_ASSERT) a config that was not.
struct x86_config {
  x86_guest_shape shape;
  const x86_event_filter* filter = nullptr;  // shared by the VM's vCPUs; nullptr: no filter
  bool host_fw_writes = true;                // the host writes counters full-width (IA32_A_PMCx)
  unsigned host_gp_width = 48;
  unsigned host_gp_counters = 0;
  unsigned host_fixed_counters = 0;
  // The host has global counter control and status MSRs (Intel v2+; AMD PerfMonV2). Without
  // them a mediated guest's counters start and stop by their selectors' EN, and overflows are
  // seen as counters wrapping.
  bool host_global_control = true;

  [[nodiscard]] constexpr bool validated() const { return validated_; }

 private:
  friend constexpr result<x86_config> validate_x86_config(const x86_guest_shape&,
                                                          const x86::intel_caps&,
                                                          const x86_event_filter*);
  friend constexpr result<x86_config> validate_x86_config(const x86_guest_shape&,
                                                          const x86::amd_caps&,
                                                          const x86_event_filter*);
  bool validated_ = false;
};

namespace detail {
constexpr error shape_error(const char* what, unsigned value) {
  return error{errc::invalid_config, "x86 guest PMU shape", what, value};
}
}  // namespace detail

[[nodiscard]] constexpr result<x86_config> validate_x86_config(
    const x86_guest_shape& s, const x86::intel_caps& host,
    const x86_event_filter* filter = nullptr) {
  if (s.vendor != x86::vendor::intel) return detail::shape_error("vendor", 1);
  if (s.version < 1 || s.version > 5 || s.version > host.version) {
    return detail::shape_error("version", s.version);
  }
  // Limits: the architectural MSR slots (8 GP, 4 fixed: SDM Vol. 4), not KVM's (8 GP, 3 fixed,
  // arch/x86/include/asm/kvm_host.h): vpmu follows the SDM, so a fourth fixed counter
  // (TOPDOWN.SLOTS) is accepted where the host has it.
  if (s.gp_counters > host.gp_counters || s.gp_counters > x86::intel_max_gp_counters) {
    return detail::shape_error("gp_counters", s.gp_counters);
  }
  // Counters pass through in the mediated policy, so a guest counter is exactly as wide as the
  // host's; an emulated guest may not be wider either (its counts come from host counters).
  if (s.gp_width != host.gp_width) return detail::shape_error("gp_width", s.gp_width);
  if (s.version >= 2) {
    // Fixed counter i exists on the host by CPUID.0xA's rule "ECX[i] || EDX[4:0] > i" (SDM
    // Vol. 2A CPUID, v5+), which KVM does not read (it uses EDX alone): vpmu follows the SDM.
    for (unsigned i = 0; i < s.fixed_counters; ++i) {
      if (!host.has_fixed(i) || i >= x86::intel_max_fixed_counters) {
        return detail::shape_error("fixed_counters", s.fixed_counters);
      }
    }
    if (s.fixed_counters > 0 && s.fixed_width != host.fixed_width) {
      return detail::shape_error("fixed_width", s.fixed_width);
    }
  }
  if (s.fw_writes && !host.fw_writes) return detail::shape_error("fw_writes", 1);
  x86_config c;
  c.shape = s;
  c.filter = filter;
  c.host_fw_writes = host.fw_writes;
  c.host_gp_width = host.gp_width;
  c.host_gp_counters = host.gp_counters;
  c.host_fixed_counters = bit_count(host.fixed_mask());
  c.host_global_control = host.version >= 2;
  c.validated_ = true;
  return c;
}

[[nodiscard]] constexpr result<x86_config> validate_x86_config(
    const x86_guest_shape& s, const x86::amd_caps& host, const x86_event_filter* filter = nullptr) {
  if (s.vendor != x86::vendor::amd) return detail::shape_error("vendor", 0);
  if (s.version > 2 || (s.version >= 2 && !host.perfmon_v2)) {
    return detail::shape_error("version", s.version);
  }
  const unsigned max = s.core_ext ? x86::amd_core_counters : x86::amd_legacy_counters;
  if (s.gp_counters > host.gp_counters || s.gp_counters > max) {
    return detail::shape_error("gp_counters", s.gp_counters);
  }
  if (s.core_ext && !host.core_ext) return detail::shape_error("core_ext", 1);
  if (s.gp_width != x86::amd_caps::counter_width)
    return detail::shape_error("gp_width", s.gp_width);
  x86_config c;
  c.shape = s;
  c.filter = filter;
  c.host_gp_width = x86::amd_caps::counter_width;
  c.host_gp_counters = host.gp_counters;
  c.host_global_control = host.perfmon_v2;
  c.validated_ = true;
  return c;
}

// The shape that hands the guest everything of the host's PMU that vpmu can virtualize: what
// a hypervisor starts from (and narrows) after decoding the host's CPUID. It validates against
// the same caps. Intel: version up to 5, GP counters up to 8, the contiguous fixed counters up
// to 4, FW_WRITES as PERF_CAPABILITIES said (with_perf_capabilities); AMD: PerfMonV2 and the
// core extension as the host has them.
[[nodiscard]] constexpr x86_guest_shape host_shape(const x86::intel_caps& host) {
  x86_guest_shape s;
  s.vendor = x86::vendor::intel;
  s.version = host.version < 5U ? host.version : 5U;
  s.gp_counters =
      host.gp_counters < x86::intel_max_gp_counters ? host.gp_counters : x86::intel_max_gp_counters;
  s.gp_width = host.gp_width;
  s.fixed_counters = 0;
  while (s.version >= 2 && s.fixed_counters < x86::intel_max_fixed_counters &&
         host.has_fixed(s.fixed_counters)) {
    ++s.fixed_counters;
  }
  s.fixed_width = host.fixed_width;
  s.fw_writes = host.fw_writes;
  s.core_ext = false;
  return s;
}
[[nodiscard]] constexpr x86_guest_shape host_shape(const x86::amd_caps& host) {
  x86_guest_shape s;
  s.vendor = x86::vendor::amd;
  s.version = host.perfmon_v2 ? 2U : 1U;
  s.core_ext = host.core_ext;
  const unsigned max = host.core_ext ? x86::amd_core_counters : x86::amd_legacy_counters;
  s.gp_counters = host.gp_counters < max ? host.gp_counters : max;
  s.gp_width = x86::amd_caps::counter_width;
  s.fixed_counters = 0;
  s.fw_writes = false;
  return s;
}

}  // namespace vpmu
