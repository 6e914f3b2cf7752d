// SPDX-License-Identifier: MIT
// Runtime validation of guest-written x86 PMU values: Intel faults name the field, AMD drops.
#include <cstdint>
#include <doctest/doctest.h>

#include "support/splitmix.hpp"
#include "vpmu/arch/x86.hpp"
#include "vpmu/policy/x86_config.hpp"

using namespace vpmu::x86;

namespace {
std::uint64_t opaque(std::uint64_t v) {
  volatile std::uint64_t x = v;
  return x;
}
const intel_caps v4 = decode_intel_cpuid({0x0730'0804, 0x0, 0x0, 0x0603});
}  // namespace

TEST_CASE("Intel PERFEVTSEL: AnyThread is refused and named") {
  const auto v = ia32_perfevtselx::value::from_hardware(opaque(0x0063'003c));  // EN|INT|ANY|OS|USR
  const auto r = validate_perfevtsel(v4, 0, v);
  REQUIRE_FALSE(r.has_value());
  CHECK(vpmu::equal_strings(r.error_value().field, "ANY"));
  CHECK(r.error_value().bits == (1ULL << 21));
  CHECK(
      validate_perfevtsel(v4, 0, ia32_perfevtselx::value::from_hardware(0x0043'003c)).has_value());
}

TEST_CASE("Intel PERFEVTSEL: EQ and UMASK2 follow CPUID.0x23") {
  const auto eq = ia32_perfevtselx::value::from_hardware(opaque(1ULL << 36 | 0x0041'00c0));
  CHECK(vpmu::equal_strings(validate_perfevtsel(v4, 0, eq).error_value().field, "EQ"));
  intel_caps with_eq = v4;
  with_eq.eq = true;
  CHECK(validate_perfevtsel(with_eq, 0, eq).has_value());
}

TEST_CASE("Intel PERFEVTSEL: every single reserved bit is refused / every other accepted") {
  for (unsigned counter = 0; counter < 4; ++counter) {
    for (unsigned b = 0; b < 64; ++b) {
      const auto v = ia32_perfevtselx::value::from_hardware(opaque(1ULL << b));
      const bool reserved = b == 21 || b >= 32;  // KVM's base mask, no TSX/PEBS/EQ/UMASK2
      CAPTURE(b);
      CHECK(validate_perfevtsel(v4, counter, v).has_value() == !reserved);
    }
  }
}

TEST_CASE("Intel FIXED_CTR_CTRL: only OS/USR/PMI of existing counters") {
  for (unsigned b = 0; b < 64; ++b) {
    const auto v = ia32_fixed_ctr_ctrl::value::from_hardware(opaque(1ULL << b));
    const bool allowed = b < 12 && (b % 4) != 2;  // three counters, AnyThread (bit 4i+2) refused
    CAPTURE(b);
    CHECK(validate_fixed_ctr_ctrl(v4, v).has_value() == allowed);
  }
}

TEST_CASE("AMD PerfEvtSel: reserved bits vanish / the rest stays") {
  test_support::splitmix64 rng{7};
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t w = rng.next();
    const auto s = sanitize_perf_ctl(opaque(w));
    CHECK((s.raw() & amd_perf_ctl_reserved) == 0);
    CHECK((s.raw() | (w & amd_perf_ctl_reserved)) == w);
  }
}

TEST_CASE(
    "IA32_PERF_CAPABILITIES (MSR 0x345) adds FW_WRITES (bit 13), PEBS_BASELINE (14), "
    "PERF_METRICS (15) to the CPUID caps") {
  // SDM Vol. 4, IA32_PERF_CAPABILITIES: bit 13 full-width writes, bit 14 PEBS baseline, bit 15
  // PERF_METRICS available.
  CHECK_FALSE(v4.fw_writes);
  const intel_caps fw = with_perf_capabilities(
      v4, ia32_perf_capabilities::value::from_hardware(opaque(std::uint64_t{1} << 13)));
  CHECK(fw.fw_writes);
  CHECK_FALSE(fw.pebs_baseline);
  CHECK_FALSE(fw.perf_metrics);
  const intel_caps all = with_perf_capabilities(
      v4, ia32_perf_capabilities::value::from_hardware(opaque(std::uint64_t{7} << 13)));
  CHECK(all.fw_writes);
  CHECK(all.pebs_baseline);
  CHECK(all.perf_metrics);
  CHECK(all.gp_counters == v4.gp_counters);  // the CPUID part is left as it was
}

// From CPUID to a config: the host's own shape validates against the decoded caps. Leaf values
// written from the SDM's layout (Vol. 2A CPUID leaf 0AH: EAX version[7:0], GP counters[15:8],
// width[23:16], EBX length[31:24]; EDX fixed counters[4:0], width[12:5]) and the APM's (CPUID
// Fn8000_0001 ECX[23] PerfCtrExtCore; Fn8000_0022 EAX[0] PerfMonV2, EBX[3:0] NumPerfCtrCore).
TEST_CASE("host_shape(decoded caps) validates: Intel v4 with and without FW_WRITES, v1, v5") {
  const vpmu::x86::cpuid_regs skylake{0x07300404, 0, 0, 0x00000603};
  auto caps = vpmu::x86::decode_intel_cpuid(skylake);
  auto s = vpmu::host_shape(caps);
  CHECK(s.version == 4);
  CHECK(s.gp_counters == 4);
  CHECK(s.fixed_counters == 3);
  CHECK_FALSE(s.fw_writes);  // not in CPUID: PERF_CAPABILITIES says
  CHECK(vpmu::validate_x86_config(s, caps).has_value());
  // The default shape asks for FW_WRITES, which this host has not declared: refused, named.
  const auto d = vpmu::validate_x86_config(vpmu::x86_guest_shape{}, caps);
  REQUIRE_FALSE(d.has_value());
  CHECK(vpmu::equal_strings(d.error_value().field, "fw_writes"));
  caps = vpmu::x86::with_perf_capabilities(
      caps, vpmu::x86::ia32_perf_capabilities::value::from_hardware(std::uint64_t{1} << 13));
  CHECK(vpmu::host_shape(caps).fw_writes);
  CHECK(vpmu::validate_x86_config(vpmu::host_shape(caps), caps).has_value());

  const auto v1 = vpmu::x86::decode_intel_cpuid({0x07280201, 0, 0, 0});  // 2 GP, 40 bits
  CHECK(vpmu::host_shape(v1).fixed_counters == 0);
  CHECK(vpmu::host_shape(v1).gp_width == 40);
  CHECK(vpmu::validate_x86_config(vpmu::host_shape(v1), v1).has_value());

  // v5 with fixed counters 0, 1 and 3 in the ECX bitmap: the guest gets the contiguous 0..1.
  const auto v5 = vpmu::x86::decode_intel_cpuid({0x07300805, 0, 0b1011, 0x00000600});
  CHECK(vpmu::host_shape(v5).gp_counters == 8);
  CHECK(vpmu::host_shape(v5).fixed_counters == 2);
  CHECK(vpmu::validate_x86_config(vpmu::host_shape(v5), v5).has_value());
}

TEST_CASE("host_shape(decoded caps) validates: AMD with and without PerfMonV2 / core extension") {
  const auto zen4 = vpmu::x86::decode_amd_cpuid({0, 0, 0x00800000, 0}, {1, 6, 0, 0});
  CHECK(vpmu::host_shape(zen4).version == 2);
  CHECK(vpmu::host_shape(zen4).gp_counters == 6);
  CHECK(vpmu::validate_x86_config(vpmu::host_shape(zen4), zen4).has_value());
  const auto legacy = vpmu::x86::decode_amd_cpuid({0, 0, 0, 0}, {0, 0, 0, 0});
  CHECK(vpmu::host_shape(legacy).version == 1);
  CHECK(vpmu::host_shape(legacy).gp_counters == 4);
  CHECK_FALSE(vpmu::host_shape(legacy).core_ext);
  CHECK(vpmu::validate_x86_config(vpmu::host_shape(legacy), legacy).has_value());
}
