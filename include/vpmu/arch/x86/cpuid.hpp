// SPDX-License-Identifier: MIT
// PMU capabilities from CPUID (and IA32_PERF_CAPABILITIES), for Intel and AMD.
//
// Intel leaf 0xA (SDM Vol. 3B 21.2 "Architectural performance monitoring", CPUID in Vol. 2A):
//   EAX [7:0] version, [15:8] GP counters, [23:16] GP width, [31:24] length of the EBX vector
//   EBX bit i = architectural event i NOT available
//   ECX fixed-counter bitmap (version 5): fixed counter i exists iff ECX[i] || EDX[4:0] > i
//   EDX [4:0] contiguous fixed counters, [12:5] fixed width, [15] AnyThread deprecated
// Intel leaf 0x23 (architectural PMU extended leaf): sub-leaf 0 EBX[0] UMASK2, EBX[1] EQ;
//   sub-leaf 1 EAX = GP counter bitmap, EBX = fixed counter bitmap.
// AMD leaf 0x80000022 (APM Vol. 3, CPUID): EAX[0] PerfMonV2, EAX[1] LBRv2, EAX[2] LBR/PMC
//   freeze, EBX[3:0] number of core counters. Without PerfMonV2, 6 counters with
//   CPUID 0x80000001 ECX[23] PerfCtrExtCore, else the 4 legacy ones (Linux KVM does the same).
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/core/bits.hpp"

namespace vpmu::x86 {

struct cpuid_regs {
  std::uint32_t eax = 0;
  std::uint32_t ebx = 0;
  std::uint32_t ecx = 0;
  std::uint32_t edx = 0;
};

struct intel_caps {
  std::uint8_t version = 0;
  std::uint8_t gp_counters = 0;
  std::uint8_t gp_width = 0;
  std::uint8_t events_length = 0;        // EBX vector length
  std::uint32_t events_unavailable = 0;  // EBX: bit i set = architectural event i absent
  std::uint8_t fixed_counters = 0;       // EDX[4:0]: contiguous fixed counters
  std::uint8_t fixed_width = 0;          // EDX[12:5]
  std::uint32_t fixed_bitmap = 0;        // ECX (version 5+)
  bool anythread_deprecated = false;     // EDX[15]
  bool umask2 = false;                   // CPUID.0x23.0:EBX[0]
  bool eq = false;                       // CPUID.0x23.0:EBX[1]
  std::uint32_t gp_bitmap_23 = 0;        // CPUID.0x23.1:EAX (when 0x23.0:EAX[1])
  std::uint32_t fixed_bitmap_23 = 0;     // CPUID.0x23.1:EBX (when 0x23.0:EAX[1])
  bool tsx = false;                      // HLE/RTM: PERFEVTSEL.IN_TX / IN_TXCP usable
  bool fw_writes = false;                // PERF_CAPABILITIES.FW_WRITES: IA32_A_PMCx exist
  bool pebs_baseline = false;            // PERF_CAPABILITIES.PEBS_BASELINE: ADAPTIVE bits
  bool perf_metrics = false;             // PERF_CAPABILITIES.PERF_METRICS

  // Fixed counter i exists (SDM: "FxCtr[i] supported := ECX[i] || EDX[4:0] > i" from v5).
  [[nodiscard]] constexpr bool has_fixed(unsigned i) const {
    if (version < 2 || i >= 32) return false;
    return i < fixed_counters || (version >= 5 && ((fixed_bitmap >> i) & 1) != 0) ||
           ((fixed_bitmap_23 >> i) & 1) != 0;
  }
  // Bit i set for each fixed counter that exists.
  [[nodiscard]] constexpr std::uint32_t fixed_mask() const {
    std::uint32_t m = 0;
    for (unsigned i = 0; i < 32; ++i)
      m |= has_fixed(i) ? (1U << i) : 0;
    return m;
  }

  friend constexpr bool operator==(const intel_caps&, const intel_caps&) = default;
};

[[nodiscard]] constexpr intel_caps decode_intel_cpuid(cpuid_regs leaf_0a, cpuid_regs leaf_23_0 = {},
                                                      cpuid_regs leaf_23_1 = {}) {
  intel_caps c;
  c.version = static_cast<std::uint8_t>(leaf_0a.eax & 0xff);
  c.gp_counters = static_cast<std::uint8_t>((leaf_0a.eax >> 8) & 0xff);
  c.gp_width = static_cast<std::uint8_t>((leaf_0a.eax >> 16) & 0xff);
  c.events_length = static_cast<std::uint8_t>((leaf_0a.eax >> 24) & 0xff);
  c.events_unavailable = leaf_0a.ebx & static_cast<std::uint32_t>(low_mask(c.events_length));
  if (c.version >= 2) {  // version 1 has no fixed counters; EDX is reserved there
    c.fixed_counters = static_cast<std::uint8_t>(leaf_0a.edx & 0x1f);
    c.fixed_width = static_cast<std::uint8_t>((leaf_0a.edx >> 5) & 0xff);
  }
  if (c.version >= 5) c.fixed_bitmap = leaf_0a.ecx;
  c.anythread_deprecated = ((leaf_0a.edx >> 15) & 1) != 0;
  c.umask2 = (leaf_23_0.ebx & 1) != 0;
  c.eq = ((leaf_23_0.ebx >> 1) & 1) != 0;
  if (((leaf_23_0.eax >> 1) & 1) != 0) {  // the counters sub-leaf is valid
    c.gp_bitmap_23 = leaf_23_1.eax;
    c.fixed_bitmap_23 = leaf_23_1.ebx;
  }
  return c;
}

// Adds what IA32_PERF_CAPABILITIES (MSR 0x345; present when CPUID.1:ECX.PDCM) says.
[[nodiscard]] constexpr intel_caps with_perf_capabilities(intel_caps c,
                                                          ia32_perf_capabilities::value v) {
  c.fw_writes = v.get(ia32_perf_capabilities::fw_writes);
  c.pebs_baseline = v.get(ia32_perf_capabilities::pebs_baseline);
  c.perf_metrics = v.get(ia32_perf_capabilities::perf_metrics);
  return c;
}

// Leaf 0xA as a hypervisor would expose `c` to a guest (the inverse of decode_intel_cpuid).
[[nodiscard]] constexpr cpuid_regs encode_intel_cpuid_0a(const intel_caps& c) {
  cpuid_regs r;
  r.eax = std::uint32_t{c.version} | (std::uint32_t{c.gp_counters} << 8) |
          (std::uint32_t{c.gp_width} << 16) | (std::uint32_t{c.events_length} << 24);
  r.ebx = c.events_unavailable;
  r.ecx = c.fixed_bitmap;
  r.edx = std::uint32_t{c.fixed_counters} | (std::uint32_t{c.fixed_width} << 5) |
          (c.anythread_deprecated ? (1U << 15) : 0);
  return r;
}

struct amd_caps {
  bool perfmon_v2 = false;  // CPUID 0x80000022 EAX[0]: global CTL/STATUS MSRs
  bool lbr_v2 = false;      // CPUID 0x80000022 EAX[1]
  bool core_ext = false;    // CPUID 0x80000001 ECX[23] PerfCtrExtCore: six core counters
  std::uint8_t gp_counters = 4;
  static constexpr std::uint8_t counter_width = 48;

  friend constexpr bool operator==(const amd_caps&, const amd_caps&) = default;
};

[[nodiscard]] constexpr amd_caps decode_amd_cpuid(cpuid_regs leaf_80000001,
                                                  cpuid_regs leaf_80000022) {
  amd_caps c;
  c.core_ext = ((leaf_80000001.ecx >> 23) & 1) != 0;
  c.perfmon_v2 = (leaf_80000022.eax & 1) != 0;
  c.lbr_v2 = ((leaf_80000022.eax >> 1) & 1) != 0;
  c.gp_counters = c.perfmon_v2 ? static_cast<std::uint8_t>(leaf_80000022.ebx & 0xf)
                  : c.core_ext ? std::uint8_t{6}
                               : std::uint8_t{4};
  return c;
}

}  // namespace vpmu::x86
